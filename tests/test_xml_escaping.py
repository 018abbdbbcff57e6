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
