"""What a page was rendered from, as a fingerprint: unchanged fingerprint, unchanged page.

A page's output is a function of its template set (in the render
fingerprint) and of its ``Page`` value. Articles and stories stand in by
identity and content hash (their derived data comes from those and the
fingerprinted code and settings) plus what site-wide steps may change
(topics, merged names); groups by name, path and size. Any other value is
described in full, so an unknown kind of context can make a page re-render
needlessly but never go stale. A value may narrow that with a
``fingerprint_parts()`` method naming what pages show of it.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any

from .assemble import ArticleGroup, Page, PagedList, Pager, PageSet, SiteIndex, TopicGroup
from .fingerprint import digest
from .memo import store
from .model import Article, Figure, Mention, Quote, Source, Story, TopicMatch
from .pagesets_enrich import Directory

SCALARS = (str, int, float, bool, type(None))
LEAVES = (Quote, Mention, Figure, TopicMatch, Source)  # records of scalars: their repr says everything
SHORT = 64  # scalars longer than this stand in by their digest
# A tuple this long, once described and remembered, keeps its items' tokens too: a changed paginated list
# reads them again page by page (``listing_fingerprints``), and a topic lists thousands of stories.
LONG = 256


# Records compared and hashed by identity (``eq=False``): the memo is keyed by the objects themselves,
# which is twice as fast to look up as by ``id()`` (no integer made, no second object read per lookup).
BY_IDENTITY = (Article, Story)


class Describer:
    """Short, stable tokens standing for values; one per build, remembering what it described.

    Composite values become the digest of their parts' tokens, so a token is
    small however large the value (an entity listing thousands of stories),
    and each story, article or group is described once however many pages
    show it.
    """

    def __init__(self) -> None:
        self._records: dict[object, str] = {}  # token by article or story (BY_IDENTITY)
        # Token by id for any other value; ``_kept`` holds each of those, so no other live object can have its id.
        self._tokens: dict[int, str] = {}
        self._kept: list[object] = []
        self._items: dict[int, list[str]] = {}  # the items' tokens of long tuples in ``_kept`` (``LONG``), by id

    def __call__(self, value: Any) -> str:
        """The token of ``value``, remembered for the next time this very object is described."""
        return self._describe(value, True)

    def once(self, value: Any) -> str:
        """The token of a value only one page shows (its context: items, pager, an entity with its quotes' words).

        Records are remembered as always, but nothing else is: the memo would
        keep every page's values alive until the build ends, for nothing.
        """
        return self._describe(value, False)

    def _describe(self, value: Any, keep: bool) -> str:
        if isinstance(value, SCALARS):
            text = repr(value)
            return text if len(text) <= SHORT else digest(text)
        if type(value) in BY_IDENTITY:
            known = self._records.get(value)
            if known is None:
                known = self._records[value] = digest(type(value).__name__, *self._parts(value, True))
            return known
        known = self._tokens.get(id(value))
        if known is None:
            parts = self._parts(value, keep)
            known = digest(type(value).__name__, *parts)
            if keep:
                self._tokens[id(value)] = known
                self._kept.append(value)
                if type(value) is tuple and len(value) >= LONG:  # parts: its items' tokens (``_parts``)
                    self._items[id(value)] = parts
        return known

    def remember_all(self, values: Sequence[object], tokens: Sequence[str]) -> None:
        """Take the tokens described earlier (cached with each article) for these very objects."""
        records, by_id, kept = self._records, self._tokens, self._kept
        for value, token in zip(values, tokens, strict=True):
            if type(value) in BY_IDENTITY:
                records[value] = token
            else:
                by_id[id(value)] = token
                kept.append(value)

    def tokens(self, values: Sequence[Any], keep: bool = True) -> list[str]:
        """Each value's token: one C-level pass when all are known records (a page's items nearly always are).

        A long tuple described before gives the list it was described from (``LONG``): not to be changed.
        """
        known = self._items.get(id(values))
        if known is not None:
            return known
        if values and type(values[0]) in BY_IDENTITY:
            try:
                return list(map(self._records.__getitem__, values))
            except (KeyError, TypeError):  # one not described yet, or another kind of value (a list)
                pass
        return [self._describe(item, keep) for item in values]

    def _parts(self, value: Any, keep: bool) -> list[str]:
        describe = self._describe
        if isinstance(value, list | tuple):  # the commonest composite: a page's items
            return self.tokens(value, keep)
        if isinstance(value, LEAVES):
            return [repr(value)]
        own = getattr(value, "fingerprint_parts", None)
        if callable(own):  # a value that knows which of its parts a page shows
            return [describe(part, keep) for part in own()]
        if isinstance(value, Article):
            provenance = value.provenance
            parts = [value.slug, provenance.sha256, provenance.path, repr(provenance.extra)]
            if provenance.files:  # the files its links name, there or not: the page shows a link or leaves it out
                parts.append(repr(provenance.files))
            if provenance.read:  # the files it holds something of (a lead image's size), as they were read
                parts.append(repr(provenance.read))
            return parts
        if isinstance(value, Story):
            # Site-wide steps (names merged across articles) may change a story's mentions and quotes.
            mentions = repr([(m.slug, m.name, m.kind, m.role) for m in value.mentions])
            quotes = repr([(q.speaker, q.speaker_slug) for q in value.quotes])
            topics = repr([(t.slug, t.score) for t in value.topics])
            return [describe(value.article, True), str(value.index), topics, mentions, quotes]
        if isinstance(value, TopicGroup):
            return [value.slug, value.name, value.description, str(len(value.stories))]
        if isinstance(value, ArticleGroup):
            return [value.slug, value.name, value.path, value.url, str(len(value.articles))]
        if isinstance(value, Pager):
            return [str(value.number), str(value.count), value.base]
        if isinstance(value, datetime | date):
            return [value.isoformat()]
        if isinstance(value, dict):
            return [f"{describe(k, keep)}:{describe(v, keep)}" for k, v in value.items()]
        if isinstance(value, set | frozenset):
            return sorted(describe(v, keep) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return [describe(getattr(value, f.name), keep) for f in dataclasses.fields(value)]
        return [repr(value)]


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
        describe.once(page.lastmod),
        describe.once(page.feeds),
        page.kind,
        repr(page.root_relative),
        describe.once(page.context),
    )


def set_fingerprint(page_set: PageSet, base: str, describe: Describer) -> str:
    """The fingerprint of a page set: its name and its inputs, under the render fingerprint ``base``.

    The inputs are described one by one, each remembered (a source group is
    an input of every article set of its source); their tuple, which no other
    set shares, is not.
    """
    return digest(base, page_set.name, *[describe(value) for value in page_set.inputs])


def listing_fingerprints(page_set: PageSet, base: str, describe: Describer) -> list[str] | None:
    """Each page's fingerprint, in order, for a set made from one ``PagedList``; None for any other set.

    A paged list's pages are a function of its fields and the page number
    (``PagedList``), so a page stands in by the list's other fields, its
    number and its own items' tokens: the fields are described once per list
    instead of once per page, as ``page_fingerprint`` would.
    """
    if len(page_set.inputs) != 1 or not isinstance(page_set.inputs[0], PagedList):
        return None
    listing: PagedList = page_set.inputs[0]
    fields = describe.once(dataclasses.replace(listing, items=()))
    items = describe.tokens(listing.items)
    size, count = listing.size, listing.count
    return [
        digest(base, "page of a list", fields, str(number), str(count), *items[(number - 1) * size : number * size])
        for number in range(1, count + 1)
    ]


def record_tokens(article: Article, stories: tuple[Story, ...]) -> tuple[str, ...]:
    """The tokens of an article, of its tuple of stories and of each story, computed and cached with it.

    A token is a function of the value's own (frozen) content, so a build
    whose index holds the very same object can take it as is
    (``Describer.remember_all``); records the site-wide steps replace are
    new objects and are described afresh.
    """
    describe = Describer()
    return (describe(article), describe(stories), *(describe(story) for story in stories))


def tuple_token(tokens: Iterable[str]) -> str:
    """The token ``Describer`` gives a tuple whose items have these tokens."""
    return digest("tuple", *tokens)


DIRECTORY_TOKENS_FORMAT = 1


def remember_directory_tokens(describe: Describer, directory: Directory, file: Path) -> None:
    """Give ``describe`` the token of every entity's stories and quoting, reusing the last build's where it can.

    Those tuples hold most of what the site's page sets list (300,000 of
    420,000 story tokens at 10,000 articles), and describing them is most of
    the work of telling which sets changed. A tuple's token is a function of
    its stories' tokens only, so it is kept in ``file`` with the tokens of
    the site's stories by place: under the same directory key (the same
    places, entry by entry), an entry none of whose places holds a story
    with another token keeps its tokens, and the others are worked out from
    the tokens by place.
    """
    if not directory.entries:
        return  # a site naming no one: nothing to keep
    site = describe.tokens(directory.stories)
    reused, changed = _stored_directory_tokens(file, directory, site)
    token_at = site.__getitem__
    tokens = []
    values: list[object] = []
    given: list[str] = []
    for number, (entry, (listed, quoting)) in enumerate(zip(directory.entries, directory.places, strict=True)):
        if reused and (not changed or (changed.isdisjoint(listed) and changed.isdisjoint(quoting))):
            pair = reused[number]
        else:
            pair = (tuple_token(map(token_at, listed)), tuple_token(map(token_at, quoting)))
        tokens.append(pair)
        for value, token in zip((entry.stories, entry.quoting), pair, strict=True):
            if value:  # ``()`` is one object, every empty tuple: the describer describes it (cheaply) itself
                values.append(value)
                given.append(token)
    describe.remember_all(values, given)
    if not reused or changed:
        store(file, (DIRECTORY_TOKENS_FORMAT, directory.key, "\0".join(site), tokens))


def _stored_directory_tokens(
    file: Path, directory: Directory, site: list[str]
) -> tuple[list[tuple[str, str]], set[int]]:
    """The last build's entry tokens and the places whose story token changed since; nothing if they do not apply."""
    try:
        with file.open("rb") as stream:
            form, key, joined, reused = pickle.load(stream)  # noqa: S301 - our own file under .cache/
        before = joined.split("\0") if joined else []
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return [], set()
    if form != DIRECTORY_TOKENS_FORMAT or key != directory.key or len(before) != len(site):
        return [], set()  # another shape: other places
    if not isinstance(reused, list) or len(reused) != len(directory.entries) or not all(map(_token_pair, reused)):
        return [], set()
    return reused, set(compress(range(len(site)), map(ne, before, site)))


def _token_pair(value: object) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is str and type(value[1]) is str
