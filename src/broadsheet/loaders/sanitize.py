"""The one HTML allow-list every untrusted fragment passes through (nh3).

No script, style, iframe, object, form or event-handler attribute survives;
URLs are limited to http, https and mailto; links get ``rel=noopener``.
A fragment's headings start at ``<h2>``: the page's headline is its only ``<h1>``.
What is kept is also valid HTML on the page it lands in: no forbidden code
point, no id but a footnote's (once), no attribute value HTML refuses, no
link without a name, no list item outside its list, no paragraph cut by a block
written inside it (a figure mid-sentence).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import nh3

from ..codepoints import clean
from .html_depth import flatten_deep_nesting
from .html_paragraphs import paragraphs_around_blocks

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
    "*": {"dir"},
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
        attribute_filter=_valid_value,
    )


_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
_TIME = re.compile(r"(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,3})?)?(?:Z|[+-](\d\d):?(\d\d))?")


def _in_range(found: re.Match[str] | None, limits: tuple[int, ...]) -> bool:
    return found is not None and all(
        int(part or 0) <= limit for part, limit in zip(found.groups(), limits, strict=False)
    )


def valid_datetime(value: str) -> bool:
    """Whether ``value`` is a year, month, date, time, or date and time as HTML's ``<time>`` reads it."""
    day, _, time = value.replace(" ", "T", 1).partition("T")
    if time:
        # A time alone has no zone, and a date before a time is a whole one.
        return len(day) == 10 and valid_datetime(day) and _in_range(_TIME.fullmatch(time), (23, 59, 59, 23, 59))
    if ":" in value:
        found = _TIME.fullmatch(value)
        return (
            found is not None and found.group(4) is None and not value.endswith("Z") and _in_range(found, (23, 59, 59))
        )
    found = _DATE.fullmatch(value)
    if found is None:
        return False
    try:
        date(*(int(part or 1) for part in found.groups()))
    except ValueError:
        return False
    return True


# What HTML accepts as each attribute's value (where it is not any text or a URL nh3 checks itself).
_VALUES = {
    "width": re.compile(r"\d{1,9}"),
    "height": re.compile(r"\d{1,9}"),
    "colspan": re.compile(r"[1-9]\d{0,2}|1000"),
    "rowspan": re.compile(r"\d{1,5}"),
    "start": re.compile(r"-?\d{1,9}"),
    "scope": re.compile(r"row|col|rowgroup|colgroup", re.I),
    "dir": re.compile(r"ltr|rtl|auto", re.I),
    "cite": re.compile(r"https?://[^\s]+", re.I),  # nh3 checks no scheme here; a relative one goes nowhere
}


def _valid_value(tag: str, attribute: str, value: str) -> str | None:
    """``value`` when HTML accepts it for ``attribute``, else ``None`` (nh3 drops it).

    ``width="100%"`` or ``colspan="abc"`` is an error on the page (Nu), and
    ``cite="javascript:…"`` passes nh3's URL check, which reads only
    ``href`` and ``src``.
    """
    if attribute == "datetime":
        return value if valid_datetime(value) else None
    pattern = _VALUES.get(attribute)
    return value if pattern is None or pattern.fullmatch(value) else None


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")  # as nh3 writes them: lower case, no attribute allowed


def _outline_from_h2(fragment: str) -> str:
    """``fragment`` with its headings renumbered from ``<h2>`` down, never skipping a level.

    The page's headline is its only ``<h1>``: a body's ``# Background``
    moves down a level, one written with ``###`` subheads alone moves up (an
    ``<h3>`` right after the headline skips a level), the levels a body uses
    close up (``##`` then ``####``: ``<h2>`` then ``<h3>``), and no heading
    is more than one level below the heading before it.
    """
    tags = _HEADING_TAG.findall(fragment)
    if all(level == "2" for _, level in tags):
        return fragment  # <h2>s alone (most bodies): each one is renumbered <h2>, as it is
    used = sorted({int(level) for closing, level in tags if not closing})
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


_PIXEL = re.compile(r'(?=.*\swidth="1")(?=.*\sheight="1")')  # a one-pixel image's attributes: a tracker


