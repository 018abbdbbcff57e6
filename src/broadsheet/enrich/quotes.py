"""Quoted and reported speech, with who said it where the sentence says so.

Direct quotes are spans in “typographic”, "straight" or ‘single’ quotation
marks, or French «guillemets» and German „Anführungszeichen“ (read as “…”).
Their speaker comes from the same sentence: ``“…,” said X`` / ``“…,” X said``
after the quote, ``X said: “…”`` before it, ``X described … as “…”``,
``according to X``, or the subject of a reported clause the quote sits in.
Reported (indirect) speech is ``X said/announced/told Y that …``; it is kept
too, marked ``indirect``, with the outlet told as ``via``.

Decision on scare quotes: a short quote (at most ``SCARE_WORDS`` words) inside
a reported clause ("an official told AFP that talks are “possible”") is not
listed on its own; the reported clause that carries it is, with its speaker
and outlet, so the short quote is never shown without its attribution. Short
quotes outside any reported clause are listed like any other quote.

This module returns speaker *phrases* ("council chair Ines Varga"); turning a
phrase into an entity is the caller's job (see ``enrich/__init__.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .text import SPEECH_VERBS, sentence_spans, wordset

SCARE_WORDS = 4
MAX_SPEAKER_WORDS = 12
_PAIRS = (
    re.compile(r"“(?P<q>[^“”\n]{1,2000}?)”"),
    re.compile(r'(?<![\w])"(?P<q>[^"\n]{1,2000}?)"'),
    re.compile(r"(?<![\w’'])‘(?P<q>[^‘’\n]{1,500}?)’(?![\w])"),
    # Other languages' marks, after English ones (a «…» inside a “…” is part of it): French «…», German „…“, »…«.
    re.compile(r"«(?P<q>[^«»\n]{1,2000}?)»"),
    re.compile(r'„(?P<q>[^„“”"\n]{1,2000}?)[“”"]'),  # closed by a straight " too, as a keyboard types it
    re.compile(r"»(?=\S)(?P<q>[^»«\n]{1,2000}?)(?<=\S)«"),  # tight: "Home » News «…»" is no »…« quote
)
_FRENCH, _GERMAN = _PAIRS[3], _PAIRS[5]
_OPENINGS = ("“", '"', "‘", "«", "„", "»")
_VERB = "|".join(sorted(SPEECH_VERBS))
_AFTER_VERB_FIRST = re.compile(rf"\s*[,.!?]?\s*(?:{_VERB})\s+(?P<who>[^,.;:!?“”\"\n]{{1,120}})")
_CLAUSE_AFTER = re.compile(r"\s*[,.!?]?\s*(?P<clause>[^,.;:!?“”\"\n]{1,120})")
_CLAUSE_MARKS = frozenset(',.;:!?“”"\n—–')  # what ends a clause: the last clause is after the last of them
MAX_WHO_WORDS = 8
_DESCRIBED = re.compile(r"^(?P<who>[^,;:“”\"\n]{1,80}?)\s+(?:described|called)\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;:“”\"\n]{2,80})")
_THAT = re.compile(r"\s+that\s+")
# What comes right before "that" in reported speech: "said", "told Reuters", "said on Friday".
_BEFORE_THAT = re.compile(
    rf"\b(?P<verb>{_VERB})(?:\s+(?P<via>(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*|[a-z]+))??"
    r"(?:\s+(?:on|late on|early on|last|this|in|at)\s+[A-Z]?\w+)?$"
)
VERB_REACH = 70  # characters before "that" searched for the speech verb
REACH = 500  # characters around a quote or a verb its speaker is looked for in: more than a clause naming one
MAX_STATEMENT = 2000  # characters of a reported statement, at most
_LEADING = re.compile(r"^(?:with|and|but|while|as|after|before|since|because|so|then|also|however)\s+", re.I)
_TRIM_AFTER = re.compile(
    r"\s+(?:after|before|on|in|at|during|when|while|as|who|which|adding|told|to|last|earlier|later)\b.*$"
)
_NOT_SPEAKERS = wordset("this that it which there these those what he she they we i you one its his her their")
_LEAD_IN = re.compile(rf"^[\s”\"’x]*(?:(?:{_VERB})\s+)?")
_PRONOUNS = wordset("he she they we i you it")
_AUDIENCES = wordset("reporters journalists lawmakers parliament")


@dataclass(frozen=True)
class FoundQuote:
    """A quote or reported statement and the phrase that names its speaker ("" when none)."""

    text: str
    who: str
    start: int
    indirect: bool = False
    via: str = ""


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(open, close_end, inner text) of every quotation, leftmost first, never overlapping."""
    found: list[tuple[int, int, str]] = []
    if not any(mark in text for mark in _OPENINGS):
        return found
    # Guillemets point out («…», French) or in (»…«, German) throughout a text, as its first quote does: read the
    # other way, the marks between two quotes would make one (“«, said Anna. »” of »Ja«, said Anna. »Nein«).
    skipped = None
    if "«" in text and "»" in text:
        french, german = _FRENCH.search(text), _GERMAN.search(text)
        skipped = _FRENCH if german and (french is None or german.start() < french.start()) else _GERMAN
    starts: list[int] = []  # of the quotations found so far, in order; none overlaps another
    ends: list[int] = []
    for pattern in _PAIRS:
        if pattern is skipped:
            continue
        for match in pattern.finditer(text):
            at = bisect_left(ends, match.start() + 1)  # the first quotation found ending after this one starts
            if at == len(starts) or starts[at] >= match.end():
                starts.insert(at, match.start())
                ends.insert(at, match.end())
                found.append((match.start(), match.end(), match.group("q")))
    return sorted(found)


