"""Article text out of memory: light records in the index, bodies read back for the pages and feeds that show them."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.bodies import BodyStore, Stored, dress, strip
from broadsheet.build import BuildOptions, build_site
from broadsheet.dependencies import Describer
from broadsheet.errors import BroadsheetError
from broadsheet.model import Mention
from enrich_articles import SEED, enriched, load
from test_incremental import edit_article, tree


def test_strip_and_dress_give_back_the_article_and_keep_site_wide_changes() -> None:
    article = load(SEED)
    stories = enriched(article)
    light_article, light, data = strip(stories[0].article, stories)
    assert all(not s.paragraphs and not s.html for s in (*light_article.sections, *light))
    assert any(s.figures for s in stories) and not any(s.figures for s in light)  # shown on the article page only
    assert light[0].mentions == stories[0].mentions and light[0].summary == stories[0].summary
    assert [Describer()(s) for s in light] == [Describer()(s) for s in stories]  # page fingerprints do not change
    quoting = next(n for n, s in enumerate(stories) if s.quotes)
    assert all(not q.text for s in light for q in s.quotes)  # the words are stored apart; who said them stays
    assert [(q.speaker, q.speaker_slug, q.via) for q in light[quoting].quotes] == [
        (q.speaker, q.speaker_slug, q.via) for q in stories[quoting].quotes
    ]
    renamed_quotes = tuple(
        replace(q, speaker="A Merged Name", speaker_slug="a-merged-name") for q in light[quoting].quotes
    )
    dressed = list(light)  # as merge_names leaves them: names merged across the site
    dressed[0] = renamed = replace(dressed[0], mentions=(Mention("Someone Else", "person", "someone-else"),))
    dressed[quoting] = replace(dressed[quoting], quotes=renamed_quotes)
    full_article, full = dress(light_article, tuple(dressed), data)
    assert full_article.sections == stories[0].article.sections
    assert [(s.paragraphs, s.html, s.figures) for s in full] == [(s.paragraphs, s.html, s.figures) for s in stories]
    assert full[0].mentions == renamed.mentions and all(s.article is full_article for s in full)
    assert [q.text for q in full[quoting].quotes] == [q.text for q in stories[quoting].quotes]  # the words are back
    assert {q.speaker for q in full[quoting].quotes} == {"A Merged Name"}  # and the site-wide change is kept


def test_equal_parts_of_light_records_are_one_object_and_equal_to_the_originals() -> None:
    article = load(SEED)
    stories = enriched(article)
    pool: dict[object, object] = {}
    _, first, _ = strip(stories[0].article, stories, pool)
    twin_article, twin, _ = strip(replace(article, slug="twin"), enriched(article), pool)
    assert twin_article.slug == "twin" and all(s.article is twin_article for s in twin)
    for mine, theirs, original in zip(first, twin, stories, strict=True):
        assert mine.mentions == original.mentions and mine.topics == original.topics
        assert [replace(q, text="") for q in original.quotes] == list(mine.quotes) and mine.heading == original.heading
        assert mine.mentions is theirs.mentions and mine.topics is theirs.topics and mine.quotes is theirs.quotes
        assert all(a is b for a, b in zip(mine.mentions, theirs.mentions, strict=True))
    assert twin_article.source is first[0].article.source and twin_article.sections == first[0].article.sections


def test_a_missing_body_is_an_error_naming_the_article(tmp_path: Path) -> None:
    article = load(SEED)
    store = BodyStore(tmp_path / "bodies.sqlite")
    with pytest.raises(BroadsheetError, match="lost this article's text") as caught:
        store.get(article)
    assert caught.value.path == article.provenance.path
    light_article, _light, data = strip(article, enriched(article))
    store.put([(article.provenance.path, article.provenance.sha256, data)])
    assert store.get(light_article) == data
    assert store.quotes_of([light_article]) == {light_article: pickle.loads(data.quotes)}
    store.retain(set())
    key = (article.provenance.path, article.provenance.sha256)
    assert not store.has_every([key])
    assert not BodyStore(tmp_path / "bodies.sqlite").has_every([key])  # deleted from the file, not only forgotten


def test_the_store_remembers_its_keys_across_puts_and_retains(tmp_path: Path) -> None:
    """Keys are read once (has_every at open) and kept up to date: a rebuild's retain must not drop new bodies."""
    article = load(SEED)
    key = (article.provenance.path, article.provenance.sha256)
    old = (article.provenance.path, "0" * 64)
    BodyStore(tmp_path / "bodies.sqlite").put([(*old, Stored(b"", b"old text"))])
    store = BodyStore(tmp_path / "bodies.sqlite")
    assert store.has_every([old]) and not store.has_every([key])
    store.put([(*key, Stored(b"", b"new text"))])
    assert store.has_every([key, old])
    store.retain({key})
    fresh = BodyStore(tmp_path / "bodies.sqlite")
    assert fresh.has_every([key]) and not fresh.has_every([old])
    assert fresh.get(article) == Stored(b"", b"new text")


def test_the_index_holds_light_records_and_pages_and_feeds_show_the_text(sample_site: Path) -> None:
    from broadsheet.cli import main

    kept: list[object] = []
    assert main(["build", "--site", str(sample_site)], keep=kept) == 0
    index = kept[0].retained[1]  # type: ignore[attr-defined]
    assert index.bodies is not None
    assert all(not s.html and not s.paragraphs for stories in index.stories.values() for s in stories)
    assert all(not q.text for stories in index.stories.values() for s in stories for q in s.quotes)
    output = sample_site / "output"
    page = output / "articles/sample-port-alder-opens-a-floating-library-in-its-old-ferry-terminal/index.html"
    assert "Volunteers spent eight months fitting shelves" in page.read_text(encoding="utf-8")
    assert "Volunteers spent eight months fitting shelves" in (output / "feed.xml").read_text(encoding="utf-8")


def test_a_lost_bodies_file_means_every_article_is_read_again(sample_site: Path, tmp_path: Path) -> None:
    build_site(BuildOptions(site=sample_site))
    (bodies,) = (sample_site / ".cache").glob("bodies-*.sqlite")
    bodies.unlink()
    edit_article(sample_site)
    again = build_site(BuildOptions(site=sample_site))
    assert again.articles == 5 and bodies.exists()
    shutil.rmtree(sample_site / ".cache")
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean"))
    assert tree(again.output) == tree(clean.output)


def test_a_damaged_bodies_file_is_started_again(sample_site: Path, tmp_path: Path) -> None:
    build_site(BuildOptions(site=sample_site))
    (bodies,) = (sample_site / ".cache").glob("bodies-*.sqlite")
    bodies.write_bytes(b"this is not an SQLite database" * 100)
    edit_article(sample_site)
    again = build_site(BuildOptions(site=sample_site))
    assert again.articles == 5
    shutil.rmtree(sample_site / ".cache")
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean"))
    assert tree(again.output) == tree(clean.output)
