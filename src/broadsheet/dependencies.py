"""What a page was rendered from, as a fingerprint: unchanged fingerprint, unchanged page.

A page's output is a function of its template set (in the render
fingerprint) and of its ``Page`` value. Articles and stories stand in by
identity and content hash (their derived data comes from those and the
fingerprinted code and settings) plus what site-wide steps may change
(topics, merged names); groups by name, path and size. Any other value is
described in full, so an unknown kind of context can make a page re-render
needlessly but never go stale.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from .assemble import ArticleGroup, Page, Pager, SiteIndex, TopicGroup
from .fingerprint import digest
from .model import Article, Story

SCALARS = (str, int, float, bool, type(None))


class Describer:
    """Stable texts standing for values; one per build, remembering what it described.

    The same story or group appears on many pages; each is described once.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}

    def __call__(self, value: Any) -> str:
        if isinstance(value, SCALARS):
            return repr(value)
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = self._describe(value)
        self._memo[id(value)] = (value, text)  # the value is kept alive, so its id stays unique
        return text

    def _describe(self, value: Any) -> str:
        if isinstance(value, Article):
            return f"A({value.slug},{value.provenance.sha256},{value.provenance.path},{value.provenance.extra})"
        if isinstance(value, Story):
            mentions = ";".join(f"{m.slug}|{m.name}|{m.kind}|{m.role}" for m in value.mentions)
            quotes = ";".join(f"{q.speaker}|{q.speaker_slug}" for q in value.quotes)
            topics = ";".join(f"{t.slug}|{t.score}" for t in value.topics)
            return f"S({self(value.article)},{value.index},{topics},{mentions},{quotes})"
        if isinstance(value, TopicGroup):
            return f"T({value.slug},{value.name},{value.description},{len(value.stories)})"
        if isinstance(value, ArticleGroup):
            return f"G({value.slug},{value.name},{value.path},{value.url},{len(value.articles)})"
        if isinstance(value, Pager):
            return f"P({value.number},{value.count},{value.base})"
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, dict):
            return "{" + ",".join(f"{self(k)}:{self(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list | tuple):
            return "[" + ",".join(map(self, value)) + "]"
        if isinstance(value, set | frozenset):
            return "{" + ",".join(sorted(map(self, value))) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = ",".join(self(getattr(value, f.name)) for f in dataclasses.fields(value))
            return f"{type(value).__name__}({fields})"
        return f"{type(value).__name__}:{value!r}"


def index_digest(index: SiteIndex) -> str:
    """What templates may look up in the site index itself (tag paths, story clusters).

    Any change there re-renders every page: rare, and never stale.
    """
    tags = ";".join(f"{name}|{path}" for name, path in sorted(index.tag_paths.items()))
    clusters = ";".join(",".join(cluster.articles) for cluster in index.clusters.clusters)
    return digest(tags, clusters)


def page_fingerprint(page: Page, base: str, describe: Describer) -> str:
    """The fingerprint of ``page`` under the render fingerprint ``base``."""
    return digest(
        base,
        page.path,
        page.template,
        page.title,
        page.description,
        describe(page.lastmod),
        describe(page.feeds),
        page.kind,
        repr(page.root_relative),
        describe(page.context),
    )
