"""Plain-text wire rewrites (the seed's shape) → ``Article``.

Layout understood, top to bottom: a headline line; an optional byline block
(``By NAME``, possibly after a lone ``NAME`` line, photo credits, a date
line); ``**Heading**`` lines opening sections; paragraphs separated by blank
lines; a ``Read More @ domain`` attribution; trailing share/newsletter/cookie
boilerplate. A sidecar ``NAME.yaml`` may add or override metadata.

Scraped copy is messier than the seed: entities in bylines (``O&#39;Neil``),
wire agencies and job titles after the names (``bylines``), a heading or a
share line with no blank line around it, attribution lines that name an
outlet (``Source: Reuters``) or hold a ``javascript:`` link. Only an http(s)
URL or a bare domain ever becomes a link; anything else is warned about.

Copy saved from news pages brings the page around the story: relative
times (``Published 3 hours ago``), ``Reporting from Kyiv`` under the byline,
picture sources and captions (``Image source, Getty Images``, ``Image
caption, …``), a wire's contributor line (``Reporting by …; Editing by …``)
and end matter (``Related Topics``, ``More on this story``) followed by a
list of other headlines. None of it is prose: captions, contributors and
credits are kept in ``extra``, the rest is dropped.
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import TYPE_CHECKING

from ..errors import BroadsheetError
from ..model import Article, Section, Source
from .article import LoadContext, build_article
from .email_text import EmailText, read_email, sent_in
from .frontmatter import parse_yaml_mapping
from .metadata import Meta, normalise, parse_date, read_address, source_from
from .source_text import SourceText, decode

if TYPE_CHECKING:
    from .bylines import Byline


def parse_byline(line: str) -> Byline | None:
    """``bylines.parse_byline``, its module imported on first use.

    Compiling its patterns costs 8 ms, in every process that imports the
    loaders (a no-op rebuild included); a site of Markdown alone never needs them.
    """
    from .bylines import parse_byline as parse

    return parse(line)


HEADING = re.compile(r"^\s*(?:\*\*|__)\s*(?P<text>[^*_].*?)\s*(?:\*\*|__)\s*$|^\s*#{1,3}\s+(?P<atx>\S.*?)\s*#*\s*$")
# "Read More @ euromaidanpress.com", "Read more at https://…/story", "Source: The Kyiv Independent".
ATTRIBUTION = re.compile(
    r"^\s*(?:(?:read\s+more|read\s+the\s+full\s+(?:story|article)|full\s+story|originally\s+published)"
    r"\s*(?:@|at|on|in|by|:|-)|(?:source|via)\s*[:@\-])\s*(?P<where>\S.{0,150}?)[.\s]*$",
    re.I,
)
# An outlet's name: capitalised words ("The Kyiv Independent", "Radio Free Europe/Radio Liberty").
OUTLET_WORD = re.compile(r"[^\W_][\w'’&.\-/]*")
OUTLET_LINKS = frozenset(("of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "&"))
# How a line that stands on its own inside a block (``_marker``) may start, in lower case: ``_blocks`` looks
# at every line, and a set look-up on its first three characters costs less than any regex.
_MARKER_PREFIXES = (
    *("share", "tweet", "print", "email this", "subscribe", "sign up", "get our", "get the", "join our"),
    *("follow us", "this site", "this website", "this web site", "we use", "accept", "cookie", "by using"),
    *("by continuing", "advertisement", "related", "click here", "read more", "read the full", "full story"),
    *("originally published", "source", "via", "copyright", "(c)", "all rights", "this material"),
    *("published", "posted", "updated", "last updated", "more on", "top stories", "most read", "you may also"),
    *("read next", "recommended", "further reading", "see also", "our standards", "listen to", "support"),
    *("donate", "give now", "give today", "become a", "leer en", "lire en", "read in", "this article", "reuse"),
    *("explore more", "view this", "view it", "view in", "view online", "you are", "you're", "you’re"),
    *("unsubscribe", "update your", "manage your", "forward to", "forward this"),
    *("tous droits", "alle rechte", "alle rechten", "todos los", "todos os", "tutti i"),
)
MARKER_HEADS: dict[str, tuple[str, ...]] = {}
for _prefix in _MARKER_PREFIXES:
    for _head in (_prefix[:3].capitalize(), _prefix[:3].upper()):
        MARKER_HEADS[_head] = (*MARKER_HEADS.get(_head, ()), _prefix)
MARKER_FIRST = "*_#©" + "".join(sorted({p[0].upper() for p in _MARKER_PREFIXES}))
# A credit line: a keyword, then "by", "courtesy (of)", "credit" or ":", then who (``rest``). ``_credit`` decides.
CREDIT = re.compile(
    r"^\s*[(\[]?\s*(?:(?:photo(?:graph(?:y|er)?)?|image|picture|illustration|video|graphic)s?\s*"
    r"(?:(?:credits?|courtesy)\b\s*(?:(?:of|by)\b)?\s*:?|source\s*[,:]|by\b|:)|credits?\s*:)\s*(?P<rest>.*?)[\s.)\]]*$",
    re.I,
)
# A picture's caption as news pages put it in saved text ("Image caption, Waves crashed over the sea wall").
CAPTION = re.compile(r"^\s*(?:(?:image|media|photo|picture|video)\s+)?caption\s*[,:]\s*(?P<text>\S.*)$", re.I)
# A wire's contributor line: "Reporting by Jane Doe in Lisbon; Additional reporting by Omar Ali; Editing by Alex Roe".
CONTRIBUTORS = re.compile(
    r"^\s*(?:(?:additional|further)\s+)?(?:reporting|writing|editing|research|graphics|compiled|produced)"
    r"(?:\s+and\s+\w+ing)?\s+by\s+(?-i:[A-Z])",
    re.I,
)
# "Reporting from Kyiv" under a byline: where the reporter was, not the story's first line.
REPORTING_FROM = re.compile(r"^\s*reporting\s+from\s+(?P<where>(?-i:[A-Z])[^.!?]{0,60})$", re.I)
# Lower-case words a credit's name may hold ("Photo courtesy of the Harbour Board", "Jane Doe for The Times").
CREDIT_LINKS = frozenset(
    (
        *("of", "the", "and", "via", "for", "at", "in", "on", "with", "de", "del", "della", "van", "von", "der"),
        *("den", "du", "des", "la", "le", "da", "di", "dos", "y", "al", "el", "bin", "&"),
    )
)
# A date line of a byline block: "Published 12 March 2026, 10:20 GMT", "Updated: March 12, 2026", "2026-03-12".
DATE_LINE = re.compile(
    r"^\s*(?:(?:first\s+)?(?P<kind>published|posted|(?:last\s+)?updated|modified|date)(?:\s+on)?)?\s*:?\s*"
    r"(?:(?:mon|tue|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?,?\s+)?"
    r"(?:(?P<pretime>\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)(?:\s+(?P<zone>(?-i:[A-Z]{2,4})(?:[+-]\d{1,2})?))?,?\s+)?"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?|[a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [a-z]+\.? \d{4})"
    r"(?P<time>,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+(?-i:[A-Z]{2,4}))?)?\s*$",
    re.I,
)
# A time written with a full stop ("10.20 BST"), as the date parser does not read it.
_DOTTED_TIME = re.compile(r"(\d)\.(\d\d)\b")
MAX_UNSIGNED_BYLINE = 8  # words of a byline without "By" ("Jane Doe Senior Political Correspondent")
# "GMT+2", "UTC-5" after a time: the offset the date parser reads.
ZONE_OFFSET = re.compile(r"(?:GMT|UTC)(?P<sign>[+-])(?P<hours>\d{1,2})")
# An e-mailed newsletter's own lines: where else to read it, why it came, how to stop it.
_NEWSLETTER = (
    r"(?:having\s+trouble\s+viewing\s+this\s+e-?mail\?\s*)?"
    r"view\s+(?:(?:this|it|the)\s+)?(?:(?:e-?mail|newsletter|message|issue)\s+)?"
    r"(?:(?:in|on)\s+(?:your|a|the)\s+(?:web\s+)?browser|in\s+browser|online|on\s+the\s+web)|"
    r"you(?:'re|’re|\s+are)\s+receiving\s+this\b.{0,160}|unsubscribe\b.{0,80}|"
    r"(?:update|manage)\s+(?:your\s+)?(?:e-?mail\s+)?(?:preferences|subscriptions?|settings)\b.{0,60}|"
    r"forward\s+(?:this\s+(?:e-?mail|newsletter)\s+)?to\s+a\s+friend\b.{0,20}"
)
# Lines of a saved page above its headline: navigation links, not the story.
PAGE_TOP = re.compile(
    r"^\s*(?:skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation)|skip\s+navigation|(?:open\s+|close\s+)?menu|"
    r"toggle\s+navigation|search|sign\s+in|log\s+in|home|advertisement|breaking(?:\s+news)?|" + _NEWSLETTER + r")\s*$",
    re.I,
)
# Someone credited for helping ("Associated Press writer Costas Kantouris in Thessaloniki contributed to this report.").
CONTRIBUTED = re.compile(r"\bcontributed(?:\s+reporting)?\s+to\s+this\s+(?:report|story|article)\s*\.?$", re.I)
# A time relative to when the page was saved ("Published 3 hours ago", "Updated just now"): no date in it.
_RELATIVE_TIME = (
    r"(?:(?:first\s+)?(?:published|posted|(?:last\s+)?updated|modified)\s*:?\s*)?"
    r"(?:(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+"
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago|just\s+now)"
)
RELATIVE_TIME = re.compile(rf"^\s*{_RELATIVE_TIME}\s*\.?\s*$", re.I)
# The heading of a page's end matter, over a list of other stories' headlines ("More on this story").
_END_MATTER = (
    r"related(?:\s+(?:articles?|stor(?:y|ies)|news|content|reading|coverage|posts?|topics|links|internet\s+links))?|"
    r"more\s+on\s+this\s+(?:story|topic)|explore\s+more\s+on\s+(?:these|this)\s+topics?|top\s+stories|"
    r"most\s+(?:read|popular|viewed|watched)|"
    r"you\s+(?:may|might)\s+also\s+(?:like|be\s+interested\s+in)|read\s+next|"
    r"recommended(?:\s+(?:for\s+you|stories|reading))?|further\s+reading|see\s+also"
)
END_MATTER = re.compile(rf"^\s*(?:{_END_MATTER})\s*:?\s*$", re.I)
# What follows a copyright notice's year: another (a range), then a name ("Reuters", "by Jane Doe"), or nothing.
_NOTICE_NAME = r"(?:\s*[-–]\s*\d{4}\b)?(?:\s*,?\s*(?:by\s+)?(?-i:[A-Z0-9©])[^\n]{0,80})?"
# "All rights reserved" as other languages' notices say it, on a line of its own.
_RESERVED = (
    r"tous\s+droits\s+(?:de\s+reproduction\s+(?:et\s+de\s+\w+\s+)?)?réservés|alle\s+rechte\s+vorbehalten|"
    r"todos\s+los\s+derechos\s+reservados|todos\s+os\s+direitos\s+reservados|tutti\s+i\s+diritti\s+riservati|"
    r"alle\s+rechten\s+voorbehouden"
)
# The Associated Press's line after its copyright notice, or on its own.
_AP_NOTICE = (
    r"this\s+material\s+may\s+not\s+be\s+published,?\s+broadcast,?\s+rewritten,?\s+or\s+redistributed"
    r"(?:\s+(?:in\s+any\s+(?:form|way)\s+)?without\s+(?:prior\s+)?(?:written\s+)?permission)?"
)
BOILERPLATE = re.compile(
    r"^\s*(?:share\s+(?:this|the)\s+(?:article|story|post)|share\s+(?:this|(?:on|via|to)\s+[\w.]+)|share:?|"
    r"tweet(?:\s+this)?|print(?:\s+this)?(?:\s+article)?|email\s+this(?:\s+article)?|"
    r"(?:subscribe|sign\s+up)(?:\s+(?:now|today|here|free))?(?:\s+(?:to|for)(?:\s+(?:get|receive))?)?"
    r"(?:\s+(?:our|the|a|free|daily|weekly|monthly|morning|evening|e-?mail|breaking|latest|news|(?-i:[A-Z])[\w'’&-]*))"
    r"{0,4}\s+(?:newsletters?|updates|alerts|e-?mails|briefings?|digest|mailing\s+list)"
    r"(?:\s+(?:in|to|for|from|and|by|on|delivered|straight|directly|every|each|with)\b[^,;]{0,60})?|"
    r"get\s+(?:our|the)\s+(?:[\w-]+\s+){0,3}newsletters?\b.{0,40}|"
    r"join\s+our\s+(?:[\w-]+\s+){0,3}(?:newsletter|mailing\s+list)s?\b.{0,40}|"
    r"follow\s+us\s+on\b.{0,60}|"
    r"(?:this\s+(?:web)?site|we)\s+uses?\s+cookies\b.*|accept(?:\s+all)?\s+cookies|cookie\s+(?:settings|policy)|"
    r"by\s+(?:using|continuing\s+to\s+(?:use|browse))\s+(?:this|our)\s+(?:web)?site\b.{0,60}\bcookies\b|"
    r"listen\s+to\s+this\s+(?:article|story)\b.{0,30}|this\s+article\s+is\s+more\s+than\s+\w+\s+\w+\s+old|"
    r"reuse\s+this\s+content|\d{1,3}\s+min(?:ute)?s?\s+read|"
    r"leer\s+en\s+español|lire\s+en\s+français|read\s+in\s+(?-i:[A-Z])\w+|"
    r"support\s+(?:independent|our|quality|local)\s+journalism\b.{0,40}|(?:donate|give)\s+(?:now|today)|"
    r"become\s+a\s+(?:member|subscriber|supporter)\b.{0,40}|"
    r"advertisement|" + _END_MATTER + "|" + _RELATIVE_TIME + r"|our\s+standards\s*:.{0,80}|"
    r"click\s+here\s+to\s+(?:subscribe|read\s+more)|" + _NEWSLETTER + "|"
    # Copyright notices: the sign, or a year after "Copyright" or "(c)" and then a name ("Copyright law …", "(c) 2025
    # targets …" stay), or "all rights reserved" (in a few languages), perhaps with the AP's "This material may not …".
    r"(?:(?:copyright\s*)?©\s*[^\n]{0,80}|(?:copyright\s*\(c\)|\(c\)|copyright)\s*\d{4}\b" + _NOTICE_NAME + "|"
    r"[^\n]{0,80}\ball\s+rights\s+reserved|" + _RESERVED + r")(?:\s*[.!]?\s*" + _AP_NOTICE + r")?|" + _AP_NOTICE + ")"
    r"\s*[.!:]?\s*$",
    re.I,
)


# What boilerplate never says: a report ("officials said"), a past-tense clause, a second clause (", and they").
PROSE = re.compile(
    r"\b(?:said|says|told|according\s+to|was|were|had|opened|closed|announced|reported|began|started|rose|fell)\b"
    r"|,\s+(?:and|but)\s+(?:the|a|an|he|she|they|it|we|officials?|police)\b",
    re.I,
)


def is_boilerplate(text: str) -> bool:
    """Share, newsletter, cookie and "related" lines: short, anchored and imperative, so prose about them stays."""
    return len(text) < 300 and BOILERPLATE.match(text) is not None and PROSE.search(text) is None


def _credit(text: str) -> bool:
    """Whether a line is a photo credit: a keyword, then a name ("Photo by Jane Doe/Getty Images").

    After the keyword comes who: words that start with a capital or a digit
    or hold a "/", a few lower-case links ("of the", "van der", "via") or a
    lower-case agency ("dpa"), twelve words at most. Anything else is prose
    ("Video by bystanders showed …", "Images courtesy of NASA show …").
    """
    if len(text) >= 200 or (found := CREDIT.match(text)) is None:
        return False
    words = found.group("rest").split()
    return len(words) <= 12 and all(_credit_word(w) for w in words)


def _contributors(text: str) -> bool:
    """Whether a line names who reported, wrote or edited the story ("Reporting by …; Editing by …"), not prose."""
    return len(text) < 300 and CONTRIBUTORS.match(text) is not None and PROSE.search(text) is None


def _contributed(text: str) -> bool:
    """Whether a short line thanks a contributor ("… contributed to this report."), not a sentence of the story."""
    return len(text) < 300 and CONTRIBUTED.search(text) is not None


def _about_author(text: str, authors: list[str]) -> bool:
    """An author's note after the story: the name in capitals, then who they are ("ELENA BECATOROS Becatoros covers …").

    A name already in capitals ("AI") is left out: "AI tools were used …" is prose.
    """
    return any(text.startswith(name.upper() + " ") and name.upper() != name for name in authors)


def _prose_end(text: str) -> bool:
    """Whether a paragraph reads as prose, not another story's headline: long, or ending a sentence."""
    return len(text) > 200 or text.rstrip('"”’)]').endswith((".", "!", "…"))


