"""The content cache: parsed and enriched articles, keyed by their input's bytes.

One pickle per site under ``.cache/`` (safe to delete), valid for one
fingerprint of code, settings and data. An entry is reused when its file's
size and modification time are unchanged (as make and Hugo do), and it
always records the sha256 of the bytes it was built from.
"""

from __future__ import annotations

import gc
import os
import pickle
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bodies import BodyStore, Pool, Stored, light_view, share, strip
from .enrich.site import SiteKeys
from .errors import BroadsheetError
from .fingerprint import digest, named_by_us
from .loaders.assets import still_as_recorded
from .memo import delta_file, delta_will_do, store
from .model import Article, Record, Story, evolve

StatKey = tuple[int, int, int, int]  # size and mtime of the file and of its sidecar
# Bodies waiting for the body store are written once they add up to this many bytes: a clean build of
# 10,000 articles would otherwise hold all their text (~90 MB) until the end of loading.
FLUSH_BYTES = 8 << 20


@dataclass(frozen=True, slots=True)
class Loaded(Record):
    """What processing one input file produced, cached as a whole."""

    relpath: str
    stat: StatKey
    article: Article | None
    stories: tuple[Story, ...] = ()
    warnings: tuple[str, ...] = ()
    error: BroadsheetError | None = None
    keys: SiteKeys | None = None  # what the site-level steps need from this article
    tokens: tuple[str, ...] = ()  # page-fingerprint tokens of the article, its stories, each story (record_tokens)
    # Digest of all the light record shows (bodies.light_view): equal digests, equal records but for the text.
    light: str = ""


def stat_key(path: str | Path, sidecar: bool = True) -> StatKey:
    """Size and mtime of ``path`` and of its sidecar ``NAME.yaml`` (zeros when absent).

    ``sidecar=False``: the folder's listing has no sidecar for it (``loaders.inputs``), so none is looked for.
    """
    name = os.fspath(path)
    own = os.stat(name)
    if not sidecar:
        return (own.st_size, own.st_mtime_ns, 0, 0)
    try:
        side = os.stat(os.path.splitext(name)[0] + ".yaml")
        side_key = (side.st_size, side.st_mtime_ns)
    except OSError:
        side_key = (0, 0)
    return (own.st_size, own.st_mtime_ns, *side_key)


