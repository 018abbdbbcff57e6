"""A feedparser entry → what is stored: plain-text metadata and sanitised HTML.

Everything in a feed is untrusted: titles, names and tags become plain text;
summaries and content pass through the one nh3 allow-list with the entry's
base URL, so relative links become absolute and no script, event handler or
``javascript:`` URL survives. The HTML is cut into top-level blocks so the
Markdown loader passes it through untouched when the site is built.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from markdown.util import BLOCK_LEVEL_ELEMENTS

from ..config import FeedDef
from ..enrich.summary import shorten
from ..enrich.text import fold
from ..loaders.article import strip_tags
from ..loaders.lead_image import remote_url
from ..loaders.metadata import http_url, link_url, parse_date, written_url
from ..loaders.sanitize import sanitize_html
from .boilerplate import drop_feed_furniture

MAX_TITLE = 300
MAX_SUMMARY = 400
MAX_ID = 500
MAX_NAME = 120  # an author's name, as long as a feed's own name may be
MAX_TAG = 80
# Each author and tag may get a page of its own: one entry must not make thousands.
MAX_AUTHORS = 10
MAX_TAGS = 25
NO_TEXT = "<p>The feed gives no text for this entry.</p>"
# Ids that are globally unique by construction; any other guid is only unique within its feed.
_GLOBAL_ID = re.compile(r"^(?:https?://|tag:|urn:)", re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")
_HREFLESS_LINK = re.compile(r'<a(?![^>]* href=")[^>]*>(.*?)</a>', re.S)
_IMG = re.compile(r"<img\b[^>]*>")
_URL_ATTRIBUTE = re.compile(r'(<(?:a|img)\b[^>]* (?:href|src)=")([^"]*)"')
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # a scheme: nh3 has kept only http(s) and mailto
_EMAIL = re.compile(r"^[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+$")
_VOID = {"br", "hr", "img", "wbr", "area", "col", "embed", "input", "source", "track"}
_BLOCKS = set(BLOCK_LEVEL_ELEMENTS)
_HTML_TYPES = {"text/html", "application/xhtml+xml"}  # as feedparser names Atom's "html" and "xhtml"


@dataclass(frozen=True)
class FeedInfo:
    """What every entry of one feed shares: its configuration and how it names itself."""

    config: FeedDef
    title: str
    site_link: str = ""
    topic: str = ""
    atom: bool = False  # Atom says what a title is (type="text" or "html"); RSS titles are read as HTML


@dataclass(frozen=True)
class EntryRecord:
    """One entry, cleaned: plain-text fields, a sanitised HTML body and its identity."""

    entry_id: str
    keys: tuple[str, ...]
    title: str
    link: str
    published: datetime | None
    updated: datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    body: str
    image: str = ""  # the entry's picture (Media RSS, an image enclosure): the lead image of its article
    image_credit: str = ""


def canonical_link(url: str) -> str:
    """A link as a duplicate key: no scheme, fragment, ``www.``, default port or ``utm_*`` tracking."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    where = f"{host}:{port}" if port and port not in (80, 443) else host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")])
    return where + (parts.path or "/") + (f"?{query}" if query else "")


def _front_pages(*urls: str) -> set[str]:
    """The outlet's front page as ``canonical_link`` writes it: each of ``urls`` and the root of its site.

    Sloppy feeds link every entry to it; read as the entries' own URL, all
    but the first were taken for duplicates of the first, and never stored.
    """
    pages = set()
    for url in filter(http_url, urls):
        pages |= {canonical_link(url), canonical_link(urljoin(url, "/"))}
    return pages


def identity_keys(feed_url: str, entry_id: str, link: str) -> tuple[str, ...]:
    """The keys under which an entry counts as already stored: its id, and its canonical link."""
    keys = []
    if entry_id:
        keys.append(f"id:{entry_id}" if _GLOBAL_ID.match(entry_id) else f"id:{feed_url} {entry_id}")
    if link:
        keys.append(f"link:{canonical_link(link)}")
    return tuple(keys)


def text_key(title: str, body: str) -> str:
    """A key for what an entry says, blind to markup, white space, quotation marks and case.

    The same article under two URLs (two guids) is one entry: the build
    would keep one file and warn about the others on every run.
    """
    said = fold(f"{title} {strip_tags(body)}").casefold()
    return "text:" + hashlib.sha256(said.encode("utf-8")).hexdigest()[:32]


