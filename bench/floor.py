#!/usr/bin/env python3
"""The python-markdown floor: the least work any build of a Markdown corpus must do with the product's parser.

Reads every ``content/*.md`` of a site, parses its front matter with libyaml
(``CSafeLoader``), converts its body with python-markdown (one reused
converter per process, no extensions) and writes it as a minimal page (one
autoescaped Jinja template) to ``floor-output/<name>/index.html``, on every
core. Nothing else: no enrichment, no list pages, feeds or sitemap.
``make bench`` times it as a whole process beside the real generators: a
build that converts and writes every article with python-markdown cannot
finish faster than this on the same machine, so when the floor alone is
slower than Hugo's whole build, no work elsewhere in broadsheet can meet a
"no slower than Hugo" target (issue 6 asks for these figures).

    python bench/floor.py SITE [--jobs N]
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import jinja2
import markdown
import yaml
from markupsafe import Markup

FENCE = "---"
CHUNK = 64  # files per task: few enough round trips, small enough to keep both cores busy to the end
OUTPUT = "floor-output"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><article><h1>{{ title }}</h1>
{{ body }}
</article></main></body>
</html>
"""


def split_front_matter(text: str) -> tuple[str, str]:
    """``(header, body)`` of a file with a ``---`` fenced YAML header; ``("", text)`` without one."""
    if not text.startswith(FENCE + "\n"):
        return "", text
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end < 0:
        return "", text
    return text[len(FENCE) + 1 : end], text[end + len(FENCE) + 2 :]


class Converter:
    """One converter and one compiled page template for the whole process (as a real build keeps them)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.markdown = markdown.Markdown()
        self.page = jinja2.Environment(autoescape=True).from_string(PAGE)

    def __call__(self, paths: Sequence[str]) -> tuple[int, int]:
        """Convert and write ``paths``: how many pages, and how many bytes they hold."""
        written = 0
        for path in paths:
            header, body = split_front_matter(Path(path).read_text(encoding="utf-8"))
            meta = yaml.load(header, Loader=yaml.CSafeLoader) if header else None
            title = meta.get("title") if isinstance(meta, dict) else None
            html = Markup(self.markdown.reset().convert(body))  # the benchmark's own corpus: nothing published
            page = self.page.render(title=title or Path(path).stem, body=html).encode("utf-8")
            folder = self.output / Path(path).stem
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_bytes(page)
            written += len(page)
        return len(paths), written


@functools.cache
def converter(output: Path) -> Converter:
    """This process's converter (each forked worker makes its own on first use)."""
    return Converter(output)


def _convert(task: tuple[Path, Sequence[str]]) -> tuple[int, int]:
    output, paths = task
    return converter(output)(paths)


def convert_all(paths: Sequence[str], output: Path, jobs: int) -> tuple[int, int]:
    """Convert and write every file on ``jobs`` processes (forked): pages and bytes written."""
    tasks = [(output, paths[start : start + CHUNK]) for start in range(0, len(paths), CHUNK)]
    if jobs <= 1:
        results = [_convert(task) for task in tasks]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_convert, tasks, chunksize=1)
    return sum(count for count, _ in results), sum(size for _, size in results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help=f"a site folder with content/*.md; pages go to its {OUTPUT}/")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: every core)")
    args = parser.parse_args(argv)
    paths = sorted(str(path) for path in (args.site / "content").glob("*.md"))
    if not paths:
        print(f"error: no content/*.md in {args.site}", file=sys.stderr)
        return 1
    count, size = convert_all(paths, args.site / OUTPUT, max(args.jobs, 1))
    print(f"converted and wrote {count} pages ({size:,} bytes) on {args.jobs} process(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