def _credit_word(word: str) -> bool:
    first = next((c for c in word if c.isalnum()), "")
    if not first or not first.islower() or "/" in word or word.lower() in CREDIT_LINKS:
        return True
    return _agency(word.strip(".,;:()[]")) is not None


def _agency(word: str) -> str | None:
    """The wire agency ``word`` names ("dpa", "AFP"), or ``None``; ``bylines`` is imported only when asked."""
    from .bylines import AGENCY_OF

    return AGENCY_OF.get(word)


def _blocks(text: str, first_line: int = 1) -> tuple[list[tuple[int, str]], list[int]]:
    """Blank-line separated blocks, each with its first line number; and the lines that may split a block.

    Those are the lines of blocks of two lines or more that start like a
    heading, an attribution or boilerplate (``_may_stand_alone``; ``_marker``
    decides). A look at each line as it goes by is cheaper than a later scan,
    and a one-line block (the seed's every paragraph) is not looked at at all.
    """
    blocks: list[tuple[int, str]] = []
    marked: list[int] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=first_line):
        line = line.strip()
        if not line:
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
            current.append(line)
            continue
        if len(current) == 1 and _may_stand_alone(current[0]):
            marked.append(start)
        current.append(line)
        if line[0] in MARKER_FIRST and _may_stand_alone(line):
            marked.append(number)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks, marked


