"""Extractive summaries: one sentence per story, two per article, deterministic.

A story's summary is its lead: news puts the point first, and the first
sentence beats any sentence-scoring scheme on wire copy. Two changes to a
plain "first sentence" make it dependable: editorial notes (a paragraph that
is all italics, "*Sample article: …*", "*This story has been updated.*") and
fragments (under ``MIN_WORDS`` words, questions) are skipped.

An article's second sentence is not simply the next one, which in wire copy
is mostly attribution ("A source told Reuters that …"). It is the sentence
that adds the most headline words the lead has not already said (ties go to
the earlier sentence), so a headline naming two events ("agree on prisoner
exchange – but talks stall") gets a summary covering both. When no sentence
adds a headline word, the lead's next sentence is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..model import Section
from .text import content_words, sentences

MAX_CHARS = 220
MIN_WORDS = 5
_NOTE = re.compile(r"<p>\s*<(em|i)>(?P<text>.*?)</\1>\s*</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def notes_of(sections: Iterable[Section]) -> frozenset[str]:
    """Paragraphs that are editorial notes: wholly in italics in the section's HTML."""
    import html

    found = set()
    for section in sections:
        for match in _NOTE.finditer(section.html):
            found.add(" ".join(html.unescape(_TAG.sub("", match.group("text"))).split()))
    return frozenset(found)


def _suitable(sentence: str) -> bool:
    return len(sentence.split()) >= MIN_WORDS and not sentence.rstrip('”’")').endswith("?") and sentence[:1].isupper()


def _prose(paragraphs: Sequence[str], notes: frozenset[str]) -> Iterator[str]:
    for paragraph in paragraphs:
        if not notes or " ".join(paragraph.split()) not in notes:
            yield from (s for s in sentences(paragraph) if _suitable(s))


def prose_sentences(paragraphs: Sequence[str], notes: frozenset[str] = frozenset()) -> list[str]:
    """The summary-worthy sentences of ``paragraphs``, in order, notes left out."""
    return list(_prose(paragraphs, notes))


def lead_summary(paragraphs: Sequence[str], notes: frozenset[str] = frozenset(), limit: int = MAX_CHARS) -> str:
    """The first summary-worthy sentence."""
    first = next(_prose(paragraphs, notes), "")
    return shorten(first, limit) if first else ""


def two_sentence_summary(
    headline: str, paragraphs: Sequence[str], notes: frozenset[str] = frozenset(), limit: int = MAX_CHARS
) -> str:
    """The lead plus the sentence adding the most headline words the lead lacks, in text order."""
    found = prose_sentences(paragraphs, notes)
    if len(found) < 2:
        return shorten(found[0], limit) if found else ""
    wanted = content_words(headline) - content_words(found[0])
    best, best_score = 1, 0
    for position, sentence in enumerate(found[1:], start=1):
        score = len(content_words(sentence) & wanted)
        if score > best_score:
            best, best_score = position, score
    return shorten(f"{found[0]} {found[best]}", limit * 2)