def plain_text(value: Any, content_type: str = "text/html") -> str:
    """Plain text of a field that may hold HTML (RSS titles often do).

    ``text/plain`` (Atom's ``type="text"``, its default) is text as written:
    read as HTML, "Understanding the <template> element" lost all but its
    first three words.
    """
    if not isinstance(value, str):
        return ""
    if content_type == "text/plain":
        value = html.escape(value, quote=False)
    return strip_tags(sanitize_html(value.replace("\x00", "")))


def title_text(detail: Any, atom: bool) -> str:
    """The plain text of a title construct (an entry's or the feed's), as its type says in Atom."""
    if not isinstance(detail, Mapping):
        return ""
    return plain_text(detail.get("value"), str(detail.get("type") or "") if atom else "text/html")


def clean_html(value: str, content_type: str, base: str) -> str:
    """Sanitised HTML for a text construct of ``content_type``, relative URLs made absolute against ``base``."""
    value = value.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if content_type == "text/plain":
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", value)]
        value = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)
    try:
        cleaned = sanitize_html(value, base or None)
    except ValueError:  # nh3 refuses a base it cannot parse; then links stay as they are
        cleaned = sanitize_html(value)
    return as_blocks(drop_feed_furniture(tidy(cleaned)))


def tidy(fragment: str) -> str:
    """Mend what sanitising leaves invalid: a link whose URL was dropped, an image without ``src`` or ``alt``.

    nh3 writes every attribute as `` name="value"`` with ``"``, ``<`` and ``>``
    escaped inside values, so these patterns cannot match inside one.
    """
    fragment = _URL_ATTRIBUTE.sub(_publishable_url, fragment)
    fragment = _HREFLESS_LINK.sub(r"\1", fragment)
    return _IMG.sub(_mend_img, fragment)


def page_url(url: str) -> str:
    """``url`` as a page may carry it: no white space around it, no ``user:password@`` or raw space in it.

    Browsers trim the white space, but the site's Markdown loader reads
    `` https://…`` as a link relative to the file and leaves it out on every
    build; credentials, a space (``/files/Annual Report.pdf``) or a ``%``
    that starts no escape make the page invalid HTML, and a password does
    not belong on it.
    """
    url = url.strip()
    if http_url(url):
        url = link_url(url)
    return written_url(url)


def _publishable_url(match: re.Match[str]) -> str:
    """An ``href`` or ``src`` as ``page_url`` makes it (nh3 has refused every scheme but http(s) and ``mailto:``).

    One still relative (no base made it absolute: a feed file with no link
    of its own) is dropped: it names nothing of the feed's, and the built
    site would read it against the entry's own file (a file of the content
    folder it may publish, loaders/assets.py).
    """
    written = html.unescape(match.group(2))
    if not written.startswith("#") and not _ABSOLUTE.match(written.strip()):
        opening = match.group(1)
        return opening[: opening.rindex(" ")]  # the tag without this attribute
    url = page_url(written)
    return match.group(0) if url == written else f'{match.group(1)}{html.escape(url)}"'


def _mend_img(match: re.Match[str]) -> str:
    tag = match.group(0)
    if ' src="' not in tag:
        return ""
    return tag if ' alt="' in tag else tag[:-1].rstrip("/ ") + ' alt="">'


def as_blocks(fragment: str) -> str:
    """Wrap top-level inline runs of sanitised HTML in ``<p>``, one block per paragraph.

    python-markdown passes block-level HTML through untouched but would read
    ``*`` and ``_`` in bare text as emphasis; nh3's output escapes ``<`` and
    ``>`` everywhere but in tags, so a tag regex finds the top level reliably.
    A run holding a block (``<b><p>…</p></b>``, which HTML parsers allow) is
    wrapped in ``<div>`` instead, which may hold anything.
    """
    blocks: list[str] = []
    depth = 0
    start = 0  # where the current top-level block element, or inline run, began
    in_block = False
    run_has_block = False

    def flush_run(end: int) -> None:
        text = fragment[start:end].strip()
        if text:
            wrapper = "div" if run_has_block else "p"
            blocks.append(f"<{wrapper}>{text}</{wrapper}>")

    for match in _TAG.finditer(fragment):
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if depth == 0 and not closing and tag in _BLOCKS:
            flush_run(match.start())
            run_has_block = False
            if tag in _VOID:
                blocks.append(match.group(0))
                start = match.end()
                continue
            start, in_block, depth = match.start(), True, 1
            continue
        if tag in _VOID:
            continue
        if not in_block and tag in _BLOCKS:
            run_has_block = True
        depth = max(depth + (-1 if closing else 1), 0)
        if in_block and depth == 0:
            blocks.append(fragment[start : match.end()])
            in_block = False
            start = match.end()
    if in_block:
        blocks.append(fragment[start:])
    else:
        flush_run(len(fragment))
    return "\n\n".join(blocks)


