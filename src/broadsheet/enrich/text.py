"""Plain-text helpers every enrichment step shares: sentences, words, stems.

Kept free of any site knowledge, so each step (summaries, entities, quotes,
figures, clustering) splits and normalises text the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before a capital or quote, and at a blank
# line: r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])|\s*\n\s*\n\s*", written to open with the class of its first
# character (what stands before it is checked after it, by look-behind) so that `re` skips in C to the next
# space, quote or bracket instead of trying the pattern at every character.
_NEXT_SENTENCE = r"(?=[\"“‘(\[]?[A-Z0-9])"
_SENTENCE_END = re.compile(
    rf"[\"”’)\]\s](?:(?<=[.!?][\"”’)\]])\s+{_NEXT_SENTENCE}"  # a closing quote or bracket after . ! ?, then space
    rf"|(?<=[.!?]\s)\s*{_NEXT_SENTENCE}"  # space after . ! ?
    r"|(?<=\n)\s*\n\s*"  # a line break, then space holding another
    r"|(?<=\s)\s*\n\s*\n\s*)"  # space holding two line breaks
)
PARAGRAPH_BREAK = "\n\n"  # how enrichment joins the paragraphs of a section into one text
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gen|Col|Lt|St|Jr|Sr|Inc|Ltd|Co|No|vs|etc|U\.S|U\.K|E\.U|a\.m|p\.m)|\b[A-Z])\.$"
)
_WORD = re.compile(r"[^\W_][\w’'-]*")


def wordset(block: str) -> frozenset[str]:
    """The white-space separated words of ``block``: word lists stay readable in source."""
    return frozenset(block.split())


# Function words: never a name, never a content word, never part of a role.
FUNCTION_WORDS = wordset("""a about above across after against ago all almost along already also although always am among an and
    another any anyone are around as at be because been before being below between both but by can could did
    do does doing down during each either else even ever every few for from further had has have having he her
    here hers him his how however i if in into is it its itself just last least less like many may me meanwhile
    might more most much must my near neither never next no nor not now of off often on once one only onto or
    other others our out over own per perhaps rather same several she should since so some still such than that
    the their them then there these they this those though through throughout thus to too toward towards under
    until up upon us very via was we were what whatever when where whether which while who whom whose why will
    with within without would yet you your despite according instead amid amidst unlike besides beyond""")
# Verbs that attribute speech; shared by entity cues and quote attribution.
SPEECH_VERBS = wordset("""said says say told tells announced announces confirmed confirms stated states warned warns argued argues
    noted notes insisted insists acknowledged acknowledges estimated estimates cautioned cautions added adds
    claimed claims explained explains denied denies admitted admits stressed stresses emphasised emphasized
    revealed reveals wrote writes tweeted posted predicted predicts promised promises conceded concedes
    maintained maintains reported reports believes believe suggested suggests replied replies recalled
    recalls saying announcing telling""")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text``, not breaking after common abbreviations."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group(0) and _ABBREVIATION.search(text, max(start, match.start() - 8), match.start()):
            continue
        end = match.start() + len(match.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence, a quotation or a paragraph (so its capital says nothing)."""
    if start == 0:
        return True
    previous = text[start - 1]
    if previous in '“"‘(\n':
        return True
    if not previous.isspace():
        return False
    if start >= 2 and (text[start - 2].isalnum() or text[start - 2] in ",;-"):  # mid-sentence: the common case
        return False
    before = text[max(0, start - 12) : start].rstrip()
    if not before:
        return not text[:start].strip()
    if before[-1] == ":":
        return True
    closed = before.rstrip('"”’)]')
    return closed.endswith(("!", "?")) or (closed.endswith(".") and not _ABBREVIATION.search(closed))


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after common abbreviations."""
    return [text[a:b].strip() for a, b in sentence_spans(text)]


def fold(text: str) -> str:
    """A form for comparing names: NFKC, straight apostrophes and quotes, single spaces."""
    if text.isascii():
        return " ".join(text.split())
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.replace("“", '"').replace("”", '"').split())


def stem(word: str) -> str:
    """A light, deterministic English stem: enough to match demands/demanding/demand."""
    for suffix, keep in (("ies", "y"), ("eed", "ee"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def words(text: str) -> list[str]:
    """The words of ``text`` in order, possessive endings removed."""
    out = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.endswith(("’s", "'s")):
            word = word[:-2]
        out.append(word)
    return out


def content_words(text: str) -> set[str]:
    """Lower-case stems of the words that carry meaning (no function words, no 1-2 letter words)."""
    return {stem(w) for w in (w.lower() for w in words(fold(text))) if len(w) > 2 and w not in FUNCTION_WORDS}


def first_words(items: Iterable[str], limit: int) -> str:
    """The first ``limit`` words of the joined ``items``."""
    return " ".join(" ".join(items).split()[:limit])
