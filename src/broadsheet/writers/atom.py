"""Atom 1.0 (RFC 4287): feed id, updated, author, self link; RFC 3339 dates."""

from __future__ import annotations

from .. import __version__
from ..assemble import Feed, SiteIndex
from .entries import FeedEntries, FeedEntry
from .xml import attr, element


def _entry(entry: FeedEntry, full_text: bool, fallback_author: str) -> str:
    lines = [
        "<entry>",
        element("id", entry.id),
        element("title", entry.title),
        f'<link rel="alternate" type="text/html" href={attr(entry.link)}/>',
        element("published", entry.published.isoformat()),
        element("updated", entry.updated.isoformat()),
    ]
    for name in entry.authors or (fallback_author,):
        lines.append(f"<author>{element('name', name)}</author>")
    if entry.external_url:
        lines.append(f'<link rel="related" href={attr(entry.external_url)}/>')
    if entry.image is not None:
        kind = f" type={attr(entry.image.mime)}" if entry.image.mime else ""
        lines.append(f'<link rel="enclosure" href={attr(entry.image_url)}{kind}/>')
    lines.extend(f"<category term={attr(c)}/>" for c in entry.categories)
    if entry.summary:
        lines.append(element("summary", entry.summary))
    if full_text:
        lines.append(element("content", entry.content_html, type="html"))
    if entry.source_name:
        lines.append(
            f"<source>{element('title', entry.source_name)}<link href={attr(entry.source_url or entry.link)}/></source>"
        )
    lines.append("</entry>")
    return "\n".join(lines)


def atom_feed(index: SiteIndex, feed: Feed, entries: FeedEntries) -> bytes:
    config = index.config
    chosen = [entries(a) for a in feed.items(config.feed.items)]
    newest = max((e.updated for e in chosen), default=config.default_date)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={attr(config.language)}>',
        element("id", config.url(feed.path)),
        element("title", feed.title),
        element("subtitle", feed.description),
        element("updated", newest.isoformat()),
        f'<link rel="self" type="application/atom+xml" href={attr(config.url(feed.path))}/>',
        f'<link rel="alternate" type="text/html" href={attr(config.base_url)}/>',
        f"<author>{element('name', config.title)}<uri>{config.base_url}</uri></author>",
        element("generator", "broadsheet", version=__version__),
    ]
    body = [_entry(e, config.feed.full_text, config.title) for e in chosen]
    return ("\n".join([*head, *body, "</feed>"]) + "\n").encode("utf-8")
