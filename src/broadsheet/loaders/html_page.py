"""HTML files → ``Article``: Pelican's HTML articles, Hugo's and Jekyll's HTML content, saved news pages.

Pelican reads ``<title>`` and ``<meta name="date|authors|tags|category|summary">``;
Hugo and Jekyll put front matter above an HTML body; a page saved from a
news site carries its metadata as JSON-LD (``NewsArticle``), Open Graph and
``article:`` tags, ``<link rel="canonical">``. Each is read, in that order
of trust: front matter, JSON-LD, ``<meta>`` tags, then ``<title>`` (less
the site's name after it) or the body's first ``<h1>``; the result goes
through the same ``normalise`` as front matter, unknown keys kept.

The body is the page's ``<article>`` (else ``<main>``, else ``<body>``, else
the whole file, a fragment), less what is no part of a story: scripts,
styles, navigation, headers, footers, asides, forms and the like, with their
content, and the blocks a news site's own names mark as furniture (``<div
class="share-bar">``, ``<section id="comments">``, ``<ul class="related-links">``,
``<div data-component="tag-list">``, ``<div class="article-tags">``, a
``hidden`` one), as Readability's "unlikely candidates" are, and the blocks
whose text is nearly all links (a tag cloud, a "More from this section"
list named for nothing). A byline cut (``<address>``, class "byline") names
the authors when nothing else does.
It is sanitised as any body (nh3); relative links of a saved page lead to
its own site (its canonical address), those of a content file to the
site's files and articles, as in Markdown.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from ..errors import BroadsheetError
from ..model import Article, Source
from .article import LoadContext, strip_tags
from .frontmatter import split_front_matter
from .html_paragraphs import CLOSES_P, OPTIONAL_END, VOID_ELEMENTS
from .markdown import article_from_html, expand_shortcodes
from .metadata import Meta, normalise
from .sanitize import SANITISED_TAG, SANITISED_VOID, sanitize_html
from .source_text import SourceText

# Elements whose content is no part of the story (``role`` values of the same meaning below).
FURNITURE = frozenset(
    (
        *("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button"),
        *("select", "iframe", "object", "svg", "canvas", "dialog", "menu", "head", "title"),
    )
)
FURNITURE_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu"))
# Blocks whose names (class, id, or a component's name: ``data-component="related-links"``, as the BBC and the
# Guardian write them) call them furniture (any of these in a name: "sharedaddy", "jp-relatedposts", "mostRead",
# "site-footer", "nav-menu"), unless a name names the story's own text ("article-body share-tools" is the story):
# Readability's unlikely candidates. "ad", "ads", "nav", "tags" and "links" count as words only ("header",
# "download", "canvas", "stage" hold them); "commentary" and "commentator" name an opinion piece, not readers'
# comments. "header" is none: a "section-header" holds a story's subheading.
_FURNITURE_PARTS = re.compile(
    "|".join(
        (
            *("share", "social", "comment(?!a)", "disqus", "newsletter", "subscri", "signup", "related"),
            *("recommend", "footer", "menu", "navbar", "navigation", "tag-?list", "tag-?cloud", "topic-?list"),
            *("recirc", "promo", "advert", "adslot", "sponsor", "cookie", "consent", "gdpr", "sidebar", "breadcrumb"),
            *("paywall", "outbrain", "taboola", "popup", "modal", "mostread", "most-read", "toolbar", "pagination"),
            *("pager", "utility", "entry-meta", "post-meta", "submeta"),
        )
    )
)
# "epic": the Guardian's appeal; "meta": a story's byline, date and share line ("article-meta", data-gu-name="meta").
FURNITURE_WORDS = frozenset(("ad", "ads", "nav", "tags", "links", "epic", "meta"))
# Read as class names are: component names (the BBC's data-component, the Guardian's data-gu-name, React's testid).
NAME_ATTRIBUTES = ("id", "data-component", "data-testid", "data-module", "data-gu-name")
# Class names that give a value, not a block's part: WordPress's post_class() names the post's categories and tags
# ("tag-social-media category-advertising" on the post's own block), none of them furniture.
_TAXONOMY_CLASS = re.compile(r"(?<!\S)(?:tag|category)-\S*")
# Blocks no reader sees: screen-reader-only labels ("Image caption, "), and those hidden from assistive technology.
_UNSEEN_CLASS = re.compile(r"sr-only|screen-reader|visually-?hidden", re.I)
# A block so named is the story's own text, whatever else its names say; a list of footnotes or references is the
# story's too, however nearly all links it is.
STORY_WORDS = frozenset(
    ("article", "body", "content", "main", "story", "footnotes", "references", "citations", "endnotes", "bibliography")
)
# A name of the story's part the rest of it calls furniture ("article-tags", "story__related-links", "mainMenu") is
# furniture, as "tags" is; the rest naming anything else ("article-body", "article-footer-notes") is the story's.
STORY_PREFIXES = frozenset(("article", "story", "main"))
# Words naming a block's shape, not what it holds: "share-bar" is as much furniture as "share".
SHAPE_WORDS = frozenset(
    (
        *("bar", "bars", "box", "block", "blocks", "button", "buttons", "container", "wrapper", "wrap", "widget"),
        *("module", "panel", "section", "area", "list", "tools", "icons", "inner", "outer", "top", "bottom"),
    )
)
WRAPPED = frozenset(("main", "h1", "body"))  # what only a block around the story holds, never furniture
CLASSED_BLOCKS = frozenset(("div", "section", "ul", "ol", "span", "details", "figure"))
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
# Blocks whose text is nearly all links' (a tag cloud, an unnamed "More from this section" list) are no part of the
# story: at least this many links, and this share of their text in them. A paragraph is never cut so.
LINK_BLOCKS = frozenset(("div", "section", "ul", "ol"))
MIN_LINKS = 3
LINKED_SHARE = 0.8
MAIN_ELEMENTS = ("article", "main", "body")  # where the story is, the first found of these
_TRACKED = FURNITURE | frozenset(MAIN_ELEMENTS)
ARTICLE_TYPES = frozenset(
    (
        *("Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle"),
        *("BlogPosting", "BackgroundNewsArticle", "ReviewNewsArticle", "Report", "LiveBlogPosting", "TechArticle"),
        "ScholarlyArticle",
    )
)
# <meta> names and properties → the front-matter key they mean, in order of preference (first given wins).
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "title"),
    "date": (
        *("article:published_time", "date", "pubdate", "publishdate", "publish-date", "dc.date.issued"),
        *("dc.date", "parsely-pub-date", "sailthru.date", "og:published_time"),
    ),
    "modified": ("article:modified_time", "modified", "og:updated_time", "dc.date.modified", "lastmod"),
    "authors": ("authors", "author", "article:author", "parsely-author", "sailthru.author", "dc.creator"),
    "tags": ("tags", "keywords", "news_keywords", "article:tag"),
    "category": ("category", "article:section"),
    "summary": ("summary", "description", "og:description", "twitter:description", "dc.description"),
    "source": ("og:site_name", "application-name"),
    "source_url": ("og:url",),
    "image": ("og:image", "og:image:url", "twitter:image", "twitter:image:src"),
}
LISTS = frozenset(("authors", "tags"))  # comma-separated in one tag (Pelican), or one tag each (article:tag)
# "Headline | Site", "Headline - Site", "Headline — Site": the site's name after the headline in <title>.
_TITLE_TAIL = re.compile(r"\s+[|\-–—:·»]\s+[^|\-–—:·»]{1,60}$")
# The first <h1>'s start and end tags, found apart: one search from each "<h1" to an "</h1>" never written read the
# rest of the page each time (160 kB of "<h1>" took 33 s).
_H1_START = re.compile(r"\s*<h1\b[^>]*+>", re.I)
_H1_END = re.compile(r"</h1\s*+>", re.I)
_TAG = re.compile(r"<[^>]*>")
_TITLE_TAILS = re.compile(r"(?:\s+[|\-–—:·»]\s+[^|\-–—:·»]{1,60})+")  # " - Section | Site" after a headline
MAX_TAILS = 200  # characters after the headline in <title> read as the site's name and section, at most
_H2_EDGE = re.compile(r"(?<!\n)(?=<h2[\s>])|(?<=</h2>)(?!\n)")
# Two line breaks or more, as older pages and blog editors end a paragraph: "<br><br>", "<br />\n<br />".
_BREAKS = re.compile(r"<br\s*+/?>(?:(?:\s|&nbsp;)*+<br\s*+/?>)++", re.I)
# <div>s sanitising left empty.
_EMPTY_DIV = re.compile(r'<div(?: dir="[^"]*")?>\s*</div>')
MAX_LIFTED = 8  # <div>s a heading may be lifted out of: each is closed before it and opened again after


FOREIGN_ROOT = (
    " is a path on the site the page was saved from, whose address the page does not give"
    ' (add <link rel="canonical" href="https://…"> to the page, and its links lead there)'
)
_COLLECTED_UNTIL = {"title": "title", "json-ld": "script", "h1": "h1"}  # what is collected, and the end tag ending it


class PageReader(HTMLParser):
    """One pass over a page: its ``<title>``, ``<meta>`` tags, JSON-LD, canonical link, and where its parts are."""

    def __init__(self, text: str, link_lists: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.link_lists = link_lists  # whether blocks of nearly nothing but links are cut
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.title = ""
        self.h1 = ""  # the page's first <h1>, wherever it is (an article's <header> is cut from the story)
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""
        self.json_ld: list[str] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}  # article/main/body elements: (content start, end)
        self.furniture: list[tuple[int, int]] = []  # furniture elements, whole (disjoint and sorted once read)
        self.bylines: list[tuple[int, int]] = []  # bylines cut (``<address>``, class "byline"): their content
        self._cut_starts: list[int] = []
        # Elements of any name open that their attributes mark (_Marked), outermost first, and for each tag the
        # indexes of its own (the innermost is the last): their end tags are counted, as only they close them.
        self._classed: list[_Marked] = []
        self._classed_by_tag: dict[str, list[int]] = {}
        self._wrapped_at = 0  # the blocks named furniture below this index hold the <h1> or <main>: not furniture
        self._open: list[tuple[str, int, int]] = []  # tracked elements open: (tag, start, content start)
        self._opened: dict[str, int] = {}  # how many of each name are open: an end tag of none needs no look
        self._in: str = ""  # "title", "json-ld" or "h1": the text being collected (_COLLECTED_UNTIL)
        self._collected: list[str] = []
        # For link-dense blocks: the LINK_BLOCKS open (name, start, whether a name of it names the story), and
        # those closed (start, end) not so named; the text read (where, how many characters, whether in a link);
        # where each link and each element only a block around the story holds (WRAPPED) starts.
        self._blocks: list[tuple[str, int, bool]] = []
        self._blocks_open: dict[str, int] = {}
        self._closed_blocks: list[tuple[int, int]] = []
        self._texts: list[tuple[int, int, bool]] = []
        self._links: list[int] = []
        self._wrapped: list[int] = []
        self._in_link = False

    def _position(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content", "").strip():
                self.meta.setdefault(key, []).append(values["content"].strip())
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "").strip()
        elif tag == "title" and not self.title:
            self._in, self._collected = "title", []
        elif tag == "h1" and not self.h1 and not self._in:
            self._in, self._collected = "h1", []
        elif tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
            self._in, self._collected = "json-ld", []
        role = values.get("role", "").lower()
        if tag in MAIN_ELEMENTS:
            self._end("head", self._position())  # a page's content closes its <head>, written or not
        if tag in WRAPPED:  # the blocks open are not furniture but the page around the story ("has-sidebar")
            self._wrapped_at = len(self._classed)
            self._wrapped.append(self._position())
        if tag == "a":
            self._in_link = True  # an <a> inside another ends it, as the parser reads them
            self._links.append(self._position())
        elif tag in CLOSES_P:
            self._in_link = False  # one left open is not read on into the next block: a story is never cut for it
        said = _names_say(values) if values and tag in CLASSED_BLOCKS else (False, False)
        if tag in LINK_BLOCKS:
            self._blocks.append((tag, self._position(), said[1]))
            self._blocks_open[tag] = self._blocks_open.get(tag, 0) + 1
        if self._classed and self._classed[-1].tag == "p" and tag in CLOSES_P:
            at = self._position()
            self._cut_classed(self._classed[-1].start, at, at)  # a block's start ends the paragraph open
        kind = _marked_as(tag, role, values, said)
        if kind:
            start = self._position()
            if kind == "main":
                self._wrapped.append(start)
            self._classed_by_tag.setdefault(tag, []).append(len(self._classed))
            self._classed.append(_Marked(tag, kind, start, start + len(self.get_starttag_text() or "")))
        elif self._classed_by_tag.get(tag):
            self._classed[self._classed_by_tag[tag][-1]].depth += 1
        if tag in _TRACKED:
            start = self._position()
            self._open.append((tag, start, start + len(self.get_starttag_text() or "")))
            self._opened[tag] = self._opened.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == _COLLECTED_UNTIL[self._in]:
            text = "".join(self._collected)
            if self._in == "json-ld":
                self.json_ld.append(text)
            elif self._in == "title":
                self.title = " ".join(text.split())
            else:
                self.h1 = " ".join(text.split())
            self._in = ""
        end = self._position()
        after = self.text.find(">", end) + 1 or len(self.text)
        if tag == "a" or tag in LINK_BLOCKS:
            self._in_link = False
        if self._blocks_open.get(tag):
            while True:  # it closes the blocks opened in it and left open
                name = self._close_block(after)
                if name == tag:
                    break
        if self._classed_by_tag.get(tag):
            marked = self._classed[self._classed_by_tag[tag][-1]]
            marked.depth -= 1
            if not marked.depth:
                self._cut_classed(marked.start, end, after)
        self._end(tag, end, after)

    def _end(self, tag: str, end: int, after: int | None = None) -> None:
        """Close the innermost open element named ``tag`` (and those inside it) at ``end``, if one is open."""
        if not self._opened.get(tag):
            return
        for depth in range(len(self._open) - 1, -1, -1):
            name, start, content = self._open[depth]
            if name == tag:
                self._cut_classed(start + 1, end, end)  # an element they are inside ends: so do they
                while self._blocks and self._blocks[-1][1] > start:
                    self._close_block(end)
                for inner, _, _ in self._open[depth:]:
                    self._opened[inner] -= 1
                del self._open[depth:]
                self._close(name, start, content, end, end if after is None else after)
                return

    def _cut_classed(self, start: int, end: int, after: int) -> None:
        """Close the marked elements open that start at ``start`` or after it (an unclosed one with them) at ``end``
        (their end tag's, which ends at ``after``): cut the furniture, note a ``role="main"`` as a ``<main>``."""
        while self._classed and self._classed[-1].start >= start:
            marked = self._classed.pop()
            self._classed_by_tag[marked.tag].pop()
            if marked.kind == "main":
                self.spans.setdefault("main", []).append((marked.content, end))
                continue
            if marked.kind == "byline":
                self.bylines.append((marked.content, end))
            if marked.kind != "named" or len(self._classed) >= self._wrapped_at:
                self.furniture.append((marked.start, after))
        self._wrapped_at = min(self._wrapped_at, len(self._classed))

    def _close_block(self, end: int) -> str:
        """Close the innermost link block open at ``end``: its name."""
        name, start, story = self._blocks.pop()
        self._blocks_open[name] -= 1
        if not story:
            self._closed_blocks.append((start, end))
        return name

    def handle_data(self, data: str) -> None:
        if self._in:
            self._collected.append(data)
        if self._blocks and self.link_lists:  # only a block's text is weighed
            length = len(data.strip())
            if length:
                self._texts.append((self._position(), length, self._in_link))

    def _close(self, name: str, start: int, content: int, end: int, after: int) -> None:
        if name in MAIN_ELEMENTS:
            self.spans.setdefault(name, []).append((content, end))
        else:
            self.furniture.append((start, after))

    def finish(self) -> None:
        """Close what the page left open: to its end; merge the furniture into disjoint stretches."""
        self.close()
        self._cut_classed(0, len(self.text), len(self.text))
        for name, start, content in self._open:
            self._close(name, start, content, len(self.text), len(self.text))
        while self._blocks:
            self._close_block(len(self.text))
        self._merge_furniture()
        dense = self._link_dense() if self.link_lists else []
        if dense:
            self.furniture += dense
            self._merge_furniture()

    def _merge_furniture(self) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(self.furniture):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.furniture = merged
        self._cut_starts = [start for start, _ in merged]

    def _link_dense(self) -> list[tuple[int, int]]:
        """The blocks inside the story whose text, less the furniture's, is nearly all links' (``LINKED_SHARE``,
        ``MIN_LINKS``): not one holding the headline or ``<main>``, nor one a name of which names the story."""
        if len(self._links) < MIN_LINKS or not self._closed_blocks:
            return []
        at, total, linked = [], [0], [0]  # the text outside furniture: where each piece is, and running sums
        for position, length, in_link in self._texts:
            if not self._in_furniture(position):
                at.append(position)
                total.append(total[-1] + length)
                linked.append(linked[-1] + (length if in_link else 0))
        links = [position for position in self._links if not self._in_furniture(position)]
        story_start, story_end = self._story()
        dense: list[tuple[int, int]] = []
        for start, end in self._closed_blocks:
            if not story_start <= start < story_end or self._in_furniture(start):
                continue
            if bisect_left(links, end) - bisect_left(links, start) < MIN_LINKS:
                continue
            first, last = bisect_left(at, start), bisect_left(at, end)
            text = total[last] - total[first]
            if not text or linked[last] - linked[first] < LINKED_SHARE * text:
                continue
            if bisect_left(self._wrapped, end) == bisect_left(self._wrapped, start):  # none inside it
                dense.append((start, end))
        return dense

    def _in_furniture(self, at: int) -> bool:
        index = bisect_right(self._cut_starts, at) - 1
        return index >= 0 and at < self.furniture[index][1]

    def _story(self) -> tuple[int, int]:
        """Where the story is: the longest ``<article>`` not inside furniture (a related story's card in an
        ``<aside>`` is not the story), else such a ``<main>``, ``<body>``, else the whole text."""
        for name in MAIN_ELEMENTS:
            spans = [span for span in self.spans.get(name, ()) if not self._in_furniture(span[0])]
            if spans:
                return max(spans, key=lambda span: (span[1] - span[0], -span[0]))
        return 0, len(self.text)

    def body(self) -> str:
        """The story's HTML, furniture cut out."""
        start, end = self._story()
        pieces: list[str] = []
        at = start
        for cut_start, cut_end in self.furniture:
            if cut_end <= at or cut_start >= end:
                continue
            pieces += (self.text[at : max(at, cut_start)], " ")  # a space: the text around a block cut stays apart
            at = max(at, cut_end)
        pieces.append(self.text[at:end] if at < end else "")
        return "".join(pieces)


@dataclass(slots=True)
class _Marked:
    """An element its attributes mark: furniture by its names ("named": not if it holds the headline or
    ``<main>``), by its ``role`` ("role"), a byline ("byline": ``<address>``, class or id "byline"), or the
    page's main content (``role="main"``: "main")."""

    tag: str
    kind: str
    start: int
    content: int  # where its content starts, after its start tag
    depth: int = 1  # elements of its name open in it, and it


def _marked_as(tag: str, role: str, attributes: dict[str, str], said: tuple[bool, bool]) -> str:
    """How an element's attributes mark it (``_Marked.kind``), "" if they do not; void elements never are.
    ``said``: what its names say (``_names_say``)."""
    if tag in _TRACKED or tag in VOID_ELEMENTS or tag in OPTIONAL_END:
        # Tracked by name (a <nav role="navigation"> is furniture anyway); a void one holds nothing; one whose end
        # tag may be left out would be closed only by its parent's (a <p> is ended by a block, as the parser ends it).
        return ""
    if role in FURNITURE_ROLES:
        return "role"
    if tag == "address" or (attributes and "byline" in _all_names(attributes)):
        return "byline"
    if role == "main":
        return "main"
    return "named" if tag in CLASSED_BLOCKS and _named_furniture(attributes, said) else ""


def _named_furniture(attributes: dict[str, str], said: tuple[bool, bool]) -> bool:
    """Whether a block's ``hidden`` or ``aria-hidden`` attribute, or its names (``said``), say it is no part of the
    story."""
    if not attributes:
        return False
    if "hidden" in attributes or attributes.get("aria-hidden", "").strip().lower() == "true":
        return True
    if _UNSEEN_CLASS.search(attributes.get("class", "")):
        return True
    return said[0] and not said[1]


def _all_names(attributes: dict[str, str]) -> str:
    """A block's class, id and component names, lowered, in one string."""
    return " ".join([attributes[name] for name in ("class", *NAME_ATTRIBUTES) if name in attributes]).lower()


def _names(attributes: dict[str, str]) -> list[str]:
    """A block's names: its classes (less WordPress's categories and tags), id and component names."""
    classes = attributes.get("class")
    names = _TAXONOMY_CLASS.sub("", classes).split() if classes else []
    for attribute in NAME_ATTRIBUTES:
        if attribute in attributes:
            names += attributes[attribute].split()
    return names


def _names_say(attributes: dict[str, str]) -> tuple[bool, bool]:
    """Whether a name of the block's calls it furniture, and whether one names the story's own text."""
    furniture = story = False
    for name in _names(attributes):
        name_furniture, name_story = _name_says(name)
        furniture, story = furniture or name_furniture, story or name_story
    return furniture, story


@lru_cache(maxsize=4096)
def _name_says(name: str) -> tuple[bool, bool]:
    """Whether one name calls its block furniture, and whether it names the story's own text (a page repeats its
    names: each is read once)."""
    words = [word.lower() for word in _WORD.findall(name)]
    named = _FURNITURE_PARTS.search(name.lower()) is not None or not FURNITURE_WORDS.isdisjoint(words)
    if named and words and words[0] in STORY_PREFIXES and _furniture_only(words[1:]):
        return True, False  # "article-share": the story's share bar
    if not STORY_WORDS.isdisjoint(words):
        return False, True
    return named, False


def _furniture_only(words: list[str]) -> bool:
    """Whether ``words`` (a name's, after "article") call a block furniture and say nothing else: "share", "tags",
    "related-links", "share-bar"; not "footer-notes" or "related-content"."""
    furniture = False
    for word in words:
        if _FURNITURE_PARTS.search(word) is not None or word in FURNITURE_WORDS:
            furniture = True
        elif word not in SHAPE_WORDS:
            return False
    return furniture


# ``<![CDATA[`` in HTML is a bogus comment up to the next ``>``, as browsers read it; html.parser reads on to "]]>".
_MARKED_SECTION = re.compile(r"<!\[[^>]*+>?")


def read_page(text: str, link_lists: bool = False) -> PageReader:
    """A page read: marked sections taken out as browsers do, then parsed once. ``link_lists``: cut the blocks of
    nearly nothing but links too, as a saved page's are (an HTML newsletter's list of links is its story)."""
    text = _MARKED_SECTION.sub("", text) if "<![" in text else text
    reader = PageReader(text, link_lists)
    reader.feed(text)
    reader.finish()
    return reader


def page_metadata(reader: PageReader) -> dict[str, Any]:
    """What the page says of itself, as front-matter keys: JSON-LD first, then ``<meta>`` tags, then ``<title>``."""
    data: dict[str, Any] = {}
    for key, names in META_KEYS.items():
        values = next((reader.meta[n] for n in names if n in reader.meta), None)
        if values is None:
            continue
        if key in LISTS:
            data[key] = _comma_list(values)
        else:
            data[key] = values[0]
    if reader.canonical:
        data["source_url"] = reader.canonical
    for key, value in _json_ld(reader.json_ld).items():
        data[key] = value
    if "title" not in data and reader.title:
        site = data.get("source", "")
        tail = _TITLE_TAIL.search(reader.title)
        # "Headline | The Site", or the site's name after a dash: "Talks stall - what next" keeps its tail.
        if tail is not None and (tail.group(0).lstrip()[0] == "|" or (site and site.lower() in tail.group(0).lower())):
            data["title"] = reader.title[: tail.start()]
        else:
            data["title"] = reader.title
    return {key: value for key, value in data.items() if value}


def _json_ld(blocks: list[str]) -> dict[str, Any]:
    """Headline, dates, authors, publisher, description, keywords and image of the page's article object."""
    article = next(_articles(blocks), None)
    if article is None:
        return {}
    publisher = article.get("publisher")
    found: dict[str, Any] = {
        "title": _text(article.get("headline") or article.get("name")),
        "date": _text(article.get("datePublished")),
        "modified": _text(article.get("dateModified")),
        "authors": [name for name in map(_name, _as_list(article.get("author"))) if name],
        "summary": _text(article.get("description")),
        "source": _name(publisher) if isinstance(publisher, dict) else "",
        "image": next((url for url in map(_url_of, _as_list(article.get("image"))) if url), ""),
    }
    found["tags"] = _comma_list([k for k in _as_list(article.get("keywords")) if isinstance(k, str)])
    return {key: value for key, value in found.items() if value}


def _comma_list(values: list[str]) -> list[str]:
    """Names given in one string each or comma-separated in one ("thats, awesome"), once each; no URL."""
    items = dict.fromkeys(part.strip() for value in values for part in value.split(","))
    return [item for item in items if item and not item.startswith(("http://", "https://"))]


def _articles(blocks: list[str]) -> Iterator[dict[str, Any]]:
    """The objects of the JSON-LD blocks whose ``@type`` is an article's, in order (``@graph`` looked into)."""
    for block in blocks:
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue  # a page's broken JSON-LD is no reason to refuse its story
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = {t for t in _as_list(item.get("@type")) if isinstance(t, str)}
                if types & ARTICLE_TYPES:
                    yield item
                stack.extend(_as_list(item.get("@graph")))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str:
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else ""


def _name(value: Any) -> str:
    """A person's or organisation's name: a string, or an object's ``name``; never a URL."""
    name = _text(value.get("name")) if isinstance(value, dict) else _text(value)
    return "" if name.startswith(("http://", "https://")) else name


def _url_of(value: Any) -> str:
    return _text(value.get("url") or value.get("contentUrl")) if isinstance(value, dict) else _text(value)


def parse_html_page(src: SourceText, ctx: LoadContext) -> Article:
    """Parse an HTML article: front matter (if any), the page's own metadata, and its story."""
    front = split_front_matter(src.text, src.relpath)
    page = front.body
    if front.data:  # a Hugo or Jekyll content file: its shortcodes and tags are expanded, as they expand them
        page = expand_shortcodes(page, front.data, src.relpath, front.body_line, ctx)
    try:
        reader = read_page(page, link_lists=True)
    except RecursionError:
        raise BroadsheetError("HTML nested too deeply to read", src.relpath, front.body_line) from None
    data = {**page_metadata(reader), **front.data}  # front matter wins over what the page says
    meta = normalise(data, ctx.config.tz, src.relpath, front.key_lines)
    if not meta.authors:
        _authors_from_bylines(reader, meta)
    body = reader.body()
    h1 = _first_h1(body)  # the headline, at the story's top or in the blocks around it: shown once, above it
    if h1 is not None:
        title = " ".join(html.unescape(_TAG.sub("", body[h1[1] : h1[2]])).split())
        meta.title = title if "title" not in front.data and _site_after(meta.title, title) else meta.title or title
        if title == meta.title:
            body = body[: h1[0]] + body[h1[3] :]
    meta.title = meta.title or reader.h1
    if not meta.title:
        raise BroadsheetError("no headline: give the page a <title>, an <h1> or 'title:' front matter", src.relpath)
    base = reader.canonical or next(iter(reader.meta.get("og:url", ())), "")  # a saved page's own address
    known = base.startswith(("http://", "https://"))
    try:
        body_html = sanitize_html(_BREAKS.sub("<p>", body), base_url=base if known else None)
    except RecursionError:
        raise BroadsheetError("HTML nested too deeply to read", src.relpath, front.body_line) from None
    body_html = _without_first_heading(_headings_lifted(body_html), meta.title)
    body_html = _H2_EDGE.sub("\n", body_html)  # each heading on a line of its own, where sections are cut
    # A page saved from a site (no front matter) that gives no address of its own: its "/…" paths are that site's.
    foreign = "" if front.data or known else FOREIGN_ROOT
    return article_from_html(src, meta, body_html, front.body, front.body_line, ctx, "html", foreign)


# Where a byline's parts meet: "By Jane Doe | 3 March 2025", "Jane Doe · Reporter".
_BYLINE_PARTS = re.compile(r"\s*(?:[|•·\n]|\s-\s)\s*")
# Where a byline's lines meet: its blocks' edges ("<div>By Tom Oakes</div><div>BBC News, Cornwall</div>").
_BYLINE_LINES = re.compile(r"<(?:/?(?:div|p|li|h[1-6])|br)\b[^>]*+>", re.I)
MAX_UNSIGNED_BYLINE = 8  # words of a byline without "By" ("Jane Doe and Omar Ali, Reuters")


def _authors_from_bylines(reader: PageReader, meta: Meta) -> None:
    """The authors (and a wire agency, as the source) of the first byline the page's story cut that reads as one:
    a page without JSON-LD or ``<meta>`` authors names them only there."""
    from .bylines import parse_byline  # its patterns compile on first use: most sites never need them

    for start, end in reader.bylines:
        written = reader.text[start:end]
        text = html.unescape(_TAG.sub("\n", written))  # each element's text a part of its own
        parts = [" ".join(part.split()) for part in _BYLINE_PARTS.split(text) if part.strip()]
        lines = html.unescape(_TAG.sub(" ", _BYLINE_LINES.sub("\n", written))).split("\n")
        lines = [" ".join(line.split()) for line in lines if line.strip()]
        for candidate in (*(lines if len(lines) > 1 else ()), " ".join(text.split()), *parts):
            unsigned = 2 <= len(candidate.split()) <= MAX_UNSIGNED_BYLINE and not candidate.lower().startswith("by ")
            byline = parse_byline(candidate) or (parse_byline("By " + candidate) if unsigned else None)
            if byline is not None and byline.authors:
                meta.authors = byline.authors
                if byline.agencies and meta.source is None:
                    meta.source = Source(name=byline.agencies[0])
                return


def _first_h1(body: str) -> tuple[int, int, int, int] | None:
    """Where the first ``<h1>`` is: its start, its content's start and end, and its end; None if it is not closed."""
    start = _H1_START.search(body)
    end = _H1_END.search(body, start.end()) if start is not None else None
    if start is None or end is None:
        return None
    return start.start(), start.end(), end.start(), end.end()


def _site_after(title: str | None, headline: str) -> bool:
    """Whether ``title`` is ``headline`` and the site's name after it ("Headline - Town Crier"): the ``<h1>``
    says where the headline ends when no ``og:site_name`` does."""
    if not title or not headline or not title.startswith(headline):
        return False
    tail = title[len(headline) :]
    return len(tail) <= MAX_TAILS and _TITLE_TAILS.fullmatch(tail) is not None


def _without_first_heading(body_html: str, headline: str) -> str:
    """``body_html`` less its first ``<h2>`` if that is the headline, shown above it (a theme's
    ``<h2 class="entry-title">``, or a page's ``<h1>`` after the one left out, moved to ``<h2>``)."""
    start = body_html.find("<h2>")
    end = body_html.find("</h2>", start)
    if start < 0 or end < 0 or strip_tags(body_html[start + 4 : end]) != headline:
        return body_html
    return body_html[:start] + body_html[end + 5 :]


def _headings_lifted(body_html: str) -> str:
    """``body_html`` with each ``<h2>`` inside ``<div>``s only (a saved page's "entry-content", sanitised) lifted
    out of them, the ``<div>``s closed before it and opened again after: sections are cut at top-level headings
    only, so a saved story's subheadings cut none. One in a quote or list stays, as in Markdown."""
    if "<h2" not in body_html or "<div" not in body_html:
        return body_html
    edits: list[tuple[int, str]] = []
    stack: list[re.Match[str]] = []
    for tag in SANITISED_TAG.finditer(body_html):
        name = tag.group(2)
        if tag.group(1):
            if stack and stack[-1].group(2) == name:
                stack.pop()
        elif name == "h2" and stack and len(stack) <= MAX_LIFTED and all(o.group(2) == "div" for o in stack):
            end = body_html.find("</h2>", tag.end())
            if end >= 0:
                edits += ((tag.start(), "</div>" * len(stack)), (end + 5, "".join(o.group() for o in stack)))
        elif name not in SANITISED_VOID:
            stack.append(tag)
    if not edits:
        return body_html
    pieces: list[str] = []
    at = 0
    for position, inserted in edits:
        pieces += (body_html[at:position], inserted)
        at = position
    lifted = "".join((*pieces, body_html[at:]))
    for _ in range(MAX_LIFTED):  # the <div>s left empty, innermost first
        lifted, emptied = _EMPTY_DIV.subn("", lifted)
        if not emptied:
            break
    return lifted
