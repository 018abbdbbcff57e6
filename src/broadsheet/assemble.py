"""The site index: every list the site shows and every page and feed it writes.

Built once from the enriched articles; templates then only read it. Each
``Page`` knows its path, template, view data and last modification, so pages
can be rendered in any order or process, listed in the sitemap, and skipped
when unchanged. Pages come in ``PageSet`` values (one article's page, one
list and its pagination) that name what their pages are made from, so a
rebuild can keep a whole unchanged set without making its pages at all.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property, partial
from operator import attrgetter
from typing import Any, TypeVar

from . import urls
from .bodies import BodyStore, dress
from .config import SiteConfig, TopicDef
from .loaders.article import make_slug
from .loaders.article_links import anchor_of, files_named, nowhere, page_named, resolve
from .loaders.assets import FROM_ARTICLE_PAGE
from .loaders.metadata import is_ai_byline
from .model import Article, ClusterIndex, Quote, Story, evolve

T = TypeVar("T")
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
JSON_FEED = "application/feed+json"


def first_upper(value: str) -> str:
    """Capitalise the first letter only ("prisoner swap" → "Prisoner swap", "AFP" stays)."""
    return value[:1].upper() + value[1:]


ARTICLE_OF = attrgetter("article")  # a story's article


def modified(article: Article) -> datetime:
    return article.updated or article.published


def newest_first(article: Article) -> tuple[float, str]:
    return (-article.published.timestamp(), article.slug)


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises with ``<link rel="alternate">``."""

    title: str
    path: str
    mime: str


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
        """Links to show: the first, the last and two either side of this one (0 stands for a gap).

        A fixed-size window keeps every list page small however long the list is.
        """
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        links: list[tuple[int, str]] = []
        for number in shown:
            if links and number - links[-1][0] > 1:
                links.append((0, ""))
            links.append((number, urls.paged(self.base, number)))
        return links


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
    feeds: tuple[FeedLink, ...] = ()
    kind: str = "website"  # Open Graph type


@dataclass(frozen=True)
class PageSet:
    """Pages made together, and everything they are made from besides the site-wide render inputs.

    ``make`` must read nothing but ``inputs`` (and the configuration, the
    templates and the index lookups every page fingerprint covers): a rebuild
    whose ``inputs`` describe the same keeps the set's files as they are.
    ``name`` is unique in the site (the set's first path).
    """

    name: str
    inputs: tuple[Any, ...]
    make: Callable[[], Iterable[Page]]

    @classmethod
    def of(cls, page: Page) -> PageSet:
        """A set of one page made up front: its inputs are the page itself."""
        return cls(page.path, (page,), (page,).__iter__)


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

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(dict.fromkeys(map(ARTICLE_OF, self.stories)))  # in C: topics list tens of thousands of stories


@dataclass(frozen=True)
class ArticleGroup:
    """A named list of articles, newest first: one source, one tag."""

    slug: str
    name: str
    path: str
    articles: tuple[Article, ...]
    url: str = ""  # the outlet's own site, for sources


@dataclass(frozen=True)
class Feed:
    """One feed file to write and the articles it carries (newest first)."""

    path: str
    title: str
    description: str
    articles: tuple[Article, ...]
    mime: str = RSS

    def items(self, limit: int) -> tuple[Article, ...]:
        """The articles the feed carries when capped at ``limit`` (0: all of them)."""
        return self.articles[: limit or None]


