"""What every feed format says about one article, computed once per build.

RSS, Atom and JSON Feed, and every per-topic and per-source feed, carry the
same article the same way; ``FeedEntries`` builds each entry once and reuses
it across all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from .. import urls
from ..assemble import SiteIndex, modified
from ..loaders.article_links import resolve
from ..loaders.assets import MEDIA, absolute_media
from ..model import Article, Image, Story


@dataclass(frozen=True)
class FeedEntry:
    """One article as feeds see it."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    source_name: str
    source_url: str
    external_url: str
    image: Image | None = None  # the lead image; ``image_url`` is its absolute URL
    image_url: str = ""


def article_html(stories: Sequence[Story]) -> str:
    """The full text of an article: its sections with their headings."""
    parts = []
    for story in stories:
        if story.heading != story.article.headline:
            parts.append(f"<h2>{escape(story.heading, quote=False)}</h2>")
        parts.append(story.html.strip())
    return "\n".join(parts)


@dataclass
class FeedEntries:
    """A per-build memo of feed entries, keyed by article slug."""

    index: SiteIndex
    _memo: dict[str, FeedEntry] = field(default_factory=dict)

    def __call__(self, article: Article) -> FeedEntry:
        entry = self._memo.get(article.slug)
        if entry is None:
            entry = self._memo[article.slug] = self._make(article)
        return entry

    def _make(self, article: Article) -> FeedEntry:
        article, stories = self.index.text_of(article, self.index.stories[article.slug])
        authors = article.authors
        if article.ai_generated:
            authors = (*tuple(a for a in authors if a.upper() != "AI"), "AI-generated")
        config = self.index.config
        content_html = article_html(stories)
        if article.provenance.files:  # a feed reader has no article page to start from: absolute URLs
            content_html = absolute_media(content_html, config.url(MEDIA))
        if article.provenance.links:
            content_html = resolve(content_html, dict(self.index.links_of(article)), config.url(""))
        return FeedEntry(
            id=article.uid,
            title=article.headline,
            link=config.url(urls.article(article.slug)),
            published=article.published,
            updated=modified(article),
            summary=article.summary,
            content_html=content_html,
            authors=authors,
            categories=tuple(dict.fromkeys([*(s.topic.name for s in stories), *article.tags])),
            source_name=article.source.name if article.source else "",
            source_url=article.source.url if article.source else "",
            external_url=article.original_url,
            image=article.image,
            image_url=article.image.absolute(config.base_url) if article.image else "",
        )
