"""Plain records that flow through the pipeline.

Loaders produce ``Article`` values; enrichment produces ``Story`` values; the
renderer only reads them. They are frozen where they cross a process boundary
or a cache, so a cached value can never be changed by a later phase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5


class Record:
    """Base of the records below: slotted, and pickled as their constructor's arguments.

    Slots save a ``__dict__`` per record (a tenth of a large site's memory);
    rebuilding a frozen slotted dataclass from its arguments loads twice as
    fast as the generic slot-state route, which matters for the content cache.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        names: tuple[str, ...] = type(self).__slots__
        return (type(self), tuple(getattr(self, name) for name in names))


@dataclass(frozen=True, slots=True)
class Source(Record):
    """The outlet an article came from (``Read More @ euromaidanpress.com``)."""

    name: str
    url: str = ""
    domain: str = ""


@dataclass(frozen=True, slots=True)
class Section(Record):
    """One headed part of an article.

    ``paragraphs`` are plain text (for topics, entities, summaries);
    ``html`` is the sanitised HTML body that pages show.
    """

    heading: str
    paragraphs: tuple[str, ...]
    html: str


@dataclass(frozen=True, slots=True)
class Provenance(Record):
    """Where an article came from: its input file relative to the site, and its hash."""

    path: str
    sha256: str
    loader: str
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False, slots=True)
class Article(Record):
    """One input document, normalised; the same shape whatever the input format.

    Compared and hashed by identity: an article is one record, and hashing
    its whole body for every set or dict lookup would be needlessly slow.
    """

    slug: str
    headline: str
    authors: tuple[str, ...]
    ai_generated: bool
    published: datetime
    source: Source | None
    sections: tuple[Section, ...]
    tags: tuple[str, ...]
    summary: str
    provenance: Provenance
    updated: datetime | None = None
    original_url: str = ""
    draft: bool = False
    dated: bool = True
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def identity(self) -> str:
        """What makes two inputs the same report: the original URL, else headline, date and outlet.

        Never the site path (which a URL-scheme change moves) nor the body
        (which an edit changes), so subscribers do not see an edit as new.
        """
        if self.original_url:
            return self.original_url
        outlet = self.source.domain or self.source.name if self.source else ""
        return f"{self.headline}|{self.published.date().isoformat()}|{outlet}"

    @property
    def uid(self) -> str:
        """A stable id for feeds, derived from ``identity``."""
        return f"urn:uuid:{uuid5(NAMESPACE_URL, self.identity)}"


@dataclass(frozen=True, slots=True)
class TopicMatch(Record):
    """Why a story was filed under a topic: its score and the terms that matched."""

    slug: str
    name: str
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A person, organisation or place named in a story, with the role as written."""

    name: str
    kind: str  # "person" | "organisation" | "place"
    slug: str
    role: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote(Record):
    """A quoted span and who it is attributed to (empty when the text does not say)."""

    text: str
    speaker: str = ""
    in_headline: bool = False
    indirect: bool = False  # reported speech ("X announced that …"), shown without quotation marks
    via: str = ""  # the outlet the speaker told ("… told Reuters")
    speaker_slug: str = ""  # the entity page of the speaker, when the speaker is a known entity


@dataclass(frozen=True, slots=True)
class Figure(Record):
    """A number with what it counts: "1,000 for 1,000" prisoners, "$2 billion", "40%"."""

    text: str
    kind: str  # "count" | "money" | "percent" | "date"
    context: str = ""


@dataclass(frozen=True, eq=False, slots=True)
class Story(Record):
    """The digest unit: one section of an article under one main topic."""

    article: Article
    index: int
    heading: str
    paragraphs: tuple[str, ...]
    html: str
    topics: tuple[TopicMatch, ...]
    summary: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()

    @property
    def topic(self) -> TopicMatch:
        return self.topics[0]

    @property
    def anchor(self) -> str:
        return f"story-{self.index + 1}"


@dataclass(frozen=True, slots=True)
class Cluster(Record):
    """Reports of one event from several outlets: the earliest leads, the others "also reported"."""

    slug: str
    articles: tuple[str, ...]  # article slugs, the lead (earliest report) first
    similarity: float = 0.0  # the lowest similarity that joined a member, for the debug listing


@dataclass(frozen=True, slots=True)
class ClusterIndex(Record):
    """Every multi-article cluster of a site, and each member article's cluster."""

    clusters: tuple[Cluster, ...] = ()
    by_article: dict[str, Cluster] = field(default_factory=dict, hash=False, compare=False)

    def of(self, slug: str) -> Cluster | None:
        return self.by_article.get(slug)

    def leads(self, articles: Sequence[Article]) -> list[Article]:
        """``articles`` without the ones another report of their cluster leads: each cluster once."""
        return [a for a in articles if (c := self.by_article.get(a.slug)) is None or c.articles[0] == a.slug]