@dataclass(frozen=True)
class SiteIndex:
    """Everything derived from the articles that more than one page needs."""

    config: SiteConfig
    articles: tuple[Article, ...]
    stories: dict[str, tuple[Story, ...]]
    topics: tuple[TopicGroup, ...]
    sources: tuple[ArticleGroup, ...] = ()
    tags: tuple[ArticleGroup, ...] = ()
    authors: tuple[ArticleGroup, ...] = ()  # one per byline name ("AI" is a label, not an author)
    days: dict[date, tuple[Article, ...]] = field(default_factory=dict)
    source_of: dict[str, ArticleGroup] = field(default_factory=dict)
    tag_paths: dict[str, str] = field(default_factory=dict)
    clusters: ClusterIndex = field(default_factory=ClusterIndex)  # reports of one event (enrich/cluster.py)
    bodies: BodyStore | None = None  # where the text of light records is (bodies.py); None: records are whole
    # The entity directory (pagesets_enrich.EntityEntry, by name) when the build worked it out beforehand
    # (pagesets_enrich.remembered_directory); None: the pages that list entities walk the stories for it.
    entities: tuple[Any, ...] | None = None
    # Each input left out as a copy of another (build.deduplicate, enrich.site.drop_same_text), by site path:
    # the input kept in its place. Its text is on the site under the other's name: links to it lead there.
    duplicates: Mapping[str, str] = field(default_factory=dict)

    def text_of(self, article: Article, stories: tuple[Story, ...]) -> tuple[Article, tuple[Story, ...]]:
        """``article`` and ``stories`` with their text, which the index holds them without (bodies.py)."""
        if self.bodies is None:
            return article, stories
        return dress(article, stories, self.bodies.get(article))

    def bylines_of(self, article: Article) -> tuple[tuple[str, str], ...]:
        """Each byline name of ``article`` and the path of its author's page ("" for the AI label)."""
        return tuple((name, self._author_paths.get(name.casefold(), "")) for name in article.authors)

    @cached_property
    def _author_paths(self) -> dict[str, str]:
        return {group.name.casefold(): group.path for group in self.authors}

    def links_of(self, article: Article) -> tuple[tuple[str, str | None], ...]:
        """Each link of ``article`` to another article or a page of the site (article_links), and where it leads.

        Where: the other article's page (``articles/SLUG/``), at the story
        the link's fragment names (a file left out as a duplicate: the page
        of the article kept in its place); a tag's or author's page; the
        front page (""). None: no article of this site is read from the file
        it names (none is there, or it is a draft, a future article, or a
        duplicate of one), or the site has no such page: the link is left out.
        """
        return tuple((marker, self._link_target(marker)) for marker in article.provenance.links)

    def _link_target(self, marker: str) -> str | None:
        page = page_named(marker)
        if page is not None:
            kind, name = page
            paths = {"tag": self.tag_paths.get(name.lower()), "author": self._author_paths.get(name.casefold())}
            return "" if kind == "index" else paths.get(kind)
        for path in files_named(marker):
            found = self._by_input.get(path)
            if found is not None:
                headings = [story.heading for story in self.stories[found.slug]]
                return urls.article(found.slug) + anchor_of(marker, headings)
        return None

    @cached_property
    def _by_input(self) -> dict[str, Article]:
        """The published articles by the site path of their input (NFC: a link may name it in either form).

        A duplicate's input too, for the article kept in its place (a copy of
        a copy: the one kept in the end), when that one is published.
        """
        nfc = partial(unicodedata.normalize, "NFC")
        by_input = {nfc(article.provenance.path): article for article in self.articles}
        kept_for = {nfc(copy): nfc(kept) for copy, kept in self.duplicates.items()}
        for copy, kept in kept_for.items():
            seen = {copy}
            while kept in kept_for and kept not in seen:
                seen.add(kept)
                kept = kept_for[kept]
            article = by_input.get(kept)
            if article is not None:
                by_input.setdefault(copy, article)
        return by_input

    def quotes_said(
        self, quoted: Sequence[tuple[Quote, Story]], places: Sequence[int]
    ) -> tuple[tuple[Quote, Story], ...]:
        """Light quotes (each with its story and its place there) with their words, read for these articles only."""
        if self.bodies is None:
            return tuple(quoted)
        words = self.bodies.quotes_of(story.article for _, story in quoted)
        return tuple(
            (evolve(quote, text=words[story.article][story.index][place]), story)
            for (quote, story), place in zip(quoted, places, strict=True)
        )

    @property
    def story_count(self) -> int:
        return sum(len(s) for s in self.stories.values())

    def day_of(self, article: Article) -> date:
        """The edition an article belongs to: its date in the site's time zone."""
        day = self._editions.get(article)
        return article.published.astimezone(self.config.tz).date() if day is None else day

    @cached_property
    def _editions(self) -> dict[Article, date]:
        """Each listed article's day, as ``days`` has it: looked up for every story a page lists by day."""
        return {article: day for day, articles in self.days.items() for article in articles}

    @cached_property
    def newest(self) -> datetime | None:
        """When the site last changed: the ``lastmod`` of each page listing every article (worked out once)."""
        return _newest(self.articles)


