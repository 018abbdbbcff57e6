#!/usr/bin/env python3
"""Enrichment cost next to the rest of the build, per article, on a generated corpus.

Generates ``--n`` articles with ``../shared/bench/gen_corpus.py --format broadsheet``
into ``bench/data/enrich-N/`` (git-ignored, reused while intact), then runs the
build's phases one after another in this process and prints the CPU time of
each, per article: loading, per-article enrichment (and its steps: topics,
entities, quotes, figures, summaries), the site-level step (same-text
duplicates, names across articles, story clusters), assembly, rendering and
writing the pages. Feeds, sitemaps and the search index are not counted in
"the rest", so the share shown for enrichment is an upper bound.

    python bench/bench_enrich.py               # 10,000 articles
    python bench/bench_enrich.py --n 1000      # a quick look
    python bench/bench_enrich.py --full-build  # also time `broadsheet build` (one process) on the corpus

CPU time (``time.process_time``) is used, not wall time, so other work on a
shared machine disturbs the figures less; each figure is one run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

from benchlib.corpus import ensure_corpus  # noqa: E402
from broadsheet import urls  # noqa: E402
from broadsheet.assemble import build_index, pages  # noqa: E402
from broadsheet.config import load_config  # noqa: E402
from broadsheet.enrich import Enricher, _prose, _texts, enrich  # noqa: E402
from broadsheet.enrich.cluster import candidate_pairs, report_of  # noqa: E402
from broadsheet.enrich.figures import find_figures  # noqa: E402
from broadsheet.enrich.quotes import find_quotes  # noqa: E402
from broadsheet.enrich.site import finish_site  # noqa: E402
from broadsheet.enrich.summary import lead_summary, notes_of  # noqa: E402
from broadsheet.errors import Diagnostics  # noqa: E402
from broadsheet.loaders import discover, load_file  # noqa: E402
from broadsheet.render import make_environment, render_page  # noqa: E402

GENERATOR = BENCH.parents[1] / "shared" / "bench" / "gen_corpus.py"
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.process_time()
    value = action()
    return value, time.process_time() - started


def corpus(n: int) -> Path:
    folder = BENCH / "data" / f"enrich-{n}"
    (BENCH / "data").mkdir(exist_ok=True)
    if ensure_corpus(GENERATOR, "broadsheet", n, folder, BENCH / "data" / "enrich.log"):
        print(f"generated {n} articles into {folder}", file=sys.stderr)
    shutil.copy(BENCH / "site.yaml", folder / "site.yaml")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000, help="articles to generate (default 10000)")
    parser.add_argument("--full-build", action="store_true", help="also time a whole build in this process")
    args = parser.parse_args(argv)
    site = corpus(args.n)
    config = load_config(site)
    diagnostics = Diagnostics()
    rows: list[tuple[str, float]] = []

    paths = discover(config, diagnostics)
    articles, seconds = timed(lambda: [load_file(p, config, diagnostics) for p in paths])
    rows.append(("load (parse Markdown, front matter)", seconds))
    count = len(articles)

    enricher, setup = timed(lambda: Enricher.for_site(config))
    enriched, seconds = timed(lambda: [enrich(a, enricher) for a in articles])
    rows.append(("ENRICH per article (all steps below)", seconds + setup))
    (kept, clusters), seconds = timed(lambda: finish_site(config, enriched, diagnostics))
    rows.append(("ENRICH site level (duplicates, names, clusters)", seconds))

    prose = [_prose(a, notes_of(a.sections)) for a in articles]
    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "  topics",
            lambda: [enricher.topics.classify(s.heading, " ".join(s.paragraphs)) for a in articles for s in a.sections],
        ),
        ("  entities", lambda: [enricher.names.find(_texts(a, p)) for a, p in zip(articles, prose, strict=True)]),
        ("  quotes", lambda: [find_quotes(text) for p in prose for text in p]),
        ("  figures", lambda: [find_figures(text) for p in prose for text in p]),
        ("  summaries", lambda: [lead_summary(s.paragraphs) for a in articles for s in a.sections]),
    ]
    breakdown = [(label, timed(action)[1]) for label, action in steps]

    index, seconds = timed(lambda: build_index(config, kept, clusters))
    site_pages, more = timed(lambda: list(pages(index)))
    rows.append(("assemble (index, page list)", seconds + more))
    env = make_environment(config)
    output = Path(tempfile.mkdtemp(prefix="bench-enrich-"))
    try:
        rendered: list[tuple[str, bytes]] = []
        render_seconds = write_seconds = 0.0
        for page in site_pages:
            body, seconds = timed(lambda page=page: render_page(env, page, index))  # type: ignore[misc]
            render_seconds += seconds
            target = output / urls.output_file(page.path)
            _, seconds = timed(lambda target=target, body=body: _write(target, body))  # type: ignore[misc]
            write_seconds += seconds
        rows.append(("render pages (Jinja)", render_seconds))
        rows.append(("write pages", write_seconds))
        del rendered
    finally:
        shutil.rmtree(output, ignore_errors=True)

    report(rows, breakdown, count, len(site_pages))
    reports = [report_of(a, s) for a, s in kept]
    pairs = sum(1 for _ in candidate_pairs(reports, config.enrich.cluster_window_hours * 3600.0))
    print(
        f"\nclusters: {len(clusters.clusters)} multi-source clusters; {pairs:,} candidate pairs checked "
        f"of {count * (count - 1) // 2:,} possible ({100 * pairs / max(1, count * (count - 1) // 2):.3f} %)"
    )
    if args.full_build:
        full_build(site, count)
    return 0


def _write(target: Path, body: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def report(rows: list[tuple[str, float]], breakdown: list[tuple[str, float]], count: int, page_count: int) -> None:
    enrichment = sum(s for label, s in rows if label.startswith("ENRICH"))
    rest = sum(s for label, s in rows if not label.startswith("ENRICH"))
    print(f"{count:,} articles, {page_count:,} pages; CPU time per article (ms):\n")
    print(f"{'phase':<50} {'total s':>9} {'ms/article':>11}")
    for label, seconds in rows:
        print(f"{label:<50} {seconds:>9.2f} {1000 * seconds / count:>11.3f}")
        if label.startswith("ENRICH per article"):
            for step, step_seconds in breakdown:
                print(f"{step:<50} {step_seconds:>9.2f} {1000 * step_seconds / count:>11.3f}")
    print(f"\n{'enrichment (per article + site level)':<50} {enrichment:>9.2f} {1000 * enrichment / count:>11.3f}")
    print(f"{'the rest (load, assemble, render, write)':<50} {rest:>9.2f} {1000 * rest / count:>11.3f}")
    print(f"enrichment costs {enrichment / rest:.0%} of the rest of the build (feeds, sitemaps, search not counted)")


def full_build(site: Path, count: int) -> None:
    from broadsheet.build import BuildOptions, build_site

    output = Path(tempfile.mkdtemp(prefix="bench-enrich-build-"))
    try:
        shutil.rmtree(site / ".cache", ignore_errors=True)
        result, seconds = timed(lambda: build_site(BuildOptions(site=site, output=output / "site", jobs=1)))
        print(
            f"\nwhole build in one process: {seconds:.1f} s CPU, {1000 * seconds / count:.2f} ms/article ({result.summary()})"
        )
    finally:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
