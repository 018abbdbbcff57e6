"""RSS 2.0 with ``atom:link rel=self``, RFC 822 dates and stable guids."""

from __future__ import annotations

from email.utils import format_datetime

from .. import __version__
from ..assemble import Feed, SiteIndex
from ..model import Image
from .entries import FeedEntries, FeedEntry
from .xml import attr, cdata, element, html_element


def _item(entry: FeedEntry, full_text: bool) -> str:
    lines = [
        "<item>",
        element("title", entry.title),
        element("link", entry.link),
        element("guid", entry.id, isPermaLink="false"),
        element("pubDate", format_datetime(entry.published)),
        html_element("description", entry.summary),
    ]
    if entry.authors:
        lines.append(element("dc:creator", ", ".join(entry.authors)))
    lines.extend(element("category", category) for category in entry.categories)
    if entry.source_name:
        lines.append(element("source", entry.source_name, url=entry.source_url or entry.link))
    if entry.image is not None:
        lines.append(_media(entry.image, entry.image_url))
    if full_text:
        lines.append(f"<content:encoded>{cdata(entry.content_html)}</content:encoded>")
    lines.append("</item>")
    return "\n".join(lines)


def _media(image: Image, url: str) -> str:
    """The lead image as Media RSS gives it (what feed readers show as the item's picture)."""
    kind = f" type={attr(image.mime)}" if image.mime else ""
    inner = (
        [element("media:description", image.alt or image.caption, type="plain")] if image.alt or image.caption else []
    )
    if image.credit:
        inner.append(element("media:credit", image.credit))
    return f'<media:content url={attr(url)} medium="image"{kind}>{"".join(inner)}</media:content>'


def rss_feed(index: SiteIndex, feed: Feed, entries: FeedEntries) -> bytes:
    """One RSS 2.0 document; ``lastBuildDate`` is the newest item's date, so builds stay reproducible."""
    config = index.config
    chosen = [entries(a) for a in feed.items(config.feed.items)]
    newest = max((e.updated for e in chosen), default=config.default_date)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/">',
        "<channel>",
        element("title", feed.title),
        element("link", config.base_url),
        html_element("description", feed.description or feed.title),
        element("language", config.language),
        element("lastBuildDate", format_datetime(newest)),
        element("generator", f"broadsheet {__version__}"),
        f'<atom:link href={attr(config.url(feed.path))} rel="self" type="application/rss+xml"/>',
    ]
    items = [_item(e, config.feed.full_text) for e in chosen]
    return ("\n".join([*head, *items, "</channel>", "</rss>"]) + "\n").encode("utf-8")
