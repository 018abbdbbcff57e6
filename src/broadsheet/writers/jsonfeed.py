"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import json
from typing import Any

from ..assemble import Feed, SiteIndex
from ..codepoints import clean
from .entries import FeedEntries, FeedEntry


def _item(entry: FeedEntry, full_text: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "summary": entry.summary,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
    }
    if entry.external_url:
        item["external_url"] = entry.external_url
    if entry.image_url:
        item["image"] = entry.image_url
    if full_text:
        item["content_html"] = entry.content_html
    else:
        item["content_text"] = entry.summary
    if entry.authors:
        item["authors"] = [{"name": name} for name in entry.authors]
    if entry.categories:
        item["tags"] = list(entry.categories)
    return item


def json_feed(index: SiteIndex, feed: Feed, entries: FeedEntries) -> bytes:
    config = index.config
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": config.base_url,
        "feed_url": config.url(feed.path),
        "description": feed.description,
        "language": config.language,
        "authors": [{"name": config.title, "url": config.base_url}],
        "items": [_item(entries(a), config.feed.full_text) for a in feed.items(config.feed.items)],
    }
    return (json.dumps(_cleaned(document), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _cleaned(value: Any) -> Any:
    """Every string without the characters XML forbids: lone surrogates cannot even be written as UTF-8."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value
