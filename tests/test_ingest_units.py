"""The pieces of ``broadsheet ingest`` on their own: HTML blocks, identity keys, signed files, state, lock."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.config import FeedDef
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.ingest.entries import (
    EntryRecord,
    FeedInfo,
    as_blocks,
    canonical_link,
    clean_html,
    entry_record,
    front_matter,
    identity_keys,
    plain_text,
)
from broadsheet.ingest.fetch import is_local
from broadsheet.ingest.state import STATE_NAME, IngestState, exclusive
from broadsheet.ingest.store import atomic_write, render, signed_by_ingest
from broadsheet.loaders.article import strip_tags
from broadsheet.loaders.frontmatter import split_front_matter
from broadsheet.loaders.markdown import convert_markdown
from broadsheet.loaders.sanitize import sanitize_html

FEED = FeedDef(name="Harbour", url="https://harbour.example.com/feed.xml", slug="harbour", tags=("local",))
INFO = FeedInfo(config=FEED, title="Harbour Gazette", site_link="https://harbour.example.com/")


# --- HTML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "blocks"),
    [
        ("just *text* and <b>bold</b>", ["<p>just *text* and <b>bold</b></p>"]),
        ("<p>one</p><p>two</p>", ["<p>one</p>", "<p>two</p>"]),
        ("lead <i>x</i><p>para</p> tail", ["<p>lead <i>x</i></p>", "<p>para</p>", "<p>tail</p>"]),
        ("<ul><li>a</li><li>b</li></ul><hr>after", ["<ul><li>a</li><li>b</li></ul>", "<hr>", "<p>after</p>"]),
        ("<div><p>a</p><div><p>b</p></div></div>", ["<div><p>a</p><div><p>b</p></div></div>"]),
        ("a<br>b", ["<p>a<br>b</p>"]),
        ("", []),
    ],
)
def test_top_level_inline_runs_become_paragraphs(fragment: str, blocks: list[str]) -> None:
    assert as_blocks(fragment) == "\n\n".join(blocks)


MARKDOWNISH = st.lists(st.sampled_from([*"ab *_`#>-1.\n", "<b>", "</b>", "<p>", "</p>", "&amp;", "    "]), max_size=30)


@given(MARKDOWNISH.map("".join))
@settings(max_examples=150, deadline=None)
def test_markdown_leaves_the_stored_html_as_it_is(text: str) -> None:
    """What ingest stores is passed through by the Markdown loader: no emphasis, lists or headings made up."""
    stored = clean_html(text, "text/html", "")
    rebuilt = sanitize_html(convert_markdown(stored))
    assert " ".join(rebuilt.replace("\n", " ").split()) == " ".join(stored.replace("\n", " ").split())


def test_plain_text_fields_lose_markup_and_scripts() -> None:
    assert plain_text("Council <script>alert(1)</script>meets <img src=x onerror=alert(2)>today") == (
        "Council meets today"
    )
    assert plain_text("a &lt; b &amp;&amp; c") == "a < b && c"
    assert plain_text(None) == ""


def test_plain_text_content_is_escaped_into_paragraphs() -> None:
    assert clean_html("5 < 6 & <b>not bold</b>\n\nsecond", "text/plain", "") == (
        "<p>5 &lt; 6 &amp; &lt;b&gt;not bold&lt;/b&gt;</p>\n\n<p>second</p>"
    )


def test_links_and_images_that_lost_their_url_are_mended_into_valid_html() -> None:
    cleaned = clean_html(
        '<p><a href="javascript:x()">click <b>me</b></a> <a href="https://e.com/" title="a href=b">ok</a>'
        '<img src="data:image/png;base64,AA"><img src="https://e.com/i.png"><img src="https://e.com/j.png" alt="J"></p>',
        "text/html",
        "",
    )
    assert cleaned == (
        '<p>click <b>me</b> <a href="https://e.com/" title="a href=b" rel="noopener noreferrer nofollow">ok</a>'
        '<img src="https://e.com/i.png" alt=""><img src="https://e.com/j.png" alt="J"></p>'
    )


def test_a_base_nh3_cannot_parse_does_not_fail_the_entry() -> None:
    # The link cannot be made absolute: it is dropped like any still relative (next test), its text kept.
    assert clean_html('<p><a href="x/y">x</a></p>', "text/html", "https://exa mple/") == "<p>x</p>"


def test_links_no_base_made_absolute_are_dropped() -> None:
    """A feed file with no link of its own: its relative URLs name nothing, and would be read against the entry's file."""
    cleaned = clean_html(
        '<p>See <a href="../drafts/plan.pdf">the plan</a>, <img src="photo.png" alt="P">, <a href="/root">root</a>,'
        ' a note<a href="#fn1">1</a> and <a href="https://e.org/a">the source</a>.</p>',
        "text/html",
        "",
    )
    assert cleaned == (
        '<p>See the plan, , root, a note<a href="#fn1" rel="noopener noreferrer nofollow">1</a> and '
        '<a href="https://e.org/a" rel="noopener noreferrer nofollow">the source</a>.</p>'
    )
    based = clean_html('<p><a href="../plan.pdf">plan</a></p>', "text/html", "https://example.org/news/feed.xml")
    assert 'href="https://example.org/plan.pdf"' in based


