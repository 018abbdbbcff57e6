"""Paragraphs cut around the blocks written inside them, before the HTML parser reads them.

The HTML parser ends a paragraph at a block's start tag: what followed the
block was left outside any paragraph and the paragraph's own end tag made an
empty one (``<p>a </p><figure>…</figure> b<p></p>``). A Hugo figure in the
middle of a sentence, or raw HTML written so, each becomes
``<p>a</p><figure>…</figure><p>b</p>`` here (sanitize.py calls this first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Start tags that end an open paragraph as the HTML parser reads them (WHATWG "in body": each "closes a p
# element"); xmp and plaintext, which do too, are raw text (below).
CLOSES_P = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset"}
    | {"figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section"}
    | {"summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "li", "dd", "dt", "table", "hr"}
)
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# Elements whose end tag may be left out, besides ``p``: the parser ends each when the next begins, or its parent.
OPTIONAL_END = frozenset(
    {"li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt", "rp", "caption"}
)
# Elements whose content is text to the parser, up to their end tag: no tag in it is one.
_RAW_TEXT = {
    name: re.compile(f"</{name}[\\s/>]", re.I)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
}


def _alternatives(names: Iterable[str]) -> str:
    """A pattern matching any of ``names``, grouped by first letter: one character's test rules most out."""
    by_first: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda name: (-len(name), name)):  # "listing" before "li"
        by_first.setdefault(name[0], []).append(re.escape(name[1:]))
    return "(?:" + "|".join(first + "(?:" + "|".join(rests) + ")" for first, rests in sorted(by_first.items())) + ")"


_CLOSER = _alternatives(CLOSES_P | {"xmp", "plaintext"})
# A paragraph's start tag followed, before any other paragraph tag, by a start tag that ends it. (Possessive: no
# search backtracks; each one runs from a ``<p>`` to the next paragraph or block tag, so all of them read the text
# once.)
_P_HOLDING_BLOCK = re.compile(
    f"<p(?=[\\s/>])[^<>]*+>[^<]*+(?:<(?!/?p[\\s/>]|{_CLOSER}[\\s/>])[^<]*+)*+<{_CLOSER}[\\s/>]", re.I
)
# What the HTML parser reads at a "<": a comment's opening; a "bogus comment" (``<!x>``, ``<?x>``, ``</ x>``), to
# the next ">"; a start or end tag (read to its first ">", as python-markdown reads one in a paragraph); or the
# start of a tag that holds a "<", which this reading leaves to the parser.
_RAW_TAG = re.compile(
    r"<(?:(?P<comment>!--)|(?P<bogus>[!?]|/(?![A-Za-z]))[^>]*+>?"
    r"|(?P<closing>/?)(?P<name>[A-Za-z][^\s/<>]*+)[^<>]*+>|(?P<unread>/?[A-Za-z]))"
)
# A tag read whole so: each attribute value quoted is closed (``<b title='a>`` is not: the parser reads its value
# on past the ">"). Possessive: each character is read at most three times.
_WHOLE_TAG = re.compile(
    r"</?[A-Za-z][^\s/<>]*+(?:\s++[^\s\"'<>/=]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'<>=`]++))?+|\s*+/)*+\s*+>"
)
_QUOTE = re.compile("[\"']")
_HTML_SPACE = " \t\n\r\f"
MAX_REOPENED = 8  # inline elements a block in a paragraph may be inside: each is closed before it and opened after


@dataclass(slots=True)
class _Paragraph:
    """A ``<p>`` being read: its start tag, and each block element written inside it."""

    tag: re.Match[str]
    depth: int  # its place in the stack of open elements
    blocks: list[tuple[int, int, tuple[re.Match[str], ...]]] = field(default_factory=list)  # start, end, inside
    content: list[bool] = field(default_factory=lambda: [False])  # text (or an image) before each, and after the last
    broken: bool = False  # a block in it not closed by its own end tag, or inside too many inline elements


@dataclass(slots=True)
class _Opened:
    """An element open in ``_ParagraphCutter``'s reading."""

    name: str
    tag: re.Match[str]
    paragraph: _Paragraph | None  # the paragraph it is phrasing content of (a ``<p>``: its own)
    splits: _Paragraph | None = None  # the paragraph this block element is written inside
    inside: tuple[re.Match[str], ...] = ()  # the inline elements between that paragraph and it


def _paragraph_edits(paragraph: _Paragraph, end: re.Match[str], text: str) -> list[tuple[int, int, str]]:
    """The edits cutting ``paragraph`` (closed by ``end``) into paragraphs around its blocks.

    Between blocks, a run with text is a paragraph of its own (the inline
    elements it is inside closed at its end and opened again at its start,
    spaces at a block's side left out), and a run without is dropped.
    """
    edits: list[tuple[int, int, str]] = []
    bounds = [paragraph.tag.end()]
    for start, stop, _ in paragraph.blocks:
        bounds += (start, stop)
    bounds.append(end.start())
    insides = [(), *(inside for _, _, inside in paragraph.blocks), ()]
    last = len(paragraph.blocks)
    for run in range(last + 1):
        first, after = bounds[2 * run], bounds[2 * run + 1]
        if not paragraph.content[run]:
            edits.append((paragraph.tag.start() if run == 0 else first, end.end() if run == last else after, ""))
            continue
        written = text[first:after]
        if run > 0:
            leading = len(written) - len(written.lstrip(_HTML_SPACE))
            reopened = "".join(tag.group() for tag in insides[run])
            edits.append((first, first + leading, paragraph.tag.group() + reopened))
        if run < last:
            trailing = len(written) - len(written.rstrip(_HTML_SPACE))
            closed = "".join(f"</{tag.group('name')}>" for tag in reversed(insides[run + 1]))
            edits.append((after - trailing, after, closed + "</p>"))
    return edits


