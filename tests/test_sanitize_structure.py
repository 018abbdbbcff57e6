"""The sanitiser's output is valid where HTML's content models are stricter than its parser.

nh3 (html5ever) keeps ``<b><p>…</p></b>`` and a ``<caption>`` after a
table's rows, as browsers do; the Nu HTML Checker calls both errors. These
arrive from feed entries and raw HTML in Markdown alike.
"""

from __future__ import annotations

import pytest

from broadsheet.loaders.sanitize import sanitize_html


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


def test_a_caption_after_the_rows_moves_to_the_top_of_its_table() -> None:
    cleaned = sanitize_html("<table><tr><td>1</td></tr><caption>Ferry fares</caption></table>")
    assert cleaned == "<table><caption>Ferry fares</caption><tbody><tr><td>1</td></tr></tbody></table>"
    first = sanitize_html("<table><caption>Fares</caption><tr><td>1</td></tr></table>")
    assert first == "<table><caption>Fares</caption><tbody><tr><td>1</td></tr></tbody></table>"
