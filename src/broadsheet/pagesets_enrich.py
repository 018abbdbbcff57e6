"""Pages and template helpers for story intelligence: entities, story clusters, topic threads.

``enrich_sets`` yields, after the pages ``assemble.page_sets`` makes itself:
``entities/`` (the most-mentioned people, organisations and places),
``entities/people/`` (and ``organisations/``, ``places/``: everyone, by name,
paginated), ``entities/SLUG/`` (the stories naming one entity, newest first,
and the quotes attributed to it) and ``stories/SLUG/`` (every report of one
multi-source cluster). ``register`` gives templates the helpers the article
page, story cards and topic threads use.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import jinja2

from . import urls
from .assemble import ARTICLE_OF, Page, PagedList, PageSet, SiteIndex, modified, paginate
from .enrich.site import names_digest
from .fingerprint import digest
from .memo import Memo
from .model import Article, Cluster, Figure, Mention, Quote, Story

KINDS = (
    ("person", "people", "People"),
    ("organisation", "organisations", "Organisations"),
    ("place", "places", "Places"),
)
RESERVED = frozenset(["people", "organisations", "places", "page"])
INDEX_PER_KIND = 24
LIST_PAGE_SIZE = 100
PLACES = tuple(str(n) for n in range(64))  # a quote's place in its story, as ``quote_places`` spells it
DESCRIBED = {"person": "Stories naming", "organisation": "Stories naming", "place": "Stories from or about"}


def entity_path(slug: str) -> str:
    """The page of one entity; a slug that would collide with a list page gets a suffix."""
    return urls.entity(f"{slug}-entity" if slug in RESERVED else slug)


def kind_path(plural: str) -> str:
    return f"entities/{plural}/"


@dataclass(frozen=True)
class EntityEntry:
    """One entity across the site: the stories naming it (newest first) and its quotes."""

    slug: str
    name: str
    kind: str
    roles: tuple[str, ...]
    aliases: tuple[str, ...]
    stories: tuple[Story, ...]
    quoting: tuple[Story, ...] = ()  # the story of each quote attributed to it
    quote_places: str = ""  # each quote's place in its story, space-separated
    said: tuple[tuple[Quote, Story], ...] | None = None  # the quotes with their words (assemble.page_context)

    @property
    def path(self) -> str:
        return entity_path(self.slug)

    @cached_property
    def quotes(self) -> tuple[tuple[Quote, Story], ...]:
        """Each quote with its story: with its words on the page that shows them, else light (bodies.py).

        Made once per entry however many of its pages a template asks on: an
        entity of a large site has hundreds of pages and thousands of quotes.
        """
        if self.said is not None:
            return self.said
        places = self.quote_places.split()
        return tuple((story.quotes[int(place)], story) for story, place in zip(self.quoting, places, strict=True))

    def fingerprint_parts(self) -> tuple[object, ...]:
        """What an entity page shows of the entry itself (dependencies.py): its stories come in as the page's items.

        A quote stands in by its story and its place there: its text comes from
        the story's article, and its speaker (the only part site-wide steps
        change) is in the story's token. Cheaper than describing every quote.
        """
        return (
            self.slug,
            self.name,
            self.kind,
            self.roles,
            self.aliases,
            len(self.stories),
            self.quoting,
            self.quote_places,
        )


def entity_directory(index: SiteIndex) -> list[EntityEntry]:
    """Every entity named in the site's stories, by name.

    A walk over every mention and quote of the site (170,000 and 126,000 at
    10,000 articles): ``remembered_directory`` does it only when names
    changed. Equal mentions are one shared object (bodies.share), so a run of
    the same object is kept once: roles and aliases come out in the same
    first-seen order.
    """
    named: dict[str, tuple[list[Mention], list[Story]]] = {}
    quoted: dict[str, tuple[list[Story], list[str]]] = {}
    for article in index.articles:
        for story in index.stories[article.slug]:
            for mention in story.mentions:
                found = named.get(mention.slug)
                if found is None:
                    named[mention.slug] = ([mention], [story])
                    continue
                mentions, stories = found
                if mentions[-1] is not mention:
                    mentions.append(mention)
                if stories[-1] is not story:  # two names of one story merged into one entity
                    stories.append(story)
            for place, quote in enumerate(story.quotes):
                if quote.speaker_slug:
                    said = quoted.get(quote.speaker_slug)
                    if said is None:
                        quoted[quote.speaker_slug] = said = ([], [])
                    said[0].append(story)
                    said[1].append(PLACES[place] if place < len(PLACES) else str(place))
    entries = []
    for slug, (mentions, stories) in named.items():
        first = mentions[0]
        roles = tuple(dict.fromkeys(m.role for m in mentions if m.role))
        aliases = tuple(dict.fromkeys(a for m in mentions for a in m.aliases if a != first.name))
        quoting, places = quoted.get(slug, ((), ()))
        entries.append(
            EntityEntry(slug, first.name, first.kind, roles, aliases, tuple(stories), tuple(quoting), " ".join(places))
        )
    entries.sort(key=lambda e: (e.name.lower(), e.slug))
    return entries


# An entry as remembered: its fields but with stories as their places in the site's stories, in site order.
_Shape = tuple[str, str, str, tuple[str, ...], tuple[str, ...], "array[int]", "array[int]", str]
Places = tuple["array[int]", "array[int]"]


@dataclass(frozen=True)
class Directory:
    """The entity directory and where its stories are: each entry's stories and quoting as places in ``stories``.

    ``key`` names the shape (every entry but for its stories' contents): two
    directories with one key list the same places, entry by entry, so what
    is worked out from the stories at those places can be reused while they
    are unchanged (dependencies.remember_directory_tokens).
    """

    key: str
    stories: list[Story]  # the site's stories, in site order
    entries: list[EntityEntry]
    places: list[Places]  # each entry's stories and quoting, as places in ``stories``


def remembered_directory(index: SiteIndex, names: Mapping[str, str], memo: Memo) -> Directory:
    """``entity_directory(index)``, walked again only when an article's names or the site's articles changed.

    The memo's key is every article's slug, story count and digest of its
    names and speakers (``names``, by slug, as cached with each article:
    enrich.site.names_digest; computed here for an article not in it). It
    keeps each entry with its stories as places in the site's stories, so
    an edit that names no one costs one lookup per listed story instead of
    the walk.
    """
    stories = [story for article in index.articles for story in index.stories[article.slug]]
    lines = []
    for article in index.articles:
        own = index.stories[article.slug]
        lines.append(f"{article.slug}|{len(own)}|{names.get(article.slug) or names_digest(own)}")

    def shapes() -> list[_Shape]:
        place = {story: number for number, story in enumerate(stories)}
        return [
            (
                e.slug,
                e.name,
                e.kind,
                e.roles,
                e.aliases,
                array("I", map(place.__getitem__, e.stories)),
                array("I", map(place.__getitem__, e.quoting)),
                e.quote_places,
            )
            for e in entity_directory(index)
        ]

    key = digest(*lines)
    remembered = memo.get(key, shapes)
    story_at = stories.__getitem__
    entries = [
        EntityEntry(slug, name, kind, roles, aliases, tuple(map(story_at, listed)), tuple(map(story_at, quoting)), at)
        for slug, name, kind, roles, aliases, listed, quoting, at in remembered
    ]
    places = [(listed, quoting) for _slug, _name, _kind, _roles, _aliases, listed, quoting, _at in remembered]
    return Directory(memo.full_key(key), stories, entries, places)


def _newest(stories: Sequence[Story]) -> Any:
    return max(map(modified, map(ARTICLE_OF, stories)), default=None)


def enrich_sets(index: SiteIndex) -> Iterator[PageSet]:
    """Entity index, entity lists, one set per entity, one page per story cluster."""
    config = index.config
    directory = entity_directory(index) if index.entities is None else index.entities
    by_kind = {kind: [e for e in directory if e.kind == kind] for kind, _, _ in KINDS}
    top = {
        kind: sorted(entries, key=lambda e: (-len(e.stories), e.name.lower()))[:INDEX_PER_KIND]
        for kind, entries in by_kind.items()
    }
    newest = _newest([s for e in directory for s in e.stories[:1]])
    yield PageSet.of(
        Page(
            "entities/",
            "entity_list.html",
            "People, organisations and places",
            f"Who and what the stories of {config.title} name.",
            {"kinds": [(kind, plural, label, top[kind], len(by_kind[kind])) for kind, plural, label in KINDS]},
            newest,
        )
    )
    for kind, plural, label in KINDS:
        for listed, pager in paginate(by_kind[kind], LIST_PAGE_SIZE, kind_path(plural)):
            yield PageSet.of(
                Page(
                    urls.paged(kind_path(plural), pager.number),
                    "entity_list.html",
                    label if pager.number == 1 else f"{label}, page {pager.number}",
                    f"Every {kind} named in {config.title}, by name.",
                    {"kinds": [(kind, plural, label, listed, len(by_kind[kind]))], "pager": pager},
                    newest,
                )
            )
    for entry in directory:
        yield entity_set(index, entry)
    for cluster in index.clusters.clusters:
        members = articles_of(index, cluster.articles)
        if len(members) < 2:
            continue
        lead = members[0]
        yield PageSet.of(
            Page(
                urls.cluster(cluster.slug),
                "cluster.html",
                lead.headline,
                f"{len(members)} reports of one story: {', '.join(outlet(a) for a in members)}.",
                {"cluster": cluster, "members": members},
                max(modified(a) for a in members),
            )
        )


def entity_set(index: SiteIndex, entry: EntityEntry) -> PageSet:
    """The set of one entity's list pages (``enrich_sets``)."""
    return _entity_list(index, entry).page_set()


def _entity_list(index: SiteIndex, entry: EntityEntry) -> PagedList:
    """One entity's stories, paginated: its pages are fingerprinted as a list's (``listing_fingerprints``).

    The template lists the entity's quotes on the first page only; their words
    are read when that page is rendered (``assemble.page_context``).
    """
    role = f", {entry.roles[0]}" if entry.roles else ""
    return PagedList(
        entry.path,
        entry.name,
        f"{DESCRIBED[entry.kind]} {entry.name}{role}: {len(entry.stories)} in {index.config.title}.",
        entry.stories,
        index.config.page_size,
        "entity.html",
        {"entity": entry},
        stories=True,
    )


def outlet(article: Article) -> str:
    """Who reported an article: its source, else its byline, else this site."""
    if article.source is not None:
        return article.source.name
    return ", ".join(article.authors) or "this site"


# --- template helpers -------------------------------------------------------------------------


def articles_of(index: SiteIndex, slugs: Sequence[str]) -> list[Article]:
    """The articles with these slugs (that the site has), in the same order."""
    return [index.stories[slug][0].article for slug in slugs if index.stories.get(slug)]


def also_reported(index: SiteIndex, story: Story) -> list[Article]:
    """The other reports of a cluster, on the first story of the report that leads it."""
    cluster = index.clusters.of(story.article.slug)
    if cluster is None or cluster.articles[0] != story.article.slug or story.index != 0:
        return []
    return articles_of(index, cluster.articles[1:])


def cluster_of(index: SiteIndex, article: Article) -> tuple[Cluster, list[Article]] | None:
    """An article's cluster and its other members, for the article page."""
    cluster = index.clusters.of(article.slug)
    if cluster is None:
        return None
    return cluster, articles_of(index, [s for s in cluster.articles if s != article.slug])


@dataclass(frozen=True)
class ArticleIntel:
    """What an article page lists below the text: names by kind, quotes, key figures."""

    kinds: tuple[tuple[str, tuple[Mention, ...]], ...]
    quotes: tuple[tuple[Quote, Story], ...]
    figures: tuple[tuple[Figure, Story], ...]

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.quotes or self.figures)