def _valid_img(img: re.Match[str]) -> str:
    """An image as HTML requires it: with ``alt`` (its title, else empty), and with a ``src``.

    Without ``alt`` it is invalid and unnamed to a screen reader; one whose
    ``src`` was refused (``javascript:``) is no image at all: its alt text
    stands in its place. A 1×1 image shows nothing: it counts readers for
    whoever serves it (a saved page's or a feed's tracker), and is left out.
    """
    attributes = img.group(1)
    alt = _ALT.search(attributes)
    if ' src="' not in attributes:
        return alt.group(1) if alt else ""
    if ' width="1"' in attributes and _PIXEL.match(attributes):
        return ""
    if alt is not None:
        return img.group(0)
    title = _TITLE.search(attributes)
    return f'<img{attributes} alt="{title.group(1) if title else ""}">'


# A tag's attributes as nh3 writes them: lower-case names, values double-quoted with a quote escaped.
_SOME_ATTRIBUTES = r'(?:\s[a-z-]+="[^"]*")*'
_ATTRIBUTES = f"({_SOME_ATTRIBUTES})"
_IDENTIFIED = re.compile(f"<(li|sup)({_SOME_ATTRIBUTES}?)" + r'\sid="([^"]*)"')
_FRAGMENT_LINK = re.compile(f"<a({_SOME_ATTRIBUTES}?)" + r'\shref="#([^"]*)"')
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:")
_NOT_IN_ID = re.compile(r"[^\w:.\-]+")


def _id_token(escaped: str) -> str:
    """An id (or link to one) as a valid one: python-markdown makes ``fn:my note`` of ``[^my note]``."""
    return _NOT_IN_ID.sub("-", html.unescape(escaped))


def _footnote_ids_only(fragment: str) -> str:
    """``fragment`` keeping only footnotes' ids (``fn:1``, ``fnref:1``), each once, and links to them valid.

    A body's ``id="main"`` or ``id="story-1"`` would repeat an id of the
    page around it (the skip link's target, a story's anchor); no template
    id holds a colon, so footnotes' ids cannot.
    """
    seen: set[str] = set()

    def keep(tag: re.Match[str]) -> str:
        value = _id_token(tag.group(3))
        if not _FOOTNOTE_ID.match(value) or value in seen:
            return f"<{tag.group(1)}{tag.group(2)}"
        seen.add(value)
        return f'<{tag.group(1)}{tag.group(2)} id="{value}"'

    fragment = _IDENTIFIED.sub(keep, fragment)
    return _FRAGMENT_LINK.sub(lambda link: f'<a{link.group(1)} href="#{_id_token(link.group(2))}"', fragment)


_LINK = re.compile(r"<a" + _ATTRIBUTES + r">(.*?)</a>", re.S)  # links do not nest in parsed HTML
_TAGS = re.compile(r"<[^>]*>")
_NAMED_IMAGE = re.compile(r'<img(?:\s[a-z-]+="[^"]*")*?\salt="[^"]*\S[^"]*"')
_SPACE = re.compile(r"(?:\s|&nbsp;)*")


def _named_links_only(fragment: str) -> str:
    """``fragment`` with each link that has no text (nor an image with alt text), or no URL, replaced by its content.

    One without a name is read out as nothing but "link" (axe: link-name):
    an empty ``<a href>``, one around an ``alt=""`` image, or the empty link
    the HTML parser leaves when a ``<div>`` was written inside a link. One
    without a URL leads nowhere: an old ``<a name="x"></a>`` anchor (its
    name dropped, as ids are) or a link whose URL was refused
    (``javascript:``) is its text alone, and an empty one nothing.
    """

    def named(link: re.Match[str]) -> str:
        inside = link.group(2)
        if ' href="' not in link.group(1):
            return inside
        if _NAMED_IMAGE.search(inside):
            return link.group(0)
        return link.group(0) if _SPACE.fullmatch(_TAGS.sub("", inside)) is None else inside

    return _LINK.sub(named, fragment)


_BARE_TIME = re.compile(r"<time>(.*?)</time>", re.S)


