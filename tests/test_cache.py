"""The content cache: a base file plus a delta of changes, compacted when the delta grows."""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet import cache as cache_module
from broadsheet.bodies import Stored, dress, strip
from broadsheet.cache import ArticleCache, Loaded
from broadsheet.memo import store
from enrich_articles import SEED, enriched, load


def entry(name: str, size: int = 1) -> Loaded:
    return Loaded(name, (size, 0, 0, 0), None)


def test_changes_go_to_a_delta_until_it_grows(tmp_path: Path) -> None:
    cache = ArticleCache.open(tmp_path, "fp")
    for n in range(8):
        cache.put(entry(f"a{n}"))
    cache.save()
    assert cache.file.exists() and not cache.delta_file.exists()
    base_bytes = cache.file.read_bytes()

    again = ArticleCache.open(tmp_path, "fp")
    again.put(entry("a1", size=2))
    again.retain({f"a{n}" for n in range(8)} - {"a7"})
    again.save()
    assert cache.file.read_bytes() == base_bytes  # only the delta was written
    assert again.delta_file.exists()

    third = ArticleCache.open(tmp_path, "fp")
    assert sorted(third.entries) == [f"a{n}" for n in range(7)]
    assert third.get("a1", (2, 0, 0, 0)) is not None and third.get("a1", (1, 0, 0, 0)) is None
    third.put(entry("a2", size=3))  # three changes against a base of eight: compact
    third.save()
    assert not third.delta_file.exists() and cache.file.read_bytes() != base_bytes
    fourth = ArticleCache.open(tmp_path, "fp")
    assert fourth.get("a2", (3, 0, 0, 0)) is not None and "a7" not in fourth.entries


OLD, NEW = "0" * 32, "f" * 32  # fingerprints are 32 hex digits (``fingerprint.digest``)


def test_other_fingerprints_are_dropped_and_garbage_is_ignored(tmp_path: Path) -> None:
    old = ArticleCache.open(tmp_path, OLD)
    old.put(entry("x"))
    old.save()
    (tmp_path / f"articles-{NEW}.pickle").write_bytes(b"not a pickle")
    new = ArticleCache.open(tmp_path, NEW)
    assert new.entries == {}
    new.put(entry("y"))
    new.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"articles-{NEW}.pickle", f"bodies-{NEW}.sqlite"]
    assert list(ArticleCache.open(tmp_path, NEW).entries) == ["y"]


def test_files_the_cache_did_not_name_are_never_removed(tmp_path: Path) -> None:
    """Stale files go by their whole name, not a prefix: ``articles-of-faith.md`` may be the user's."""
    mine = ["articles-of-faith.md", "bodies-of-work.txt", "articles-0123.pickle"]
    for name in mine:
        (tmp_path / name).write_text("mine")
    cache = ArticleCache.open(tmp_path, NEW)
    cache.put(entry("y"))
    cache.save()
    assert all((tmp_path / name).read_text() == "mine" for name in mine)


def test_a_rewritten_base_file_holds_each_equal_part_once(tmp_path: Path) -> None:
    """Records put in one build share equal names; a later compaction shares them across builds too."""
    article = load(SEED)
    stories = enriched(article)

    def seed_entry(name: str) -> Loaded:
        copy = replace(article, slug=name, provenance=replace(article.provenance, path=name, sha256=name))
        return Loaded(name, (1, 0, 0, 0), copy, tuple(replace(s, article=copy) for s in stories))

    first = ArticleCache.open(tmp_path, "fp")
    first.put(seed_entry("a"))
    first.save()
    second = ArticleCache.open(tmp_path, "fp")
    second.put(seed_entry("b"))  # a change as large as the base: the base file is rewritten
    second.save()
    assert not second.delta_file.exists()
    entries = ArticleCache.open(tmp_path, "fp").entries
    a, b = entries["a"].stories, entries["b"].stories
    assert [s.mentions for s in a] == [s.mentions for s in stories]
    assert all(x.mentions is y.mentions and x.topics is y.topics for x, y in zip(a, b, strict=True))


def test_bodies_go_to_the_store_in_batches_while_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean build must not hold every article's text until the end of loading (90 MB at 10,000 articles)."""
    article = load(SEED)
    stories = enriched(article)

    def seed_entry(name: str) -> Loaded:
        copy = replace(article, slug=name, provenance=replace(article.provenance, path=name, sha256=name))
        return Loaded(name, (1, 0, 0, 0), copy, tuple(replace(s, article=copy) for s in stories))

    stored = strip(article, stories)[2]
    one_body = len(stored.body) + len(stored.quotes)
    monkeypatch.setattr(cache_module, "FLUSH_BYTES", 2 * one_body)  # a batch of two bodies
    cache = ArticleCache.open(tmp_path, "fp")
    for name in "abcde":
        cache.put(seed_entry(name))
    # Before any record is saved: the first two batches are stored, the fifth body waits.
    assert [name for _, name, _ in cache.new_bodies] == ["e"]
    assert cache.bodies.has_every({(name, name) for name in "abcd"})
    assert not cache.bodies.has_every({("e", "e")})
    cache.save()
    assert cache.new_bodies == [] and cache.bodies.has_every({(name, name) for name in "abcde"})
    reopened = ArticleCache.open(tmp_path, "fp")
    assert sorted(reopened.entries) == list("abcde")
    light = reopened.entries["e"]
    assert light.article is not None
    full, _ = dress(light.article, light.stories, reopened.bodies.get(light.article))
    assert full.sections == article.sections


