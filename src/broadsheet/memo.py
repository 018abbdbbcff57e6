"""One result remembered on disk under a key: recomputed only when the key changes.

For site-wide steps that read every article but whose inputs rarely change
between two builds (story clusters depend on headlines and leads, not on an
edit further down an article). The file is under ``.cache/``: deleting it, or
an unreadable one, only costs the computation.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Large state kept between builds (the content cache, the output state) is a file rewritten in full, the
# *base*, plus a small *delta* of what changed since: rewriting 10,000 articles' records because one changed
# would cost more than the rebuild. The base is rewritten once the changes amount to a quarter of it.
DELTA_SHARE = 4


def delta_file(base: Path) -> Path:
    """The delta file beside ``base``."""
    return base.with_suffix(".delta")


def delta_will_do(changes: int, base_size: int) -> bool:
    """Whether ``changes`` entries since a base of ``base_size`` entries go to the delta (else: a new base)."""
    return changes * DELTA_SHARE <= max(base_size, 1)


@dataclass(frozen=True)
class Memo:
    """Where a result is remembered, and the fingerprint of the code and settings that computed it."""

    file: Path
    version: str  # a result stored by other code or settings is never reused

    def full_key(self, key: str) -> str:
        """``key`` as stored: with the fingerprint of the code and settings, so it names both."""
        return f"{self.version}|{key}"

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, else ``compute()`` (then stored)."""
        full_key = self.full_key(key)
        try:
            with self.file.open("rb") as stream:
                stored_key, value = pickle.load(stream)  # noqa: S301 - our own file under .cache/
            if stored_key == full_key:
                return value  # type: ignore[no-any-return]
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
            pass
        value = compute()
        store(self.file, (full_key, value))
        return value


def store(file: Path, value: object) -> None:
    """Pickle ``value`` to ``file`` atomically (a killed build leaves the old file or none)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, file)