def _may_stand_alone(line: str) -> bool:
    """Whether a stripped line starts like a heading, an attribution or boilerplate (``MARKER_HEADS``)."""
    return line[0] in "*_#©" or ((heads := MARKER_HEADS.get(line[:3])) is not None and line.lower().startswith(heads))


def _unwrap_headline(line: str) -> str:
    match = HEADING.match(line)
    if match:
        line = match.group("text") or match.group("atx") or line
    return " ".join(html.unescape(line).split())


@dataclass
class _Header:
    """What the lines between the headline and the body say about the article."""

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # wire agencies named in a byline ("By Jane Doe, Reuters")
    credits: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    reporting_from: str = ""


def _header_line(text: str, following: str, meta: Meta, ctx: LoadContext, header: _Header) -> bool:
    """Consume one line of the byline block; False at the first line of body text."""
    byline = parse_byline(text)
    if byline is not None:
        header.authors.extend(n for n in byline.authors if n not in header.authors)
        header.agencies.extend(a for a in byline.agencies if a not in header.agencies)
        return True
    if _credit(text):
        header.credits.append(text)
        return True
    if (caption := CAPTION.match(text)) is not None:
        header.captions.append(caption.group("text"))
        return True
    if (place := REPORTING_FROM.match(text)) is not None:
        header.reporting_from = place.group("where").strip()
        return True
    if (date_match := DATE_LINE.match(text)) is not None:
        return _header_date(date_match, meta, ctx)
    if is_boilerplate(text):  # relative times ("Published 3 hours ago") among them
        return True
    unsigned = _unsigned_byline(text)
    if unsigned is None:
        return False
    header.agencies.extend(a for a in unsigned.agencies if a not in header.agencies)
    if len(text.split()) <= 4 and parse_byline(_clean(following)) is not None:
        return True  # a lone NAME line right above "By NAME" is not body text (an agency there, "Reuters", is kept)
    if unsigned.authors and (_ends_with_role(text) or DATE_LINE.match(_clean(following))):
        # "Helena Horton Environment reporter", or a name right above the date line: a byline without "By"
        header.authors.extend(n for n in unsigned.authors if n not in header.authors)
        return True
    return bool(unsigned.agencies) and not unsigned.authors


