"""``By …`` lines of plain-text articles → the people who wrote them, and the wire agency.

Wire copy signs its bylines ``By Jane Doe, Reuters``, ``By JOHN SMITH
Associated Press`` or ``By Jane Doe | Staff Writer``. An agency is an outlet
and a job title is no one's name: neither is made an author. The agency is
returned apart so the loader can keep it as the article's source; so is an
outlet named after a comma (``By Jane Doe, BBC News``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..enrich.world import PLACE_ACRONYMS, PLACES

# Wire agencies as they sign bylines: each matched as written or in capitals, never in other cases
# ("Pa" and "Ap" are parts of names; "PA" and "AP" are agencies).
AGENCIES = (
    "Reuters",
    "AP",
    "Associated Press",
    "The Associated Press",
    "AFP",
    "Agence France-Presse",
    "Agence France Presse",
    "Bloomberg",
    "Bloomberg News",
    "dpa",
    "EFE",
    "ANSA",
    "Xinhua",
    "Kyodo",
    "Kyodo News",
    "PA",
    "PA Media",
    "Press Association",
    "UPI",
    "United Press International",
    "Interfax",
    "Interfax-Ukraine",
    "Ukrinform",
    "TASS",
    "RIA Novosti",
    "Anadolu",
    "Anadolu Agency",
    "Yonhap",
    "PTI",
    "ANI",
    "AAP",
    "Canadian Press",
    "The Canadian Press",
)
# Each spelling → the agency's name ("The Associated Press" → "Associated Press").
AGENCY_OF = {v: name.removeprefix("The ") for name in AGENCIES for v in (name, name.upper())}


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


_AGENCY = _alternation(list(AGENCY_OF))
# Right after a name with no separator, only what cannot end a name: "JOHN SMITH Associated Press",
# "Jane Doe AFP"; never "Reuters" or "Bloomberg" (Michael Bloomberg is a person).
_TRAILING_AGENCY_OF = {v: name for v, name in AGENCY_OF.items() if " " in v or name.isupper() or name.islower()}
_TRAILING_AGENCY_LAST = frozenset(v.rsplit(" ", 1)[-1] for v in _TRAILING_AGENCY_OF)
# Job titles: "Staff Writer", "Senior Political Correspondent", "Reuters Staff".
_ROLE_WORD = (
    r"senior|chief|political|foreign|deputy|associate|assistant|managing|special|contributing|staff|business|"
    r"economics|diplomatic|defen[cs]e|security|science|health|technology|sports?|culture|investigative|"
    r"international|national|local|regional|bureau|news|digital|environment|energy|legal|education|data|war"
)
_ROLE_NOUNS = (
    *("correspondent", "reporter", "editor", "writer", "contributor", "columnist", "producer", "analyst"),
    *("journalist", "photographer"),
)
_ROLE_NOUN = "|".join(f"{noun}s?" for noun in _ROLE_NOUNS) + r"|staff|bureau\s+chief"
# The last word of every job title: the regexes below are tried only on a part that ends with one.
ROLE_LAST = frozenset((*_ROLE_NOUNS, *(f"{noun}s" for noun in _ROLE_NOUNS), "staff", "chief"))
_ROLE = rf"(?i:(?:(?:{_ROLE_WORD})\s+){{0,3}}(?:{_ROLE_NOUN}))"
# A whole part that is a job title, perhaps after an agency ("Reuters Staff").
ROLE = re.compile(rf"(?:(?P<agency>{_AGENCY})\s+)?{_ROLE}")
# After a separator, a job title may also follow a place: "Jane Doe, Moscow Correspondent".
PLACE_ROLE = re.compile(rf"[A-Z][\w\-]+\s+{_ROLE}")
# A name followed by a job title of two words or more, with no separator between ("Jane Doe Staff Writer").
TRAILING_ROLE = re.compile(
    rf"(?P<name>.+?)\s+(?:(?P<agency>{_AGENCY})\s+)?(?i:(?:{_ROLE_WORD})\s+){{1,3}}(?i:{_ROLE_NOUN})"
)
# The last word of an outlet's name: after a comma and a full name, "…, BBC News" or "…, The Irish Times" is whom
# the author wrote for, not a second author.
OUTLET_LAST = frozenset(
    (
        *("News", "Times", "Post", "Journal", "Herald", "Tribune", "Gazette", "Guardian", "Telegraph", "Observer"),
        *("Independent", "Chronicle", "Standard", "Express", "Mirror", "Mail", "Magazine", "Radio", "Television"),
        *("TV", "Online", "Daily", "Weekly", "Insider", "Wire", "Monitor", "Bulletin", "Courier", "Dispatch"),
        *("Inquirer", "Examiner", "Register", "Review"),
    )
)
# Words in a byline, and in one person's name (particles such as "van der" not counted): "By Ursula von der
# Leyen and Jean de La Fontaine" is a byline; a title-case sentence of seven words is not a name.
MAX_WORDS = 30
MAX_NAME_WORDS = 5
# Generational suffixes, kept with the name they follow ("Jr." keeps its period).
SUFFIX = re.compile(r"(?:Jr|Sr|JR|SR)\.?|I{2,3}|IV")
BYLINE = re.compile(r"^\s*by\s*[:\-]?\s+(?P<name>.+?)\s*$", re.I)
# Between people, or between a person and an agency or job title.
SEPARATOR = re.compile(r"\s*(?:[,;|/•·]|\band\b|&)\s*|\s+[–—-]\s+")
_PARTICLES = "de|van|von|der|den|la|le|bin|al|el|da|dos|di|du"
PARTICLE = re.compile(_PARTICLES)
# One person's name: words that start with a capital ("O'Neil", "Jean-Pierre", "Élodie", "J.R."), particles
# ("van der") and prefixed words ("al-Assad", "d'Artagnan"); never a sentence ("now, the talks").
_NAME_WORD = rf"(?![a-z])[^\W\d_][\w'’.\-]*|(?:{_PARTICLES}|d|l)['’\-][^\W\d_][\w'’.\-]*|(?:{_PARTICLES})"
NAME = re.compile(rf"(?:{_NAME_WORD})(?:\s+(?:{_NAME_WORD}))*")


class Byline(NamedTuple):
    """The people of a ``By …`` line, and the wire agencies it names."""

    authors: tuple[str, ...]
    agencies: tuple[str, ...]


@lru_cache(maxsize=1024)  # a header asks about a line twice ("AI" above "By AI"); sites repeat bylines
def parse_byline(line: str) -> Byline | None:
    """The byline in ``line``, or ``None`` when the line is a sentence ("By now, the talks …")."""
    match = BYLINE.match(line)
    if match is None:
        return None
    text = _without_final_period(match.group("name"))
    if len(text.split()) > MAX_WORDS:
        return None
    authors: list[str] = []
    agencies: list[str] = []
    titled = False
    separators = SEPARATOR.findall(text)
    person = False  # whether the last name was a person's of two words or more, or a dateline place after one
    for index, part in enumerate(SEPARATOR.split(text)):
        if not part:
            continue
        after_comma = index > 0 and separators[index - 1].strip() == ","
        if after_comma and authors and SUFFIX.fullmatch(part):
            authors[-1] = f"{authors[-1]} {part}"  # "Martin Luther King, Jr." → "Martin Luther King Jr."
            continue
        agency = AGENCY_OF.get(part)
        last = part.rsplit(" ", 1)[-1]
        if agency is not None:
            part = ""
        elif last.lower() in ROLE_LAST:
            role = ROLE.fullmatch(part)
            if role is not None or (index and PLACE_ROLE.fullmatch(part)):
                titled = True  # a job title is no one's name; "Reuters Staff" still names the agency
                agency = AGENCY_OF.get(role.group("agency") or "") if role else None
                part = ""
            elif (trailer := TRAILING_ROLE.fullmatch(part)) is not None:
                agency = AGENCY_OF.get(trailer.group("agency") or "")
                part = trailer.group("name")
        elif last in _TRAILING_AGENCY_LAST:
            part, agency = _without_agency(part)
        if agency is not None and agency not in agencies:
            agencies.append(agency)
        if not part:
            continue
        if " in " in part and (filed := _FILED_IN.fullmatch(part)) is not None and NAME.fullmatch(filed.group(1)):
            part = filed.group(1)  # "Jennifer Rankin in Brussels": where she filed from, as the Guardian writes it
        if not NAME.fullmatch(part):
            return None  # not a list of names: a sentence
        words = part.split()
        if len(words) > MAX_NAME_WORDS and sum(not PARTICLE.fullmatch(w) for w in words) > MAX_NAME_WORDS:
            return None  # "By The Way The Minister Will Resign Soon": a title, not a name
        if after_comma and person and _outlet(part, words):
            outlet = part.removeprefix("The ")
            agencies.extend(() if outlet in agencies else (outlet,))
            continue
        if after_comma and person and (len(words) == 1 or part in PLACES):
            continue  # "By Jane Doe, Kyiv", "…, New York": a dateline, not a second author (who has a full name)
        person = len(words) > 1
        name = _title_case(part) if part.isupper() and " " in part else part
        if name not in authors:
            authors.append(name)
    if not (authors or agencies or titled):
        return None
    return Byline(tuple(authors), tuple(agencies))


# A full name (two words or more) and the place it was filed from: "Ana Ruiz in Seville", "Jo Li in Rio de Janeiro".
_FILED_IN = re.compile(rf"(\S+(?:\s+\S+)+?)\s+in\s+[A-Z][\w’'.\-]*(?:\s+(?:{_PARTICLES}|[A-Z][\w’'.\-]*)){{0,3}}")


def _outlet(part: str, words: list[str]) -> bool:
    """Whether a byline part after a full name is an outlet ("BBC News", "CNN"), not a person or a place."""
    if words[-1] in OUTLET_LAST:
        return True
    return len(words) == 1 and part.isupper() and part.isalpha() and 2 <= len(part) <= 5 and part not in PLACE_ACRONYMS


def _without_final_period(name: str) -> str:
    """``Jane Doe.`` → ``Jane Doe``; but ``Martin Luther King Jr.`` and ``John Q.`` keep the abbreviation's period."""
    text = name.strip(" .")
    last = text.rsplit(" ", 1)[-1]
    if name.rstrip(" ").endswith(".") and (SUFFIX.fullmatch(last + ".") or "." in last or len(last) == 1):
        return text + "."
    return text


def _without_agency(part: str) -> tuple[str, str | None]:
    """``JOHN SMITH Associated Press`` → (``JOHN SMITH``, ``Associated Press``); else ``part`` unchanged."""
    words = part.split(" ")
    for size in (3, 2, 1):
        if len(words) > size and (agency := _TRAILING_AGENCY_OF.get(" ".join(words[-size:]))) is not None:
            return " ".join(words[:-size]), agency
    return part, None


def _title_case(name: str) -> str:
    """``JOHN SMITH`` → ``John Smith``, ``O'NEIL`` → ``O'Neil``; particles after the first word stay lower case."""
    words = name.lower().split()
    return " ".join(w if i and PARTICLE.fullmatch(w) else w.title() for i, w in enumerate(words))
