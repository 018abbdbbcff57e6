"""The dateline that opens wire copy: ``LYON, France (Reuters) — …``, ``PARIS – …``, ``RIVERTON, May 3 — …``.

Agencies start a story with where it was filed, in capitals, then perhaps a
region or a date, perhaps the agency in brackets, then a dash. The place is
named nowhere else in the usual way (no "in Lyon", and in capitals the
entity finder reads it as an acronym), so it is read here: the caller makes
the place, the region (when it is a known place) and the agency entities of
the article, and looks for other names only in the text after the dash.

Capitals that are not a place stay text: a kicker (``BREAKING —``,
``ANALYSIS —``, ``TOP STORY —``, ``MONDAY —``, and most that start with
``THE``: ``THE END —``), words no place name holds (``IN BRIEF —``,
``FIRST ON CNN —``, ``STOP THE WAR —``), a newspaper's name
(``WASHINGTON POST —``), an organisation's (``WORLD HEALTH ORGANIZATION,
Dec. 5 —``, ``UNICEF, Dec. 5 —``, or one the site's gazetteer names: that
organisation, ``filed_by``), capitals the sentence goes on from in small
letters (``GAME OVER — the talks…``) and a short word, dated or not (``NATO — …``,
``UN (Reuters) — …``, ``NASA, Dec. 5 — …``: an acronym), unless it is a
known place (``ROME —``) or a region follows it (``BONN, Germany —``,
``ELY, Nev. —``): a known place, an abbreviation or one word, not capitals
(``EU, NATO —``) or an unknown name (``IMF, World Bank —``).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from .text import wordset
from .world import PLACES

# A word in capitals: ``LYON``, ``O’HARE``, ``L'AQUILA``, ``WINSTON-SALEM``, ``ST.``, an initial.
_CAPS_WORD = r"(?:(?:[^\W\d_a-zß-ÿ]['’])?[^\W\d_a-zß-ÿ]{2,}|[A-Z]\.|ST\.)(?:['’\-][^\W\d_a-zß-ÿ]+)*"
# A region's words: capitalised, joined by a few lower-case ones (``Côte d’Ivoire``, ``Bosnia and Herzegovina``).
_REGION_WORD = r"[A-Z][\w.’'\-]*"
_REGION_LINK = r" (?:and|of|the|de|del|du|da|do|dos|das|di|la|le|von|van|y|et)"
_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"|(?:January|February|March|April|June|July|August|September|October|November|December)"
)
_DATE = rf"(?:{_MONTH})\s+\d{{1,2}}(?:,\s+\d{{4}})?"  # "May 3", "Dec. 5, 2025"
DATELINE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?: {_CAPS_WORD}){{0,3}})"
    rf"(?:,\s+(?:(?P<date>{_DATE})|(?P<region>{_REGION_WORD}(?:(?:{_REGION_LINK}){{0,2}} (?:[dl]['’])?{_REGION_WORD}){{0,2}})))?"
    rf"(?:,\s+(?P<date2>{_DATE}))?"
    r"(?:\s+\((?P<agency>[A-Z][^()\n]{0,38})\))?"
    r"\s*(?:—|–|--?)\s+(?=\S)"
)
KICKERS = wordset(
    """BREAKING NEWS UPDATE UPDATED EXCLUSIVE WATCH LIVE ANALYSIS OPINION EDITORIAL CORRECTION ALERT URGENT FLASH
    VIDEO PHOTOS REVIEW COMMENT FEATURE INTERVIEW EXPLAINER FACT CHECK EDITOR NOTE NOTE WARNING ADVISORY
    PODCAST LETTERS OBITUARY SPONSORED PROMOTED AD NOTICE IMPORTANT READ MORE SPECIAL REPORT
    UPDATES DEVELOPING LATEST TOP STORY STORIES BRIEF BRIEFS BRIEFING SOURCE SOURCES OP-ED RECAP PREVIEW POLL QUIZ
    SPOILER TAKEAWAY TAKEAWAYS BACKGROUND CONTEXT SPORTS WEATHER TRAFFIC MARKETS HEADLINES
    MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY TODAY TONIGHT YESTERDAY TOMORROW NOW"""
)
# Words no place name holds (``OF`` and ``THE`` do: ``PORT OF SPAIN``, ``THE HAGUE``, the latter only first).
NOT_IN_PLACES = wordset(
    """A AN AND AT BY FOR FROM IN INTO IS IT ITS ON OR TO WITH WE YOU YOUR OUR MY NOT NO ARE WAS BE THIS THAT
    WHAT WHY HOW WHO WHEN STOP"""
)
# The last word of a newspaper's name: ``WASHINGTON POST —`` is the paper, not a place (with nothing after it).
NEWSPAPERS = wordset("POST TIMES HERALD TRIBUNE JOURNAL GAZETTE TELEGRAPH CHRONICLE INQUIRER EXPRESS GLOBE")
# The last word of an organisation's name, which no place's ends with: ``WORLD HEALTH ORGANIZATION, Dec. 5 —``.
ORGANISATIONS = wordset(
    """ORGANIZATION ORGANISATION AGENCY MINISTRY DEPARTMENT COMMISSION COMMITTEE ADMINISTRATION CORPORATION CORP
    INC LTD PLC ASSOCIATION FEDERATION INSTITUTE FOUNDATION BUREAU AUTHORITY"""
)
# Places whose name starts with ``THE`` (wire copy writes ``THE HAGUE —``); other capitals starting so need a region.
THE_PLACES = frozenset({"THE HAGUE", "THE BRONX", "THE GAMBIA", "THE DALLES", "THE WOODLANDS", "THE VILLAGES"})
PARTICLES = wordset("de del della der di do dos da du la le van von al el of the on upon")
_PLACES_BY_CAPITALS = {place.upper(): place for place in PLACES}
SHORT = 4  # a lone word this short, unless a region follows, is more likely an acronym (NATO, EU, NASA), dated or not
# Longer acronyms of bodies that wire copy names in capitals first (``UNICEF, Dec. 5 —``): who, not where. A
# site names others (its gazetteer's organisations and people) through ``dateline(..., not_places=…)``.
AGENCY_ACRONYMS = wordset(
    """UNICEF UNESCO UNHCR UNRWA UNFPA UNAIDS UNCTAD UNIDO UNOPS UNITAID OHCHR INTERPOL EUROPOL EUROJUST FRONTEX
    ASEAN ECOWAS MERCOSUR NASDAQ NORAD DARPA NOAA NIAID OECD OPEC IAEA UNDP"""
)


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
    # An elided particle inside a name is in lower case: ``CÔTE D'IVOIRE`` → ``Côte d'Ivoire``.
    named = [w[0].lower() + w[1:] if i and w[:1] in "DL" and w[1:2] in "'’" else w for i, w in enumerate(named)]
    return " ".join(named)


def _capitalised(word: str) -> str:
    """``WINSTON-SALEM`` → ``Winston-Salem``, ``O’HARE`` → ``O’Hare``, ``ST.`` → ``St.``."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1] + m.group(0)[1:].lower(), word)


