"""The markdown that ``make bench`` prints and writes to ``bench/RESULTS.md``.

One results table (every tool, size and scenario: median [min–max] wall time
and peak memory), then the issue's targets read off the same figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .results import EDIT, FULL, NOOP, SCENARIOS, Cell, Measurements
from .stats import Spread, megabytes, paired_ratio, seconds, spread, spread_text

BROADSHEET, PELICAN, HUGO = "broadsheet", "Pelican", "Hugo"
FLOOR = "python-markdown floor"  # bench/floor.py: every body converted with python-markdown, nothing else
TARGET_SIZE = 10_000
SCENARIO_TITLES = {FULL: "full clean build", NOOP: "no-op rebuild", EDIT: "one article edited"}


def cell_text(cell: Cell | None) -> str:
    if cell is None:
        return "not measured"
    if not cell.runs:
        return cell.problem or "no run"
    cpu = spread([run.cpu for run in cell.runs]).median
    text = f"{spread_text(spread(cell.walls))}, cpu {seconds(cpu)}, {megabytes(cell.peak_kib)}"
    return f"{text} ({cell.problem})" if cell.problem else text


def results_table(data: Measurements, tools: Sequence[str]) -> str:
    rows = [
        "| generator | articles | files written | " + " | ".join(SCENARIO_TITLES[s] for s in SCENARIOS) + " |",
        "|---|---:|---:|---|---|---|",
    ]
    sizes = sorted({size for (_, size, _) in data.cells})
    for size in sizes:
        for tool in tools:
            if not any(data.find(tool, size, s) for s in SCENARIOS):
                continue
            files = data.files.get((tool, size))
            files_text = f"{files:,}" if files is not None else "?"
            cells = " | ".join(cell_text(data.find(tool, size, s)) for s in SCENARIOS)
            rows.append(f"| {tool} | {size:,} | {files_text} | {cells} |")
    return "\n".join(rows)


def _complete(cell: Cell | None) -> list[float] | None:
    return cell.walls if cell is not None and cell.runs and cell.problem is None else None


def _ratio(data: Measurements, size: int, numerator: str, denominator: str) -> Spread | str:
    """The paired ratio of two full-build series, or why there is none."""
    cells = data.find(numerator, size, FULL), data.find(denominator, size, FULL)
    if None in cells:
        return "not measured"
    top, bottom = (_complete(cell) for cell in cells)
    if top is None or bottom is None or len(top) != len(bottom):
        return "not measured (a series did not complete)"
    return paired_ratio(top, bottom)


def _verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("**yes**" if met else "**no**")


def _ratio_text(ratio: Spread | str, suffix: str = "") -> str:
    if isinstance(ratio, str):
        return ratio
    return f"{ratio.median:.2f}{suffix} [{ratio.low:.2f}–{ratio.high:.2f}] (median of {ratio.n} paired runs)"


def _median_target(cell: Cell | None, limit: float) -> tuple[str, bool | None]:
    if cell is None:
        return "not measured", None
    walls = _complete(cell)
    if walls is None:
        return cell.problem or "no run", False
    median = spread(walls).median
    return f"{seconds(median)} (median of {len(walls)})", median < limit


def linear_growth(peaks: dict[int, int]) -> tuple[str, bool | None]:
    """Peak memory per size and whether the growth per 1,000 articles stays within 1.5× of the first step."""
    sizes = sorted(peaks)
    text = " → ".join(f"{megabytes(peaks[n])} at {n:,}" for n in sizes)
    if len(sizes) < 3:
        return text + " (needs three sizes)", None
    slopes = [(peaks[b] - peaks[a]) / 1024 / ((b - a) / 1000) for a, b in itertools.pairwise(sizes)]
    text += "; " + ", ".join(f"+{slope:.1f} MB per 1,000 articles" for slope in slopes)
    base = max(slopes[0], 1e-9)
    return text, all(slope <= 1.5 * base for slope in slopes[1:])


def targets_table(data: Measurements, target_size: int = TARGET_SIZE) -> str:
    size = target_size
    rows = [f"| target ({size:,} articles unless said) | measured | met? |", "|---|---|---|"]
    hugo = _ratio(data, size, BROADSHEET, HUGO)
    rows.append(
        f"| full build no slower than Hugo: broadsheet / Hugo ≤ 1.0 | {_ratio_text(hugo)} | "
        f"{_verdict(None if isinstance(hugo, str) else hugo.median <= 1.0)} |"
    )
    pelican = _ratio(data, size, PELICAN, BROADSHEET)
    rows.append(
        f"| full build ≥ 10× faster than Pelican: Pelican / broadsheet ≥ 10 | {_ratio_text(pelican, '×')} | "
        f"{_verdict(None if isinstance(pelican, str) else pelican.median >= 10)} |"
    )
    text, met = _median_target(data.find(BROADSHEET, size, NOOP), 1.0)
    rows.append(f"| no-op rebuild < 1 s | {text} | {_verdict(met)} |")
    text, met = _median_target(data.find(BROADSHEET, size, EDIT), 1.5)
    rows.append(f"| one article edited < 1.5 s | {text} | {_verdict(met)} |")
    rows.append(
        f"| one-change output byte-identical to a clean build | {identity_text(data)} | "
        f"{_verdict(None if not data.identical else not any(data.identical.values()))} |"
    )
    cells = [data.find(BROADSHEET, size, s) for s in SCENARIOS]
    peaks = [c.peak_kib for c in cells if c is not None and c.runs]
    peak_met = None if not peaks else max(peaks) < 250 * 1024
    peak_text = f"{megabytes(max(peaks))} (largest of all broadsheet runs at this size)" if peaks else "not measured"
    rows.append(f"| peak memory < 250 MB | {peak_text} | {_verdict(peak_met)} |")
    growth = {n: c.peak_kib for n in data.sizes(BROADSHEET) if (c := data.find(BROADSHEET, n, FULL)) and c.runs}
    text, met = linear_growth(growth)
    rows.append(f"| memory grows linearly (full build, 1k / 10k / 100k) | {text} | {_verdict(met)} |")
    rows.append(f"| 100,000 articles: a full build completes | {large_text(data)} | {_verdict(large_met(data))} |")
    return "\n".join(rows)


def floor_text(data: Measurements, target_size: int = TARGET_SIZE) -> str:
    """The floor beside the generators (paired ratios), and what it says about the full-build targets."""
    rows = [
        "| articles | python-markdown alone (the floor) | floor / Hugo full build | "
        "Pelican / floor (the most such a build can gain on Pelican) | broadsheet / floor |",
        "|---:|---|---|---|---|",
    ]
    sizes = [size for size in sorted({n for (_, n, _) in data.cells}) if data.find(FLOOR, size, FULL)]
    for size in sizes:
        ratios = (
            _ratio_text(_ratio(data, size, FLOOR, HUGO)),
            _ratio_text(_ratio(data, size, PELICAN, FLOOR), "×"),
            _ratio_text(_ratio(data, size, BROADSHEET, FLOOR)),
        )
        rows.append(f"| {size:,} | {cell_text(data.find(FLOOR, size, FULL))} | " + " | ".join(ratios) + " |")
    if not sizes:
        return "Not measured (`--no-floor`)."
    explanation = (
        "`bench/floor.py` reads every article of broadsheet's corpus, parses its front matter with libyaml, "
        "converts its body with python-markdown (one reused converter per process, no extensions) and writes "
        "it as a bare page (one small autoescaped Jinja template), on every core, and does nothing else: no "
        "enrichment, no list page, feed or sitemap. Any build that converts and writes every article with "
        "python-markdown, the product's Markdown parser, takes at least this long on this machine."
    )
    hugo = _ratio(data, target_size, FLOOR, HUGO)
    pelican = _ratio(data, target_size, PELICAN, FLOOR)
    verdicts = []
    if not isinstance(hugo, str):
        verdicts.append(
            f"At {target_size:,} articles the floor alone takes {hugo.median:.2f}× Hugo's whole build: "
            + (
                "no build that converts with python-markdown can be no slower than Hugo here."
                if hugo.median >= 1.0
                else f"it leaves {1 - hugo.median:.0%} of Hugo's time for everything else a build does."
            )
        )
    if not isinstance(pelican, str):
        verdicts.append(
            f"Pelican's full build takes {pelican.median:.1f}× the floor: "
            + (
                "a build 10× faster than Pelican is out of reach with python-markdown."
                if pelican.median < 10
                else "a build 10× faster than Pelican is possible in principle."
            )
        )
    return "\n".join([*rows, "", explanation, *(["", " ".join(verdicts)] if verdicts else [])])


def identity_text(data: Measurements) -> str:
    if not data.identical:
        return "not checked"
    parts = []
    for size, differences in sorted(data.identical.items()):
        if not differences:
            parts.append(f"identical at {size:,}")
        else:
            shown = "; ".join(differences[:3]) + ("; …" if len(differences) > 3 else "")
            parts.append(f"{len(differences)} difference(s) at {size:,}: {shown}")
    return ", ".join(parts)


def large_text(data: Measurements, size: int = 100_000) -> str:
    cell = data.find(BROADSHEET, size, FULL)
    if cell is None:
        return "not measured"
    if not cell.runs:
        return cell.problem or "no run"
    return cell_text(cell)


def large_met(data: Measurements, size: int = 100_000) -> bool | None:
    cell = data.find(BROADSHEET, size, FULL)
    return None if cell is None else bool(cell.runs)


def raw_runs(data: Measurements) -> str:
    """Every run, for anyone who distrusts a median."""
    rows = [
        "| generator | articles | scenario | wall s (in run order) | cpu s | peak MB |",
        "|---|---:|---|---|---|---|",
    ]
    for (tool, size, scenario), cell in data.cells.items():
        walls = ", ".join(f"{r.wall:.2f}" for r in cell.runs) or "-"
        cpus = ", ".join(f"{r.cpu:.1f}" for r in cell.runs) or "-"
        peaks = ", ".join(f"{r.peak_kib / 1024:.0f}" for r in cell.runs) or "-"
        problem = f" ({cell.problem})" if cell.problem else ""
        rows.append(f"| {tool} | {size:,} | {scenario} | {walls}{problem} | {cpus} | {peaks} |")
    return "\n".join(rows)
