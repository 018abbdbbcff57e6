"""The benchmark harness's own logic (bench/benchlib): statistics, interleaving, tables, edits, tree comparison.

No timing assertions: the only process these tests run is a tiny Python one, to
check that what the harness reports about it (exit code, memory, a kill on
timeout) is read correctly.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from benchlib import corpus, machine, report, schedule, stats, treecmp  # noqa: E402
from benchlib.measure import Run, parse_pss, parse_stat, run_timed  # noqa: E402
from benchlib.results import EDIT, FULL, NOOP, Cell, Measurements  # noqa: E402


def run(wall: float, peak_mib: int = 100) -> Run:
    return Run(wall=wall, user=wall, system=0.0, max_rss_kib=peak_mib * 1024, tree_rss_kib=0, exit_code=0)


# --- statistics ---------------------------------------------------------------


def test_spread_is_median_min_max() -> None:
    assert stats.spread([3.0, 1.0, 2.0, 10.0, 4.0]) == stats.Spread(3.0, 1.0, 10.0, 5)
    assert stats.spread([1.0, 2.0, 3.0, 4.0]).median == 2.5


def test_spread_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        stats.spread([])


def test_paired_ratio_uses_run_by_run_ratios_not_ratio_of_medians() -> None:
    # Each round's load hits both tools; the pairs say "always 2x" even though the series overlap.
    a = [2.0, 8.0, 20.0]
    b = [1.0, 4.0, 10.0]
    assert stats.paired_ratio(a, b) == stats.Spread(2.0, 2.0, 2.0, 3)
    with pytest.raises(ValueError):
        stats.paired_ratio([1.0], [1.0, 2.0])


def test_duration_and_size_formatting() -> None:
    assert stats.seconds(0.4123) == "0.412 s"
    assert stats.seconds(4.123) == "4.12 s"
    assert stats.seconds(41.23) == "41.2 s"
    assert stats.seconds(412.3) == "412 s"
    assert stats.spread_text(stats.spread([1.5, 1.25, 2.0])) == "1.50 s [1.25–2.00 s]"
    assert stats.spread_text(stats.spread([300.0])) == "300 s (1 run)"
    assert stats.megabytes(250 * 1024) == "250 MB"


# --- interleaving -------------------------------------------------------------


def test_rotation_puts_every_tool_first_in_turn() -> None:
    tools = ["a", "b", "c"]
    assert [schedule.rotation(tools, n) for n in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]
    assert schedule.rotation([], 3) == []


def test_interleaved_alternates_tools_run_by_run() -> None:
    order = list(schedule.interleaved(["x", "y"], 3))
    assert order == [(0, "x"), (0, "y"), (1, "y"), (1, "x"), (2, "x"), (2, "y")]
    # every tool gets exactly `rounds` runs, never two of its own back to back within a round
    assert sum(1 for _, t in order if t == "x") == 3


# --- the tables -----------------------------------------------------------------


def sample_measurements() -> Measurements:
    data = Measurements()
    for size, scale in ((1000, 1), (10_000, 10)):
        data.cells[("broadsheet", size, FULL)] = Cell([run(2.0 * scale, 60 * scale), run(2.2 * scale, 62 * scale)])
        data.cells[("Hugo", size, FULL)] = Cell([run(1.0 * scale), run(1.0 * scale)])
        data.cells[("Pelican", size, FULL)] = Cell([run(30.0 * scale), run(33.0 * scale)])
        data.cells[("broadsheet", size, NOOP)] = Cell([run(0.5), run(0.7)])
        data.cells[("broadsheet", size, EDIT)] = Cell([run(1.0), run(2.0), run(3.0)])
        data.files[("broadsheet", size)] = 1234 * scale
    data.cells[("broadsheet", 100_000, FULL)] = Cell([], problem="timed out after 900 s")
    data.identical = {1000: [], 10_000: ["differs: feed.xml"]}
    return data


def test_results_table_has_one_row_per_tool_and_size_with_medians_and_peaks() -> None:
    table = report.results_table(sample_measurements(), ["broadsheet", "Pelican", "Hugo"])
    lines = table.splitlines()
    assert lines[0].startswith("| generator | articles | files written | full clean build")
    assert len(lines) == 2 + 3 + 3 + 1  # header, separator, 3 tools × 2 sizes, broadsheet at 100k
    assert "| broadsheet | 10,000 | 12,340 | 21.0 s [20.0–22.0 s], cpu 21.0 s, 620 MB | 0.600 s" in table
    assert "| broadsheet | 100,000 | ? | timed out after 900 s | not measured | not measured |" in table


def test_targets_read_the_paired_ratios_and_limits() -> None:
    table = report.targets_table(sample_measurements(), 10_000)
    assert "broadsheet / Hugo ≤ 1.0 | 2.10 [2.00–2.20] (median of 2 paired runs) | **no** |" in table
    assert "Pelican / broadsheet ≥ 10 | 15.00× [15.00–15.00] (median of 2 paired runs) | **yes** |" in table
    assert "| no-op rebuild < 1 s | 0.600 s (median of 2) | **yes** |" in table
    assert "| one article edited < 1.5 s | 2.00 s (median of 3) | **no** |" in table
    assert "identical at 1,000, 1 difference(s) at 10,000: differs: feed.xml | **no** |" in table
    assert "| peak memory < 250 MB | 620 MB" in table
    assert "| 100,000 articles: a full build completes | timed out after 900 s | **no** |" in table


def test_a_failed_series_is_reported_not_turned_into_a_ratio() -> None:
    data = sample_measurements()
    data.cells[("Hugo", 10_000, FULL)].problem = "failed, exit 1"
    table = report.targets_table(data, 10_000)
    assert "broadsheet / Hugo ≤ 1.0 | not measured (a series did not complete) | n/a |" in table
    del data.cells[("Pelican", 10_000, FULL)]
    assert "Pelican / broadsheet ≥ 10 | not measured | n/a |" in report.targets_table(data, 10_000)


def test_linear_growth_compares_memory_per_thousand_articles() -> None:
    text, linear = report.linear_growth({1000: 50 * 1024, 10_000: 140 * 1024, 100_000: 1040 * 1024})
    assert linear is True
    assert "+10.0 MB per 1,000 articles, +10.0 MB per 1,000 articles" in text
    _, superlinear = report.linear_growth({1000: 50 * 1024, 10_000: 140 * 1024, 100_000: 4000 * 1024})
    assert superlinear is False
    _, unknown = report.linear_growth({1000: 1, 10_000: 2})
    assert unknown is None


# --- corpus edits ------------------------------------------------------------------


def test_edited_text_appends_a_different_line_each_time() -> None:
    original = b"---\ntitle: x\n---\n\nBody.\n"
    first, second = corpus.edited_text(original, 1), corpus.edited_text(original, 2)
    assert first.startswith(b"---\ntitle: x\n---\n\nBody.\n")
    assert first != second and first != original
    assert first.endswith(b"rebuild 1.\n")


def test_editable_restores_the_article_and_the_stamp_even_on_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "b.md").write_bytes(b"second")
    (content / "a.md").write_bytes(b"first")
    expected = {"generator_sha256": "x", "format": "hugo", "n": 2}
    (tmp_path / corpus.STAMP).write_text('{"generator_sha256": "x", "format": "hugo", "n": 2}')
    with pytest.raises(RuntimeError), corpus.editable(tmp_path) as article:
        assert article.name == "a.md"
        assert not corpus.is_intact(tmp_path, expected)  # an interrupted run must not trust the corpus
        article.write_bytes(b"changed")
        raise RuntimeError("interrupted")
    assert (content / "a.md").read_bytes() == b"first"
    assert corpus.is_intact(tmp_path, expected)


def test_ensure_corpus_generates_once_then_reuses(tmp_path: Path) -> None:
    generator = tmp_path / "gen.py"
    generator.write_text(
        "import argparse, pathlib\n"
        "p = argparse.ArgumentParser(); p.add_argument('--format'); p.add_argument('--n', type=int)\n"
        "p.add_argument('--out', type=pathlib.Path); a = p.parse_args()\n"
        "(a.out / 'content').mkdir(); (a.out / 'content' / 'x.md').write_text(a.format * a.n)\n"
    )
    folder, log = tmp_path / "hugo-3", tmp_path / "gen.log"
    assert corpus.ensure_corpus(generator, "hugo", 3, folder, log) is True
    assert (folder / "content" / "x.md").read_text() == "hugohugohugo"
    assert corpus.ensure_corpus(generator, "hugo", 3, folder, log) is False
    generator.write_text(generator.read_text() + "# changed\n")
    assert corpus.ensure_corpus(generator, "hugo", 3, folder, log) is True


# --- tree comparison ---------------------------------------------------------------


def test_tree_differences_finds_missing_extra_and_changed_files(tmp_path: Path) -> None:
    left, right = tmp_path / "left", tmp_path / "right"
    for root in (left, right):
        (root / "a").mkdir(parents=True)
        (root / "a" / "same.html").write_bytes(b"same")
    assert treecmp.tree_differences(left, right) == []
    (left / "a" / "changed.html").write_bytes(b"one")
    (right / "a" / "changed.html").write_bytes(b"two")
    (left / "only-left.xml").write_bytes(b"")
    (right / "a" / "only-right.html").write_bytes(b"")
    assert treecmp.tree_differences(left, right) == [
        "only in left: only-left.xml",
        "only in right: a/only-right.html",
        "differs: a/changed.html",
    ]


# --- machine facts and process measurement ------------------------------------------


def test_proc_parsing() -> None:
    # a command name with spaces and parentheses must not shift the fields
    stat = "4242 (my (odd) name) S 1 4242 4200 0 -1 4194560 " + " ".join(["0"] * 13) + " 12345 77 rest"
    assert parse_stat(stat) == (4200, 77)
    assert parse_stat("garbage") is None
    assert machine.cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert machine.mem_total_gib("MemTotal:       24576000 kB\n") == pytest.approx(23.4375)
    assert machine.busy_seconds(f"cpu  {machine.CLOCK_TICKS} 0 {machine.CLOCK_TICKS} 500 500 0 0 0\n") == 2.0


@pytest.mark.timeout(60)
def test_run_timed_reports_exit_code_memory_and_kills_on_timeout(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    allocate = [
        sys.executable,
        "-c",
        "import sys; b = bytearray(64 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); sys.exit(3)",
    ]
    done = run_timed(allocate, tmp_path, log, timeout=50, memory_cap_kib=8 * 1024 * 1024)
    assert done.exit_code == 3 and not done.ok
    assert done.problem(50, 1) == "failed, exit 3"
    assert done.max_rss_kib >= 64 * 1024  # the 64 MiB the child touched
    assert "$ (cd" in log.read_text()
    slow = run_timed([sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, log, 0.5, 8 * 1024 * 1024)
    assert slow.timed_out and slow.problem(0.5, 1) == "timed out after 0 s"


def test_pss_parsing() -> None:
    rollup = "55d0-7ff [rollup]\nRss:              204800 kB\nPss:              102400 kB\nPss_Anon: 1 kB\n"
    assert parse_pss(rollup) == 102400
    assert parse_pss("Rss: 5 kB\n") == 0


@pytest.mark.timeout(60)
@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc/PID/smaps_rollup")
def test_tree_memory_counts_pages_shared_with_a_forked_child_once(tmp_path: Path) -> None:
    # A parent touches 96 MiB, then forks a child that only sleeps: the two RSS add up to about 192 MiB,
    # but the pages are shared, so the tree holds about 96 MiB and that is what the sampler must report.
    program = (
        "import os, sys, time\n"
        "b = bytearray(96 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])\n"
        "child = os.fork()\n"
        "if child == 0:\n    time.sleep(3); os._exit(0)\n"
        "time.sleep(3); os.waitpid(child, 0)\n"
    )
    done = run_timed([sys.executable, "-c", program], tmp_path, tmp_path / "log.txt", 50, 8 * 1024 * 1024)
    assert done.ok
    assert done.tree_rss_kib >= 96 * 1024
    assert done.tree_rss_kib < 150 * 1024


def test_reset_moves_outputs_to_the_trash_and_only_emptying_it_deletes(tmp_path: Path) -> None:
    from benchlib import tools

    site = tmp_path / "broadsheet-10"
    for name in ("output/a/index.html", ".cache/articles.pickle", ".output.shadow/x.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    (site / "content").mkdir()
    tool = tools.broadsheet(["broadsheet"], site)
    tool.reset()
    tool.reset()  # nothing left to move: no error
    assert sorted(p.name for p in site.iterdir()) == ["content"]
    trash = tmp_path / tools.TRASH
    assert sorted(p.name.split("-", 2)[2] for p in trash.iterdir()) == [
        "broadsheet-10-.cache",
        "broadsheet-10-.output.shadow",
        "broadsheet-10-output",
    ]
    tools.empty_trash(tmp_path)
    assert not trash.exists() and (site / "content").is_dir()


def test_the_floor_shares_broadsheets_corpus_and_never_moves_its_output(tmp_path: Path) -> None:
    from benchlib import tools

    site = tmp_path / "broadsheet-10"
    for name in ("output/a/index.html", ".output.shadow/x.html", "content/a.md"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    floor = tools.floor(Path("/venv/bin/python"), BENCH / "floor.py", site)
    assert floor.full_command == ("/venv/bin/python", str(BENCH / "floor.py"), str(site))
    (site / "floor-output" / "a").mkdir(parents=True)
    floor.reset()
    assert sorted(p.name for p in site.iterdir()) == [".output.shadow", "content", "output"]
    assert [p.name.split("-", 2)[2] for p in (tmp_path / tools.TRASH).iterdir()] == ["broadsheet-10-floor-output"]


# --- the python-markdown floor ------------------------------------------------------


def floor_measurements() -> Measurements:
    data = sample_measurements()
    data.cells[(report.FLOOR, 10_000, FULL)] = Cell([run(12.0, 40), run(11.0, 40)])
    return data


def test_floor_table_pairs_the_floor_with_hugo_pelican_and_broadsheet() -> None:
    text = report.floor_text(floor_measurements(), 10_000)
    # Hugo took 10 s in both runs, Pelican 300 and 330 s, broadsheet 20 and 22 s: ratios run by run.
    assert "| 10,000 | 11.5 s [11.0–12.0 s], cpu 11.5 s, 40 MB | 1.15 [1.10–1.20] (median of 2 paired runs) |" in text
    assert "| 27.50× [25.00–30.00] (median of 2 paired runs) | 1.83 [1.67–2.00] (median of 2 paired runs) |" in text
    assert "1,000 |" not in text  # no floor measured at that size: no row
    assert "the floor alone takes 1.15× Hugo's whole build: no build that converts with python-markdown" in text
    assert "Pelican's full build takes 27.5× the floor: a build 10× faster than Pelican is possible" in text


def test_floor_below_hugo_says_how_much_time_it_leaves() -> None:
    data = floor_measurements()
    data.cells[(report.FLOOR, 10_000, FULL)] = Cell([run(5.0), run(5.0)])
    data.cells[("Pelican", 10_000, FULL)] = Cell([run(40.0), run(40.0)])
    text = report.floor_text(data, 10_000)
    assert "the floor alone takes 0.50× Hugo's whole build: it leaves 50% of Hugo's time" in text
    assert "Pelican's full build takes 8.0× the floor: a build 10× faster than Pelican is out of reach" in text
    assert report.floor_text(sample_measurements()) == "Not measured (`--no-floor`)."


def test_floor_script_writes_every_article_alike_on_one_or_two_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import floor

    content = tmp_path / "content"
    content.mkdir()
    for number in range(70):  # more than one chunk of 64, so two workers both get files
        (content / f"{number:03}.md").write_text(
            f"---\ntitle: Article <{number}>\ntags: [a, b]\n---\n\n## Section\n\nParagraph *{number}*.\n",
            encoding="utf-8",
        )
    (content / "bare.md").write_text("No front matter, one paragraph.\n", encoding="utf-8")
    (content / "notes.txt").write_text("not Markdown: not converted", encoding="utf-8")
    assert floor.main([str(tmp_path), "--jobs", "1"]) == 0
    one = capsys.readouterr().out
    pages = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / floor.OUTPUT).rglob("*.html")}
    assert len(pages) == 71
    assert one == f"converted and wrote 71 pages ({sum(map(len, pages.values())):,} bytes) on 1 process(es)\n"
    page = pages[Path(floor.OUTPUT, "007", "index.html")].decode()
    assert "<h1>Article &lt;7&gt;</h1>" in page  # the title escaped, the body's HTML kept
    assert "<h2>Section</h2>\n<p>Paragraph <em>7</em>.</p>" in page
    assert "<title>bare</title>" in pages[Path(floor.OUTPUT, "bare", "index.html")].decode()
    os.rename(tmp_path / floor.OUTPUT, tmp_path / "first")
    assert floor.main([str(tmp_path), "--jobs", "2"]) == 0
    assert capsys.readouterr().out == one.replace("1 process(es)", "2 process(es)")
    again = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / floor.OUTPUT).rglob("*.html")}
    assert again == pages
    assert floor.main([str(tmp_path / "missing")]) == 1


def test_floor_splits_fenced_front_matter_only() -> None:
    from floor import split_front_matter

    assert split_front_matter("---\ntitle: x\n---\nbody\n") == ("title: x", "body\n")
    assert split_front_matter("no header\n---\n") == ("", "no header\n---\n")
    assert split_front_matter("---\nunclosed: yes\n") == ("", "---\nunclosed: yes\n")


# --- the frozen copy of broadsheet's code ------------------------------------------------


def test_snapshot_extracts_code_of_a_commit_and_names_the_last_code_change(tmp_path: Path) -> None:
    import subprocess

    from benchlib.snapshot import take_snapshot

    repo = tmp_path / "repo"
    (repo / "src" / "broadsheet").mkdir(parents=True)
    (repo / "templates").mkdir()
    (repo / "src" / "broadsheet" / "__init__.py").write_text("VERSION = 1\n")
    (repo / "templates" / "base.html").write_text("<html>")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "code")
    (repo / "README.md").write_text("docs only")
    git("add", "README.md")
    git("commit", "-q", "-m", "docs")
    (repo / "src" / "broadsheet" / "__init__.py").write_text("VERSION = 2  # uncommitted\n")
    snap = take_snapshot(repo, "HEAD", tmp_path / "data", Path(sys.executable))
    assert snap.subject == "docs" and snap.last_code_change.endswith(" code")
    assert (snap.root / "src" / "broadsheet" / "__init__.py").read_text() == "VERSION = 1\n"
    compiled = importlib.util.cache_from_source(str(snap.root / "src" / "broadsheet" / "__init__.py"))
    assert Path(compiled).is_file()  # byte-compiled by the interpreter that runs it, as pip would
    assert (snap.root / "templates" / "base.html").read_text() == "<html>"
    assert snap.environment()["PYTHONPATH"] == str(snap.root / "src")
