"""Page fingerprints: tokens cached with an article stand for exactly that story object, nothing else."""

from __future__ import annotations

import pickle
from dataclasses import replace

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