# --- identity -----------------------------------------------------------------


def test_canonical_links_ignore_scheme_www_fragment_default_port_and_tracking() -> None:
    same = {
        canonical_link(url)
        for url in (
            "https://example.com/news/a?id=3",
            "http://www.example.com/news/a?id=3#top",
            "https://EXAMPLE.com:443/news/a?utm_source=rss&id=3",
        )
    }
    assert same == {"example.com/news/a?id=3"}
    assert canonical_link("https://example.com/news/b") != canonical_link("https://example.com/news/a")
    assert canonical_link("https://example.com:8080/a") == "example.com:8080/a"


def test_a_guid_that_is_not_a_uri_counts_only_within_its_feed() -> None:
    assert identity_keys("https://a.example/feed", "42", "") != identity_keys("https://b.example/feed", "42", "")
    assert identity_keys("https://a.example/feed", "tag:x,2025:1", "") == identity_keys(
        "https://b.example/feed", "tag:x,2025:1", ""
    )


def test_an_entry_without_id_link_or_title_still_gets_a_stable_identity() -> None:
    entry: dict[str, Any] = {"summary_detail": {"type": "text/html", "value": "<p>Only a summary here.</p>"}}
    first, second = entry_record(entry, INFO, ""), entry_record(dict(entry), INFO, "")
    assert first.entry_id == second.entry_id and first.entry_id.startswith("urn:sha256:")
    assert first.title == "Only a summary here."
    assert first.tags == ("local",)
    assert first.published is None


# --- stored files -------------------------------------------------------------


def _record(**changes: Any) -> EntryRecord:
    values: dict[str, Any] = {
        "entry_id": "tag:harbour.example.com,2025:1",
        "keys": (),
        "title": "Title",
        "link": "https://harbour.example.com/1",
        "published": datetime(2025, 5, 1, tzinfo=UTC),
        "updated": None,
        "authors": (),
        "tags": (),
        "summary": "",
        "body": "<p>Body</p>",
    }
    values.update(changes)
    return EntryRecord(**values)


YAML_TROUBLE = st.sampled_from(
    ["key: value", "- item", "'quoted'", '"double"', "#hash", "&anchor", "*alias", "!tag", "---", "...", "null",
     "true", "2025-05-01", "{a: b}", "[x]", "%", "@", "`", "|", ">", "\\", "\t", "\u2028", "é", "\U0001f600", " "]
)  # fmt: skip
# Feed text reaches the front matter only through plain_text (as entry_record does it).
TRICKY = st.lists(st.one_of(YAML_TROUBLE, st.text(max_size=8)), min_size=1, max_size=6).map("".join).map(plain_text)


@given(title=TRICKY, summary=TRICKY, author=TRICKY, tag=TRICKY)
@settings(max_examples=200, deadline=None)
def test_any_text_survives_the_front_matter_exactly(title: str, summary: str, author: str, tag: str) -> None:
    record = _record(title=title, summary=summary, authors=(author,), tags=(tag,))
    data = front_matter(record, INFO, record.published, "2025-06-01T12:00:00+00:00", [])
    text = render(data, record.body)
    parsed = split_front_matter(text, "x.md")
    signed = dict(parsed.data)
    assert signed.pop("feed").pop("sha256")
    assert {**signed, "feed": {k: v for k, v in parsed.data["feed"].items() if k != "sha256"}} == data
    assert parsed.body.strip() == record.body
    assert signed_by_ingest(text)