def nowhere_links(index: SiteIndex) -> Iterator[tuple[Article, str, int | None]]:
    """Each article's links to an article or page not on the site (``SiteIndex.links_of``), why, and where.

    Each way of naming it once (links to two stories of one missing article
    are one warning), at the first line a link naming it so is on (None: not
    known), in the order of those lines.
    """
    for article in index.articles:
        if article.provenance.links:
            lines = dict(article.provenance.link_lines)
            first: dict[str, int | None] = {}
            for marker, target in index.links_of(article):
                if target is None:
                    why = nowhere(marker)
                    line, known = lines.get(marker), first.get(why)
                    if why not in first or (line is not None and (known is None or line < known)):
                        first[why] = line
            said = sorted(first.items(), key=lambda pair: (pair[1] is None, pair[1] or 0))
            yield from ((article, why, line) for why, line in said)


def _groups(
    members: Sequence[tuple[str, str, str, Article]], path_of: Callable[[str], str]
) -> tuple[ArticleGroup, ...]:
    """Group (key, name, url, article) rows by key; slugs are unique, groups ordered by name."""
    names: dict[str, tuple[str, str]] = {}
    articles: dict[str, list[Article]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for key, name, url, article in members:
        names.setdefault(key, (name, url))
        if (key, article.slug) not in seen:
            seen.add((key, article.slug))
            articles[key].append(article)
    groups = []
    taken: set[str] = set()
    for key in sorted(names, key=lambda k: (names[k][0].lower(), k)):
        base = make_slug(key, "x")  # at most 80 characters: a feed's tag or outlet name can be any length
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        name, url = names[key]
        groups.append(ArticleGroup(slug, name, path_of(slug), tuple(articles[key]), url))
    return tuple(groups)


def build_index(
    config: SiteConfig,
    enriched: Sequence[tuple[Article, tuple[Story, ...]]],
    clusters: ClusterIndex | None = None,
    bodies: BodyStore | None = None,
    duplicates: Mapping[str, str] | None = None,
) -> SiteIndex:
    """Sort articles newest first and group them by topic (every topic a story has), source, tag and day.

    ``duplicates``: each input left out as a copy of another, and the input kept in its place (``SiteIndex``).
    """
    ordered = sorted(enriched, key=lambda pair: newest_first(pair[0]))
    articles = tuple(a for a, _ in ordered)
    by_topic: dict[str, list[Story]] = defaultdict(list)
    for _article, stories in ordered:
        for story in stories:
            for match in story.topics:
                by_topic[match.slug].append(story)
    definitions: list[TopicDef] = [*config.topics, config.default_topic]
    topics = tuple(
        TopicGroup(t.slug, t.name, t.description, tuple(by_topic[t.slug])) for t in definitions if by_topic.get(t.slug)
    )
    sources = _groups(
        [(a.source.domain or a.source.name, a.source.name, a.source.url, a) for a in articles if a.source], urls.source
    )
    source_of = {a.slug: g for g in sources for a in g.articles}
    tags = _groups([(t.lower(), t, "", a) for a in articles for t in a.tags], urls.tag)
    tag_paths = {a_tag.name.lower(): a_tag.path for a_tag in tags}
    bylines = [(name, article) for article in articles for name in article.authors]
    labels = {name for name in {name for name, _ in bylines} if is_ai_byline(name)}  # each name tried once
    authors = _groups([(n.casefold(), n, "", a) for n, a in bylines if n not in labels], urls.author)
    days: dict[date, list[Article]] = defaultdict(list)
    for article in articles:
        days[article.published.astimezone(config.tz).date()].append(article)
    return SiteIndex(
        config=config,
        articles=articles,
        stories={a.slug: s for a, s in ordered},
        topics=topics,
        sources=sources,
        tags=tags,
        authors=authors,
        days={d: tuple(a) for d, a in sorted(days.items(), reverse=True)},
        source_of=source_of,
        tag_paths=tag_paths,
        clusters=clusters or ClusterIndex(),
        bodies=bodies,
        duplicates=dict(duplicates or {}),
    )


def paginate(items: Sequence[T], size: int, base: str) -> Iterator[tuple[Sequence[T], Pager]]:
    """Split ``items`` into pages of ``size``; an empty list still has one page."""
    count = max(1, -(-len(items) // size))
    for number in range(1, count + 1):
        yield items[(number - 1) * size : number * size], Pager(number, count, base)


def _newest(articles: Sequence[Article]) -> datetime | None:
    return max(map(modified, articles), default=None)


@dataclass(frozen=True)
class PagedList:
    """One paginated list; its pages are a function of exactly these fields, so they are its set's inputs."""

    base: str
    title: str
    description: str
    items: Sequence[Any]
    size: int
    template: str
    context: dict[str, Any]
    feeds: tuple[FeedLink, ...] = ()
    stories: bool = False  # the items are stories: a page's lastmod is their articles'

    @property
    def count(self) -> int:
        """How many pages the list has (as ``paginate``: an empty list still has one)."""
        return max(1, -(-len(self.items) // self.size))

    def paths(self) -> tuple[str, ...]:
        return tuple(urls.paged(self.base, number) for number in range(1, self.count + 1))

    def pages(self) -> Iterator[Page]:
        """The pages of the list, in order."""
        for number in range(1, self.count + 1):
            yield self.page(number)

    def page(self, number: int) -> Page:
        """Page ``number`` alone (a rebuild makes only the pages whose items changed); page N > 1 says so in its title."""
        chunk = self.items[(number - 1) * self.size : number * self.size]
        pager = Pager(number, self.count, self.base)
        members = _story_articles(chunk) if self.stories else chunk
        return Page(
            urls.paged(self.base, number),
            self.template,
            self.title if number == 1 else f"{self.title}, page {number}",
            self.description,
            {**self.context, "items": chunk, "pager": pager},
            _newest(members),
            feeds=self.feeds,
        )

    def page_set(self) -> PageSet:
        return PageSet(self.base, (self,), self.pages)


def _story_articles(stories: Sequence[Story]) -> list[Article]:
    return list(map(ARTICLE_OF, stories))


def topic_feed(group: TopicGroup) -> str:
    return f"{group.path}feed.xml"


def source_feed(group: ArticleGroup) -> str:
    return f"{group.path}feed.xml"


def front_groups(
    index: SiteIndex, articles: Sequence[Article], per_topic: int
) -> list[tuple[TopicGroup, tuple[Story, ...]]]:
    """Stories of ``articles`` grouped by topic (site order), one per article, at most ``per_topic`` each.

    Works from the given articles' own stories, so a day's edition costs what
    that day holds, not what the whole site holds.
    """
    by_topic: dict[str, list[Story]] = defaultdict(list)
    # Once every topic shown has its stories, older articles cannot change the result: stop there.
    unfilled = {group.slug for group in index.topics}
    for article in sorted(articles, key=newest_first):
        seen: set[str] = set()
        for story in index.stories[article.slug]:
            slug = story.topic.slug
            if slug not in seen:
                seen.add(slug)
                shown = by_topic[slug]
                if len(shown) < per_topic:
                    shown.append(story)
                    if len(shown) == per_topic:
                        unfilled.discard(slug)
        if not unfilled:
            break
    return [(group, tuple(by_topic[group.slug])) for group in index.topics if by_topic.get(group.slug)]


def pages(index: SiteIndex) -> Iterator[Page]:
    """Every HTML page of the site, in a stable order."""
    for page_set in page_sets(index):
        yield from page_set.make()


def page_sets(index: SiteIndex) -> Iterator[PageSet]:
    """Every HTML page of the site, set by set, in a stable order."""
    config = index.config
    yield PageSet.of(
        Page(
            "",
            "index.html",
            config.title,
            config.description or f"The latest stories of {config.title}, by topic.",
            {
                "groups": front_groups(index, index.clusters.leads(index.articles), config.front_page_stories),
                "latest_day": next(iter(index.days), None),
            },
            index.newest,
        )
    )
    yield from article_sets(index)
    yield from topic_sets(index)
    yield from group_sets(index, "source", "sources/", "Sources", index.sources)
    yield from group_sets(index, "tag", "tags/", "Tags", index.tags)
    if index.authors:  # its index is linked from the authors' pages only
        yield from group_sets(index, "author", "authors/", "Authors", index.authors)
    yield from archive_sets(index)
    yield from redirect_sets(index)
    from .pagesets_enrich import enrich_sets  # here: that module builds on this one

    yield from enrich_sets(index)
    if config.search:
        yield PageSet.of(
            Page(
                "search/",
                "search.html",
                "Search",
                f"Search the articles of {config.title}.",
                lastmod=index.newest,
            )
        )
    yield PageSet.of(Page("404.html", "404.html", "Page not found", "This page does not exist.", root_relative=True))


def page_context(page: Page, index: SiteIndex) -> dict[str, Any]:
    """What a page's template sees of it: text the light records lack is read only here, for a page being rendered.

    An article page gets its article's text (and dek); an entity's first page
    (the only one listing its quotes) the words of those quotes.
    """
    if page.kind == "article":
        article, stories = index.text_of(page.context["article"], page.context["stories"])
        links = page.context.get("links")
        if links:  # links to other articles lead to their pages (article_links)
            stories = tuple(evolve(story, html=resolve(story.html, links, FROM_ARTICLE_PAGE)) for story in stories)
        return {**page.context, "article": article, "stories": stories, "dek": dek(article)}
    entity = page.context.get("entity")
    if entity is not None and entity.quoting and page.context["pager"].number == 1:
        places = [int(place) for place in entity.quote_places.split()]
        return {**page.context, "entity": replace(entity, said=index.quotes_said(entity.quotes, places))}
    return page.context


def texts_read(page_set: PageSet) -> tuple[Article, ...]:
    """The articles whose text ``page_context`` reads for some page of ``page_set``: every other set shows none.

    An article set's page reads its article's; an entity's list, on its first
    page, the words of every quote it lists (those of ``entity.quoting``). A
    rebuild after edits to articles' text alone makes only the sets naming
    one of them here (text_edits.text_only_sets, which must find the same).
    """
    first = page_set.inputs[0] if page_set.inputs else None
    if type(first) is Article:  # article_sets
        return (first,)
    if type(first) is PagedList:
        entity = first.context.get("entity")
        quoting = getattr(entity, "quoting", ())
        if quoting:
            return tuple(story.article for story in quoting)
    return ()


def dek(article: Article) -> str:
    """The summary shown under the headline, unless it only repeats the first paragraph."""
    lead = next((p for section in article.sections for p in section.paragraphs), "")
    return "" if lead.startswith(article.summary.rstrip("…")[:80]) else article.summary


def article_sets(index: SiteIndex) -> Iterator[PageSet]:
    """One set per article: its page is made from the article, its stories and its source's group."""
    for article in index.articles:
        yield article_set(index, article)


def article_set(index: SiteIndex, article: Article) -> PageSet:
    """The set of one article's page (``article_sets``)."""
    stories = index.stories[article.slug]
    source = index.source_of.get(article.slug)
    links = index.links_of(article)
    bylines = index.bylines_of(article)
    return PageSet(
        urls.article(article.slug),
        (article, stories, source, links, bylines),
        partial(_article_page, index, article, stories, source, links, bylines),
    )


def _article_page(
    index: SiteIndex,
    article: Article,
    stories: tuple[Story, ...],
    source: ArticleGroup | None,
    links: tuple[tuple[str, str | None], ...],
    bylines: tuple[tuple[str, str], ...],
) -> tuple[Page]:
    return (
        Page(
            urls.article(article.slug),
            "article.html",
            article.headline,
            article.summary,
            {
                "article": article,
                "stories": stories,
                "edition": urls.edition(index.day_of(article)),
                "source_group": source,
                "links": dict(links),
                "bylines": bylines,
            },  # the article's text and dek are read when it is rendered: page_context
            modified(article),
            feeds=(FeedLink(f"{source.name} (RSS)", source_feed(source), RSS),) if source else (),
            kind="article",
        ),
    )


def topic_sets(index: SiteIndex) -> Iterator[PageSet]:
    config = index.config
    topics = index.topics
    yield PageSet.of(
        Page(
            "topics/",
            "topic_list.html",
            "Topics",
            f"Every topic of {config.title}.",
            {"topics": topics},
            index.newest,
        )
    )
    for topic in topics:
        name = first_upper(topic.name)
        yield PagedList(
            topic.path,
            name,
            topic.description or f"Stories about {topic.name}, newest first.",
            topic.stories,
            config.page_size,
            "topic.html",
            {"topic": topic},
            (FeedLink(f"{name} (RSS)", topic_feed(topic), RSS),),
            stories=True,
        ).page_set()


def group_sets(index: SiteIndex, kind: str, path: str, title: str, groups: Sequence[ArticleGroup]) -> Iterator[PageSet]:
    """The index of sources (tags, authors) and one paginated list per source (tag, author)."""
    config = index.config
    noun = "outlet" if kind == "source" else kind
    yield PageSet.of(
        Page(
            path,
            "group_list.html",
            title,
            f"Every {noun} in {config.title}.",
            {"groups": groups, "kind": kind},
            index.newest,
        )
    )
    for group in groups:
        feed: tuple[FeedLink, ...] = ()
        if kind == "source":
            heading, feed = group.name, (FeedLink(f"{group.name} (RSS)", source_feed(group), RSS),)
        else:
            heading = f"Tagged “{group.name}”" if kind == "tag" else f"By {group.name}"
        preposition = {"source": "from", "tag": "tagged", "author": "by"}[kind]
        yield PagedList(
            group.path,
            heading,
            f"Articles {preposition} {group.name}, newest first.",
            group.articles,
            config.page_size,
            "article_list.html",
            {"group": group, "kind": kind},
            feed,
        ).page_set()


def redirect_claims(index: SiteIndex) -> tuple[dict[str, Article], list[tuple[Article, str, Article]]]:
    """Each old address (``Article.redirects``) and the article it leads to, and the claims refused.

    Two articles giving one address: the first by input path keeps it (as
    slugs, build.deduplicate), whatever their dates; the other's claim is
    refused as (article, address, the article holding it).
    """
    claims: dict[str, Article] = {}
    refused: list[tuple[Article, str, Article]] = []
    for article in sorted((a for a in index.articles if a.redirects), key=lambda a: a.provenance.path):
        for path in article.redirects:
            holder = claims.setdefault(path, article)
            if holder is not article:
                refused.append((article, path, holder))
    return claims, refused


def redirect_sets(index: SiteIndex) -> Iterator[PageSet]:
    """A page at each old address of an article, leading to its page (``redirect.html``): one set per article."""
    by_article: dict[Article, list[str]] = defaultdict(list)
    for path, article in redirect_claims(index)[0].items():
        by_article[article].append(path)
    for article, paths in by_article.items():
        target = urls.article(article.slug)
        pages = tuple(
            Page(path, "redirect.html", article.headline, context={"target": target}, kind="redirect") for path in paths
        )
        yield PageSet(paths[0], (target, article.headline, tuple(paths)), pages.__iter__)


def archive_sets(index: SiteIndex) -> Iterator[PageSet]:
    """The archive: an index of years and months, year and month lists, and one edition per day."""
    config = index.config
    years: dict[int, dict[date, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for day, on_day in index.days.items():
        years[day.year][day.replace(day=1)].extend(on_day)
    calendar = [(year, [(m, len(a)) for m, a in months.items()]) for year, months in years.items()]
    yield PageSet.of(
        Page(
            "archive/",
            "archive.html",
            "Archive",
            f"Every edition of {config.title}, by date.",
            {"years": calendar},
            index.newest,
        )
    )
    for year, months in years.items():
        in_year = [a for members in months.values() for a in members]
        yield PagedList(
            urls.year(year),
            f"Archive {year}",
            f"Articles of {year}, newest first.",
            in_year,
            config.page_size,
            "article_list.html",
            {"months": [(m, len(a)) for m, a in months.items()], "kind": "year"},
        ).page_set()
        for first, in_month in months.items():
            days = sorted({index.day_of(a) for a in in_month}, reverse=True)
            yield PagedList(
                urls.month(first),
                f"Archive {first:%B %Y}",
                f"Articles of {first:%B %Y}, newest first.",
                in_month,
                config.page_size,
                "article_list.html",
                {"days": days, "kind": "month"},
            ).page_set()
    all_days = list(index.days)
    for position, (day, articles) in enumerate(index.days.items()):
        newer = all_days[position - 1] if position > 0 else None
        older = all_days[position + 1] if position + 1 < len(all_days) else None
        stories = tuple(index.stories[a.slug] for a in articles)
        yield PageSet(
            urls.edition(day),
            (day, articles, stories, index.topics, newer, older),
            partial(_edition_page, index, day, articles, newer, older),
        )


def _edition_page(
    index: SiteIndex, day: date, articles: tuple[Article, ...], newer: date | None, older: date | None
) -> tuple[Page]:
    """A day's digest: made from that day's articles, their stories and the site's topics."""
    label = f"{day.day} {day:%B %Y}"
    return (
        Page(
            urls.edition(day),
            "edition.html",
            f"Edition of {label}",
            f"The digest of {label}: {len(articles)} article{'s' if len(articles) != 1 else ''} by topic.",
            {
                "day": day,
                "groups": front_groups(index, articles, len(articles) * 50),
                "articles": articles,
                "newer": newer,
                "older": older,
            },
            _newest(articles),
        ),
    )


def feeds(index: SiteIndex) -> Iterator[Feed]:
    """Every feed of the site: the site's RSS, Atom and JSON Feed, and RSS per topic and per source."""
    config = index.config
    description = config.description or config.title
    yield Feed("feed.xml", config.title, description, index.articles, RSS)
    yield Feed("atom.xml", config.title, description, index.articles, ATOM)
    yield Feed("feed.json", config.title, description, index.articles, JSON_FEED)
    for group in index.topics:
        yield Feed(
            topic_feed(group),
            f"{config.title}: {group.name}",
            group.description or f"Stories about {group.name}",
            group.articles,
        )
    for source in index.sources:
        yield Feed(
            source_feed(source), f"{config.title}: {source.name}", f"Articles from {source.name}", source.articles
        )


SITE_FEEDS = (
    FeedLink("RSS", "feed.xml", RSS),
    FeedLink("Atom", "atom.xml", ATOM),
    FeedLink("JSON Feed", "feed.json", JSON_FEED),
)