@dataclass
class ArticleCache:
    """Entries by input path, stored as a base file plus a small file of changes since it.

    Changes go to the delta file until they amount to a quarter of the base,
    which is then rewritten (memo.delta_will_do).
    """

    file: Path
    bodies: BodyStore
    entries: dict[str, Loaded] = field(default_factory=dict)  # light records (bodies.py)
    changed: dict[str, Loaded | None] = field(default_factory=dict)  # since the base file; None: removed
    dirty: bool = False
    base_size: int = 0
    new_bodies: list[tuple[str, str, Stored]] = field(default_factory=list)  # stored in batches (``put``)
    new_bytes: int = 0
    # Equal parts of the records put in this build, one object each (bodies.share); when every entry was
    # put (a first build), the base file is written as it is, else its entries are shared afresh first.
    pool: Pool = field(default_factory=dict)
    puts: int = 0
    # Body keys no saved record will name once this build's records are saved: forgotten then (``save``).
    unnamed: set[tuple[str, str]] = field(default_factory=set)
    # Whether the files read were saved beside this very body store (``BodyStore.identity``); if not, the
    # next save rewrites the base file, so the ids match again, and sweeps the store.
    trusted: bool = False

    @property
    def delta_file(self) -> Path:
        return delta_file(self.file)

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> ArticleCache:
        cache = cls(folder / f"articles-{fingerprint}.pickle", BodyStore(folder / f"bodies-{fingerprint}.sqlite"))
        if not cache.file.is_file():
            return cache
        collecting = gc.isenabled()
        gc.disable()  # unpickling many small objects is far faster without cyclic GC passes
        try:
            identity = cache.bodies.identity()
            saved_beside, cache.entries = _load(cache.file)
            cache.base_size = len(cache.entries)
            if cache.delta_file.is_file():
                delta_beside, cache.changed = _load(cache.delta_file)
                saved_beside = saved_beside if delta_beside == saved_beside else ""
                for relpath, entry in cache.changed.items():
                    if entry is None:
                        cache.entries.pop(relpath, None)
                    else:
                        cache.entries[relpath] = entry
            cache.trusted = saved_beside == identity != ""
            if not cache.trusted:
                if not cache.bodies.has_every(_body_keys(cache.entries.values())):
                    raise ValueError("bodies missing")  # e.g. a deleted bodies file: records without text are no use
                cache.dirty = True  # saved even if nothing changes: with this store's id, the next build trusts it
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            TypeError,
            ValueError,
            ImportError,
            sqlite3.Error,
        ):
            cache.entries, cache.changed, cache.base_size = {}, {}, 0  # unreadable or from another version
        finally:
            gc.freeze()  # cached records live for the whole build: keep them out of every collection
            if collecting:
                gc.enable()
        return cache

    def get(self, relpath: str, key: StatKey, root: Path | None = None) -> Loaded | None:
        """The entry of ``relpath`` if its file (``key``) and the files its links name (under ``root``) are as then."""
        entry = self.entries.get(relpath)
        if entry is None or entry.stat != key:
            return None
        if entry.article is not None:
            linked = entry.article.provenance
            if (linked.files or linked.read) and (
                root is None or not still_as_recorded(root, linked.files, linked.read)
            ):
                return None
        return entry

    def put(self, entry: Loaded) -> Loaded:
        """Cache a freshly loaded entry; returns it light, its bodies set aside for the body store.

        The light record's digest is taken from what it shows, not from the
        input's bytes: a sidecar, or a date the file does not give, changes
        the record while the file stays the same.
        """
        if entry.article is not None:
            article, stories, stored = strip(entry.article, entry.stories, self.pool)
            self.new_bodies.append((article.provenance.path, article.provenance.sha256, stored))
            self.new_bytes += len(stored.body) + len(stored.quotes)
            if self.new_bytes >= FLUSH_BYTES:
                self._store_bodies()
            entry = evolve(entry, article=article, stories=stories, light=digest(light_view(article, stories)))
        self._unname(self.entries.get(entry.relpath))
        if entry.article is not None:  # named again (an edited sidecar leaves the body as it was)
            self.unnamed.discard((entry.article.provenance.path, entry.article.provenance.sha256))
        self.entries[entry.relpath] = self.changed[entry.relpath] = entry
        self.puts += 1
        self.dirty = True
        return entry

    def retain(self, relpaths: set[str]) -> None:
        """Forget inputs that no longer exist."""
        for gone in set(self.entries) - relpaths:
            self._unname(self.entries.pop(gone))
            self.changed[gone] = None
            self.dirty = True

    def _unname(self, entry: Loaded | None) -> None:
        if entry is not None and entry.article is not None:
            self.unnamed.add((entry.article.provenance.path, entry.article.provenance.sha256))

    def save(self) -> None:
        """Write the changes (or, when they have grown, everything) atomically; drop other fingerprints' files.

        Bodies are stored before the records that name them, and old bodies
        forgotten only after: a build killed in between leaves a usable cache.
        """
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for stale in [*named_by_us(self.file.parent, "articles"), *named_by_us(self.file.parent, "bodies")]:
            if stale not in (self.file, self.delta_file, self.bodies.file):
                stale.unlink(missing_ok=True)
        if not self.dirty:
            return
        self._store_bodies()
        self.pool = {}  # the records keep what they share; the index of it can go
        identity = self.bodies.identity()
        if not self.trusted or not self.file.exists() or not delta_will_do(len(self.changed), self.base_size):
            entries = self.entries if self.puts == len(self.entries) else shared(self.entries)
            store(self.file, (identity, entries))
            self.delta_file.unlink(missing_ok=True)
            self.changed, self.base_size = {}, len(self.entries)
            self.bodies.retain(_body_keys(self.entries.values()))  # every body no record names, however it was left
        else:
            store(self.delta_file, (identity, self.changed))
            self.bodies.forget(self.unnamed)
        self.unnamed, self.trusted, self.dirty = set(), True, False

    def release(self) -> None:
        """Let go of the entries once they are saved (``save``) and the build holds what it needs of them."""
        if self.dirty:
            raise RuntimeError("release() before save(): the changes would be lost")
        self.entries, self.changed = {}, {}

    def _store_bodies(self) -> None:
        """Bodies go to the store before any record naming them is saved (a killed build leaves them unnamed)."""
        self.bodies.put(self.new_bodies)
        self.new_bodies, self.new_bytes = [], 0


def shared(entries: dict[str, Loaded]) -> dict[str, Loaded]:
    """``entries`` with their equal parts as one object (bodies.share): a base file loads faster that way."""
    pool: Pool = {}
    result = {}
    for relpath, entry in entries.items():
        if entry.article is not None:
            article, stories = share(entry.article, entry.stories, pool)
            entry = evolve(entry, article=article, stories=stories)
        result[relpath] = entry
    return result


def _body_keys(entries: Iterable[Loaded]) -> set[tuple[str, str]]:
    return {(e.article.provenance.path, e.article.provenance.sha256) for e in entries if e.article is not None}


def _load(file: Path) -> tuple[str, dict[str, Any]]:
    """The identity of the body store a cache file was saved beside, and its entries."""
    with file.open("rb") as stream:
        data = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], str) and isinstance(data[1], dict)):
        raise ValueError("not a cache file")
    return data