def _masked(text: str, quotes: list[tuple[int, int, str]]) -> str:
    """``text`` with quotation interiors blanked out (but their first letter), so their words are not parsed.

    Every quotation's marks are “ and ” in it, whatever the language: the speaker patterns know those.
    """
    out = list(text)
    for start, end, inner in quotes:
        if out[start] not in '“"‘':
            out[start], out[end - 1] = "“", "”"
        keep_end = inner.rstrip()[-1:] in (".", "!", "?")
        for i in range(start + 2, end - 1 - (1 if keep_end else 0)):
            out[i] = "x" if out[i] not in " \n" else out[i]
    return "".join(out)


def _clean_speaker(phrase: str) -> str:
    phrase = _LEADING.sub("", " ".join(phrase.split()).strip(" ,;:—–-"))
    words = phrase.split()
    if not words or len(words) > MAX_SPEAKER_WORDS or words[0].lower() in _NOT_SPEAKERS:
        return ""
    if words[0] in ("A", "An", "The") and len(words) > 1:
        phrase = phrase[:1].lower() + phrase[1:]  # "a Ukrainian diplomatic source", read after a dash
    return phrase


def _after_speaker(after: str) -> str:
    match = _AFTER_VERB_FIRST.match(after)
    if match:
        return _clean_speaker(_TRIM_AFTER.sub("", match.group("who")))
    clause = _CLAUSE_AFTER.match(after)
    words = clause.group("clause").split() if clause else []
    for position, word in enumerate(words[: MAX_WHO_WORDS + 1]):
        if word in SPEECH_VERBS and position > 0:  # "“…,” Okafor said", "“…,” a spokesperson told reporters"
            return "" if words[0].lower() in _PRONOUNS else _clean_speaker(" ".join(words[:position]))
    return ""


def _before_speaker(before: str) -> str:
    """``X said: “``, ``X told reporters that “``: the speaker right before a quote."""
    words = _last_clause(before.rstrip().rstrip(",:").rstrip()).split()
    if words and words[-1] == "that":
        words.pop()
    if len(words) > 2 and words[-2] in SPEECH_VERBS and (words[-1] in _AUDIENCES or words[-1][:1].isupper()):
        words.pop()  # the outlet or audience told: "told Reuters", "told reporters"
    if len(words) > 1 and words[-1] in SPEECH_VERBS:
        return _clean_speaker(" ".join(words[:-1]))
    return ""


