"""writers.xml escapes exactly as the standard library's xml.sax.saxutils does (feeds stay byte-identical)."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

import pytest

from broadsheet.writers.xml import attr, element, escape, quoteattr, text

SAMPLES = [
    "",
    "plain",
    "Fish & Chips <b>bold</b> > 3",
    'He said "no"',
    "it's",
    """both ' and " quotes""",
    "tab\there\nline\r\nend",
    "&amp; already escaped",
    "Ünïcödé — “curly” ‘quotes’",
]


@pytest.mark.parametrize("value", SAMPLES)
def test_escaping_matches_the_standard_library(value: str) -> None:
    assert escape(value) == sax_escape(value)
    assert quoteattr(value) == sax_quoteattr(value)


def test_forbidden_characters_are_dropped_before_escaping() -> None:
    assert text("a\x00b\x0c<c>") == "ab&lt;c&gt;"
    assert attr("x\x01\"y'") == '"x&quot;y\'"'
    assert element("title", "A & B", lang="en") == '<title lang="en">A &amp; B</title>'


def test_clean_drops_every_code_point_html_or_xml_forbids_and_keeps_the_rest() -> None:
    """Every forbidden code point, BMP and astral, goes; emoji, CJK and white space stay (the astral fast path)."""
    from broadsheet.codepoints import clean

    forbidden = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xFDD0, 0xFDF0)]
    forbidden += [plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF)]
    kept = "Tab\tLF\nCR\r 港 é “q” \U0001f600 \U0001fffd \U0010fffd"
    assert clean("".join(map(chr, forbidden))) == ""
    assert clean(kept) == kept
    assert clean("a\U0001fffeb\U0010ffff\x85c") == "abc"
    assert clean("emoji \U0001f600 then \U0002fffe") == "emoji \U0001f600 then "