def _dated_times_only(fragment: str) -> str:
    """``<time>`` without a valid ``datetime`` (dropped by ``_valid_value``) kept only if its text is a date."""
    return _BARE_TIME.sub(lambda t: t.group(0) if valid_datetime(t.group(1)) else t.group(1), fragment)


# A start or end tag as nh3 writes it (group 1: "/" for an end tag, 2: the name); br, hr and img are the void
# elements it keeps.
SANITISED_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)" + _ATTRIBUTES + r"\s*/?>")
SANITISED_VOID = frozenset({"br", "hr", "img"})
_ITEMS = {"ul": {"li"}, "ol": {"li"}, "dl": {"dt", "dd", "div"}}  # what a list may hold
_PARENTS = {"li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "figcaption": {"figure"}}
# Elements that hold phrasing content only (``a``, ``del`` and ``ins`` take what their parent may hold), and
# the allowed elements that are never phrasing content: one of these inside one of those is an error.
_PHRASING_ONLY = frozenset(
    {"abbr", "b", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong"}
    | {"sub", "sup", "time", "u", "var"}
)
_FLOW_ONLY = frozenset(
    {"blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "li", "ol", "p", "pre"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "h1", "h2", "h3", "h4", "h5", "h6"}
)


@dataclass(slots=True)
class _Element:
    name: str
    start: re.Match[str]
    parent: _Element | None
    children: list[_Element] = field(default_factory=list)
    end: re.Match[str] | None = None
    holds_text: bool = False  # text of its own, outside its children
    holds_block: bool = False  # an element that is no phrasing content, at any depth


def _misplaced(element: _Element) -> bool:
    """A list item, term or caption outside its list or figure (a ``<dt>`` may be in a ``<div>`` of a ``<dl>``)."""
    allowed = _PARENTS.get(element.name)
    parent = element.parent
    if allowed is None or (parent is not None and parent.name in allowed):
        return False
    grandparent = parent.parent if parent is not None else None
    grouped = parent is not None and parent.name == "div" and grandparent is not None and grandparent.name == "dl"
    return not (grouped and element.name in ("dt", "dd"))


def _broken_list(element: _Element) -> bool:
    """A list holding text or other elements than its items, or a ``<dl>`` not of terms then definitions."""
    names = [child.name for child in element.children]
    if element.holds_text or not set(names) <= _ITEMS[element.name]:
        return True
    if element.name != "dl" or not names or set(names) == {"div"}:
        return False
    return "div" in names or names[0] != "dt" or names[-1] != "dd"


def _valid_nesting(fragment: str) -> str:
    """``fragment`` with every element only where HTML's content models allow it.

    A ``<li>`` outside a list, or a ``<dd>`` or ``<figcaption>`` outside its
    ``<dl>`` or ``<figure>``, loses its tags (its content stays), as does a
    figure's caption that is not its first or last child, or not its only
    one; a list holding anything but its items (a ``<p>`` in a ``<dl>``, a
    ``<dd>`` before any ``<dt>``) becomes a ``<div>``, its items too. An
    inline element holding a block (``<b><p>``) loses its tags, and a
    table's caption after its rows moves to the top. The HTML parser nh3
    uses allows all of these; HTML (Nu) and screen readers (axe: listitem,
    definition-list) do not.
    """
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement); an insertion has end == start

    def replace(element: _Element, start: str, end: str) -> None:
        edits.append((element.start.start(), element.start.end(), start))
        if element.end is not None:
            edits.append((element.end.start(), element.end.end(), end))

    def move_to_top(caption: _Element, table: _Element) -> None:
        if caption.end is None:
            return
        first, last = caption.start.start(), caption.end.end()
        edits[:] = [edit for edit in edits if not first <= edit[0] < last]  # the caption moves as written
        edits.append((table.start.end(), table.start.end(), fragment[first:last]))
        edits.append((first, last, ""))

    stack: list[_Element] = []
    position = 0
    for tag in SANITISED_TAG.finditer(fragment):
        top = stack[-1] if stack else None
        if top is not None and top.name in _ITEMS and fragment[position : tag.start()].strip():
            top.holds_text = True  # read of lists only (_broken_list): no other element's text is looked at
        position = tag.end()
        name = tag.group(2)
        if not tag.group(1):
            element = _Element(name, tag, top)
            if top is not None:
                top.children.append(element)
            if name not in SANITISED_VOID:
                stack.append(element)
            elif top is not None and name in _FLOW_ONLY:
                top.holds_block = True
            continue
        if not stack or stack[-1].name != name:
            continue  # not as nh3 writes it: left alone
        element = stack.pop()
        element.end = tag
        if element.parent is not None and (element.holds_block or name in _FLOW_ONLY):
            element.parent.holds_block = True
        if name in _PHRASING_ONLY and element.holds_block:
            replace(element, "", "")
        elif name == "table":
            captions = [child for child in element.children if child.name == "caption"]
            if captions and element.children[0] is not captions[0]:
                move_to_top(captions[0], element)
        elif name in _PARENTS and _misplaced(element):  # only an item or a caption can be
            replace(element, "", "")
        elif name in _ITEMS and _broken_list(element):
            for renamed in (element, *(child for child in element.children if child.name in _PARENTS)):
                replace(renamed, f"<div{renamed.start.group(3)}>", "</div>")
        elif name == "figure":
            captions = [child for child in element.children if child.name == "figcaption"]
            ends = (element.children[0], element.children[-1]) if element.children else ()
            for caption in captions[1:] if captions and captions[0] in ends else captions:
                replace(caption, "", "")
    if not edits:
        return fragment
    pieces, position = [], 0
    for start, end, replacement in sorted(edits):
        pieces.append(fragment[position:start] + replacement)
        position = end
    return "".join(pieces) + fragment[position:]


def images_as_text(fragment: str) -> str:
    """``fragment`` with each image replaced by its alt text: a heading that is an image still says something."""
    if "<img" not in fragment:
        return fragment
    return _IMG.sub(lambda img: alt.group(1) if (alt := _ALT.search(img.group(1))) else "", fragment)


# Block elements nh3 does not keep: it keeps their text, which ran into the next block's ("<summary>Sat 10 Feb
# 2024</summary>Last modified…" read "2024Last modified"); as <div>s (which it keeps) each stays a block of its own.
_UNKEPT_BLOCK = re.compile(
    r"<(/?)(?:address|article|aside|center|details|dialog|fieldset|footer|header|hgroup|legend|main|menu|nav|search"
    r"|section|summary)(?=[\s/>])",
    re.I,
)


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """Sanitise ``fragment``; ``base_url`` makes relative links absolute (feed entries).

    A link without a URL (refused, or an ``<a name>`` anchor) is its content
    alone, as is one without a name (``_named_links_only``). Headings are moved
    so the highest is an ``<h2>`` (``_outline_from_h2``: ``# Background`` in
    a body whose title is in front matter, a feed entry's own ``<h1>``,
    ``###`` subheads alone). Images are made valid HTML (``_valid_img``),
    and so are ids, links, times and lists (the functions above). Code
    points HTML and XML forbid (controls, noncharacters) are dropped first,
    block elements it does not keep are made ``<div>`` elements (their text ran into the next block's),
    a paragraph holding a block is cut around it before the parser reads it
    (html_paragraphs.py), and elements nested past any page's depth are left
    out (html_depth.py: the parser's time grows with the square of it).
    """
    fragment = paragraphs_around_blocks(flatten_deep_nesting(_UNKEPT_BLOCK.sub(r"<\1div", clean(fragment))))
    cleaned = _cleaner(base_url).clean(fragment)
    if "<h" in cleaned:
        cleaned = _outline_from_h2(cleaned)
    if "<img" in cleaned:
        cleaned = _IMG.sub(_valid_img, cleaned)
    if ' id="' in cleaned or ' href="#' in cleaned:
        cleaned = _footnote_ids_only(cleaned)
    if "<a " in cleaned or "<a>" in cleaned:
        cleaned = _named_links_only(cleaned)
    if "<time>" in cleaned:
        cleaned = _dated_times_only(cleaned)
    if "<" in cleaned:
        cleaned = _valid_nesting(cleaned)
    return cleaned