_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def entry_date(entry: Mapping[str, Any], field: str) -> datetime | None:
    """A timezone-aware date: the original offset when the text allows, else feedparser's UTC reading.

    ``in`` first: feedparser answers a missing ``updated`` with ``published`` (and a warning).
    """
    raw = entry.get(field) if field in entry else None
    if isinstance(raw, str) and raw.strip():
        try:
            return parse_date(raw, UTC)
        except (ValueError, OverflowError):
            if _ISO_DAY.match(raw.strip()):
                return None  # 2025-02-30 or year 1: feedparser would make it 2 March or 2001
    parsed = entry.get(f"{field}_parsed") if f"{field}_parsed" in entry else None
    if parsed:
        try:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def _detail_html(detail: Any, fallback_base: str) -> str:
    """A text construct as sanitised HTML; one that is no text (Atom's base64 ``image/png`` content) is nothing."""
    if not isinstance(detail, Mapping) or not isinstance(detail.get("value"), str):
        return ""
    content_type = str(detail.get("type") or "text/html").lower()
    if content_type not in _HTML_TYPES and not content_type.startswith("text/"):
        return ""
    base = http_url(str(detail.get("base") or "")) or fallback_base
    return clean_html(detail["value"], content_type if content_type in _HTML_TYPES else "text/plain", base)


def _content_detail(entry: Mapping[str, Any]) -> Any:
    """The richest content construct: the first HTML one, else the first of any type."""
    contents = entry.get("content") or []
    if not isinstance(contents, Sequence):
        return None
    for detail in contents:
        if isinstance(detail, Mapping) and "html" in str(detail.get("type", "")):
            return detail
    return contents[0] if contents else None


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The entry's author names; a bare e-mail address (``noreply@example.com``) names no one."""
    names = [plain_text(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, Mapping)]
    if not any(names):
        names = [plain_text(entry.get("author"))]
    names = [shorten(n, MAX_NAME) for n in names]
    return tuple(dict.fromkeys(n for n in names if n and not _EMAIL.match(n)))[:MAX_AUTHORS]


def _tags(entry: Mapping[str, Any], extra: Sequence[str]) -> tuple[str, ...]:
    """The entry's first ``MAX_TAGS`` categories, each cut to a length a tag page can carry, and the feed's ``tags:``."""
    terms = [plain_text(t.get("term") or t.get("label")) for t in entry.get("tags") or [] if isinstance(t, Mapping)]
    own = tuple(dict.fromkeys(shorten(t, MAX_TAG) for t in terms if t))[:MAX_TAGS]
    return tuple(dict.fromkeys(t for t in [*own, *map(plain_text, extra)] if t))


def _image_urls(entry: Mapping[str, Any]) -> list[Any]:
    """The entry's pictures, best first: Media RSS content that is an image, an image enclosure, a thumbnail.

    Media RSS content that says neither its medium nor its type is taken for
    an image unless its name says it is something else (``clip.mp4``).
    """
    found = []
    for media in entry.get("media_content") or ():
        kind = str(media.get("medium") or media.get("type") or "")
        if kind == "image" or kind.startswith("image/") or (not kind and _may_be_image(media.get("url"))):
            found.append(media.get("url"))
    found += [e.get("href") for e in entry.get("enclosures") or () if str(e.get("type") or "").startswith("image/")]
    found += [thumbnail.get("url") for thumbnail in entry.get("media_thumbnail") or ()]
    return found


def _may_be_image(url: Any) -> bool:
    """Whether a URL's file name leaves it possibly an image: an image's suffix, or one of no known type."""
    if not isinstance(url, str):
        return False
    guessed, _ = mimetypes.guess_type(re.split(r"[?#]", url.strip(), maxsplit=1)[0])
    return guessed is None or guessed.startswith("image/")


