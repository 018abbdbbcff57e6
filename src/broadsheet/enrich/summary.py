"""Short extractive summaries: the lead sentences, cut at a word boundary."""

from __future__ import annotations

import re

MAX_CHARS = 220
# A sentence ends at . ! or ? (optionally closed by a quote or bracket) before a capital or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gen|Col|Lt|St|Jr|Sr|Inc|Ltd|Co|No|vs|etc|U\.S|U\.K|E\.U|a\.m|p\.m)|\b[A-Z])\.$"
)


def sentences(text: str) -> list[str]:
    """Split prose into sentences, not breaking after common abbreviations."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start() + len(match.group(0).rstrip())].strip()
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        parts.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def lead_summary(paragraphs: tuple[str, ...], count: int = 1, limit: int = MAX_CHARS) -> str:
    """The first ``count`` sentences of the first paragraph with prose in it."""
    for paragraph in paragraphs:
        found = sentences(paragraph)
        if found:
            return shorten(" ".join(found[:count]), limit * count)
    return ""