def _unsigned_byline(text: str) -> Byline | None:
    """The names of a line read as a byline without its "By" ("Jane Doe", "Jane Doe Staff Writer"), if short."""
    return parse_byline("By " + text) if len(text.split()) <= MAX_UNSIGNED_BYLINE else None


def _ends_with_role(text: str) -> bool:
    """Whether a line ends with a job title ("… Environment reporter"); ``bylines`` is imported only when asked."""
    from .bylines import ROLE_LAST

    return text.rsplit(" ", 1)[-1].lower() in ROLE_LAST


def _opens_header(line: str) -> bool:
    """Whether a line starts a byline block: a byline, signed or not, or a date line."""
    text = _clean(line)
    if parse_byline(text) is not None or DATE_LINE.match(text) or RELATIVE_TIME.match(text):
        return True
    unsigned = _unsigned_byline(text)
    return unsigned is not None and bool(unsigned.authors) and _ends_with_role(text)


def _date_texts(found: re.Match[str]) -> list[str]:
    """What to try reading as the date of a date line, most precise first (with its time, then the day alone)."""
    day = found.group("date")
    texts = [day + _DOTTED_TIME.sub(r"\1:\2", found.group("time"))] if found.group("time") else []
    if found.group("pretime"):
        zone = ZONE_OFFSET.fullmatch(found.group("zone") or "")
        offset = f" {zone.group('sign')}{int(zone.group('hours')):02d}00" if zone else ""
        texts += [f"{day} {found.group('pretime')}{offset}", f"{day} {found.group('pretime')}"]
    return [*texts, day]


