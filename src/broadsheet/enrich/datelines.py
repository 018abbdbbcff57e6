"""The dateline that opens wire copy: ``LYON, France (Reuters) — …``, ``PARIS – …``, ``RIVERTON, May 3 — …``.

Agencies start a story with where it was filed, in capitals, then perhaps a
region or a date, perhaps the agency in brackets, then a dash. The place is
named nowhere else in the usual way (no "in Lyon", and in capitals the
entity finder reads it as an acronym), so it is read here: the caller makes
the place, the region (when it is a known place) and the agency entities of
the article, and looks for other names only in the text after the dash.

Capitals that are not a place stay text: a kicker (``BREAKING —``,
``ANALYSIS —``) and a short word with nothing after it but the dash
(``NATO — …``, ``UN (Reuters) — …``), unless it is a known place (``ROME —``)
or a region or date follows it (``BONN, Germany —``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import wordset
from .world import PLACES

_CAPS_WORD = r"(?:[^\W\d_a-zß-ÿ]{2,}|[A-Z]\.|ST\.)(?:['’\-][^\W\d_a-zß-ÿ]+)*"
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"|(?:January|February|March|April|June|July|August|September|October|November|December)"
)
DATELINE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}})"
    r"(?:,\s+(?:(?P<date>(?:" + _MONTH + r")\s+\d{1,2})|(?P<region>[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,2})))?"
    r"(?:,\s+(?P<date2>(?:" + _MONTH + r")\s+\d{1,2}))?"
    r"(?:\s+\((?P<agency>[A-Z][^()\n]{0,38})\))?"
    r"\s*(?:—|–|--?)\s+(?=\S)"
)
KICKERS = wordset(
    """BREAKING NEWS UPDATE UPDATED EXCLUSIVE WATCH LIVE ANALYSIS OPINION EDITORIAL CORRECTION ALERT URGENT FLASH
    VIDEO PHOTOS REVIEW COMMENT FEATURE INTERVIEW EXPLAINER FACT CHECK EDITOR NOTE NOTE WARNING ADVISORY
    PODCAST LETTERS OBITUARY SPONSORED PROMOTED AD NOTICE IMPORTANT READ MORE SPECIAL REPORT"""
)
PARTICLES = wordset("de del della der di do dos da du la le van von al el of the on upon")
_PLACES_BY_CAPITALS = {place.upper(): place for place in PLACES}
SHORT = 4  # a lone word this short, with no region or date, is more likely an acronym (NATO, EU, UN)


@dataclass(frozen=True)
class Dateline:
    """Where a text's dateline says it was filed; ``end`` is where the text proper starts."""

    place: str
    region: str
    agency: str
    end: int


def place_name(capitals: str) -> str:
    """``NEW DELHI`` → ``New Delhi`` (the known spelling if there is one), ``RIO DE JANEIRO`` → ``Rio de Janeiro``."""
    known = _PLACES_BY_CAPITALS.get(capitals)
    if known is not None:
        return known
    words = capitals.split(" ")
    named = [w.lower() if i and w.lower() in PARTICLES else _capitalised(w) for i, w in enumerate(words)]
    return " ".join(named)


def _capitalised(word: str) -> str:
    """``WINSTON-SALEM`` → ``Winston-Salem``, ``O’HARE`` → ``O’Hare``, ``ST.`` → ``St.``."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1] + m.group(0)[1:].lower(), word)


def dateline(text: str) -> Dateline | None:
    """The dateline at the very start of ``text``, if it has one."""
    if not text[:2].isupper():
        return None  # the cheap test first: nearly every paragraph starts with a capital and a small letter
    match = DATELINE.match(text)
    if match is None:
        return None
    capitals = match.group("place")
    words = capitals.split(" ")
    if any(w in KICKERS for w in words):
        return None
    region, agency = match.group("region") or "", match.group("agency") or ""
    located = region or match.group("date") or match.group("date2")
    if not located and len(words) == 1 and len(capitals) <= SHORT and capitals not in _PLACES_BY_CAPITALS:
        return None  # NATO —, UN (Reuters) —: an acronym, unless a region or a date says it is a place
    return Dateline(place_name(capitals), region, agency.strip(), match.end())
