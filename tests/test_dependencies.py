"""Page fingerprints: tokens cached with an article stand for exactly that story object, nothing else."""

from __future__ import annotations

import gc
import pickle
import weakref
from dataclasses import replace
from typing import Any

import pytest

from broadsheet.assemble import PagedList, Pager, PageSet
from broadsheet.bodies import strip
from broadsheet.build import remember_tokens
from broadsheet.cache import Loaded
from broadsheet.dependencies import Describer, listing_fingerprints, record_tokens
from broadsheet.model import Mention, Story
from enrich_articles import SEED, enriched, load


def seed_stories() -> tuple[Story, ...]:
    return enriched(load(SEED))


def test_cached_tokens_equal_a_fresh_description_even_after_a_cache_round_trip() -> None:
    stories = seed_stories()
    article = stories[0].article
    tokens = record_tokens(article, stories)
    assert len(set(tokens)) == len(stories) + 2 == 6
    light_article, light_stories, _text = strip(article, stories)  # what the content cache keeps
    reloaded = pickle.loads(pickle.dumps((light_article, light_stories), protocol=pickle.HIGHEST_PROTOCOL))
    fresh = Describer()
    assert (fresh(reloaded[0]), fresh(reloaded[1]), *(fresh(story) for story in reloaded[1])) == tokens


def test_a_story_changed_by_site_wide_steps_is_described_afresh() -> None:
    stories = seed_stories()
    article = stories[0].article
    tokens = record_tokens(article, stories)
    describe = Describer()
    describe.remember_all((article, stories, *stories), tokens)
    first = stories[0]
    renamed = replace(first, mentions=(*first.mentions, Mention("Someone Else", "person", "someone-else")))
    assert describe(first) == tokens[2]
    assert describe(renamed) != describe(first)
    assert describe(renamed) == Describer()(renamed)
    assert describe([first, renamed]) == Describer()([first, renamed])
    assert describe((renamed, *stories[1:])) == Describer()((renamed, *stories[1:])) != describe(stories)


def test_a_described_page_value_is_not_kept_alive_by_the_describer() -> None:
    """One page's context (an entity with its quotes' words, say) must be freed with its page, not held by the memo."""
    stories = seed_stories()
    describe = Describer()
    context = {"items": list(stories), "pager": Pager(1, 2, "topics/talks/")}
    token = describe.once(context)
    watch = weakref.ref(context["pager"])
    del context
    gc.collect()
    assert watch() is None
    again = {"items": list(stories), "pager": Pager(1, 2, "topics/talks/")}
    assert describe.once(again) == token == Describer()(again) == describe(again)
    assert describe(stories[0]) == Describer()(stories[0])  # records are still remembered, by identity


def test_remembered_tokens_are_taken_as_given_for_records_and_other_values_alike() -> None:
    stories = seed_stories()
    article = stories[0].article
    pager = Pager(1, 2, "topics/talks/")
    describe = Describer()
    describe.remember_all([article, stories, pager, *stories], ["A", "S", "P", *(f"s{n}" for n in range(len(stories)))])
    assert (describe(article), describe(stories), describe(pager)) == ("A", "S", "P")
    assert describe.tokens(stories) == [f"s{n}" for n in range(len(stories))]
    with pytest.raises(ValueError):  # zip(strict=True): as many tokens as values
        describe.remember_all([article, pager], ["A"])


def test_a_list_of_records_and_other_values_is_described_as_a_fresh_describer_does() -> None:
    stories = seed_stories()
    describe = Describer()
    describe.remember_all(stories, record_tokens(stories[0].article, stories)[2:])
    for mixed in ([stories[0], ["a list"], {"a": "dict"}], (stories[1], stories[0].article, 3), [*stories, "text"]):
        assert describe.tokens(mixed) == Describer().tokens(mixed)
        assert describe(mixed) == Describer()(mixed)


