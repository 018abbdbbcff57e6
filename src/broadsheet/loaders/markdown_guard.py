"""Keep Markdown conversion fast on hostile input: dense paragraphs bypass the inline parser.

python-markdown rescans the rest of a paragraph for every ``[`` and ``<`` it
cannot close (40 KB of ``[ [ [`` takes minutes), and its placeholder handling
grows with the square of the inline tokens in one paragraph. An article from
a stranger must not stall a build, so a paragraph with many unclosed openers
or a huge number of tokens is lifted out before conversion and put back as
escaped plain text. Its fenced-code step looks for the closing line of
every fence opening through the rest of the text, so a body of many
unclosed openings has each moved off the start of its line (``fences``).
Ordinary prose, link lists, HTML blocks and code are never touched.
"""

from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_right
from dataclasses import dataclass

from markdown.util import BLOCK_LEVEL_ELEMENTS

MAX_UNCLOSED = 16  # '[' and '<' (or fences) that close nothing: each costs a scan of the rest of the paragraph (text)
MAX_TOKENS = 2000  # inline markup characters in one paragraph
# A fenced code block's opening and closing lines, as python-markdown's fenced_code reads them
# (FencedBlockPreprocessor.FENCED_BLOCK_RE): the fence at the start of the line, a language or {attributes}
# after it; the block closes at the first later line holding exactly that fence.
_OPENING = re.compile(
    r"(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|(?:\.?[\w#.+-]*[ ]*)?(?:hl_lines=(?P<quote>\"|')[^\n]*?(?P=quote)[ ]*)?)"
)
_CLOSING = re.compile(r"(~{3,}|`{3,})[ ]*")
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_CODE_OR_HTML = re.compile(rf"^(?: {{4}}|\t|<!--|</?(?:{'|'.join(BLOCK_LEVEL_ELEMENTS)})[\s/>])", re.I)
_CLOSED_LINK = re.compile(r"!?\[[^\[\]\n]*\](?:\([^()\s]*(?:\s+\"[^\"\n]*\")?\)|\[[^\[\]\n]*\])?")
_CLOSED_TAG = re.compile(r"<[/!]?[A-Za-z][^<>]*>")
# The characters python-markdown's inline patterns start at: links, HTML, entities, escapes, code, emphasis.
INLINE_MARKUP_CHARACTERS = r"[\[<&\\`*_]"
_TOKENS = re.compile(INLINE_MARKUP_CHARACTERS)
_MARKUP_CHARACTERS = "[<&\\`*_"  # the same characters, each once


@dataclass(frozen=True)
class Defused:
    """A paragraph taken out of the Markdown: where it was, and why."""

    line: int  # 1-based, in the body
    unclosed: int
    tokens: int


def fences(lines: list[str]) -> tuple[list[tuple[int, int]], list[int]]:
    """The fenced code blocks python-markdown will find (first and last line), and the openings it will not close.

    Its preprocessor looks for each opening's closing line through all the
    rest of the text: a body of a thousand unclosed fences is read a thousand
    times (seconds at 300 KB). ``defuse`` moves each unclosed opening off the
    start of its line, where it is no opening, and that text is read as the
    paragraph it is anyway. One index of the closing lines keeps this linear.
    """
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        closing = _CLOSING.fullmatch(line)
        if closing is not None:
            closings.setdefault(closing.group(1), []).append(number)
    blocks: list[tuple[int, int]] = []
    unclosed: list[int] = []
    number = 0
    while number < len(lines):
        opening = _OPENING.fullmatch(lines[number]) if lines[number][:1] in ("`", "~") else None
        if opening is not None:
            later = closings.get(opening.group("fence"), [])
            at = bisect_right(later, number)
            if at < len(later):
                blocks.append((number, later[at]))
                number = later[at] + 1
                continue
            unclosed.append(number)
        number += 1
    return blocks, unclosed


