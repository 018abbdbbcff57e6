"""The site index: every list the site shows and every page it writes.

Built once from the enriched articles; templates then only read it. Each
``Page`` knows its path, template and view data, so pages can be rendered
in any order or process and skipped when unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from . import urls
from .config import SiteConfig, TopicDef
from .model import Article, Story

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    """Where one page of a paginated list sits among its siblings."""

    number: int
    count: int
    base: str

    @property
    def prev(self) -> str | None:
        return urls.paged(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return urls.paged(self.base, self.number + 1) if self.number < self.count else None

    @property
    def pages(self) -> list[tuple[int, str]]:
        return [(n, urls.paged(self.base, n)) for n in range(1, self.count + 1)]


@dataclass(frozen=True)
class Page:
    """One file to write: its site path, the template, and what the template shows."""

    path: str
    template: str
    title: str
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    lastmod: datetime | None = None
    root_relative: bool = False  # links from the site root, for pages served at any depth (404)


@dataclass(frozen=True)
class TopicGroup:
    """A topic and its stories, newest first."""

    slug: str
    name: str
    description: str
    stories: tuple[Story, ...]

    @property
    def path(self) -> str:
        return urls.topic(self.slug)


@dataclass(frozen=True)
class SiteIndex:
    """Everything derived from the articles that more than one page needs."""

    config: SiteConfig
    articles: tuple[Article, ...]
    stories: dict[str, tuple[Story, ...]]
    topics: tuple[TopicGroup, ...]

    @property
    def story_count(self) -> int:
        return sum(len(s) for s in self.stories.values())


def newest_first(article: Article) -> tuple[float, str]:
    return (-article.published.timestamp(), article.slug)


def build_index(config: SiteConfig, enriched: Sequence[tuple[Article, tuple[Story, ...]]]) -> SiteIndex:
    """Sort articles newest first and group their stories by main topic."""
    ordered = sorted(enriched, key=lambda pair: newest_first(pair[0]))
    by_topic: dict[str, list[Story]] = defaultdict(list)
    for _article, stories in ordered:
        for story in stories:
            by_topic[story.topic.slug].append(story)
    definitions: list[TopicDef] = [*config.topics, config.default_topic]
    topics = tuple(
        TopicGroup(t.slug, t.name, t.description, tuple(by_topic[t.slug])) for t in definitions if by_topic.get(t.slug)
    )
    return SiteIndex(
        config=config,
        articles=tuple(a for a, _ in ordered),
        stories={a.slug: s for a, s in ordered},
        topics=topics,
    )


def paginate(items: Sequence[T], size: int, base: str) -> Iterator[tuple[Sequence[T], Pager]]:
    """Split ``items`` into pages of ``size``; an empty list still has one page."""
    count = max(1, -(-len(items) // size))
    for number in range(1, count + 1):
        yield items[(number - 1) * size : number * size], Pager(number, count, base)


def first_upper(value: str) -> str:
    """Capitalise the first letter only ("prisoner swap" → "Prisoner swap", "AFP" stays)."""
    return value[:1].upper() + value[1:]


def modified(article: Article) -> datetime:
    return article.updated or article.published


def _newest(stories: Sequence[Story]) -> datetime | None:
    return max((modified(s.article) for s in stories), default=None)


def pages(index: SiteIndex) -> Iterator[Page]:
    """Every HTML page of the site, in a stable order."""
    config = index.config
    newest = max((modified(a) for a in index.articles), default=None)
    front = [(t, t.stories[: config.front_page_stories]) for t in index.topics]
    yield Page(
        "", "index.html", config.title, config.description, {"groups": front, "latest": index.articles[:1]}, newest
    )
    for article in index.articles:
        yield Page(
            urls.article(article.slug),
            "article.html",
            article.headline,
            article.summary,
            {"article": article, "stories": index.stories[article.slug]},
            modified(article),
        )
    yield Page(
        "topics/", "topic_list.html", "Topics", f"Every topic of {config.title}.", {"topics": index.topics}, newest
    )
    for group in index.topics:
        name = first_upper(group.name)
        for chunk, pager in paginate(group.stories, config.page_size, group.path):
            yield Page(
                urls.paged(group.path, pager.number),
                "topic.html",
                name if pager.number == 1 else f"{name}, page {pager.number}",
                group.description or f"Stories about {group.name}, newest first.",
                {"topic": group, "stories": chunk, "pager": pager},
                _newest(chunk),
            )
    yield Page("404.html", "404.html", "Page not found", "This page does not exist.", root_relative=True)
