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
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BroadsheetError
from .model import Article, Story

StatKey = tuple[int, int, int, int]  # size and mtime of the file and of its sidecar


@dataclass(frozen=True)
class Loaded:
    """What processing one input file produced, cached as a whole."""

    relpath: str
    stat: StatKey
    article: Article | None
    stories: tuple[Story, ...] = ()
    warnings: tuple[str, ...] = ()
    error: BroadsheetError | None = None


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
    """Entries by input path; ``dirty`` once anything changed, so an unchanged cache is not rewritten."""

    file: Path
    entries: dict[str, Loaded] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def open(cls, folder: Path, fingerprint: str) -> ArticleCache:
        file = folder / f"articles-{fingerprint}.pickle"
        cache = cls(file)
        if file.is_file():
            gc.disable()  # unpickling many small objects is far faster without cyclic GC passes
            try:
                with file.open("rb") as stream:
                    entries = pickle.load(stream)  # noqa: S301 - our own file under .cache/
                if isinstance(entries, dict):
                    cache.entries = entries
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
                cache.entries = {}  # unreadable or from another version: start again
            finally:
                gc.freeze()  # cached records live for the whole build: keep them out of every collection
                gc.enable()
        return cache

    def get(self, relpath: str, key: StatKey) -> Loaded | None:
        entry = self.entries.get(relpath)
        return entry if entry is not None and entry.stat == key else None

    def put(self, entry: Loaded) -> None:
        self.entries[entry.relpath] = entry
        self.dirty = True

    def retain(self, relpaths: set[str]) -> None:
        """Forget inputs that no longer exist."""
        for gone in set(self.entries) - relpaths:
            del self.entries[gone]
            self.dirty = True

    def save(self) -> None:
        """Write atomically; drop caches of other fingerprints (they can never be used again)."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.file.parent.glob("articles-*.pickle"):
            if stale != self.file:
                stale.unlink(missing_ok=True)
        if not self.dirty and self.file.exists():
            return
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(self.entries, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.file)
        self.dirty = False