class _ParagraphCutter:
    """One reading of a fragment's tags, as the HTML parser would, finding the paragraphs that hold blocks."""

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment
        self.edits: list[tuple[int, int, str]] = []
        self.stack: list[_Opened] = []
        self.open_names: dict[str, int] = {}  # how many elements of each name are open

    def read(self) -> None:
        fragment, position = self.fragment, 0
        while True:
            tag = _RAW_TAG.search(fragment, position)
            top = self.stack[-1] if self.stack else None
            text = fragment[position : len(fragment) if tag is None else tag.start()]
            if top is not None and top.paragraph is not None and text.strip(_HTML_SPACE):
                top.paragraph.content[-1] = True
            if tag is None:
                return
            position = tag.end()
            if tag.group("comment"):  # to its end, or to the end of the text
                close = fragment.find("-->", tag.start() + 2)
                if close < 0:
                    return
                position = close + 3
                continue
            if tag.group("bogus") is not None:
                continue
            if tag.group("unread") is not None or (
                _QUOTE.search(tag.group()) and not _WHOLE_TAG.fullmatch(tag.group())
            ):
                return  # the parser reads on past this "<" or ">": the paragraphs still open are left to it
            name = tag.group("name")
            name = name.lower() if name.isascii() else name  # the parser lowers ASCII letters only
            if tag.group("closing"):
                self.end(name, tag)
            elif name == "plaintext":
                return
            elif name in _RAW_TEXT:
                close_tag = _RAW_TEXT[name].search(fragment, position)
                if close_tag is None:
                    return
                position = close_tag.start()
            else:
                self.start(name, tag, top.paragraph if top is not None else None)

    def start(self, name: str, tag: re.Match[str], around: _Paragraph | None) -> None:
        """A start tag; ``around``: the paragraph whose phrasing content it is, if any."""
        if around is not None and name in CLOSES_P:
            if len(self.stack) - around.depth - 1 > MAX_REOPENED:
                around.broken = True
            inside = () if around.broken else tuple(element.tag for element in self.stack[around.depth + 1 :])
            if name in VOID_ELEMENTS and not around.broken:
                around.blocks.append((tag.start(), tag.end(), inside))
                around.content.append(False)
            opened = _Opened(name, tag, None, around, inside)
        else:
            if around is not None and name == "img":
                around.content[-1] = True
            opened = _Opened(name, tag, around)
        if name in VOID_ELEMENTS:
            return
        if name == "p":
            opened.paragraph = _Paragraph(tag, len(self.stack))
        self.stack.append(opened)
        self.open_names[name] = self.open_names.get(name, 0) + 1

    def end(self, name: str, tag: re.Match[str]) -> None:
        """An end tag: it closes the latest element of its name, and any opened after that (none open: ignored)."""
        if not self.open_names.get(name):
            return
        while True:
            element = self.stack.pop()
            self.open_names[element.name] -= 1
            own = element.name == name
            if element.splits is not None:
                if own:
                    element.splits.blocks.append((element.tag.start(), tag.end(), element.inside))
                    element.splits.content.append(False)
                else:
                    element.splits.broken = True
            if own:
                paragraph = element.paragraph if name == "p" else None
                if paragraph is not None and paragraph.blocks and not paragraph.broken:
                    self.edits += _paragraph_edits(paragraph, tag, self.fragment)
                return


def paragraphs_around_blocks(fragment: str) -> str:
    """``fragment`` with each paragraph holding a block element (``<figure>``, ``<pre>``…) cut around it.

    The HTML parser ends a paragraph at a block's start tag: what followed
    the block was left outside any paragraph and the paragraph's own end
    tag made an empty one (``<p>a </p><figure>…</figure> b<p></p>``). A
    Hugo figure in the middle of a sentence, raw HTML written so: each
    becomes ``<p>a</p><figure>…</figure><p>b</p>``, inside a list item or a
    quote too. The tags are read once, as the parser reads them (comments
    and raw text skipped); a paragraph not read so (one not closed, a block
    in it not closed by its own end tag) is left to the parser.
    """
    if _P_HOLDING_BLOCK.search(fragment) is None:
        return fragment
    cutter = _ParagraphCutter(fragment)
    cutter.read()
    if not cutter.edits:
        return fragment
    pieces, position = [], 0
    for start, end, replacement in sorted(cutter.edits):
        pieces.append(fragment[position:start] + replacement)
        position = end
    return "".join(pieces) + fragment[position:]
