"""Keep Markdown conversion fast on hostile input: dense paragraphs bypass the inline parser.

python-markdown rescans the rest of a paragraph for every ``[`` and ``<`` it
cannot close (40 KB of ``[ [ [`` takes minutes), and its placeholder handling
grows with the square of the inline tokens in one paragraph. An article from
a stranger must not stall a build, so a paragraph with many unclosed openers
or a huge number of tokens is lifted out before conversion and put back as
escaped plain text. Ordinary prose, link lists, HTML blocks and code are
never touched.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

MAX_UNCLOSED = 16  # '[' and '<' that close nothing: each costs a scan of the rest of the paragraph
MAX_TOKENS = 2000  # inline markup characters in one paragraph
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_CODE_OR_HTML = re.compile(rf"^(?: {{4}}|\t|<!--|</?(?:{'|'.join(BLOCK_LEVEL_ELEMENTS)})[\s/>])", re.I)
_CLOSED_LINK = re.compile(r"!?\[[^\[\]\n]*\](?:\([^()\s]*(?:\s+\"[^\"\n]*\")?\)|\[[^\[\]\n]*\])?")
_CLOSED_TAG = re.compile(r"<[/!]?[A-Za-z][^<>]*>")
# The characters python-markdown's inline patterns start at: links, HTML, entities, escapes, code, emphasis.
INLINE_MARKUP_CHARACTERS = r"[\[<&\\`*_]"
_TOKENS = re.compile(INLINE_MARKUP_CHARACTERS)


@dataclass(frozen=True)
class Defused:
    """A paragraph taken out of the Markdown: where it was, and why."""

    line: int  # 1-based, in the body
    unclosed: int
    tokens: int


def _chunks(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges that python-markdown parses inline as one piece; code and HTML blocks left out."""
    chunks: list[tuple[int, int]] = []
    start: int | None = None
    fence = ""
    for number, line in enumerate(lines):
        if fence:
            fence = "" if line.strip().startswith(fence) else fence
            continue
        opening = _FENCE.match(line)
        starts_item = bool(_ITEM.match(line))
        if start is not None and (opening or not line.strip() or starts_item):
            chunks.append((start, number))
            start = None
        if opening:
            fence = opening.group(1)
        elif start is None and line.strip() and (starts_item or not _CODE_OR_HTML.match(line)):
            start = number
    if start is not None:
        chunks.append((start, len(lines)))
    return chunks


def _unclosed(text: str) -> int:
    """The ``[`` and ``<`` that start no complete link or tag."""
    links = len(_CLOSED_LINK.findall(text))
    return max(0, text.count("[") - links) + max(0, text.count("<") - len(_CLOSED_TAG.findall(text)))


def defuse(body: str) -> tuple[str, dict[str, str], list[Defused]]:
    """``body`` with each dense paragraph replaced by a placeholder word.

    Returns the new body, the HTML (escaped text) each placeholder stands for,
    and what was defused, for a warning.
    """
    lines = body.split("\n")
    salt = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    replacements: dict[str, str] = {}
    found: list[Defused] = []
    for first, end in _chunks(lines):
        text = "\n".join(lines[first:end])
        unclosed, tokens = _unclosed(text), len(_TOKENS.findall(text))
        if unclosed <= MAX_UNCLOSED and tokens <= MAX_TOKENS:
            continue
        marker = _ITEM.match(lines[first])
        prefix = marker.group(0) if marker else ""
        placeholder = f"bsdefused{salt}x{len(found)}"
        replacements[placeholder] = html.escape(html.unescape(text[len(prefix) :]), quote=False)
        lines[first:end] = [prefix + placeholder] + [""] * (end - first - 1)
        found.append(Defused(first + 1, unclosed, tokens))
    return ("\n".join(lines) if found else body), replacements, found


def restore(body_html: str, replacements: dict[str, str]) -> str:
    """Put the escaped text of each defused paragraph back in place of its placeholder."""
    for placeholder, text in replacements.items():
        body_html = body_html.replace(placeholder, text)
    return body_html