def _header_date(found: re.Match[str], meta: Meta, ctx: LoadContext) -> bool:
    """Read a byline block's date line ("Updated …" sets the update); False when it is no date after all."""
    kind = (found.group("kind") or "").lower()
    updated = kind.endswith("updated") or kind == "modified"
    when = None
    for text in _date_texts(found):
        try:
            when = parse_date(text, ctx.config.tz)
            break
        except ValueError:
            continue
    if when is None:
        return False
    if updated:
        meta.updated = meta.updated or when
    else:
        meta.published = meta.published or when
    return True


def _clean(line: str) -> str:
    """A line as text: entities decoded (``O&#39;Neil``), white space collapsed; a word broken at a hyphen at a
    line's end ("well-" / "known") is joined, its hyphen kept (``_rejoined`` joined those the text writes whole
    elsewhere; for the rest, which it was the text does not say)."""
    if "-\n" in line:
        line = _BROKEN_WORD.sub(_joined_word, line)
    return " ".join(html.unescape(line).split())


_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")
# A word broken at a hyphen at a line's end and the rest of its line's first word, up to the space after it.
_BROKEN_AT_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]++)-\n([^\W\d_]++)(\S*+)[ \t]")  # possessive: linear
_LETTERS = re.compile(r"[^\W\d_]+")


