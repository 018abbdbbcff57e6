"""Code points no page or feed may hold, and the one function that drops them.

XML 1.0 forbids C0 controls (but tab, LF, CR), lone surrogates and
U+FFFE/U+FFFF even when escaped; HTML also forbids DEL, the C1 controls and
the noncharacters (U+FDD0–U+FDEF, and the last two code points of every
plane). Feeds carry HTML and pages are HTML, so both drop all of them, and so
do the loaders, before a title or a body is ever stored.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# The noncharacters beyond the Basic Multilingual Plane; a class of scattered astral code points makes the
# regex engine test each one at every position (eight times slower on an article), so they are looked for
# only in the rare text that has any astral character at all (an emoji).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_FORBIDDEN = re.compile(
    "[" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17)) + "]"
)


def clean(text: str) -> str:
    """``text`` without the code points XML or HTML forbid."""
    text = _FORBIDDEN.sub("", text)
    return _ASTRAL_FORBIDDEN.sub("", text) if _ASTRAL.search(text) else text


# Bidi embeddings, overrides and isolates: one left open reverses or reorders every character after it on
# the same line of the page (a tag list, a byline). Marks (U+200E, U+200F) change no other text and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """``text`` as a field shown inline on a page (a title, a tag, a name).

    White space collapsed, no forbidden code point, no bidi control, and
    ``""`` when nothing in it is visible (``"\\u200b\\u200e"`` is no title).
    """
    text = " ".join(text.split())
    if text.isprintable():  # the usual case, in C: no control, format or unassigned character at all
        return text
    text = " ".join(_BIDI_CONTROLS.sub("", clean(text)).split())
    return text if any(char.isprintable() and not char.isspace() for char in text) else ""