def test_an_article_copied_under_a_new_slug_has_tokens_of_its_own_that_a_rebuild_repeats() -> None:
    """build.remember_tokens: the copy ``deduplicate`` makes for a taken slug is not the cached article."""
    stories = seed_stories()
    article = stories[0].article
    tokens = record_tokens(article, stories)
    item = Loaded(article.provenance.path, (0, 0, 0, 0), article, stories, tokens=tokens)

    def copy_tokens(slug: str) -> tuple[str, ...]:
        copy = replace(article, slug=slug)
        copied = tuple(replace(story, article=copy) for story in stories)
        describe = Describer()
        remember_tokens(describe, [item], [(copy, copied)])
        assert (describe(article), describe(stories), *(describe(s) for s in stories)) == tokens  # cached keep theirs
        return (describe(copy), describe(copied), *(describe(story) for story in copied))

    first = copy_tokens(f"{article.slug}-0001")
    assert not set(first) & set(tokens) and len(set(first)) == len(stories) + 2
    assert copy_tokens(f"{article.slug}-0001") == first  # the next build: the same tokens
    assert not set(copy_tokens(f"{article.slug}-0002")) & set(first)


def _listing(items: tuple[Story, ...], **changes: Any) -> PagedList:
    fields: dict[str, Any] = {
        "base": "topics/talks/",
        "title": "Talks",
        "description": "Stories about talks.",
        "items": items,
        "size": 3,
        "template": "topic.html",
        "context": {"topic": "talks"},
        "stories": True,
    }
    return PagedList(**{**fields, **changes})


def _changed_pages(before: PagedList, after: PagedList) -> list[int]:
    """Page numbers whose listing fingerprint differs; each side described by a describer of its own, as in two builds."""
    old = listing_fingerprints(before.page_set(), "base", Describer())
    new = listing_fingerprints(after.page_set(), "base", Describer())
    assert old is not None and new is not None
    assert len(old) == len(list(before.pages())) and len(new) == len(list(after.pages()))
    return [n for n, (a, b) in enumerate(zip(old, new, strict=False), start=1) if a != b] + list(
        range(min(len(old), len(new)) + 1, max(len(old), len(new)) + 1)
    )


def test_a_paged_list_fingerprints_each_page_from_the_list_and_its_own_items() -> None:
    stories = seed_stories()
    items = (*stories, *(replace(s, index=s.index + 10) for s in stories))  # eight stories: pages of 3, 3 and 2
    listing = _listing(items)
    assert _changed_pages(listing, _listing(items)) == []  # stable from one build to the next
    edited = replace(items[4], mentions=(*items[4].mentions, Mention("Someone Else", "person", "someone-else")))
    assert _changed_pages(listing, _listing((*items[:4], edited, *items[5:]))) == [2]  # only the page showing it
    assert _changed_pages(listing, _listing((edited, *items))) == [1, 2, 3]  # everything after it moves
    assert _changed_pages(listing, _listing(items[:6])) == [1, 2, 3]  # one page less: every pager changes
    assert _changed_pages(listing, _listing(items, title="Negotiations")) == [1, 2, 3]
    assert _changed_pages(listing, _listing(items, context={"topic": "ceasefire"})) == [1, 2, 3]
    assert _changed_pages(listing, _listing(items, size=4)) == [1, 2, 3]
    single = PageSet.of(next(listing.pages()))
    assert listing_fingerprints(single, "base", Describer()) is None  # any other set: page_fingerprint's job


def test_a_long_tuple_described_keeps_its_items_tokens_for_its_pages_and_a_short_one_does_not() -> None:
    """``listing_fingerprints`` reads a long list's item tokens again: taken from its description, not mapped twice."""
    from broadsheet.dependencies import LONG

    stories = seed_stories()
    long = tuple(replace(stories[n % len(stories)], index=n) for n in range(LONG))
    short = long[: LONG - 1]
    one_page = tuple(reversed(long))  # a long value only one page shows: described, not remembered
    describe = Describer()
    describe(long)
    describe(short)
    describe.once(one_page)
    kept = describe.tokens(long)
    assert kept is describe.tokens(long)  # the list the tuple was described from
    assert kept == Describer().tokens(long) == [Describer()(story) for story in long]
    for other in (short, one_page):  # worked out each time
        assert describe.tokens(other) is not describe.tokens(other)
        assert describe.tokens(other) == Describer().tokens(other)
    listing = _listing(long)
    fresh = listing_fingerprints(listing.page_set(), "base", Describer())
    described = Describer()
    described(listing)  # as set_fingerprint does first
    assert described.tokens(listing.items) is described.tokens(listing.items)
    assert listing_fingerprints(listing.page_set(), "base", described) == fresh
