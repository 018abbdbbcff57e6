"""Markdown with front matter (``content/**/*.md``) → ``Article``.

The body is converted once with one reused python-markdown instance, then
sanitised with nh3 and split into sections at its top-level ``<h2>``
headings, so footnotes and reference links work across sections.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import markdown as md
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from ..errors import BroadsheetError
from ..model import Article, Section, evolve
from .article import LoadContext, build_article, strip_tags
from .article_links import SCHEME, line_of, marker_for
from .assets import (
    IMAGE_SUFFIXES,
    content_folder,
    link_from_article,
    locate,
    query_and_fragment,
    read_image_file,
    site_path_of,
)
from .frontmatter import split_front_matter
from .markdown_guard import INLINE_MARKUP_CHARACTERS, defuse, restore
from .metadata import Meta, normalise
from .sanitize import SANITISED_TAG, SANITISED_VOID, images_as_text, sanitize_html
from .shortcodes import expand
from .source_text import SourceText

EXTENSIONS = ["extra", "sane_lists"]


def extensions() -> list[Extension]:
    """EXTENSIONS as fresh instances ("extra" is these seven, in this order), for one converter.

    Named extensions make python-markdown read the entry points of every
    installed distribution (16 ms, once per process: a tenth of a
    one-article rebuild's parsing); instances need no lookup. The tests
    check the output is the named extensions' own.
    """
    return [
        FencedCodeExtension(),
        FootnoteExtension(),
        AttrListExtension(),
        DefListExtension(),
        TableExtension(),
        AbbrExtension(),
        MarkdownInHtmlExtension(),
        SaneListExtension(),
    ]


_H1 = re.compile(r"\A\s*#\s+(?P<title>.+?)\s*#*\s*(?:\n|\Z)")
# An <h2> at the start of a line. Was ``^<h2(?:\s[^>]*)?>…`` (re.M): opening with "^", it was tried at every
# position of the body; opening with the literal "<h2" (the line start checked behind it) lets ``re`` skip in C.
_H2 = re.compile(r"<h2(?<![^\n]<h2)(?:\s[^>]*)?>(?P<heading>.*?)</h2>\s*$", re.M | re.S)
# Where a block starts or ends: a block's text is a paragraph of its own, never joined to the text around it. A
# figure in a list item's text (``- a {{< figure >}} b``) is no part of the text before it, whose last words its
# caption was read as; a heading or text in a ``<div>`` of a saved page was read with the paragraph after it.
_BLOCKS = (
    "p|li|blockquote|h[1-6]|pre|td|th|dd|dt|figure|figcaption|div|section|article|ul|ol|dl|table|tr|details|summary"
)
_BLOCK_EDGE = re.compile(f"</?(?:{_BLOCKS})(?:\\s[^<>]*)?>", re.I)


# Each inline pattern python-markdown has with EXTENSIONS (INLINE_PATTERNS) matches only text holding
# one of the inline markup characters or two spaces before a line break.
INLINE_PATTERNS = frozenset(
    [
        "backtick",
        "escape",
        "footnote",
        "reference",
        "link",
        "image_link",
        "image_reference",
        "short_reference",
        "short_image_ref",
        "autolink",
        "automail",
        "linebreak",
        "html",
        "entity",
        "em_strong",
    ]
)
# Was ``re.compile(INLINE_MARKUP_CHARACTERS + r"|  \n")``: a pattern opening with an alternation is tried at
# every position of the text; a character class alone lets ``re`` skip to a candidate in C (twice as fast).
_INLINE_MARKUP = re.compile(INLINE_MARKUP_CHARACTERS)
_LINE_BREAK = "  \n"  # two spaces before a line break: python-markdown's <br>
INLINE_PRIORITY = 20  # python-markdown's own priority for its "inline" tree processor


class _MarkupOnlyInline(md.treeprocessors.InlineProcessor):
    """python-markdown's inline processor, passing over text that no inline pattern can match.

    It runs every pattern's regular expression over every text of the tree,
    and most paragraphs of news copy hold no inline markup at all (nine in
    ten of the benchmark's): those searches were a tenth of the time of
    loading an article there.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if _INLINE_MARKUP.search(data) is None and _LINE_BREAK not in data:
            return data
        handle: Callable[[str, int], str] = super()._InlineProcessor__handleInline  # type: ignore[misc]
        return handle(data, patternIndex)


def markdown_converter() -> md.Markdown:
    """The python-markdown instance documents are converted with: EXTENSIONS, ``skip_markup_free_text``."""
    return skip_markup_free_text(md.Markdown(extensions=extensions(), output_format="html"))


def skip_markup_free_text(converter: md.Markdown) -> md.Markdown:
    """``converter`` with an inline processor that passes over markup-free text, if that is exact for it.

    It is exact for the inline patterns named in INLINE_PATTERNS; with any
    other set (another python-markdown, another extension) the stock
    processor stays.
    """
    patterns = converter.inlinePatterns
    if len(patterns) == len(INLINE_PATTERNS) and all(name in patterns for name in INLINE_PATTERNS):
        converter.treeprocessors.register(_MarkupOnlyInline(converter), "inline", INLINE_PRIORITY)
    return converter


class _Converter:
    """One python-markdown instance per process, reset between documents."""

    def __init__(self) -> None:
        self._md: md.Markdown | None = None

    def __call__(self, text: str) -> str:
        if self._md is None:
            self._md = markdown_converter()
        self._md.reset()
        try:
            return self._md.convert(text)
        except BaseException:
            # reset() does not clear the block parser's state stack: a conversion cut short
            # (RecursionError on hostile nesting) would corrupt every later document.
            self._md = None
            raise


convert_markdown = _Converter()


# A link or image (as nh3 writes it) whose URL is a path relative to the page (not "#…", "/…" or a scheme):
# "photo.jpg", "other.md", Pelican's "{filename}other.md". The page is at articles/SLUG/, where no such file is.
_REF = (
    r'<(?P<tag>a|img)(?P<before>(?:\s[a-z-]+="[^"]*")*?)\s(?:href|src)="(?P<url>{url})"'
    r'(?P<after>(?:\s[a-z-]+="[^"]*")*)\s*/?>'
)
_RELATIVE_REF = re.compile(_REF.format(url=r'(?![a-zA-Z][a-zA-Z0-9+.\-]*:|#|/)[^"]*'))
# A path from a site's root ("/wp-content/uploads/a.jpg"; not "//host/…", which names its host).
_ROOT_REF = re.compile(_REF.format(url=r'/(?!/)[^"]*'))
# A link to a part of the page: "#fn:1" (a footnote, whose id nh3 keeps), "#details" (a heading id it does not).
_FRAGMENT_REF = re.compile(
    r'<(?P<tag>a)(?P<before>(?:\s[a-z-]+="[^"]*")*?)\shref="(?P<url>#[^"]+)"(?P<after>(?:\s[a-z-]+="[^"]*")*)>'
)
_ID = re.compile(r'\sid="([^"]*)"')
_REL = re.compile(r'\srel="[^"]*"')
# A link left out, as ``drop`` marks it (no input holds a NUL: codepoints.clean), with what it holds up to its end
# tag: html5ever never nests a link in another, and escapes every "<" of text.
_DROPPED = "<a\0>"
_DROPPED_LINK = re.compile(r"<a\0>((?:[^<]|<(?!/?a[\s/>]))*+)</a>")
_ALT = re.compile(r'\salt="([^"]*)"')
_SIZED = re.compile(r'\s(?:width|height)="')
RELATIVE = ", relative to the article's file, is not on the built site"
RELATIVE_ADVICE = (
    " (give a full https:// URL, or a path from the site's root such as /static/photo.jpg; images, sound, video,"
    " PDF and CSV files of the content folder are published)"
)
NO_ANCHOR = " goes to no anchor in the article (headings' own ids are not kept)"
NOT_AN_IMAGE = " names an article, not an image"


def drop_unresolvable_refs(
    fragment: str,
    publish: Callable[[str], tuple[str | None, str]] = lambda url: (None, RELATIVE),
    size_of: Callable[[str], tuple[int, int] | None] = lambda url: None,
    foreign_root: str = "",
) -> tuple[str, list[tuple[str, str]]]:
    """``fragment`` without the links and images it cannot resolve on the built site: (URL, why) of each.

    A page-relative path would resolve against the article's page: it stays
    only when ``publish`` gives the URL of the file the site publishes for
    it (assets.py), or the marker of the article it names (article_links.py),
    with the link changed to that; else it says why not. A
    ``#fragment`` that no ``id`` in the article has (heading ids are not
    kept) goes nowhere. A link left out is its text alone (a link without
    ``href`` would still be one to screen readers and styles); an image is
    replaced by its alt text. An image published gets the ``width`` and
    ``height`` its file declares (``size_of``), unless it has either. A path
    from the root (``/wp-content/…``) names a file of this site, unless the
    text's root is another site's, one whose address is not known: then it
    goes nowhere either, and ``foreign_root`` says why.
    """
    dropped: list[tuple[str, str]] = []

    def drop(ref: re.Match[str], why: str) -> str:
        dropped.append((html.unescape(ref.group("url")), why))
        attributes = ref.group("before") + ref.group("after")
        if ref.group("tag") == "img":
            alt = _ALT.search(attributes)
            return alt.group(1) if alt else ""  # already escaped as an attribute: as text it reads the same
        return _DROPPED

    def relative(ref: re.Match[str]) -> str:
        url = html.unescape(ref.group("url"))
        published, why = publish(url)
        if published is None:
            return drop(ref, why)
        if published.startswith(SCHEME):  # another article: a link within the site (article_links), no rel
            if ref.group("tag") == "img":
                return drop(ref, NOT_AN_IMAGE)
            return f'<a{_REL.sub("", ref.group("before") + ref.group("after"))} href="{html.escape(published)}">'
        start, end = ref.span("url")
        whole = ref.group(0)
        tag = whole[: start - ref.start()] + html.escape(published) + whole[end - ref.start() :]
        if ref.group("tag") == "img" and not _SIZED.search(whole) and (size := size_of(url)) is not None:
            tag = f'{tag.rstrip("/> ")} width="{size[0]}" height="{size[1]}">'
        return tag

    if ' href="' not in fragment and ' src="' not in fragment:
        return fragment, dropped
    fragment = _RELATIVE_REF.sub(relative, fragment)
    if foreign_root and '="/' in fragment:
        fragment = _ROOT_REF.sub(lambda ref: drop(ref, foreign_root), fragment)
    if ' href="#' in fragment:
        ids = set(_ID.findall(fragment))
        fragment = _FRAGMENT_REF.sub(
            lambda ref: ref.group(0) if ref.group("url")[1:] in ids else drop(ref, NO_ANCHOR), fragment
        )
    if dropped and _DROPPED in fragment:
        fragment = _DROPPED_LINK.sub(r"\1", fragment).replace(_DROPPED, "<a>")  # an end tag not found: as it was
    return fragment, dropped


# What python-markdown's footnotes add to the text (after nh3): the reference marks and the list of notes.
_FOOTNOTE_MARK = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_FOOTNOTES = re.compile(r'<div>\s*<hr>\s*<ol>\s*<li id="fn[^"]*">.*?</ol>\s*</div>', re.S)
_BREAK = re.compile(r"<br\s*/?>")


def paragraphs_of(fragment: str) -> tuple[str, ...]:
    """Plain text of each block (paragraph, list item, quote) of sanitised HTML.

    This is the text summaries and enrichment read, so footnotes stay out of
    it (a lead ending "evening.[^1]" read "evening.1", and a summary could
    be a note with its "↩"), and a line break is a space ("table<br>line"
    read "tableline"). The page shows the HTML, footnotes and all.
    """
    if 'id="fn' in fragment:
        fragment = _FOOTNOTES.sub("", _FOOTNOTE_MARK.sub("", fragment))
    if "<br" in fragment:
        fragment = _BREAK.sub(" ", fragment)
    pieces = _BLOCK_EDGE.split(fragment)  # every other one the line break between two blocks: no text
    return tuple(text for text in (strip_tags(p) for p in pieces if p and not p.isspace()) if text)


def _top_level_h2(body_html: str) -> Iterator[re.Match[str]]:
    """The ``<h2>`` headings of ``body_html`` that no other element holds.

    One in a quote, a list item or a ``<div markdown="1">`` begins a line
    too, and cutting a story there left it holding a ``<blockquote>`` the
    next story closed.
    """
    depth = 0
    position = 0
    for match in _H2.finditer(body_html):
        for closing, name, _ in SANITISED_TAG.findall(body_html, position, match.start()):
            if name not in SANITISED_VOID:
                depth += -1 if closing else 1
        position = match.end()
        if depth == 0:
            yield match


def split_sections(body_html: str) -> list[Section]:
    """Cut sanitised HTML at top-level ``<h2>`` headings into sections.

    A heading's text is a story's heading; an image in it counts as its alt
    text (``## ![Harbour map](map.png)`` was a story with no heading).
    """
    sections: list[Section] = []
    heading = ""
    position = 0
    for match in _top_level_h2(body_html):
        chunk = body_html[position : match.start()]
        if chunk.strip() or heading:
            sections.append(Section(heading=heading, paragraphs=paragraphs_of(chunk), html=chunk.strip()))
        heading = strip_tags(images_as_text(match.group("heading")))
        position = match.end()
    chunk = body_html[position:]
    if chunk.strip() or heading:
        sections.append(Section(heading=heading, paragraphs=paragraphs_of(chunk), html=chunk.strip()))
    return sections


def parse_markdown(src: SourceText, ctx: LoadContext) -> Article:
    """Parse a Markdown file with optional YAML/TOML/Pelican front matter."""
    front = split_front_matter(src.text, src.relpath)
    meta = normalise(front.data, ctx.config.tz, src.relpath, front.key_lines)
    body = front.body
    h1 = _H1.match(body)
    if h1 is not None:
        title = " ".join(html.unescape(h1.group("title")).split())
        if not meta.title:
            meta.title = title
        if title == meta.title:
            body = body[h1.end() :]
    if not meta.title:
        raise BroadsheetError("no headline: add 'title:' front matter or a first '# Heading' line", src.relpath, 1)
    body_line = front.body_line + front.body[: len(front.body) - len(body)].count("\n")
    body = expand_shortcodes(body, front.data, src.relpath, body_line, ctx)
    if not meta.summary:
        meta.summary = summary_before_divider(body)
    body, replacements, defused = defuse(body)
    if defused:
        first = defused[0]
        ctx.diagnostics.warn(
            f"{len(defused)} paragraph(s) too dense for the Markdown parser (here {first.unclosed} unclosed "
            f"'[' or '<', {first.tokens} markup characters): shown as plain text",
            src.relpath,
            body_line + first.line - 1,
        )
    try:
        body_html = sanitize_html(restore(convert_markdown(body), replacements))
    except RecursionError:
        raise BroadsheetError("Markdown nested too deeply to convert", src.relpath, front.body_line) from None
    return article_from_html(src, meta, body_html, body, body_line, ctx, "markdown")


def article_from_html(
    src: SourceText,
    meta: Meta,
    body_html: str,
    body: str,
    body_line: int,
    ctx: LoadContext,
    loader: str,
    foreign_root: str = "",
) -> Article:
    """The article of a sanitised body: its links to content files published or left out (warned with their line
    in ``body``, the text as written from line ``body_line``), cut into sections at its ``<h2>`` headings.
    ``foreign_root``: why paths from the root lead nowhere (a saved page of a site whose address it does not say)."""
    files: dict[str, bool] = {}  # each file of the content folder a link names, and whether it is there (assets)
    found: dict[str, str] = {}  # the site path of each file a link names, by its URL as written
    read: dict[str, tuple[int, int]] = {}  # each image file whose size a page gives, with its state
    links: dict[str, str] = {}  # the markers of the links to other articles (article_links), each's first URL
    publish = partial(_publish, src.relpath, ctx, files, links, found)
    body_html, dropped = drop_unresolvable_refs(body_html, publish, partial(_size_of, ctx, found, read), foreign_root)
    for url, why in dict.fromkeys(dropped):  # a link repeated is warned about once
        at = body.find(url)
        advice = "" if why != RELATIVE else RELATIVE_ADVICE
        ctx.diagnostics.warn(
            f"link to '{url}'{why}: left out{advice}",
            src.relpath,
            body_line + body.count("\n", 0, at) if at >= 0 else None,
        )
    article = build_article(src, meta, split_sections(body_html), loader, ctx, files, read)
    if not links:  # the files its links name are in its provenance already (build_article)
        return article
    lines = ((marker, line_of(links[marker], body, body_line)) for marker in sorted(links))
    link_lines = tuple((marker, line) for marker, line in lines if line is not None)
    provenance = evolve(article.provenance, links=tuple(sorted(links)), link_lines=link_lines)
    return evolve(article, provenance=provenance)


# Hugo's and Jekyll's summary divider (WordPress's too), and Pelican's (its summary plugin).
_DIVIDER = re.compile(r"<!--\s*(?:more|PELICAN_END_SUMMARY)\s*-->", re.I)


def summary_before_divider(body: str) -> str:
    """The text before ``<!--more-->`` in ``body``: the summary Hugo, Jekyll and WordPress show; "" if none.

    Only the part before the divider is converted again (nh3 drops the
    comment from the whole body's HTML, and with it where it was).
    """
    divider = _DIVIDER.search(body)
    if divider is None:
        return ""
    head, replacements, _ = defuse(body[: divider.start()])
    try:
        fragment = sanitize_html(restore(convert_markdown(head), replacements))
    except RecursionError:
        return ""
    return " ".join(" ".join(paragraphs_of(fragment)).split())


def expand_shortcodes(body: str, params: dict[str, Any], relpath: str, body_line: int, ctx: LoadContext) -> str:
    """``body`` with Hugo's shortcodes and Jekyll's tags replaced (shortcodes.py); each one left out named once."""
    expanded, left_out = expand(body, params)
    warned: set[str] = set()
    for message, offset in left_out:
        if message not in warned:
            warned.add(message)
            ctx.diagnostics.warn(message, relpath, body_line + body.count("\n", 0, offset))
    return expanded


def _publish(
    article: str, ctx: LoadContext, files: dict[str, bool], links: dict[str, str], found: dict[str, str], url: str
) -> tuple[str | None, str]:
    """The URL a page-relative link of ``article`` leads to on the built site, if the file is there (assets.py).

    A link to another article's file leads to a marker (article_links.py),
    resolved when the page is made. Else why it is left out: not a file the
    site publishes, or one that is not there.
    """
    config = ctx.config
    content = content_folder(config.paths.root, config.paths.content)
    if content is None:
        return None, RELATIVE
    marker = marker_for(url, article, content)
    if marker is not None:
        links.setdefault(marker, url)
        return marker, ""
    path = site_path_of(url, article, content)
    if path is None:
        return None, RELATIVE
    on_disk = locate(config.paths.root, path, files)
    if on_disk is None:
        return None, f" names {path}, which is not there (or cannot be read, or is a symbolic link)"
    found[url] = on_disk
    return link_from_article(on_disk, content, query_and_fragment(url)), ""


def _size_of(
    ctx: LoadContext, found: dict[str, str], read: dict[str, tuple[int, int]], url: str
) -> tuple[int, int] | None:
    """The width and height of the image file a published link names (``found`` by ``_publish``), if it says."""
    path = found.get(url)
    if path is None or PurePosixPath(path).suffix.lower() not in IMAGE_SUFFIXES:
        return None
    image = read_image_file(ctx.config.paths.root, path, read)
    return (image[1], image[2]) if image is not None and image[1] else None