def article_intel(stories: Sequence[Story]) -> ArticleIntel:
    """Every story's names (once each, first role kept), quotes and figures, in order."""
    seen: dict[str, Mention] = {}
    for story in stories:
        for mention in story.mentions:
            if mention.slug not in seen or (mention.role and not seen[mention.slug].role):
                seen[mention.slug] = mention
    kinds = tuple(
        (label, tuple(m for m in seen.values() if m.kind == kind))
        for kind, _, label in KINDS
        if any(m.kind == kind for m in seen.values())
    )
    quotes = tuple((q, s) for s in stories for q in s.quotes)
    figures = tuple(dict.fromkeys((f, s) for s in stories for f in s.figures))
    return ArticleIntel(kinds, quotes, figures)


def by_day(stories: Sequence[Story], index: SiteIndex) -> list[tuple[date, list[Story]]]:
    """Stories grouped by their edition date, in the order given: a topic's thread as a timeline."""
    days: dict[date, list[Story]] = {}
    for story in stories:
        days.setdefault(index.day_of(story.article), []).append(story)
    return list(days.items())


def register(env: jinja2.Environment) -> None:
    """The filters and functions the story-intelligence templates use."""
    env.filters["entity_path"] = entity_path
    env.filters["cluster_path"] = urls.cluster
    env.filters["by_day"] = by_day
    env.filters["outlet"] = outlet
    env.globals["also_reported"] = also_reported
    env.globals["cluster_of"] = cluster_of
    env.globals["article_intel"] = article_intel
