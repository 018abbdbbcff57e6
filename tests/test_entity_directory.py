"""The entity directory: every entity's stories once each, in site order, and its quotes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from broadsheet.assemble import SiteIndex
from broadsheet.enrich.site import names_digest
from broadsheet.memo import Memo
from broadsheet.model import Mention, Story
from broadsheet.pagesets_enrich import EntityEntry, entity_directory, remembered_directory
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


def _two_articles() -> SiteIndex:
    article = load(SEED)
    other = replace(article, slug="other")
    stories = enriched(article)
    second = tuple(replace(s, article=other) for s in stories)
    return cast(SiteIndex, SimpleNamespace(articles=[article, other], stories={article.slug: stories, "other": second}))


def test_an_entity_lists_every_quote_attributed_to_it_with_its_story() -> None:
    index = _two_articles()
    every = [(q, s) for a in index.articles for s in index.stories[a.slug] for q in s.quotes]
    entries = entity_directory(index)
    assert any(entry.quotes for entry in entries)
    for entry in entries:
        assert entry.quotes == tuple((q, s) for q, s in every if q.speaker_slug == entry.slug), entry.slug
        assert entry.quotes is entry.quotes  # made once, however many of the entity's pages ask


def test_the_remembered_directory_is_walked_again_only_when_names_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadsheet.pagesets_enrich as pagesets_enrich

    index = _two_articles()
    memo = Memo(tmp_path / "entities.pickle", "v1")
    walked = entity_directory(index)
    assert remembered_directory(index, {}, memo) == walked  # walked, and remembered

    def walk(index: SiteIndex) -> list[EntityEntry]:
        raise AssertionError("walked again")

    monkeypatch.setattr(pagesets_enrich, "entity_directory", walk)
    cached = {a.slug: names_digest(index.stories[a.slug]) for a in index.articles}
    assert remembered_directory(index, cached, memo) == walked  # the same stories, rebuilt from their places
    assert remembered_directory(index, {}, memo) == walked
    first, *rest = index.stories["other"]
    mention = replace(first.mentions[0], role="a new role")
    renamed = {**index.stories, "other": (replace(first, mentions=(mention, *first.mentions[1:])), *rest)}
    with pytest.raises(AssertionError, match="walked again"):
        remembered_directory(cast(SiteIndex, SimpleNamespace(articles=index.articles, stories=renamed)), {}, memo)
    with pytest.raises(AssertionError, match="walked again"):  # an article fewer
        remembered_directory(cast(SiteIndex, SimpleNamespace(articles=index.articles[:1], stories=renamed)), {}, memo)
