#!/usr/bin/env python3
"""The python-markdown floor: the least work any build of a Markdown corpus must do with the product's parser.

Reads every ``content/*.md`` of a site, parses its front matter with libyaml
(``CSafeLoader``) and converts its body with python-markdown (one reused
converter per process, no extensions), on every core; it renders nothing and
writes nothing. ``make bench`` times it as a whole process beside the real
generators: a build that converts every article with python-markdown cannot
finish faster than this on the same machine, so when the floor alone is slower
than Hugo's whole build, no amount of work elsewhere in broadsheet meets a
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

import markdown
import yaml

FENCE = "---"
CHUNK = 64  # files per task: few enough round trips, small enough to keep both cores busy to the end


def split_front_matter(text: str) -> tuple[str, str]:
    """``(header, body)`` of a file with a ``---`` fenced YAML header; ``("", text)`` without one."""
    if not text.startswith(FENCE + "\n"):
        return "", text
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end < 0:
        return "", text
    return text[len(FENCE) + 1 : end], text[end + len(FENCE) + 2 :]


class Converter:
    """One python-markdown converter for the whole process, reset between articles (as the loader does)."""

    def __init__(self) -> None:
        self.markdown = markdown.Markdown()

    def __call__(self, paths: Sequence[str]) -> tuple[int, int]:
        """Convert ``paths``: how many bodies, and how many characters of HTML they gave."""
        characters = 0
        for path in paths:
            header, body = split_front_matter(Path(path).read_text(encoding="utf-8"))
            if header:
                yaml.load(header, Loader=yaml.CSafeLoader)
            characters += len(self.markdown.reset().convert(body))
        return len(paths), characters


@functools.cache
def converter() -> Converter:
    """This process's converter (each forked worker makes its own on first use)."""
    return Converter()


def _convert(paths: Sequence[str]) -> tuple[int, int]:
    return converter()(paths)


def convert_all(paths: Sequence[str], jobs: int) -> tuple[int, int]:
    """Convert every file on ``jobs`` processes (forked): total bodies and HTML characters."""
    chunks = [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]
    if jobs <= 1:
        results = [_convert(chunk) for chunk in chunks]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_convert, chunks, chunksize=1)
    return sum(count for count, _ in results), sum(size for _, size in results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder with content/*.md")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: every core)")
    args = parser.parse_args(argv)
    paths = sorted(str(path) for path in (args.site / "content").glob("*.md"))
    if not paths:
        print(f"error: no content/*.md in {args.site}", file=sys.stderr)
        return 1
    count, characters = convert_all(paths, max(args.jobs, 1))
    print(f"converted {count} bodies into {characters:,} characters of HTML on {args.jobs} process(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