def _seed_entries() -> Callable[[str, str], Loaded]:
    article = load(SEED)
    stories = enriched(article)

    def seed_entry(name: str, sha: str) -> Loaded:
        copy = replace(article, slug=name, provenance=replace(article.provenance, path=name, sha256=sha))
        return Loaded(name, (len(sha), 0, 0, 0), copy, tuple(replace(s, article=copy) for s in stories))

    return seed_entry


def _saved(tmp_path: Path, seed_entry: Callable[[str, str], Loaded], names: Iterable[str]) -> ArticleCache:
    """A cache with one entry per name (version "v1"), saved."""
    cache = ArticleCache.open(tmp_path, "fp")
    for name in names:
        cache.put(seed_entry(name, "v1"))
    cache.save()
    return cache


def _stored(cache: ArticleCache) -> set[tuple[str, str]]:
    with sqlite3.connect(cache.bodies.file) as db:
        return set(db.execute("SELECT path, sha FROM bodies").fetchall())


def test_a_cache_saved_beside_its_body_store_is_opened_without_reading_every_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_entry = _seed_entries()
    _saved(tmp_path, seed_entry, "abcdefgh")
    calls: list[int] = []
    original = cache_module.BodyStore.has_every

    def counting(store: cache_module.BodyStore, keys: Iterable[tuple[str, str]]) -> bool:
        calls.append(1)
        return original(store, keys)

    monkeypatch.setattr(cache_module.BodyStore, "has_every", counting)
    second = ArticleCache.open(tmp_path, "fp")
    assert second.trusted and len(second.entries) == 8 and calls == []
    second.put(seed_entry("a", "v2"))  # an edit: the delta holds it
    second.save()
    assert second.delta_file.exists()
    third = ArticleCache.open(tmp_path, "fp")
    assert third.trusted and calls == [] and third.entries["a"].article.provenance.sha256 == "v2"  # type: ignore[union-attr]
    # Another store under the same name (the file was deleted and made again): the ids differ, every key is read.
    third.bodies.close()
    third.bodies.file.unlink()
    fourth = ArticleCache.open(tmp_path, "fp")
    assert not fourth.trusted and calls == [1] and fourth.entries == {}


def test_bodies_no_saved_record_names_are_forgotten_when_the_delta_is_saved(tmp_path: Path) -> None:
    seed_entry = _seed_entries()
    names = [f"n{n:02}" for n in range(20)]
    _saved(tmp_path, seed_entry, names)
    second = ArticleCache.open(tmp_path, "fp")
    second.put(seed_entry("n00", "v2"))  # edited: its old body goes
    second.put(seed_entry("n01", "v1"))  # read again with the same bytes (a sidecar changed): its body stays
    second.retain(set(names) - {"n19"})  # deleted: its body goes
    assert {("n00", "v1"), ("n19", "v1")} <= _stored(second)  # nothing forgotten before the records are saved
    second.save()
    assert second.delta_file.exists()  # the incremental path, not a rewrite of the base file
    assert _stored(second) == {("n00", "v2"), *((name, "v1") for name in names[1:19])}
    assert ArticleCache.open(tmp_path, "fp").trusted


def test_a_cache_not_saved_beside_this_store_is_checked_then_rewritten_and_swept(tmp_path: Path) -> None:
    seed_entry = _seed_entries()
    first = _saved(tmp_path, seed_entry, "abcdefgh")
    first.bodies.put([("orphan", "x", Stored(b"", b"left by a killed build"))])
    base = first.file.read_bytes()
    store(first.file, ("another store", pickle.loads(base)[1]))  # as if saved beside another store
    second = ArticleCache.open(tmp_path, "fp")
    assert not second.trusted and len(second.entries) == 8  # every key read: all there, so the records are kept
    second.put(seed_entry("a", "v2"))
    second.save()
    assert not second.delta_file.exists()  # rewritten with this store's id
    assert ("orphan", "x") not in _stored(second) and ("a", "v1") not in _stored(second)
    assert ArticleCache.open(tmp_path, "fp").trusted


def test_an_intact_cache_not_saved_beside_this_store_is_saved_with_its_id_even_when_nothing_changed(
    tmp_path: Path,
) -> None:
    """Else every later build would read every key of the store again, until some article changed."""
    seed_entry = _seed_entries()
    first = _saved(tmp_path, seed_entry, "abc")
    store(first.file, ("another store", pickle.loads(first.file.read_bytes())[1]))
    second = ArticleCache.open(tmp_path, "fp")
    assert not second.trusted and len(second.entries) == 3
    second.save()  # no article changed
    third = ArticleCache.open(tmp_path, "fp")
    assert third.trusted and len(third.entries) == 3
