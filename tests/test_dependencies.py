"""Page fingerprints: tokens cached with an article stand for exactly that story object, nothing else."""

from __future__ import annotations

import pickle
from dataclasses import replace

from broadsheet.build import remember_story_tokens
from broadsheet.cache import Loaded
from broadsheet.dependencies import Describer, story_tokens
from broadsheet.model import Mention, Story
from enrich_articles import SEED, enriched, load


def seed_stories() -> tuple[Story, ...]:
    return enriched(load(SEED))


def test_cached_tokens_equal_a_fresh_description_even_after_a_cache_round_trip() -> None:
    stories = seed_stories()
    tokens = story_tokens(stories)
    assert len(set(tokens)) == len(stories) == 4
    reloaded = pickle.loads(pickle.dumps(stories, protocol=pickle.HIGHEST_PROTOCOL))
    assert tuple(Describer()(story) for story in reloaded) == tokens


def test_a_story_changed_by_site_wide_steps_is_described_afresh() -> None:
    stories = seed_stories()
    describe = Describer()
    for story, token in zip(stories, story_tokens(stories), strict=True):
        describe.remember(story, token)
    first = stories[0]
    renamed = replace(first, mentions=(*first.mentions, Mention("Someone Else", "person", "someone-else")))
    assert describe(first) == story_tokens(stories)[0]
    assert describe(renamed) != describe(first)
    assert describe(renamed) == Describer()(renamed)
    assert describe([first, renamed]) == Describer()([first, renamed])


def test_a_story_copied_under_a_new_slug_has_a_token_of_its_own_that_a_rebuild_repeats() -> None:
    """build.remember_story_tokens: the copy ``deduplicate`` makes for a taken slug is not the cached story."""
    stories = seed_stories()
    article = stories[0].article
    tokens = story_tokens(stories)
    item = Loaded(article.provenance.path, (0, 0, 0, 0), article, stories, tokens=tokens)

    def copy_tokens(slug: str) -> tuple[str, ...]:
        copy = replace(article, slug=slug)
        copied = tuple(replace(story, article=copy) for story in stories)
        describe = Describer()
        remember_story_tokens(describe, [item], [(copy, copied)])
        assert tuple(describe(story) for story in stories) == tokens  # the cached stories keep theirs
        return tuple(describe(story) for story in copied)

    first = copy_tokens(f"{article.slug}-0001")
    assert not set(first) & set(tokens) and len(set(first)) == len(stories)
    assert copy_tokens(f"{article.slug}-0001") == first  # the next build: the same tokens
    assert not set(copy_tokens(f"{article.slug}-0002")) & set(first)
