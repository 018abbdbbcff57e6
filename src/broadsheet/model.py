"""Plain records that flow through the pipeline.

Loaders produce ``Article`` values; enrichment produces ``Story`` values; the
renderer only reads them. They are frozen where they cross a process boundary
or a cache, so a cached value can never be changed by a later phase.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar, cast
from uuid import NAMESPACE_URL, uuid5


class Record:
    """Base of the records below: slotted, and pickled as the arguments of a generated maker.

    Slots save a ``__dict__`` per record (a tenth of a large site's memory).
    Loading the content cache makes some 200,000 records; a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    twice the work of the slot descriptors a generated maker calls directly
    (``_layout``). ``evolve`` uses the same maker: ``dataclasses.replace``
    without its per-call introspection, for the build's hot paths.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__slots__" in cls.__dict__:  # the class ``dataclass(slots=True)`` makes, not the one it replaces
            _LAYOUTS[cls] = _layout(cls)

    def __reduce__(self) -> tuple[Callable[..., Record], tuple[Any, ...]]:
        make, values, _ = _LAYOUTS[type(self)]
        return (make, values(self))


R = TypeVar("R", bound=Record)
# Per record class, defined with it and never changed: its maker, its field values in slot order, each field's place.
_LAYOUTS: dict[type[Record], tuple[Callable[..., Any], Callable[[Any], tuple[Any, ...]], dict[str, int]]] = {}


def _layout(cls: type[Record]) -> tuple[Callable[..., Any], Callable[[Any], tuple[Any, ...]], dict[str, int]]:
    """The maker of ``cls`` (``cls(*values)`` without ``__init__``), its values getter and its fields' places.

    The maker is a module-level function of the class's module, so pickle can
    name it. Frozen records validate nothing in ``__init__`` (none defines
    ``__post_init__``): setting the slots is all that construction does.
    """
    names: tuple[str, ...] = cls.__slots__
    name = f"_make_{cls.__name__}"
    arguments = ", ".join(f"v{i}" for i in range(len(names)))
    body = "".join(f"    set{i}(record, v{i})\n" for i in range(len(names)))
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    namespace.update((f"set{i}", getattr(cls, field).__set__) for i, field in enumerate(names))
    exec(f"def {name}({arguments}):\n    record = new(cls)\n{body}    return record\n", namespace)  # noqa: S102
    make = namespace[name]
    make.__module__, make.__qualname__ = cls.__module__, name
    setattr(sys.modules[cls.__module__], name, make)  # where pickle looks it up: the class's module, imported to load
    values = attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)
    return make, values, {field: place for place, field in enumerate(names)}


def evolve(record: R, **changes: Any) -> R:
    """``dataclasses.replace`` for records, twice as fast: the hot paths (re-slugging, light copies) use it."""
    make, values, places = _LAYOUTS[type(record)]
    fields = list(values(record))
    for name, value in changes.items():
        place = places.get(name)
        if place is None:
            raise TypeError(f"{type(record).__name__} has no field {name}")
        fields[place] = value
    return cast(R, make(*fields))


@dataclass(frozen=True, slots=True)
class Source(Record):
    """The outlet an article came from (``Read More @ euromaidanpress.com``)."""

    name: str
    url: str = ""
    domain: str = ""


IMAGE_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
    "avif": "image/avif",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Image(Record):
    """An article's lead image: shown atop its page, and in its cards' and feeds' previews.

    ``src`` is an http(s) URL, or the site path of a file of the content
    folder the site publishes (``media/2025/harbour.jpg``, URL-quoted).
    """

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int = 0  # as its file's header says (a published file's only): the page keeps its place while it loads
    height: int = 0

    @property
    def remote(self) -> bool:
        return self.src.startswith(("https://", "http://"))

    def absolute(self, base_url: str) -> str:
        """Its URL from anywhere (feeds, social cards): a published file's under the site's ``base_url``."""
        return self.src if self.remote else base_url + self.src

    @property
    def mime(self) -> str:
        """Its media type from its file name's suffix ("" if the name does not say)."""
        path = self.src.split("#", 1)[0].split("?", 1)[0]
        suffix = path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
        return IMAGE_TYPES.get(suffix, "")


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
    """Where an article came from: its input file relative to the site, and its hash.

    ``files``: each file of the content folder its links name (loaders/assets.py)
    and whether it was there; the page changes when one comes or goes.
    ``links``: the markers of its links to other articles (loaders/article_links.py);
    ``link_lines``: each marker and the line of the file (1-based, front matter
    counted) its first link is on, where known: a warning names it.
    ``read``: the content files whose bytes the record depends on, with their state.
    """

    path: str
    sha256: str
    loader: str
    extra: tuple[tuple[str, str], ...] = ()
    files: tuple[tuple[str, bool], ...] = ()
    links: tuple[str, ...] = ()
    link_lines: tuple[tuple[str, int], ...] = ()
    # (site path, size, mtime_ns) of each content file the record holds something of (the lead image's width and
    # height): the cached record is used only while each is unchanged (cache.ArticleCache.get).
    read: tuple[tuple[str, int, int], ...] = ()


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
    publish_at: datetime | None = None  # Hugo's publishDate, when it differs from ``published``
    redirects: tuple[str, ...] = ()  # old addresses (site paths) that lead to its page: Hugo's aliases
    expires: datetime | None = None  # Hugo's expiryDate: not on the site from then on
    image: Image | None = None  # the lead image (front matter's image, cover, images…; a feed entry's media)
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def release(self) -> datetime:
        """When the article may appear on the site: its ``publishDate`` if given (Hugo), else its date."""
        return self.publish_at or self.published

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
