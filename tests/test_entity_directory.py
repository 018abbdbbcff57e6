"""The entity directory: every entity's stories once each, in site order, and its quotes."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import cast

from broadsheet.assemble import SiteIndex
from broadsheet.model import Mention, Story
from broadsheet.pagesets_enrich import entity_directory
from enrich_articles import SEED, enriched, load


def test_a_story_naming_one_entity_twice_is_listed_once_and_order_is_kept() -> None:
    article = load(SEED)
    stories = enriched(article)
    other = replace(article, slug="other")
    zelensky = Mention("Volodymyr Zelensky", "person", "volodymyr-zelensky")
    # Two names merged into one entity in the same story (e.g. "Zelensky" and "Volodymyr Zelensky").
    twice = (zelensky, replace(zelensky, name="Zelensky"), *stories[0].mentions)
    first = (replace(stories[0], mentions=twice), *stories[1:])
    second = tuple(replace(s, article=other, mentions=(zelensky, *s.mentions, zelensky)) for s in stories)
    index = cast(SiteIndex, SimpleNamespace(articles=[article, other], stories={"other": second, article.slug: first}))

    directory = {entry.slug: entry for entry in entity_directory(index)}

    def expected(slug: str) -> tuple[Story, ...]:
        every = [s for a in (article, other) for s in index.stories[a.slug] for m in s.mentions if m.slug == slug]
        return tuple(dict.fromkeys(every))

    assert directory["volodymyr-zelensky"].stories == (first[0], *second)
    for slug, entry in directory.items():
        assert entry.stories == expected(slug), slug
    assert directory["volodymyr-zelensky"].name == "Volodymyr Zelensky"  # the first name seen