def _rejoined(text: str) -> str:
    """``text`` with each word broken at a line-end hyphen whole again when the text writes it whole elsewhere
    ("govern-" / "ment" and "the government"): then the hyphen was the break's, not the word's ("well-" / "known"
    keeps it, in ``_clean``). The line break moves to the space after the word, so every line keeps its number;
    a word alone on its line is left as it is."""
    if "-\n" not in text:
        return text
    words = set(_LETTERS.findall(text.casefold()))

    def join(broken: re.Match[str]) -> str:
        whole = broken.group(1) + broken.group(2)
        if not broken.group(2)[0].islower() or whole.casefold() not in words:
            return broken.group(0)
        return whole + broken.group(3) + "\n"  # "government's\nfigures": the space after it is the line's end

    return _BROKEN_AT_HYPHEN.sub(join, text)


def _joined_word(hyphen: re.Match[str]) -> str:
    """The hyphen alone, when the line below goes on in lower case (a word's rest); else a line break."""
    return "-" if hyphen.string[hyphen.end()].islower() else "-\n"


def _standfirst(text: str, following: str, meta: Meta, header: _Header) -> bool:
    """Whether a line is the standfirst: a sentence between the headline and the byline block.

    Not a name ("AI" above "By AI"), not a byline or date, and only before any of them.
    """
    if meta.summary or header.authors or meta.published or meta.updated or not 5 <= len(text.split()) <= 80:
        return False
    if parse_byline(text) is not None or parse_byline("By " + text) is not None or DATE_LINE.match(text):
        return False
    return _opens_header(following)


def _read_header(lines: list[tuple[int, str]], meta: Meta, ctx: LoadContext) -> tuple[_Header, list[tuple[int, str]]]:
    """Authors, agencies and credits from the lines after the headline, and the blocks of body left."""
    header = _Header()
    for index, (number, block) in enumerate(lines):
        block_lines = block.split("\n")
        for offset, line in enumerate(block_lines):
            if offset + 1 < len(block_lines):
                following = block_lines[offset + 1]
            else:
                following = lines[index + 1][1].split("\n")[0] if index + 1 < len(lines) else ""
            text = _clean(line)
            if _standfirst(text, following, meta, header):
                meta.summary = text  # the line under the headline, above the byline: the article's own summary
                continue
            if not _header_line(text, following, meta, ctx, header):
                rest = [(number + offset, "\n".join(block_lines[offset:]))] if offset else [lines[index]]
                return header, rest + lines[index + 1 :]
    return header, []


@dataclass(frozen=True)
class _Attribution:
    """An attribution line read: the outlet, the article's own URL, or why the URL was refused."""

    source: Source | None = None
    url: str = ""  # the original article (``Read more at https://…/story``), when the line gives one
    problem: str = ""


def _attribution(text: str) -> _Attribution | None:
    """What an attribution line names, or ``None`` when ``text`` is not one.

    Only an http(s) URL or a bare domain ever becomes a link: ``javascript:``,
    ``mailto:`` or ``ftp:`` are refused (with a problem to warn about), and a
    name (``Source: Reuters``) is a name, never turned into ``https://Reuters/``.
    """
    if len(text) >= 200:
        return None
    found = ATTRIBUTION.match(text)
    if found is None:
        return None
    where = found.group("where")
    if " " in where:  # several words: an outlet's name ("The Kyiv Independent"), else a sentence
        return _Attribution(Source(name=where)) if _outlet(where) else None
    address = read_address(where.strip("<>\"'"))  # <https://…>
    if address.link:
        return _Attribution(source_from(url=address.link), address.link if address.is_page else "", address.problem)
    if address.problem:
        return _Attribution(problem=address.problem)
    if where[0].islower() and _agency(where) is None:
        return None  # a common word ("Source: unclear."): a sentence, not an outlet
    return _Attribution(Source(name=where))  # one word names the outlet as written ("Source: Reuters")


