"""Property tests: no input makes a loader, the front-matter parser, the slugger or a feed writer crash.

Every loader gets random bytes, random Unicode (NULs, control characters and
lone surrogates included), very long lines, deep nesting and front matter of
every dialect. The only acceptable outcomes are an ``Article`` or a
``BroadsheetError`` naming the file. Feeds written from random entries must
be well-formed and parse with feedparser (no bozo) or as JSON.

Runs are deterministic (``derandomize``) so CI sees the same examples every time.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.assemble import ATOM, JSON_FEED, RSS, Feed
from broadsheet.config import SiteConfig, parse_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file, parse_source
from broadsheet.loaders.article import MAX_SLUG, make_slug
from broadsheet.loaders.frontmatter import parse_yaml_mapping, split_front_matter
from broadsheet.loaders.source_text import SourceText, decode, read_source
from broadsheet.model import Article
from broadsheet.writers.atom import atom_feed
from broadsheet.writers.entries import FeedEntry
from broadsheet.writers.jsonfeed import json_feed
from broadsheet.writers.rss import rss_feed

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SITE = Path(tempfile.gettempdir()) / "broadsheet-fuzz-site"  # never created: loaders only ask whether sidecars exist
CONFIG: SiteConfig = parse_config(
    "title: Fuzz\nbase_url: https://fuzz.example.org/\ntimezone: Europe/Kyiv\n", SITE, SITE / "site.yaml"
)

# --- strategies ------------------------------------------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # every code point: NUL, controls, lone surrogates, private use
any_text = st.text(ANY_CHAR, max_size=400)
FRAGMENTS = [
    "---", "+++", "...", "title: A headline", "title: 'quoted: x'", 'title = "toml"', "date: 2025-05-16",
    "date: 9999-12-31T23:59:59-12:00", "date: 0001-01-01T00:00:00+14:00", "date: 1850-02-30", "date: tomorrow",
    "date: 2025-13-45", "date: 1.0e+300", "date: .nan", "date: -99999999999999999999", "date: 2025-02-30", "published: false", "draft: yes", "tags: [a, b, &x c, *x]", "tags: a, b, c",
    "author: {name: X}", "authors: [1, 2.5, null, {}]", "source: https://example.org/x", "source: {url: 'javascript:x'}",
    "source_url: ftp://x", "slug: ../../etc/passwd", "slug: ''", "x: &a [*a]", "x: !!python/object:os.system ls",
    "x: !custom tag", "x: !!binary aGVsbG8=", "? complex key", ": value", "- list", "key: |\n  block", "a: [", "{",
    "Title: Pelican header", "Date: 2025-01-01", "Status: draft", "Tags: x, y", "# Heading", "## Section",
    "**Bold heading**", "By Jane Doe", "By now, talks have stalled.", "Photo: Agency", "Read More @ example.org",
    "Share This Article", "> quote", "    code", "```", "~~~", "- [link](javascript:alert(1))", "<script>x</script>",
    "<div>", "</div>", "[^1]", "[^1]: note", "*[HTML]: Hyper", "| a | b |", "|---|---|", "&#0;", "&#xD800;", "\t",
    "\ufeff", "\x00", "\r", "\r\n", "\u2028", "\ud800", "\udfff", "\U0010ffff", "",
]  # fmt: skip
structured = st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text), max_size=30).map("\n".join)
long_lines = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["x", "word ", "[", "[ ", "<a ", "*", "_", "`", "&amp;", "#", "é", "\u202e", "> ", "|"]),
    st.integers(1000, 60_000),
)
NESTING = [
    ("> ", ""),
    ("[", "](x)"),
    ("{a: ", "}"),
    ("[", "]"),
    ("  - ", ""),
    ("<div>", "</div>"),
    ("*", "*"),
    ("(", ")"),
]
deep = st.builds(
    lambda pair, depth, inner: pair[0] * depth + inner + pair[1] * depth,
    st.sampled_from(NESTING),
    st.integers(50, 3000),
    st.text(max_size=20),
)
bodies = st.one_of(any_text, structured, long_lines, deep)
fenced = st.builds(
    lambda fence, header, body: f"{fence}\n{header}\n{fence}\n{body}",
    st.sampled_from(["---", "+++"]),
    st.one_of(structured, deep, any_text),
    bodies,
)
documents = st.one_of(bodies, fenced)


def outcome(run: Any, where: str) -> Any:
    """Run a parser: a result, or a ``BroadsheetError`` that names ``where``; anything else fails the test."""
    try:
        return run()
    except BroadsheetError as exc:
        assert exc.path is not None and exc.path.startswith(where), f"error does not name the file: {exc}"
        assert "\n" not in str(exc).strip(), f"error is not one line: {exc!r}"
        return exc


def check_article(article: Article) -> None:
    assert article.headline.strip()
    assert SLUG.match(article.slug) and len(article.slug) <= MAX_SLUG, article.slug
    assert article.sections
    for section in article.sections:
        assert "<script" not in section.html.lower()


def source(text: str, suffix: str) -> SourceText:
    return SourceText(path=SITE / "content" / f"fuzz{suffix}", relpath=f"content/fuzz{suffix}", text=text, sha256="0")


# --- decoding --------------------------------------------------------------------------------------------------

BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"])


@FUZZ
@given(BOMS, st.binary(max_size=3000))
def test_decode_any_bytes(bom: bytes, data: bytes) -> None:
    result = outcome(lambda: decode(bom + data, "content/x.txt", Diagnostics()), "content/x.txt")
    if isinstance(result, str):
        assert "\r" not in result
        assert not re.search("[\ud800-\udfff]", result), "decoded text holds a lone surrogate"


@FUZZ
@given(documents, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"]), st.booleans())
def test_load_file_from_disk_any_encoding(text: str, encoding: str, crlf: bool) -> None:
    data = (text.replace("\n", "\r\n") if crlf else text).encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for suffix in (".md", ".txt"):
            path = root / f"article{suffix}"
            path.write_bytes(data)
            config = parse_config("title: F\nbase_url: /\n", root, root / "site.yaml")
            result = outcome(lambda path=path, config=config: load_file(path, config, Diagnostics()), path.name)
            if isinstance(result, Article):
                check_article(result)


@FUZZ
@given(st.binary(max_size=5000))
def test_read_source_random_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "blob.md"
        path.write_bytes(data)
        result = outcome(lambda: read_source(path, Path(folder), Diagnostics()), "blob.md")
        if isinstance(result, SourceText):
            assert result.text.strip()


# --- loaders and front matter ----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"], ids=["plaintext", "markdown", "html"])
@FUZZ
@given(text=documents)
def test_loader(suffix: str, text: str) -> None:
    result = outcome(lambda: parse_source(source(text, suffix), CONFIG, Diagnostics()), f"content/fuzz{suffix}")
    if isinstance(result, Article):
        check_article(result)


@FUZZ
@given(documents)
def test_front_matter_parser(text: str) -> None:
    result = outcome(lambda: split_front_matter(text, "x.md"), "x.md")
    if not isinstance(result, BroadsheetError):
        assert isinstance(result.data, dict)
        assert all(isinstance(key, str) for key in result.data)
        assert result.body_line >= 1


@FUZZ
@given(st.one_of(structured, deep, any_text))
def test_yaml_mapping_parser(text: str) -> None:
    result = outcome(lambda: parse_yaml_mapping(text, "x.yaml"), "x.yaml")
    if not isinstance(result, BroadsheetError):
        assert isinstance(result, dict)


@pytest.mark.parametrize("depth", [100, 1000, 5000, 50_000])
@pytest.mark.parametrize(
    "template",
    ["---\nx: {open}\n---\nbody\n", "+++\nx = {open}\n+++\nbody\n", "# T\n\n{open}\n", "T\n\n{open}\n"],
    ids=["yaml", "toml", "markdown", "plaintext"],
)
def test_deep_nesting_is_an_error_or_an_article(depth: int, template: str) -> None:
    for opener, closer in (("[", "]"), ("{a: ", "}"), ("> ", ""), ("- ", "")):
        text = template.format(open=opener * depth + "1" + closer * depth)
        suffix = ".txt" if template.startswith("T\n") else ".md"
        result = outcome(
            lambda text=text, suffix=suffix: parse_source(source(text, suffix), CONFIG, Diagnostics()), "content/"
        )
        if isinstance(result, Article):
            check_article(result)


# --- slugs -----------------------------------------------------------------------------------------------------


@FUZZ
@given(any_text, any_text)
def test_slugger(text: str, fallback: str) -> None:
    slug = make_slug(text, fallback)
    assert SLUG.match(slug), slug
    assert len(slug) <= MAX_SLUG
    assert make_slug(slug) == slug


# --- feed writers ----------------------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [
        UTC,
        ZoneInfo("Europe/Kyiv"),
        ZoneInfo("America/St_Johns"),
        timezone(timedelta(hours=14)),
        timezone(-timedelta(hours=12)),
    ]
)
dates = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES)
urls = st.builds(lambda path: "https://example.org/" + path, any_text)
entries = st.builds(
    FeedEntry,
    id=st.one_of(any_text, urls),
    title=any_text,
    link=urls,
    published=dates,
    updated=dates,
    summary=any_text,
    content_html=st.one_of(any_text, structured, st.just("]]>"), st.just("<![CDATA[x]]>")),
    authors=st.lists(any_text, max_size=3).map(tuple),
    categories=st.lists(any_text, max_size=3).map(tuple),
    source_name=any_text,
    source_url=st.one_of(st.just(""), urls),
    external_url=st.one_of(st.just(""), urls),
)


@settings(FUZZ, max_examples=100)
@given(st.lists(entries, max_size=6), any_text, any_text, st.booleans())
def test_feed_writers_always_write_feeds_that_parse(
    items: list[FeedEntry], title: str, description: str, full_text: bool
) -> None:
    config = replace(CONFIG, feed=replace(CONFIG.feed, full_text=full_text))
    keys = tuple(range(len(items)))
    index: Any = SimpleNamespace(config=config)
    for writer, mime in ((rss_feed, RSS), (atom_feed, ATOM), (json_feed, JSON_FEED)):
        feed = Feed("feed", title, description, keys, mime)
        data = writer(index, feed, lambda key: items[key])
        if mime == JSON_FEED:
            document = json.loads(data)
            assert len(document["items"]) == len(items)
            continue
        root = ET.fromstring(data)
        found = root.findall("channel/item") if mime == RSS else root.findall("{http://www.w3.org/2005/Atom}entry")
        assert len(found) == len(items)
        parsed = feedparser.parse(io.BytesIO(data))
        assert not parsed.bozo, parsed.bozo_exception
        assert len(parsed.entries) == len(items)
