"""The one HTML allow-list every untrusted fragment passes through (nh3).

No script, style, iframe, object, form or event-handler attribute survives;
URLs are limited to http, https and mailto; links get ``rel=noopener``.
A fragment's headings start at ``<h2>``: the page's headline is its only ``<h1>``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=64)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"},
        url_relative=("rewrite_with_base", base_url) if base_url else None,
    )


_REL_WITHOUT_HREF = re.compile(r'<a rel="noopener noreferrer nofollow">')
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")  # as nh3 writes them: lower case, no attribute allowed
_HEADING_LEVEL = re.compile(r"<h([1-6])>")


def _outline_from_h2(fragment: str) -> str:
    """``fragment`` with its headings renumbered from ``<h2>`` down, never skipping a level.

    The page's headline is its only ``<h1>``: a body's ``# Background``
    moves down a level, one written with ``###`` subheads alone moves up (an
    ``<h3>`` right after the headline skips a level), the levels a body uses
    close up (``##`` then ``####``: ``<h2>`` then ``<h3>``), and no heading
    is more than one level below the heading before it.
    """
    used = sorted({int(level) for level in _HEADING_LEVEL.findall(fragment)})
    renumbered = {level: min(2 + rank, 6) for rank, level in enumerate(used)}
    previous = 1  # the page's headline
    current = 2

    def renumber(tag: re.Match[str]) -> str:
        nonlocal previous, current
        if not tag.group(1):  # an opening tag; headings do not nest, so its closing tag comes next
            current = previous = min(renumbered[int(tag.group(2))], previous + 1)
        return f"<{tag.group(1)}h{current}>"

    return _HEADING_TAG.sub(renumber, fragment)


# An <img> as nh3 writes it: every attribute value double-quoted, a quote inside one escaped.
_IMG = re.compile(r'<img((?:\s[a-z-]+="[^"]*")*)\s*/?>')
_TITLE = re.compile(r'\stitle="([^"]*)"')


_ALT = re.compile(r'\salt="([^"]*)"')


def _valid_img(img: re.Match[str]) -> str:
    """An image as HTML requires it: with ``alt`` (its title, else empty), and with a ``src``.

    Without ``alt`` it is invalid and unnamed to a screen reader; one whose
    ``src`` was refused (``javascript:``) is no image at all: its alt text
    stands in its place.
    """
    attributes = img.group(1)
    alt = _ALT.search(attributes)
    if ' src="' not in attributes:
        return alt.group(1) if alt else ""
    if alt is not None:
        return img.group(0)
    title = _TITLE.search(attributes)
    return f'<img{attributes} alt="{title.group(1) if title else ""}">'


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """Sanitise ``fragment``; ``base_url`` makes relative links absolute (feed entries).

    A link whose URL was dropped keeps its text but loses ``rel`` too: HTML
    allows ``rel`` only on links that have an ``href``. Headings are moved
    so the highest is an ``<h2>`` (``_outline_from_h2``: ``# Background`` in
    a body whose title is in front matter, a feed entry's own ``<h1>``,
    ``###`` subheads alone). Images are made valid HTML (``_valid_img``).
    """
    cleaned = _REL_WITHOUT_HREF.sub("<a>", _cleaner(base_url).clean(fragment))
    if "<h" in cleaned:
        cleaned = _outline_from_h2(cleaned)
    if "<img" in cleaned:
        cleaned = _IMG.sub(_valid_img, cleaned)
    return cleaned
