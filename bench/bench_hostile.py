#!/usr/bin/env python3
"""Time taken by hostile input: the paragraphs, pages and feeds that once took minutes.

Each case is an input shaped to make a naive parser quadratic (thousands of
quotation marks in one paragraph, unclosed shortcodes, nested navigation
in a saved page, a 60 kB feed author); each is run through the part of
broadsheet that reads it and its CPU time printed with its size. The tests
check that such input is read right; how long it takes is measured here,
as the brief asks, not asserted in a unit test.

    python bench/bench_hostile.py            # every case, one run each
    python bench/bench_hostile.py --scale 4  # inputs four times larger: time should grow about fourfold
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

from broadsheet.config import parse_config  # noqa: E402
from broadsheet.enrich.quotes import find_quotes  # noqa: E402
from broadsheet.errors import BroadsheetError, Diagnostics  # noqa: E402
from broadsheet.ingest.fetch import Fetched  # noqa: E402
from broadsheet.ingest.parse import parse_document  # noqa: E402
from broadsheet.loaders import parse_source  # noqa: E402
from broadsheet.loaders.shortcodes import expand  # noqa: E402
from broadsheet.loaders.source_text import SourceText  # noqa: E402

Case = tuple[str, str, Callable[[], object]]


def _loader(folder: Path, suffix: str, text: str) -> Callable[[], object]:
    """Parse ``text`` as a content file of ``suffix``; an error naming the file counts as read."""
    config = parse_config("title: Hostile\nbase_url: https://example.org/\n", folder, folder / "site.yaml")
    source = SourceText(folder / "content" / f"hostile{suffix}", f"content/hostile{suffix}", text, "0")

    def run() -> object:
        try:
            return parse_source(source, config, Diagnostics())
        except BroadsheetError as error:
            return error

    return run


_MAIL = 'From: A <a@example.org>\nSubject: Parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n'


def _feed(author: str) -> bytes:
    item = f"<item><title>T</title><link>https://example.org/1</link><author>{author}</author></item>"
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{item}</channel></rss>'.encode()


def cases(folder: Path, scale: int) -> list[Case]:
    mb = 1_000_000 * scale
    nested = "«Il a dit «non» et “oui”», a déclaré Macron. "
    page = "<html><head><title>T</title></head><body><article><p>Story.</p>"
    return [
        ("quotes", f"{mb // 1000} kB of nested quotations", lambda: find_quotes(nested * (mb // len(nested)))),
        ("quotes", f"{mb // 5000} kB of «a»", lambda: find_quotes("«a» " * (mb // 20))),
        ("quotes", f"{mb // 5000} kB of «a «b (never closed)", lambda: find_quotes("«a «b " * (mb // 30))),
        ("shortcodes", f"{mb // 1000} kB of unclosed {{{{<", lambda: expand("{{< x " * (mb // 6), {})),
        ("shortcodes", f"{mb // 1000} kB of [caption]", lambda: expand("[caption]" * (mb // 9), {})),
        (
            "html page",
            f"{mb // 1000} kB of unclosed <nav> and stray </p>",
            _loader(folder, ".html", page + "<nav>x" * (mb // 12) + "</p>" * (mb // 8)),
        ),
        (
            "html page",
            f"{mb // 1000} kB of related-story cards in asides",
            _loader(folder, ".html", page + "<aside><article>card</article></aside>" * (mb // 40)),
        ),
        (
            "html page",
            f"{mb // 1000} kB of share bars unclosed, stray tags",
            _loader(
                folder,
                ".html",
                page + '<span class="ad"><div class="share">' * (mb // 40) + "<div></span>" * (mb // 24),
            ),
        ),
        ("html page", f"{mb // 1000} kB of unclosed <h1>", _loader(folder, ".html", page + "<h1>x " * (mb // 6))),
        (
            "html page",
            f"{mb // 1000} kB of subheadings in <div>s",
            _loader(folder, ".html", page + ("<div>" * 8 + "<h2>Sub</h2><p>Text.</p>" + "</div>" * 8) * (mb // 120)),
        ),
        (
            "html page",
            f"{mb // 1000} kB of <br><br> paragraphs",
            _loader(folder, ".html", page + "a<br><br>" * (mb // 9)),
        ),
        ("html page", f"{mb // 1000} kB of nested <div>", _loader(folder, ".html", page + "<div>" * (mb // 5))),
        (
            "markdown",
            f"{mb // 1000} kB of nested <div>",
            _loader(folder, ".md", "# T\n\nStory.\n\n" + "<div>x\n" * (mb // 7)),
        ),
        ("html page", f"{mb // 1000} kB of <![CDATA[", _loader(folder, ".html", page + "<![CDATA[ x " * (mb // 12))),
        (
            "html page",
            f"{mb // 1000} kB of link lists in <div>s never closed",
            _loader(folder, ".html", page + '<div><a href="/a">a</a> <a href="/b">b</a> <a>c</a>' * (mb // 48)),
        ),
        (
            "html page",
            f"{mb // 1000} kB of link lists, stray </div>, <a> open",
            _loader(folder, ".html", page + "<ul><li><a>x</a><li><a>y<li><a>z</ul></div>" * (mb // 42)),
        ),
        (
            "html page",
            f"{mb // 1000} kB of blocks named by data-component",
            _loader(folder, ".html", page + '<div data-component="article-share-bar">x</div><p>y</p>' * (mb // 54)),
        ),
        (
            "plain text",
            f"{mb // 1000} kB of one-line paragraphs",
            _loader(folder, ".txt", "Headline\n\n" + "Related stories\nA headline\n\n" * (mb // 30)),
        ),
        (
            "plain text",
            f"{mb // 1000} kB of words broken at line-end hyphens, and one of a megabyte",
            _loader(folder, ".txt", "Headline\n\n" + "govern-\nment the government " * (mb // 60) + "x-\n" + "y" * mb),
        ),
        (
            "plain text",
            f"{mb // 1000} kB of an e-mail's MIME parts",
            _loader(folder, ".txt", _MAIL + "\n" + "--b\nContent-Type: text/plain\n\nSome text.\n" * (mb // 40)),
        ),
        (
            "feed",
            f"{120 * scale} kB of feed author",
            lambda: parse_document(Fetched(_feed("a" * 60_000 * scale + " " + "b" * 60_000 * scale))),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="make every input this many times larger")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'part':12} {'input':48} {'cpu s':>8}")
        for part, what, run in cases(Path(folder), args.scale):
            started = time.process_time()
            run()
            print(f"{part:12} {what:48} {time.process_time() - started:8.2f}")


if __name__ == "__main__":
    main()