def entry_image(entry: Mapping[str, Any], base: str) -> tuple[str, str]:
    """The entry's picture as an absolute http(s) URL ("" if none) and its credit as plain text; no other scheme is
    kept, nor a URL no browser could load (its host, its port): the next picture is taken instead."""
    for url in _image_urls(entry):
        if isinstance(url, str) and url.strip() and (absolute := http_url(urljoin(base, url.strip()))):
            shown, _ = remote_url(absolute)  # as a page carries it (what page_url does, and the host checked)
            if not shown:
                continue
            credits = entry.get("media_credit") or ()
            credit = next((plain_text(c.get("content") or "") for c in credits if isinstance(c, Mapping)), "")
            return shown, shorten(" ".join(credit.split()), MAX_NAME)
    return "", ""


def entry_record(entry: Mapping[str, Any], info: FeedInfo, document_base: str) -> EntryRecord:
    """Clean one feedparser entry; ``document_base`` is the feed's own URL (empty for a local file)."""
    raw_link = entry.get("link")
    link = page_url(link_url(urljoin(document_base or info.site_link, raw_link))) if isinstance(raw_link, str) else ""
    if link and canonical_link(link) in _front_pages(info.site_link, document_base):
        link = ""  # every entry "at" the outlet's front page: no entry's own address, nor one entry's identity
    fallback_base = http_url(document_base) or link or info.site_link
    content = _detail_html(_content_detail(entry), fallback_base)
    summary_html = _detail_html(entry.get("summary_detail"), fallback_base)
    summary = shorten(strip_tags(summary_html), MAX_SUMMARY)
    if not content or strip_tags(content) == strip_tags(summary_html):
        content, summary = summary_html, ""
    title = shorten(title_text(entry.get("title_detail"), info.atom), MAX_TITLE) or shorten(strip_tags(content), 90)
    title = title or f"Untitled entry from {info.title}"
    body = content or NO_TEXT
    entry_id = " ".join(str(entry.get("id") or "").split())[:MAX_ID] or link
    if not entry_id:
        digest = hashlib.sha256(f"{title}\n{strip_tags(body)}".encode()).hexdigest()[:32]
        entry_id = f"urn:sha256:{digest}"
    published = entry_date(entry, "published")
    updated = entry_date(entry, "updated")
    if published is None:
        published, updated = updated, None
    image, image_credit = entry_image(entry, fallback_base)
    return EntryRecord(
        entry_id=entry_id,
        keys=(*identity_keys(info.config.url, entry_id, link), text_key(title, body)),
        title=title,
        link=link,
        published=published,
        updated=updated if updated != published else None,
        authors=_authors(entry),
        tags=_tags(entry, info.config.tags),
        summary=summary,
        body=body,
        image=image,
        image_credit=image_credit,
    )


def front_matter(
    record: EntryRecord, info: FeedInfo, published: datetime, fetched_at: str, also_from: list[dict[str, str]]
) -> dict[str, Any]:
    """The YAML front matter the Markdown loader reads; provenance goes under ``feed:``, last.

    ``source_url`` comes before ``source`` so the outlet's URL is the feed's
    site link, not the article's.
    """
    data: dict[str, Any] = {"title": record.title, "date": published.isoformat()}
    if record.updated is not None:
        data["updated"] = record.updated.isoformat()
    if record.authors:
        data["authors"] = list(record.authors)
    if record.link:
        data["source_url"] = record.link
    data["source"] = {"name": info.title, **({"url": info.site_link} if info.site_link else {})}
    if record.tags:
        data["tags"] = list(record.tags)
    if record.summary:
        data["summary"] = record.summary
    if record.image:
        data["image"] = {"src": record.image, "credit": record.image_credit} if record.image_credit else record.image
    if info.topic:
        data["topic"] = info.topic
    if also_from:
        data["also_from"] = also_from
    data["feed"] = {"name": info.config.name, "url": info.config.url, "entry_id": record.entry_id}
    data["feed"]["fetched_at"] = fetched_at
    return data


def also_from_item(record: EntryRecord, info: FeedInfo) -> dict[str, str]:
    """How a duplicate records another feed that carried the same entry."""
    item = {"name": info.title, "feed": info.config.url, "entry_id": record.entry_id}
    if info.site_link:
        item["url"] = info.site_link
    if record.link:
        item["link"] = record.link
    return item