def _last_clause(text: str) -> str:
    """What follows the last mark ending a clause (a regex searched for it from every position of ``text``)."""
    at = len(text)
    while at and text[at - 1] not in _CLAUSE_MARKS:
        at -= 1
    return text[at:]


def _subject(masked: str, start: int, verb_at: int) -> str:
    """The subject of a speech verb: its clause, the appositive before an empty clause, or who "who" is."""
    parts = re.split(r"[,;—–]", masked[max(start, verb_at - REACH) : verb_at])
    subject = parts[-1].strip()
    if not subject and len(parts) >= 2:
        subject = parts[-2].strip()
    elif subject.lower() == "who" and len(parts) >= 2:
        subject = _LEAD_IN.sub("", re.split(r"[”\"]", parts[-2])[-1])
    return subject


def indirect_statements(text: str, masked: str, start: int, end: int) -> list[FoundQuote]:
    """``X said/told Y that …`` in one sentence of ``text`` (``masked`` hides quotations)."""
    found = []
    for that in _THAT.finditer(masked, start, end):
        match = _BEFORE_THAT.search(masked, max(start, that.start() - VERB_REACH), that.start())
        if match is None:
            continue
        via = (match.group("via") or "").removeprefix("the ").strip()
        if match.group("verb") in ("told", "tells", "telling") and not via:
            continue
        speaker = _clean_speaker(_subject(masked, start, match.start()))
        if not speaker or end - that.end() > MAX_STATEMENT:  # a sentence that long is many, or none
            continue
        clause = text[that.end() : end].rstrip().rstrip(".!?").strip()
        if len(clause.split()) >= 3:
            found.append(FoundQuote(clause, speaker, that.end(), True, via if via[:1].isupper() else ""))
    return found


def find_quotes(text: str, headline: bool = False) -> list[FoundQuote]:
    """Every direct quote and reported statement of one paragraph (or headline), in order.

    Each quotation is looked at with its own sentence, and only so far
    around it as a speaker is ever named (``REACH``): a long paragraph of
    many short quotes takes time in proportion to its length.
    """
    quotes = _spans(text)
    if not quotes and (headline or " that " not in text):
        return []
    masked = _masked(text, quotes)
    found: list[FoundQuote] = []
    first = 0  # the first quotation not yet in a sentence: both are in order
    for start, end in sentence_spans(masked):
        reported = [] if headline else indirect_statements(text, masked, start, end)
        found.extend(reported)
        while first < len(quotes) and quotes[first][0] < start:
            first += 1
        according: list[str] = []  # "according to X" in the sentence, looked for once
        while first < len(quotes) and quotes[first][0] < end:
            q_start, q_end, inner = quotes[first]
            first += 1
            words = inner.split()
            carrier = next((r for r in reported if r.start <= q_start), None)
            if carrier is not None and len(words) <= SCARE_WORDS:
                continue
            who = "" if headline else _attribution(masked, start, end, q_start, q_end, carrier, according)
            found.append(FoundQuote(inner.strip().rstrip(",;:").strip(), who, q_start))
    found.sort(key=lambda q: q.start)
    return found


def _attribution(
    masked: str, start: int, end: int, q_start: int, q_end: int, carrier: FoundQuote | None, according: list[str]
) -> str:
    who = _after_speaker(masked[q_end : min(end, q_end + REACH)])
    if who:
        return who
    who = _before_speaker(masked[max(start, q_start - REACH) : q_start])
    if who:
        return who
    if carrier is not None:
        return carrier.who
    match = _DESCRIBED.match(masked[start : min(q_start, start + REACH)].strip())
    if match and (who := _clean_speaker(match.group("who"))):
        return who
    if not according:
        match = _ACCORDING.search(masked, start, end)
        according.append(_clean_speaker(match.group("who")) if match else "")
    return according[0]
