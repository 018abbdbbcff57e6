"""Quoted and reported speech, with who said it where the sentence says so.

Direct quotes are spans in “typographic”, "straight" or ‘single’ quotation
marks, or French «guillemets» and German „Anführungszeichen“ (read as “…”);
a quotation inside another is part of its text (``«Il a dit «non» hier»``).
Their speaker comes from the same sentence: ``“…,” said X`` / ``“…,” X said``
after the quote (or French and German ``«…», a déclaré X``, ``»…«, sagte X``),
``X said: “…”`` before it (``X a déclaré : «…»``, ``X sagte: »…«``),
``X described … as “…”``, ``according to X`` (``selon X``), or the subject
of a reported clause the quote sits in.
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
from collections.abc import Iterable
from dataclasses import dataclass

from .text import SPEECH_VERBS, sentence_spans, wordset

SCARE_WORDS = 4
MAX_SPEAKER_WORDS = 12
MAX_QUOTE = 2000  # characters inside a quotation, at most: a mark left open does not swallow the paragraph
_PAIRS = (
    re.compile(rf"“(?P<q>[^“”\n]{{1,{MAX_QUOTE}}}?)”"),
    # (?<!\w)" and (?<![\w’'])‘ written with the mark first, so that `re` skips in C from one mark to the next.
    re.compile(rf'"(?<!\w")(?P<q>[^"\n]{{1,{MAX_QUOTE}}}?)"'),
    re.compile(r"‘(?<![\w’']‘)(?P<q>[^‘’\n]{1,500}?)’(?![\w])"),
    # Other languages' marks, after English ones. Guillemets nest («Il a dit «non» hier»): paired by _guillemets.
    re.compile(rf'„(?P<q>[^„“”"\n]{{1,{MAX_QUOTE}}}?)[“”"]'),  # closed by a straight " too, as a keyboard types it
)
# A guillemet that opens or closes a quotation: « and » (French), »…« tight against its words (German: "Home » News
# «…»" is no »…« quote); a line ends every quotation.
_FRENCH_MARKS = re.compile(r"[«»\n]")
_GERMAN_MARKS = re.compile(r"»(?=\S)|(?<=\S)«|\n")
_HIDDEN = re.compile(r"[^ \n]")  # what a quotation's interior masks (spaces and line breaks stay)
_OPENINGS = ("“", '"', "‘", "«", "„", "»")
_VERB = "|".join(sorted(SPEECH_VERBS))
_AFTER_VERB_FIRST = re.compile(rf"\s*[,.!?]?\s*(?:{_VERB})\s+(?P<who>[^,.;:!?“”\"\n]{{1,120}})")
# French and German speech verbs as they follow a quotation (the incise: «…», a déclaré Macron; »…«, sagte Weber),
# the speaker after them, with what ends the name (a preposition, a day) and the pronouns that name no one.
_INCISE_VERBS = wordset(
    """déclaré déclare dit affirmé affirme ajouté ajoute expliqué explique souligné souligne assuré assure estimé
    estime indiqué indique précisé précise répondu répond annoncé annonce reconnu reconnaît averti avertit insisté
    insiste confié confie sagte sagt gesagt erklärte erklärt betonte betont meinte meint schrieb schreibt warnte warnt"""
)
_AFTER_INCISE = re.compile(
    rf"\s*[,.!?]?\s*(?:a\s+|avait\s+)?(?:{'|'.join(sorted(_INCISE_VERBS))})\s+(?P<who>[^,.;:!?“”\"\n]{{1,120}})"
)
_TRIM_INCISE = re.compile(
    r"\s+(?:à|au|aux|en|dans|lors|devant|pendant|après|avant|sur|lundi|mardi|mercredi|jeudi|vendredi|samedi"
    r"|dimanche|am|im|in|bei|vor|nach|gegenüber|zu|zum|zur)\b.*$"
)
_INCISE_PRONOUNS = wordset("il elle ils elles on er sie es wir man")
_AUXILIARIES = wordset("a avait hat hatte")  # "X a déclaré : «…»", "X hat gesagt: »…«" (the verb before the quote)
_CLAUSE_AFTER = re.compile(r"\s*[,.!?]?\s*(?P<clause>[^,.;:!?“”\"\n]{1,120})")
_CLAUSE_MARKS = frozenset(',.;:!?“”"\n—–')  # what ends a clause: the last clause is after the last of them
MAX_WHO_WORDS = 8
_DESCRIBED = re.compile(r"^(?P<who>[^,;:“”\"\n]{1,80}?)\s+(?:described|called)\b")
_ACCORDING = re.compile(r"\b(?:[Aa]ccording to|[Ss]elon) (?P<who>[^,.;:“”\"\n]{2,80})")
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
    """(open, close_end, inner text) of every quotation, leftmost first, never overlapping.

    Where two overlap, the one that holds the other whole is kept, the inner
    one is part of its text («Il a dit “non” hier»); else the first found:
    English marks first, leftmost first.
    """
    if not any(mark in text for mark in _OPENINGS):
        return []
    finds: list[Iterable[tuple[int, int]]] = [
        ((m.start(), m.end()) for m in pattern.finditer(text)) for pattern in _PAIRS
    ]
    # Guillemets point out («…», French) or in (»…«, German) throughout a text, as its first quote does: read the
    # other way, the marks between two quotes would make one (“«, said Anna. »” of »Ja«, said Anna. »Nein«).
    if "«" in text and "»" in text:
        french, german = _guillemets(text, _FRENCH_MARKS, "«"), _guillemets(text, _GERMAN_MARKS, "»")
        finds.append(german if german and (not french or german[0][0] < french[0][0]) else french)
    starts: list[int] = []  # of the quotations kept so far, in order; none overlaps another
    ends: list[int] = []
    for found in finds:
        for start, end in found:
            at = bisect_left(ends, start + 1)  # the first kept quotation ending after this one starts
            past = bisect_left(starts, end, at)  # the first starting after it ends: those between overlap it
            if at == past or (starts[at] >= start and ends[past - 1] <= end):  # none, or only ones it holds
                starts[at:past], ends[at:past] = [start], [end]
    return [(start, end, text[start + 1 : end - 1]) for start, end in zip(starts, ends, strict=True)]


def _guillemets(text: str, marks: re.Pattern[str], opening: str) -> list[tuple[int, int]]:
    """(open, close_end) of each outermost pair of guillemets: a pair inside another is part of its quotation.

    One pass with a stack of the marks still open; a mark left open (or a
    pair holding more than ``MAX_QUOTE`` characters) leaves the pairs inside
    it outermost.
    """
    pairs: list[tuple[int, int]] = []
    open_at: list[int] = []
    for mark in marks.finditer(text):
        at = mark.start()
        if text[at] == "\n":
            open_at.clear()
        elif text[at] == opening:
            open_at.append(at)
        elif open_at:
            start = open_at.pop()
            if 1 < at - start <= MAX_QUOTE + 1:
                pairs.append((start, at + 1))
    pairs.sort()
    outermost: list[tuple[int, int]] = []
    for start, end in pairs:
        if not outermost or start >= outermost[-1][1]:
            outermost.append((start, end))
    return outermost


def _masked(text: str, quotes: list[tuple[int, int, str]]) -> str:
    """``text`` with quotation interiors blanked out (but their first letter), so their words are not parsed.

    Every quotation's marks are “ and ” in it, whatever the language: the speaker patterns know those.
    """
    parts: list[str] = []
    done = 0
    for start, end, inner in quotes:
        english = text[start] in '“"‘'
        hide_to = end - 1 - (1 if inner.rstrip()[-1:] in (".", "!", "?") else 0)  # a closing . ! or ? stays
        parts += (
            text[done:start],
            text[start : start + 2] if english else "“" + text[start + 1],
            _HIDDEN.sub("x", text[start + 2 : hide_to]),  # in C, not a Python step per character
            text[max(start + 2, hide_to) : end - 1],
            text[end - 1] if english else "”",
        )
        done = end
    parts.append(text[done:])
    return "".join(parts)


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
    match = _AFTER_INCISE.match(after)
    if match:
        words = _TRIM_INCISE.sub("", match.group("who").strip()).split()
        return "" if not words or words[0].lower() in _INCISE_PRONOUNS else _clean_speaker(" ".join(words))
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
    if len(words) > 1 and words[-1] in _INCISE_VERBS:  # Le ministre Jean Dupont a déclaré : « … », Weber sagte: »…«
        words.pop()
        if len(words) > 1 and words[-1] in _AUXILIARIES:
            words.pop()
        words[0] = words[0].lstrip("«»“”‘’„\"'")  # «Il a dit «non»…: the clause opens inside another quotation
        return "" if words[0].lower() in _INCISE_PRONOUNS else _clean_speaker(" ".join(words))
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
    if masked.find("that", start, end) < 0:  # most sentences: no scan of them set up at all
        return []
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