def test_any_change_to_a_stored_file_is_noticed() -> None:
    text = render(front_matter(_record(), INFO, datetime(2025, 5, 1, tzinfo=UTC), "now", []), "<p>Body</p>")
    assert signed_by_ingest(text)
    assert not signed_by_ingest(text.replace("<p>Body</p>", "<p>Body!</p>"))
    assert not signed_by_ingest(text.replace("title: Title", "title: Title\nlocked: true"))
    assert not signed_by_ingest(text + "\n")
    hash_line = next(line for line in text.splitlines() if line.startswith("  sha256: "))
    assert not signed_by_ingest(text.replace(hash_line + "\n", ""))


def test_atomic_write_leaves_no_temporary_file_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "feeds" / "a.md"
    atomic_write(target, b"one")
    os.chmod(target, 0o640)
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]


# --- state and lock -------------------------------------------------------------


def test_an_unreadable_state_file_is_reported_and_replaced(tmp_path: Path) -> None:
    (tmp_path / STATE_NAME).write_text("{not json", encoding="utf-8")
    diagnostics = Diagnostics()
    state = IngestState.load(tmp_path, diagnostics)
    assert state.feeds == {}
    assert len(diagnostics.warnings) == 1 and "unreadable ingest state" in diagnostics.warnings[0]
    assert state.save() is True
    assert state.save() is False  # unchanged: not written again
    assert IngestState.load(tmp_path, Diagnostics()).feeds == {}


def test_two_ingests_of_one_site_never_run_at_once(tmp_path: Path) -> None:
    with (
        exclusive(tmp_path),
        pytest.raises(BroadsheetError, match="another 'broadsheet ingest' is running"),
        exclusive(tmp_path),
    ):
        pass
    with exclusive(tmp_path):  # released again
        pass


@pytest.mark.parametrize(
    ("url", "local"),
    [("feeds/a.xml", True), ("a.xml", True), ("https://x/", False), ("file:///etc/passwd", False), ("C:x", False)],
)
def test_only_scheme_less_urls_are_local_paths(url: str, local: bool) -> None:
    assert is_local(url) is local


@pytest.mark.parametrize("raw", ["2025-02-30", "2025-02-30T09:00:00Z", "0001-01-01"])
def test_an_impossible_iso_date_is_no_date_not_a_neighbouring_one(raw: str) -> None:
    """feedparser reads 2025-02-30 as 2 March and year 1 as 2001: an entry with such a date is undated instead."""
    import feedparser

    from broadsheet.ingest.entries import entry_date

    parsed = feedparser.parse(f"<rss><channel><item><title>T</title><pubDate>{raw}</pubDate></item></channel></rss>")
    entry = parsed.entries[0]
    assert entry_date(entry, "published") is None


def test_what_feed_software_adds_to_every_entry_is_left_out() -> None:
    """Yoast's "The post … appeared first on …", a read-on link ending a paragraph, FeedBurner's counting images."""
    entry = (
        "<p>Dock workers voted to end the strike.</p>"
        '<p>Talks go on. <a href="https://blog.example/strike/#more-12" class="more-link">Continue reading'
        '<span class="screen-reader-text"> "Strike ends"</span></a> &rarr;</p>'
        '<div class="feedflare"><a href="http://feeds.feedburner.com/~ff/x?a=1">'
        '<img src="http://feeds.feedburner.com/~ff/x?d=yIl2AUoC8zA" border="0"></a></div>'
        '<img src="https://stats.example/p.gif" height="1" width="1" alt=""/>'
        '<p>The post <a rel="nofollow" href="https://blog.example/strike/">Strike ends</a> appeared first on '
        '<a rel="nofollow" href="https://blog.example">Harbour Blog</a>.</p>'
    )
    assert clean_html(entry, "text/html", "") == "<p>Dock workers voted to end the strike.</p>\n\n<p>Talks go on.</p>"


@pytest.mark.parametrize(
    "kept",
    [
        '<p>Read more about <a href="https://x.example/">the port</a> in our explainer.</p>',  # a link in prose
        '<p><a href="https://x.example/">Read more of her reporting</a> on the port strike.</p>',  # not at the end
        '<p><img src="https://blog.example/map.png" width="10" height="1" alt="Map"></p>',  # a real, thin image
        "<p>The post office appeared first on the list of closures.</p>",  # prose, no links
    ],
)
def test_links_images_and_prose_that_only_look_like_feed_furniture_are_kept(kept: str) -> None:
    assert strip_tags(clean_html(kept, "text/html", "")) == strip_tags(kept)
    assert ("<img" in clean_html(kept, "text/html", "")) == ("<img" in kept)
