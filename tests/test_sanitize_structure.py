"""The sanitiser's output is valid where HTML's content models are stricter than its parser.

nh3 (html5ever) keeps ``<b><p>…</p></b>`` and a ``<caption>`` after a
table's rows, as browsers do; the Nu HTML Checker calls both errors. These
arrive from feed entries and raw HTML in Markdown alike.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.loaders.html_depth import MAX_DEPTH, flatten_deep_nesting
from broadsheet.loaders.html_paragraphs import paragraphs_around_blocks
from broadsheet.loaders.sanitize import sanitize_html
from conftest import site_with


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<b><p>bold paragraph</p></b>", "<p>bold paragraph</p>"),
        ("<small><div>fine print</div></small>", "<div>fine print</div>"),
        ("<q><blockquote>a quote</blockquote></q>", "<blockquote>a quote</blockquote>"),
        ("<em><span><p>deep</p></span></em>", "<p>deep</p>"),
        ("<p><b>bold</b> and <i>italic</i></p>", "<p><b>bold</b> and <i>italic</i></p>"),  # phrasing stays
        ("<b>x<ul><li>item</li></ul></b>", "x<ul><li>item</li></ul>"),
    ],
)
def test_an_inline_element_holding_a_block_loses_its_tags(fragment: str, expected: str) -> None:
    assert sanitize_html(fragment) == expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (
            "<details><summary>Sat 10 Feb 2024 06.00 GMT</summary>Last modified on Sat 10 Feb</details>",
            "<div><div>Sat 10 Feb 2024 06.00 GMT</div>Last modified on Sat 10 Feb</div>",
        ),
        ("<section>One</section><SECTION class=x>Two</SECTION>", "<div>One</div><div>Two</div>"),
        ("<address>Jo Li</address><header>Top</header>", "<div>Jo Li</div><div>Top</div>"),
        ("<p>A <sectioned>word</sectioned></p>", "<p>A word</p>"),  # only the elements themselves
    ],
)
def test_block_elements_the_sanitiser_drops_stay_blocks_so_their_text_is_not_run_together(
    fragment: str, expected: str
) -> None:
    assert sanitize_html(fragment) == expected


def test_a_caption_after_the_rows_moves_to_the_top_of_its_table() -> None:
    cleaned = sanitize_html("<table><tr><td>1</td></tr><caption>Ferry fares</caption></table>")
    assert cleaned == "<table><caption>Ferry fares</caption><tbody><tr><td>1</td></tr></tbody></table>"
    first = sanitize_html("<table><caption>Fares</caption><tr><td>1</td></tr></table>")
    assert first == "<table><caption>Fares</caption><tbody><tr><td>1</td></tr></tbody></table>"


FIGURE = '<figure><img src="https://example.org/x.jpg" alt="A"><figcaption>A</figcaption></figure>'


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (f"<p>Before the figure {FIGURE} and after it.</p>", f"<p>Before the figure</p>{FIGURE}<p>and after it.</p>"),
        (f"<p>{FIGURE} after it.</p>", f"{FIGURE}<p>after it.</p>"),  # no empty paragraph before
        (f"<p>Before it {FIGURE}</p>", f"<p>Before it</p>{FIGURE}"),  # nor after
        (f"<p> {FIGURE} </p>", FIGURE),
        (f"<p>a {FIGURE} b {FIGURE} c</p>", f"<p>a</p>{FIGURE}<p>b</p>{FIGURE}<p>c</p>"),
        (
            f"<blockquote>\n<p>quoted {FIGURE} more\nstill</p>\n</blockquote>",
            f"<blockquote>\n<p>quoted</p>{FIGURE}<p>more\nstill</p>\n</blockquote>",
        ),
        (f"<ul><li><p>item {FIGURE} more</p></li></ul>", f"<ul><li><p>item</p>{FIGURE}<p>more</p></li></ul>"),
        (f"<ul><li>item {FIGURE} more</li></ul>", f"<ul><li>item {FIGURE} more</li></ul>"),  # flow content: valid
        # The inline elements around the block close before it and open again after it.
        (f"<p>a <em>x {FIGURE} y</em> b</p>", f"<p>a <em>x</em></p>{FIGURE}<p><em>y</em> b</p>"),
        # Raw HTML written so, any block: the paragraph is cut around it.
        ("<p>a <div><div>inner</div></div> b</p>", "<p>a</p><div><div>inner</div></div><p>b</p>"),
        ("<p>a <pre>code</pre> b</p>", "<p>a</p><pre>code</pre><p>b</p>"),
        ("<p>a <hr> b</p>", "<p>a</p><hr><p>b</p>"),
        ("<p>a <p>b</p> c</p>", "<p>a</p><p>b</p><p>c</p>"),
        ('<p dir="rtl">a <div>b</div> c</p>', '<p dir="rtl">a</p><div>b</div><p dir="rtl">c</p>'),
        ("<p>a <div><p>x <pre>c</pre> y</p></div> b</p>", "<p>a</p><div><p>x</p><pre>c</pre><p>y</p></div><p>b</p>"),
        # A block only in a comment or in raw text is none.
        ("<p>a <!-- <div> --> b</p>", "<p>a  b</p>"),
        ("<p>a <script><div>x</div></script> b</p>", "<p>a  b</p>"),
    ],
)
def test_a_paragraph_holding_a_block_is_cut_around_it(fragment: str, expected: str) -> None:
    assert sanitize_html(fragment) == expected


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>a <div> b</p>",  # the block is not closed: the parser's reading stands
        "<p>a <div>x</div> b",  # nor the paragraph
        "<p>a <b>x <div>y</b> z</div></p>",  # the block is closed by another's end tag
        "<p>" + "<b>" * 9 + "x <div>y</div> z</p>",  # inside too many inline elements to open again
        "<div>a <figure>x</figure> b</div>",  # no paragraph
        # A tag whose quoted value the parser reads on past its ">": which text is a tag is the parser's to say.
        "<p>a <b title='x>y <div>z</div> w'>v</b></p>",
        "<p title='a>b'>x <div>y</div> z</p>",
        "<p>a <div title='x>y</div> b'>c</div> d</p>",
        "<p>a <b x <div>y</div> b</p>",  # "<div" is an attribute's name there
        "<p>a <!x <div>y</div> b</p>",  # and a comment's text here
    ],
)
def test_a_paragraph_not_read_as_written_is_left_to_the_parser(fragment: str) -> None:
    assert paragraphs_around_blocks(fragment) == fragment


# Each is read once (no search backtracks, none runs from each tag to the end): well under a second each.
HOSTILE = 30_000
HOSTILE_FRAGMENTS = {
    "blocks never closed": "<p>a<div>" * HOSTILE,
    "paragraphs in paragraphs": "<p>a <div>" * HOSTILE + "</div> b</p>" * HOSTILE,
    "many inline elements": "<p>" + "<b>" * HOSTILE + "<div>x</div>" * HOSTILE + "</p>",
    "end tags of nothing open": "<p>x<div>" + "<b>" * HOSTILE + "</i>" * HOSTILE + "</div></p>",
    "unclosed comments": "<p><div><!--" * HOSTILE,
    "unclosed raw text": "<p><div><script>" * HOSTILE,
    "tags never ended": "<p><div " + "<a" * HOSTILE,
    "long tags": "<p><b" + ' x="y"' * HOSTILE + "><hr>" * HOSTILE,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fragment", HOSTILE_FRAGMENTS.values(), ids=HOSTILE_FRAGMENTS.keys())
def test_hostile_html_is_read_in_one_pass(fragment: str) -> None:
    assert paragraphs_around_blocks(fragment).count("<p") >= fragment.count("<p") // 2


@pytest.mark.parametrize("fragment", ["<figure>A photo</figure>", "<figure></figure>", "<p>a <figure></figure> b</p>"])
def test_a_figure_holding_no_element_is_kept(fragment: str) -> None:
    assert "<figure>" in sanitize_html(fragment)  # it raised IndexError, and the build stopped


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<p>See <a name="intro"></a>here.</p>', "<p>See here.</p>"),  # an old anchor: nothing left of it
        ('<a id="top"></a>\n<p>Text</p>', "\n<p>Text</p>"),
        ('<p><a name="x">Label</a> text</p>', "<p>Label text</p>"),  # no URL: its text alone
        ('<p><a title="Tip">tip</a></p>', "<p>tip</p>"),  # was kept with rel=, which HTML allows only with href
        ('<p><a href="javascript:alert(1)"><b>click</b></a></p>', "<p><b>click</b></p>"),  # a URL refused
        ('<div><a name="x"><p>para</p></a></div>', "<div><p>para</p></div>"),
        (
            '<p><a href="https://e.org/">kept</a></p>',
            '<p><a href="https://e.org/" rel="noopener noreferrer nofollow">kept</a></p>',
        ),
    ],
)
def test_a_link_without_a_url_is_its_content_alone(fragment: str, expected: str) -> None:
    assert sanitize_html(fragment) == expected


def test_an_anchor_in_a_markdown_body_leaves_no_empty_link(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "content/a.md": '---\ntitle: T\ndate: 2025-05-02\n---\n\n<a name="top"></a>\nIntro, '
            '[a link](https://e.org/) and <a name="x">a label</a>.\n'
        },
    )
    article = load_file(site / "content/a.md", load_config(site), Diagnostics())
    html = "".join(section.html for section in article.sections)
    assert "<a>" not in html and "<a rel" not in html and "</a>" in html
    assert 'Intro, <a href="https://e.org/"' in html and "and a label." in html


def _depth(fragment: str) -> int:
    """The deepest nesting of elements in sanitised HTML (nh3 writes every element closed)."""
    depth = deepest = 0
    for closing, name in re.findall(r"<(/?)([a-z][a-z0-9]*)[^>]*>", fragment):
        if name in ("br", "hr", "img"):
            continue
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize(
    "fragment",
    [
        "<div>x" * 2000,  # never closed
        "<div>x" * 2000 + "</div>" * 2000,  # closed
        "<div></span>x" * 2000,  # end tags naming nothing open
        "<span>" * 600 + "<div>x</div>" * 100,  # blocks past the cap beside each other
    ],
)
def test_elements_nested_past_any_pages_depth_are_left_out_with_their_text_kept(fragment: str) -> None:
    """The parser's time grows with the square of the depth (200,000 nested divs took 100 s): past MAX_DEPTH
    the tags are left out, as nothing is shown deeper; every word stays."""
    cleaned = sanitize_html(fragment)
    assert _depth(cleaned) <= MAX_DEPTH
    assert cleaned.count("x") == fragment.count("x")


def test_the_end_tags_of_the_elements_left_out_are_left_out_and_what_follows_is_where_it_was() -> None:
    deep = "<div>" * (MAX_DEPTH + 10) + "deep" + "</div>" * (MAX_DEPTH + 10)
    flattened = flatten_deep_nesting(deep + "<p>after</p>")
    assert flattened == "<div>" * MAX_DEPTH + "deep" + "</div>" * MAX_DEPTH + "<p>after</p>"


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>" + "<b>bold</b> " * 1000 + "</p>",  # many tags, shallow
        "<ul>" + "<li>item" * 2000 + "</ul>",  # list items (and paragraphs) close themselves
        "<table>" + "<tr><td>a<td>b" * 500 + "</table>",
        "<div>" * 100 + "<img src=x><br>" * 1000 + "</div>" * 100,
    ],
)
def test_html_as_pages_write_it_is_not_touched(fragment: str) -> None:
    assert flatten_deep_nesting(fragment) == fragment


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<p>Text<img src="https://t.example/p.gif" height="1" width="1" alt=""></p>', "<p>Text</p>"),
        ('<p><img width="1" src="https://t.example/p.gif" height="1"> Text</p>', "<p> Text</p>"),
        # One side of one pixel is a rule or a spacer as drawn, not a tracker: kept.
        (
            '<img src="https://x.example/m.png" width="1" height="10">',
            '<img src="https://x.example/m.png" width="1" height="10" alt="">',
        ),
    ],
)
def test_a_one_pixel_image_is_a_tracker_and_left_out(fragment: str, expected: str) -> None:
    """In a saved page, a feed entry or a Markdown body alike: a 1×1 image shows nothing and tells its server who
    read the page."""
    assert sanitize_html(fragment) == expected