def _chunks(lines: list[str], blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line ranges that python-markdown parses inline as one piece; fenced code (``blocks``) and HTML left out."""
    chunks: list[tuple[int, int]] = []
    start: int | None = None
    code = {first: last for first, last in blocks}
    number = 0
    while number < len(lines):
        line = lines[number]
        starts_item = bool(_ITEM.match(line))
        if start is not None and (number in code or not line.strip() or starts_item):
            chunks.append((start, number))
            start = None
        if number in code:
            number = code[number] + 1
            continue
        if start is None and line.strip() and (starts_item or not _CODE_OR_HTML.match(line)):
            start = number
        number += 1
    if start is not None:
        chunks.append((start, len(lines)))
    return chunks


def _unclosed(text: str) -> int:
    """The ``[`` and ``<`` that start no complete link or tag."""
    links = len(_CLOSED_LINK.findall(text))
    return max(0, text.count("[") - links) + max(0, text.count("<") - len(_CLOSED_TAG.findall(text)))


def _may_fence(body: str) -> bool:
    """Whether ``body`` holds three backticks or tildes in a row, as every fence does.

    (A one-character ``in`` is several times faster than a three-character
    one in text beyond Latin-1, and most bodies hold neither character.)
    """
    return ("`" in body and "```" in body) or ("~" in body and "~~~" in body)


def _count(text: str, characters: str) -> int:
    """How many of ``characters`` ``text`` holds, counting only those it has (a miss costs little)."""
    return sum(text.count(character) for character in characters if character in text)


def _too_sparse(body: str) -> bool:
    """Whether no paragraph of ``body`` can be dense: its '[' and '<' (each a token) and its tokens are few.

    A paragraph's text is part of the body's, so it holds at most the
    body's tokens; most articles are dealt with by these few scans.
    """
    if _count(body, "[<") > MAX_UNCLOSED:
        return False
    return len(body) <= MAX_TOKENS or _count(body, _MARKUP_CHARACTERS) <= MAX_TOKENS


def defuse(body: str) -> tuple[str, dict[str, str], list[Defused]]:
    """``body`` with each dense paragraph replaced by a placeholder word.

    Returns the new body, the HTML (escaped text) each placeholder stands for,
    and what was defused, for a warning.
    """
    if not _may_fence(body) and _too_sparse(body):
        return body, {}, []  # no fence to move, and no paragraph of it can be dense: nothing to do
    lines = body.split("\n")
    blocks, never_closed = fences(lines)
    if len(never_closed) <= MAX_UNCLOSED:
        never_closed = []  # a few cost a few scans: the text stays byte for byte as written
    for number in never_closed:
        lines[number] = " " + lines[number]  # no opening off the start of a line; the page shows the same
    salt = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    replacements: dict[str, str] = {}
    found: list[Defused] = []
    for first, end in _chunks(lines, blocks):
        text = "\n".join(lines[first:end])
        tokens = len(_TOKENS.findall(text))
        if tokens <= MAX_UNCLOSED:  # each unclosed '[' or '<' is a token: too few to be dense
            continue
        unclosed = _unclosed(text)
        if unclosed <= MAX_UNCLOSED and tokens <= MAX_TOKENS:
            continue
        marker = _ITEM.match(lines[first])
        prefix = marker.group(0) if marker else ""
        placeholder = f"bsdefused{salt}x{len(found)}"
        replacements[placeholder] = html.escape(html.unescape(text[len(prefix) :]), quote=False)
        lines[first:end] = [prefix + placeholder] + [""] * (end - first - 1)
        found.append(Defused(first + 1, unclosed, tokens))
    return ("\n".join(lines) if found or never_closed else body), replacements, found


def restore(body_html: str, replacements: dict[str, str]) -> str:
    """Put the escaped text of each defused paragraph back in place of its placeholder."""
    for placeholder, text in replacements.items():
        body_html = body_html.replace(placeholder, text)
    return body_html
