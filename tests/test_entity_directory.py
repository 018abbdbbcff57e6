"""The entity directory: every entity's stories once each, in site order, and its quotes."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from broadsheet.assemble import SiteIndex
from broadsheet.dependencies import Describer, remember_directory_tokens, tuple_token
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
    assert remembered_directory(index, {}, memo).entries == walked  # walked, and remembered

    def walk(index: SiteIndex) -> list[EntityEntry]:
        raise AssertionError("walked again")

    monkeypatch.setattr(pagesets_enrich, "entity_directory", walk)
    cached = {a.slug: names_digest(index.stories[a.slug]) for a in index.articles}
    assert remembered_directory(index, cached, memo).entries == walked  # the same stories, rebuilt from their places
    assert remembered_directory(index, {}, memo).entries == walked
    first, *rest = index.stories["other"]
    mention = replace(first.mentions[0], role="a new role")
    renamed = {**index.stories, "other": (replace(first, mentions=(mention, *first.mentions[1:])), *rest)}
    with pytest.raises(AssertionError, match="walked again"):
        remembered_directory(cast(SiteIndex, SimpleNamespace(articles=index.articles, stories=renamed)), {}, memo)
    with pytest.raises(AssertionError, match="walked again"):  # an article fewer
        remembered_directory(cast(SiteIndex, SimpleNamespace(articles=index.articles[:1], stories=renamed)), {}, memo)


def test_entity_tuples_take_a_fresh_describers_tokens_reusing_only_those_whose_stories_kept_theirs(
    tmp_path: Path,
) -> None:
    index = _two_articles()
    memo, file = Memo(tmp_path / "entities.pickle", "v1"), tmp_path / "entity-tokens.pickle"
    directory = remembered_directory(index, {}, memo)
    describe = Describer()
    remember_directory_tokens(describe, directory, file)
    fresh = Describer()
    for entry in directory.entries:
        assert describe(entry.stories) == fresh(entry.stories) == tuple_token(fresh.tokens(entry.stories))
        assert describe(entry.quoting) == fresh(entry.quoting)
    assert tuple_token([]) == Describer()(())

    # The same names, another topic: the same directory key, one story with another token.
    first, *rest = index.stories["other"]
    retopiced = {**index.stories, "other": (replace(first, topics=()), *rest)}
    changed = remembered_directory(
        cast(SiteIndex, SimpleNamespace(articles=index.articles, stories=retopiced)), {}, memo
    )
    assert changed.key == directory.key
    form, key, site, tokens = pickle.loads(file.read_bytes())
    marked = [("kept", "kept")] * len(tokens)  # what a reused entry would take: only entries without the story may
    file.write_bytes(pickle.dumps((form, key, site, marked)))
    again = Describer()
    remember_directory_tokens(again, changed, file)
    fresh = Describer()
    story = retopiced["other"][0]
    holding = [e for e in changed.entries if story in e.stories or story in e.quoting]
    assert holding and len(holding) < len(changed.entries)
    for entry in changed.entries:
        if entry in holding:
            assert (again(entry.stories), again(entry.quoting)) == (fresh(entry.stories), fresh(entry.quoting))
        else:
            assert again(entry.stories) == "kept"
            assert again(entry.quoting) == ("kept" if entry.quoting else tuple_token([]))  # () is every empty tuple

    # A file of the right shape holding something else than pairs of tokens is not taken either.
    for odd in ([("kept",)] * len(tokens), [("kept", 1)] * len(tokens), ["kept"] * len(tokens)):
        file.write_bytes(pickle.dumps((form, key, site, odd)))
        fourth = Describer()
        remember_directory_tokens(fourth, changed, file)
        assert all(fourth(e.stories) == Describer()(e.stories) for e in changed.entries)

    # Another shape (here: other code, so another memo version): nothing stored is taken.
    file.write_bytes(pickle.dumps((form, key, site, marked)))
    other = remembered_directory(index, {}, Memo(tmp_path / "entities.pickle", "v2"))
    assert other.key != directory.key
    third = Describer()
    remember_directory_tokens(third, other, file)
    assert all(third(e.stories) == Describer()(e.stories) for e in other.entries)


def test_a_directory_without_entities_keeps_no_tokens_file(tmp_path: Path) -> None:
    index = _two_articles()
    directory = remembered_directory(index, {}, Memo(tmp_path / "entities.pickle", "v1"))
    empty = replace(directory, entries=[], places=[])
    remember_directory_tokens(Describer(), empty, tmp_path / "entity-tokens.pickle")
    assert not (tmp_path / "entity-tokens.pickle").exists()
    remember_directory_tokens(Describer(), directory, tmp_path / "entity-tokens.pickle")
    assert (tmp_path / "entity-tokens.pickle").exists()
