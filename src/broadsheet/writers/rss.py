"""RSS 2.0 with ``atom:link rel=self``, RFC 822 dates and stable guids."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import format_datetime

from .. import __version__, urls
from ..assemble import SiteIndex, modified
from ..model import Article, Story
from .xml import cdata, element


def article_html(stories: Sequence[Story]) -> str:
    """The full text of an article for ``content:encoded``: its sections with headings."""
    parts = []
    for story in stories:
        if story.heading != story.article.headline:
            parts.append(f"<h2>{_escape_html(story.heading)}</h2>")
        parts.append(story.html)
    return "\n".join(parts)


def _escape_html(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _item(index: SiteIndex, article: Article, full_text: bool) -> str:
    config = index.config
    stories = index.stories[article.slug]
    link = config.url(urls.article(article.slug))
    lines = [
        "<item>",
        element("title", article.headline),
        element("link", link),
        element("guid", article.uid, isPermaLink="false"),
        element("pubDate", format_datetime(article.published)),
        element("description", article.summary),
    ]
    if article.authors:
        lines.append(element("dc:creator", ", ".join(article.authors)))
    for topic in dict.fromkeys(s.topic.name for s in stories):
        lines.append(element("category", topic))
    if article.source is not None:
        lines.append(element("source", article.source.name, url=article.source.url or link))
    if full_text:
        lines.append(f"<content:encoded>{cdata(article_html(stories))}</content:encoded>")
    lines.append("</item>")
    return "\n".join(lines)


def rss_feed(index: SiteIndex, path: str, title: str, articles: Sequence[Article], description: str) -> bytes:
    """One RSS 2.0 document for ``articles`` (newest first), served at ``path``."""
    config = index.config
    chosen = list(articles[: config.feed.items or None])
    newest = max((modified(a) for a in chosen), default=config.default_date)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        element("title", title),
        element("link", config.base_url),
        element("description", description or title),
        element("language", config.language),
        element("lastBuildDate", format_datetime(newest)),
        element("generator", f"broadsheet {__version__}"),
        f'<atom:link href="{config.url(path)}" rel="self" type="application/rss+xml"/>',
    ]
    items = [_item(index, a, config.feed.full_text) for a in chosen]
    return ("\n".join([*head, *items, "</channel>", "</rss>"]) + "\n").encode("utf-8")
