"""The content cache: parsed and enriched articles, keyed by their input's bytes.

One pickle per site under ``.cache/`` (safe to delete), valid for one
fingerprint of code, settings and data. An entry is reused when its file's
size and modification time are unchanged (as make and Hugo do), and it
always records the sha256 of the bytes it was built from.
"""

from __future__ import annotations

import gc
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .enrich.site import SiteKeys
from .errors import BroadsheetError
from .memo import store
from .model import Article, Record, Story

StatKey = tuple[int, int, int, int]  # size and mtime of the file and of its sidecar


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
    tokens: tuple[str, ...] = ()  # each story's page-fingerprint token (dependencies.story_tokens)


def stat_key(path: Path) -> StatKey:
    """Size and mtime of ``path`` and of its sidecar ``NAME.yaml`` (zeros when absent)."""
    own = path.stat()
    try:
        side = path.with_suffix(".yaml").stat()
        side_key = (side.st_size, side.st_mtime_ns)
    except OSError:
        side_key = (0, 0)
    return (own.st_size, own.st_mtime_ns, *side_key)


@dataclass
class ArticleCache:
    """Entries by input path, stored as a base file plus a small file of changes since it.

    Rewriting every article's record because one changed would cost more than
    the rebuild itself at ten thousand articles, so changes go to the delta
    file until they amount to a quarter of the base, which is then rewritten.
    """

    file: Path
    entries: dict[str, Loaded] = field(default_factory=dict)
    changed: dict[str, Loaded | None] = field(default_factory=dict)  # since the base file; None: removed
    dirty: bool = False
    base_size: int = 0

    @property
    def delta_file(self) -> Path:
        return self.file.with_suffix(".delta")

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> ArticleCache:
        cache = cls(folder / f"articles-{fingerprint}.pickle")
        if not cache.file.is_file():
            return cache
        collecting = gc.isenabled()
        gc.disable()  # unpickling many small objects is far faster without cyclic GC passes
        try:
            cache.entries = _load(cache.file)
            cache.base_size = len(cache.entries)
            if cache.delta_file.is_file():
                cache.changed = _load(cache.delta_file)
                for relpath, entry in cache.changed.items():
                    if entry is None:
                        cache.entries.pop(relpath, None)
                    else:
                        cache.entries[relpath] = entry
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
            cache.entries, cache.changed, cache.base_size = {}, {}, 0  # unreadable or from another version
        finally:
            gc.freeze()  # cached records live for the whole build: keep them out of every collection
            if collecting:
                gc.enable()
        return cache

    def get(self, relpath: str, key: StatKey) -> Loaded | None:
        entry = self.entries.get(relpath)
        return entry if entry is not None and entry.stat == key else None

    def put(self, entry: Loaded) -> None:
        self.entries[entry.relpath] = self.changed[entry.relpath] = entry
        self.dirty = True

    def retain(self, relpaths: set[str]) -> None:
        """Forget inputs that no longer exist."""
        for gone in set(self.entries) - relpaths:
            del self.entries[gone]
            self.changed[gone] = None
            self.dirty = True

    def save(self) -> None:
        """Write the changes (or, when they have grown, everything) atomically; drop other fingerprints' files."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.file.parent.glob("articles-*"):
            if stale not in (self.file, self.delta_file):
                stale.unlink(missing_ok=True)
        if not self.dirty:
            return
        if not self.file.exists() or len(self.changed) * 4 > max(self.base_size, 1):
            store(self.file, self.entries)
            self.delta_file.unlink(missing_ok=True)
            self.changed, self.base_size = {}, len(self.entries)
        else:
            store(self.delta_file, self.changed)
        self.dirty = False


def _load(file: Path) -> dict[str, Any]:
    with file.open("rb") as stream:
        data = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    if not isinstance(data, dict):
        raise ValueError("not a cache file")
    return data