def _outlet(text: str) -> bool:
    """Whether several words read as an outlet's name ("The Kyiv Independent"), not a sentence."""
    words = text.split()
    if len(words) > 6 or words[0][0].islower():
        return False
    return all(w in OUTLET_LINKS or (not w[0].islower() and OUTLET_WORD.fullmatch(w)) for w in words)


def _marker(text: str) -> bool:
    """Whether a line inside a block stands on its own: a heading, an attribution or boilerplate.

    Only such whole lines split a block; ordinary wrapped prose lines (which
    start in lower case, or match none of these) are joined into one paragraph.
    """
    return bool(HEADING.match(text)) or is_boilerplate(text) or _attribution(text) is not None


def _paragraphs(body: list[tuple[int, str]], marked: list[int]) -> list[tuple[int, str, bool]]:
    """(line number, text, whole line?) of each paragraph-to-be: a block, or the parts of a block split at markers.

    Only the lines ``_blocks`` marked are tested in full: most files have
    none, and their blocks are read as they always were.
    """
    if not marked:
        return [(number, _clean(block), "\n" not in block) for number, block in body]
    out: list[tuple[int, str, bool]] = []
    for number, block in body:
        breaks = block.count("\n")
        first = bisect_left(marked, number)
        if not breaks or first == len(marked) or marked[first] > number + breaks:
            out.append((number, _clean(block), not breaks))
        else:
            _split(number, block.split("\n"), marked[first : bisect_right(marked, number + breaks)], out)
    return out


def _split(number: int, lines: list[str], candidates: list[int], out: list[tuple[int, str, bool]]) -> None:
    """Add the parts of the block of ``lines`` (from line ``number``) to ``out``, split at its marker lines.

    A boilerplate line wrapped onto lower-case lines ("We use cookies to
    improve / your experience.") is dropped whole, not left in pieces.
    """
    done = 0  # the first line not yet given out
    for line_number in candidates:
        offset = line_number - number
        if offset < done:
            continue
        text = _clean(lines[offset])
        if not _marker(text):
            continue
        if offset > done:
            out.append((number + done, _clean("\n".join(lines[done:offset])), False))
        end = offset + 1
        if is_boilerplate(text):
            while end < len(lines) and lines[end][0].islower():
                end += 1
            wrapped = _clean("\n".join(lines[offset:end]))
            text, end = (wrapped, end) if end > offset + 1 and is_boilerplate(wrapped) else (text, offset + 1)
        out.append((line_number, text, end == offset + 1))
        done = end
    if done == 0:
        out.append((number, _clean("\n".join(lines)), False))
    elif done < len(lines):
        out.append((number + done, _clean("\n".join(lines[done:])), False))


def _below_page_top(blocks: list[tuple[int, str]]) -> tuple[int, str]:
    """The first block with the lines of a page's top (``Skip to main content``, ``Menu``) taken off; ``blocks``
    loses the blocks that held nothing else."""
    while True:
        number, block = blocks[0]
        lines = block.split("\n")
        top = 0
        while top < len(lines) and PAGE_TOP.match(lines[top]):
            top += 1
        if top < len(lines) or len(blocks) == 1:
            blocks[0] = (number + top, "\n".join(lines[top:]) or block)
            return blocks[0]
        blocks.pop(0)


