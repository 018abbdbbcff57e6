"""Page fingerprints: tokens cached with an article stand for exactly that story object, nothing else."""

from __future__ import annotations

import pickle
from dataclasses import replace

from broadsheet.bodies import strip
from broadsheet.build import remember_tokens
from broadsheet.cache import Loaded
from broadsheet.dependencies import Describer, record_tokens
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