def dateline(text: str, not_places: frozenset[str] = frozenset()) -> Dateline | None:
    """The dateline at the very start of ``text``, if it has one; capitals in ``not_places`` name no place."""
    if not text[:2].isupper():
        return None  # the cheap test first: nearly every paragraph starts with a capital and a small letter
    match = DATELINE.match(text)
    if match is None:
        return None
    capitals = match.group("place")
    words = capitals.split(" ")
    region, agency = match.group("region") or "", match.group("agency") or ""
    if capitals in _PLACES_BY_CAPITALS or capitals in THE_PLACES:  # TRINIDAD AND TOBAGO —, THE HAGUE —
        return Dateline(place_name(capitals), region, agency.strip(), match.end())
    if any(w in KICKERS or w in NOT_IN_PLACES for w in words) or "THE" in words[1:]:
        return None
    if text[match.end() : match.end() + 1].islower():
        return None  # GAME OVER — the talks collapsed: the capitals open the sentence, no dateline ends there
    if words[-1] in ORGANISATIONS or capitals in AGENCY_ACRONYMS or capitals in not_places:
        return None  # WORLD HEALTH ORGANIZATION, Dec. 5 —, UNICEF, Dec. 5 —: who, not where
    located = _locates(region)
    if words[0] == "THE" and not located:
        return None  # THE END —, THE BIG PICTURE —: a kicker far more often than a place
    if len(words) == 1 and len(capitals) <= SHORT and not located:
        return None  # NATO —, UN (Reuters) —, NASA, Dec. 5 —: an acronym, with or without a date
    dated = match.group("date") or match.group("date2")
    if not dated and not region and not agency and len(words) > 1 and words[-1] in NEWSPAPERS:
        return None  # WASHINGTON POST —: a newspaper
    return Dateline(place_name(capitals), region, agency.strip(), match.end())


def filed_by(text: str, organisations: Container[str] = frozenset()) -> str:
    """The organisation in capitals opening ``text`` where a dateline's place would (``UNICEF, Dec. 5 —``): a known
    agency's acronym or one of ``organisations`` (the site's, in capitals); "" for any other text."""
    if not text[:2].isupper():
        return ""
    match = DATELINE.match(text)
    capitals = match.group("place") if match is not None else ""
    return capitals if capitals in AGENCY_ACRONYMS or capitals in organisations else ""


def _locates(region: str) -> bool:
    """Whether a region says the word before it is a place: a known one, an abbreviation (``Nev.``) or one word."""
    return region in PLACES or region.endswith(".") or (" " not in region and region[1:2].islower())