def parse_plaintext(src: SourceText, ctx: LoadContext) -> Article:
    """Parse the text of a plain-text article (or of an e-mail saved as text: ``email_text``)."""
    mail = read_email(src.text)
    blocks, marked = _blocks(_rejoined(mail.body), mail.body_line) if mail is not None else _blocks(_rejoined(src.text))
    if not blocks:
        raise BroadsheetError("empty file: nothing to publish", src.relpath)
    first_line, first = _below_page_top(blocks)
    head_lines = first.split("\n")
    if mail is not None and mail.subject and _reads_as_prose(head_lines[0]):
        head_lines.insert(0, mail.subject)  # a message with no headline of its own: its subject is one
        first_line -= 1
    meta = Meta(title=_unwrap_headline(head_lines[0]))
    if not meta.title:
        raise BroadsheetError("no headline on the first line", src.relpath, first_line)
    rest = [(first_line + i + 1, line) for i, line in enumerate(head_lines[1:])]
    lines = rest + blocks[1:]
    header, body = _read_header(lines, meta, ctx)
    credits = header.credits

    sections: list[Section] = []
    heading = ""
    paragraphs: list[str] = []
    captions = header.captions
    about: list[str] = []  # notes on the authors after the story
    attribution: _Attribution | None = None
    listing = False  # under an end-matter heading ("More on this story"): other stories' headlines follow

    def close() -> None:
        if paragraphs or heading:
            html_body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
            sections.append(Section(heading=heading, paragraphs=tuple(paragraphs), html=html_body))

    for number, text, whole_line in _paragraphs(body, marked):
        match = HEADING.match(text) if whole_line and text.startswith(("*", "_", "#")) else None
        if match:
            close()
            heading = " ".join((match.group("text") or match.group("atx")).split())
            paragraphs, listing = [], False
            continue
        if len(text) < 300:  # attributions, boilerplate and credits are short: prose skips the tests
            found = _attribution(text)
            if found is not None:
                if found.problem:
                    ctx.diagnostics.warn(f"source URL {found.problem}", src.relpath, number)
                if found.source is not None:
                    attribution = found
                continue
            if END_MATTER.match(text):
                listing = True
                continue
            if is_boilerplate(text):
                continue
            if _credit(text) or _contributors(text) or _contributed(text):
                credits.append(text)
                continue
            if _about_author(text, header.authors):
                about.append(text)
                continue
            if (caption := CAPTION.match(text)) is not None:
                captions.append(caption.group("text"))
                continue
        if (listing and not _prose_end(text)) or not any(c.isalnum() for c in text):
            continue
        listing = False
        paragraphs.append(text)
    close()

    meta.authors = tuple(header.authors)
    if mail is not None:
        _from_email(mail, meta, attribution is None and not header.agencies, ctx.config.tz)
    if attribution is not None:
        meta.source, meta.source_url = attribution.source, attribution.url
        credits.extend(header.agencies)  # the outlet is named; the wire agency is credited, not lost
    elif header.agencies:
        meta.source = Source(name=header.agencies[0])  # wire copy: the agency is where it came from
        credits.extend(header.agencies[1:])
    if credits:
        meta.extra["credits"] = credits
    if captions:
        meta.extra["captions"] = captions
    if about:
        meta.extra["about_authors"] = about
    if header.reporting_from:
        meta.extra["reporting_from"] = header.reporting_from
    sidecar, provenance = _sidecar(src, ctx)
    article = build_article(src, meta.merge(sidecar), sections, "plaintext", ctx)
    return replace(article, provenance=replace(article.provenance, extra=provenance)) if provenance else article


def _reads_as_prose(line: str) -> bool:
    """Whether a first line is a story's first sentence, not its headline: long, and ending as a sentence does."""
    return len(line.split()) > 12 and line.rstrip()[-1:] in '.!?"”’'


# A newsletter platform's sender name: "Jane Doe from The Harbour Letter".
_WRITER_FROM = re.compile(r"^(?P<writer>.+?)\s+from\s+(?P<letter>(?:The\s+)?[A-Z0-9].*)$")


def _from_email(mail: EmailText, meta: Meta, sender_is_source: bool, zone: tzinfo) -> None:
    """What an e-mail's headers add: the date it was sent (unless the text dates the story; a time in no zone is
    in the site's), the sender's name as the source (unless the text names one; "Jane Doe from The Letter": she
    wrote it), the subject when it is not the headline."""
    meta.published = meta.published or sent_in(mail, zone)
    sender = _WRITER_FROM.match(mail.sender)
    writer = parse_byline("By " + sender.group("writer")) if sender is not None and not meta.authors else None
    if writer is not None:
        meta.authors = writer.authors
    if sender_is_source and mail.sender:
        meta.source = Source(name=sender.group("letter") if sender is not None else mail.sender)
    if mail.subject and mail.subject != meta.title:
        meta.extra["subject"] = mail.subject


def _sidecar(src: SourceText, ctx: LoadContext) -> tuple[Meta, tuple[tuple[str, str], ...]]:
    """Metadata from ``NAME.yaml`` beside the article, if there is one, and its provenance."""
    path = src.path.with_suffix(".yaml")
    if not path.is_file():
        return Meta(), ()
    where = src.relpath.rsplit(".", 1)[0] + ".yaml"
    if not path.resolve().is_relative_to(ctx.config.paths.root):
        raise BroadsheetError("sidecar is a symbolic link to a file outside the site: refused", where)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BroadsheetError(f"cannot read sidecar: {exc.strerror or exc}", where) from None
    text = decode(
        data, where, ctx.diagnostics
    )  # as lenient as with the article: a Latin-1 sidecar is read, and said so
    meta = normalise(parse_yaml_mapping(text, where), ctx.config.tz, where)
    return meta, (("sidecar", where), ("sidecar_sha256", hashlib.sha256(data).hexdigest()))
