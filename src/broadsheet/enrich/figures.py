"""Key figures: numbers with what they count, money, percentages and dates.

One combined regular expression finds every kind in a single pass; earlier
alternatives win, so "$2 billion" is money (not a count of 2) and "in 2026" is
a date (not a count). A count keeps the noun it counts ("20,000 visitors",
"40 metres of retreat"); when that noun is bare and the headline or heading
names it with a qualifier ("prisoner exchange"), the qualified form is used.
Money, percentages and dates keep the words around them in their clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from ..model import Figure
from .text import FUNCTION_WORDS

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|bn|m|k)\b)?"
_FIGURES = re.compile(
    rf"""
    (?P<money>(?:US\$|[$€£¥₴]|\b(?:USD|EUR|GBP|UAH)\s?)(?:{_NUMBER}){_SCALE}
      |\b(?:{_NUMBER})(?:\s(?:million|billion|trillion))?\s(?:dollars|euros|pounds|hryvnias|roubles|rubles|yen|yuan)\b)
    |(?P<percent>\b(?:{_NUMBER})\s?(?:%|percent\b|per\scent\b))
    |(?P<exchange>\b(?:{_NUMBER})\sfor\s(?:{_NUMBER})\b)
    |(?P<date>\b\d{{4}}-\d{{2}}-\d{{2}}\b
      |\b(?:on|last|next|this|since|until|by|from|late\son|early\son)\s(?:{_DAYS})\b
      |\b(?:{_MONTHS}|(?:{_MONTHS_SHORT})\.?)\s\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s\d{{4}})?
      |\b\d{{1,2}}(?:st|nd|rd|th)?\s(?:{_MONTHS})\b(?:\s\d{{4}})?
      |\b(?:in|since|until|by|from|before|after|early|late|mid|next|last)[\s-](?:{_MONTHS})\b(?:\s\d{{4}})?
      |\b(?:in|since|until|by|from|before|after|for|during)\s(?:19|20)\d{{2}}\b(?!-\d))
    |(?P<count>(?<![\w.,:/-])(?:{_NUMBER})(?![\w:/-]|[.,]\d))
    """,
    re.X,
)
# Every figure contains a digit, a currency sign or a day or month name: only text near one is searched. That is
# r"\d[\d,.]*|[$€£¥₴]|\b(?:Monday|…|January|…|Jan|…)\b" written to open with the class of its first character (a
# name's first letter is checked by look-behind, then the rest of it), so that `re` skips in C to the next candidate.
_ANCHORS = re.compile(
    r"[\d$€£¥₴A-Z](?:(?<=\d)[\d,.]*|(?<=[$€£¥₴])|(?<!\w[A-Z])(?:"
    + "|".join(f"(?<={name[0]}){name[1:]}" for name in f"{_DAYS}|{_MONTHS}|{_MONTHS_SHORT}".split("|"))
    + r")\b)"
)
REACH = 14  # how far before its anchor a figure may start ("late on Friday")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–.!?“”\"\n]")
WINDOW = 4
_LAST_CLAUSE = re.compile(r"(?<=[,;:()\[\]—–.!?“”\"\n])[^,;:()\[\]—–.!?“”\"\n]*$")


def _next_words(text: str, end: int, limit: int) -> list[str]:
    """Up to ``limit`` words right after ``end``, stopping at punctuation (a closing quote is skipped)."""
    rest = text[end:].lstrip('”’" ')
    stop = _CLAUSE_BREAK.search(rest)
    return _WORD.findall(rest[: stop.start()] if stop else rest)[:limit]


def _counted(text: str, end: int, qualifiers: dict[str, str]) -> str:
    """What a count counts: the noun after it (with "of X"), qualified as the headline names it."""
    following = _next_words(text, end, 4)
    if not following or following[0].lower() in FUNCTION_WORDS:
        return ""
    noun = following[0]
    if len(following) >= 3 and following[1] == "of" and following[2].lower() not in FUNCTION_WORDS:
        return f"{noun} of {following[2]}"
    return qualifiers.get(noun.lower(), noun)


def _around(text: str, start: int, end: int) -> str:
    """The words around a figure inside its clause, at most ``WINDOW`` on each side."""
    before = text[max(0, start - 120) : start]
    clause = _LAST_CLAUSE.search(before)
    left = _WORD.findall(clause.group(0) if clause else before)[-WINDOW:]
    while left and left[0].lower() in FUNCTION_WORDS:
        left = left[1:]
    right = _next_words(text, end, WINDOW)
    while right and right[-1].lower() in FUNCTION_WORDS:
        right = right[:-1]
    return " ".join([*left, "…", *right]) if left or right else ""


def qualifiers_from(titles: Iterable[str]) -> dict[str, str]:
    """Qualified nouns a headline or heading names ("prisoner exchange"), keyed by the bare noun."""
    found: dict[str, str] = {}
    for title in titles:
        pairs = _WORD.findall(title)
        for first, second in pairwise(pairs):
            if first.lower() not in FUNCTION_WORDS and first.islower() and not first.endswith(("ly", "est")):
                found.setdefault(second.lower(), f"{first} {second}")
    return found


def _segments(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around its anchors, merged, each ending at a space."""
    segments: list[tuple[int, int]] = []
    for anchor in _ANCHORS.finditer(text):
        low = max(0, anchor.start() - REACH)
        high = text.find(" ", anchor.end() + 30)
        high = len(text) if high < 0 else high
        if segments and low <= segments[-1][1]:
            segments[-1] = (segments[-1][0], max(segments[-1][1], high))
        else:
            segments.append((low, high))
    return segments


def find_figures(text: str, qualifiers: dict[str, str] | None = None) -> list[Figure]:
    """Every key figure of one paragraph, in order; counts without a counted noun are left out."""
    figures = []
    matches = (m for low, high in _segments(text) for m in _FIGURES.finditer(text, low, high))
    for match in matches:
        kind = match.lastgroup or ""
        value = match.group(0)
        if kind in ("count", "exchange"):
            counted = _counted(text, match.end(), qualifiers or {})
            if counted:
                figures.append(Figure(value, "count", counted))
        else:
            figures.append(Figure(value, kind, _around(text, match.start(), match.end())))
    return figures
