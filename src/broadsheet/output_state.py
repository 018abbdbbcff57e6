"""What broadsheet believes its output folders hold, kept between builds: a base file plus a delta.

At 10,000 articles the state names 43,000 files three times over (their
bytes' sha256, what each page was rendered from, which set made it), and
rewriting all of it costs more than the rest of a one-article rebuild's
bookkeeping. So, as the content cache does, a build writes only what changed
since the last full write (the *base*) to a small delta file, and rewrites
the base once the delta has grown to a quarter of it (memo.delta_will_do).
The delta names the base it applies to: any mismatch, damage or other format
means "trust nothing", and the build renders and writes everything again.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .memo import delta_file, delta_will_do, store

STATE_FORMAT = 6  # of the stored state (``_Plain``): a state in another format is not read
BASE, DELTA = "base", "delta"
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class TreeState:
    """What broadsheet believes a tree holds: file path → sha256, and the generation id in its marker."""

    generation: str = ""
    files: dict[str, str] = field(default_factory=dict)


class SetRecord(NamedTuple):
    """What one page set (assemble.PageSet) produced: from what, which pages, and their sitemap lines.

    A named tuple: 12,000 of them are read at every build (10,000 articles), made in C from the stored tuples.
    """

    fingerprint: str
    paths: tuple[str, ...]
    # Each path's file, confined by urls.output_file when the set was recorded: keeping the set needs no
    # check again (the state file is broadsheet's own, under .cache/).
    files: tuple[str, ...]
    sitemap: str


class Loose(NamedTuple):
    """What the live site holds outside every page set: files (feeds, sitemaps, static) and fingerprinted paths.

    With it, the files of the sets a build keeps are the live files less the
    loose ones and those of the sets it does not keep (output.Publisher.keep_sets).
    """

    files: tuple[str, ...]
    paths: tuple[str, ...]


@dataclass
class Touched:
    """The live files, page paths and set names a build may have changed: at every other key it is as loaded.

    With it, what changed since the base file and how the shadow differs are
    found among these keys (and those the loaded delta names), not by
    comparing all 43,000 files of a 10,000-article site three times over.
    """

    files: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    sets: set[str] = field(default_factory=set)

    def union(self, other: Touched) -> Touched:
        return Touched(self.files | other.files, self.paths | other.paths, self.sets | other.sets)

    def add_set(self, name: str, record: SetRecord) -> None:
        """Set ``name`` and every file and page path of its ``record``."""
        self.sets.add(name)
        self.files.update(record.files)
        self.paths.update(record.paths)


@dataclass
class OutputState:
    """Persisted between builds in the cache folder; wrong or missing means "trust nothing"."""

    output: str = ""
    live: TreeState = field(default_factory=TreeState)
    shadow: TreeState = field(default_factory=TreeState)
    fingerprints: dict[str, str] = field(default_factory=dict)  # page path → what it was rendered from
    sets: dict[str, SetRecord] = field(default_factory=dict)  # page set name → what it produced
    loose: Loose | None = None  # None: not known (a state made in memory)
    # As read: the only files at which the shadow may differ from the live site (None: not known).
    shadow_differs: tuple[str, ...] | None = None

    def persisted(self) -> tuple[object, ...]:
        """What saving keeps of the state (``shadow_differs`` is worked out when it is read): to compare two."""
        return (self.output, self.live, self.shadow, self.fingerprints, self.sets, self.loose)


@dataclass(frozen=True)
class _Base:
    """The state as the base file holds it, kept to tell what a later state changed."""

    identity: str
    output: str
    live: dict[str, str]
    fingerprints: dict[str, str]
    sets: dict[str, SetRecord]

    @property
    def size(self) -> int:
        return len(self.live) + len(self.fingerprints) + len(self.sets)


class StateFile:
    """The output state of one output folder on disk: ``load`` it at the start of a build, ``save`` it at the end."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._base: _Base | None = None
        self._since_base: Touched | None = None  # the keys the loaded state holds otherwise than the base

    @property
    def delta_file(self) -> Path:
        return delta_file(self.file)

    def load(self, output: str) -> OutputState:
        """The state saved for ``output``; an empty one (trust nothing) when it is missing, damaged or another's."""
        self._base, self._since_base = None, None
        since = Touched()
        try:
            base, stored = _from_base(_read(self.file))
            if self.delta_file.is_file():
                state = _with_delta(base, _read(self.delta_file), since)
            else:
                state = _state(stored, dict(base.live), dict(base.fingerprints), dict(base.sets))
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            ImportError,
        ):
            return OutputState(output)
        if state.output != output:
            return OutputState(output)  # another broadsheet's state
        self._base, self._since_base = base, since
        return state

    def save(self, state: OutputState, touched: Touched | None = None) -> None:
        """Write ``state``: the changes since the base file, or everything when they have grown.

        ``touched``: the keys at which ``state`` may differ from the state
        loaded, its shadow being the live site as loaded; None: compare all.
        """
        base, since = self._base, self._since_base
        self._since_base = None  # once saved, the loaded state is no longer what the file holds
        if base is not None and base.output == state.output:
            scope = touched.union(since) if touched is not None and since is not None else None
            live = _changes(state.live.files, base.live, None if scope is None else scope.files)
            fingerprints = _changes(state.fingerprints, base.fingerprints, None if scope is None else scope.paths)
            sets = _changes(state.sets, base.sets, None if scope is None else scope.sets)
            changed = sum(len(a) + len(b) for a, b in (live, fingerprints, sets))
            if delta_will_do(changed, base.size):
                changed_sets = (_sets_plain(sets[0]), sets[1])
                store(self.delta_file, _plain(DELTA, base.identity, state, live, fingerprints, changed_sets, touched))
                return
        identity = uuid.uuid4().hex
        sets_plain = _sets_plain(state.sets)
        store(self.file, _plain(BASE, identity, state, state.live.files, state.fingerprints, sets_plain, touched))
        self.delta_file.unlink(missing_ok=True)  # it named the old base: left behind, it would not be read anyway
        # Copies: the caller's state may change before a later save, which must compare against what was written.
        self._base = _Base(identity, state.output, dict(state.live.files), dict(state.fingerprints), dict(state.sets))
        self._since_base = Touched()


def _read(file: Path) -> tuple[Any, ...]:
    with file.open("rb") as stream:
        plain = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    if not isinstance(plain, tuple) or len(plain) < 3 or plain[0] != STATE_FORMAT:
        raise ValueError("not a state file of this format")
    return plain


def _changes(new: Mapping[K, V], base: Mapping[K, V], keys: set[K] | None = None) -> tuple[dict[K, V], list[K]]:
    """What ``new`` holds that ``base`` does not hold the same, and the keys ``base`` has that ``new`` lacks.

    ``keys``: the only keys at which the two may differ (``Touched``); None: any. A rebuild's state
    holds the very objects of the state it loaded at nearly every key (10,000 articles: 43,000
    files, one page edited), so values are passed over by identity in C and only the few others
    compared in Python.
    """
    missing = object()
    order = list(new.keys() | base.keys() if keys is None else keys)
    values = list(map(new.get, order, repeat(missing)))
    differing = compress(zip(order, values, strict=True), map(is_not, values, map(base.get, order, repeat(missing))))
    changed: dict[K, V] = {}
    removed: list[K] = []
    for key, value in differing:
        if value is missing:
            removed.append(key)
        elif base.get(key, missing) != value:
            changed[key] = new[key]
    return changed, removed


def _shadow_plain(state: OutputState, touched: Touched | None) -> tuple[str, dict[str, str], list[str]]:
    """The shadow (the live site of the build before) as its difference from the live site: what the last build changed."""
    differs, lacks = _changes(state.shadow.files, state.live.files, None if touched is None else touched.files)
    return state.shadow.generation, differs, lacks


def _sets_plain(sets: Mapping[str, SetRecord]) -> dict[str, tuple[object, ...]]:
    # Plain tuples: a named tuple is pickled as a call of its class, a Python function each to read back.
    return dict(zip(sets, map(tuple, sets.values()), strict=True))


def _records(plain: dict[str, Any]) -> dict[str, SetRecord]:
    return dict(zip(plain, map(SetRecord._make, plain.values()), strict=True))


class _Plain(NamedTuple):
    """The stored layout of a base or a delta file: plain values only, stored as a plain tuple."""

    format: int
    kind: str  # BASE or DELTA
    identity: str  # of the base (a delta names the base it applies to)
    output: str
    live_generation: str
    live: Any  # base: file → sha256; delta: the changes since the base (``_changes``)
    shadow_generation: str
    differs: dict[str, str]  # the shadow as its difference from the live site (``_shadow_plain``)
    lacks: list[str]
    fingerprints: Any  # base: page path → fingerprint; delta: the changes since the base
    sets: Any  # base: name → record as a plain tuple (``_sets_plain``); delta: the changes since the base
    loose: tuple[tuple[str, ...], tuple[str, ...]] | None  # ``_loose_plain``


def _plain(
    kind: str, identity: str, state: OutputState, live: Any, fingerprints: Any, sets: Any, touched: Touched | None
) -> tuple[Any, ...]:
    shadow = _shadow_plain(state, touched)
    loose = _loose_plain(state.loose)
    stored = _Plain(
        STATE_FORMAT, kind, identity, state.output, state.live.generation, live, *shadow, fingerprints, sets, loose
    )
    return tuple(stored)


def _loose_plain(loose: Loose | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    return None if loose is None else (loose.files, loose.paths)


def _loose(plain: Any) -> Loose | None:
    if plain is None:
        return None
    files, paths = plain
    if not (isinstance(files, tuple) and isinstance(paths, tuple)):
        raise ValueError("not a record of loose files")
    return Loose(files, paths)


def _from_base(plain: tuple[Any, ...]) -> tuple[_Base, _Plain]:
    """The base, and the rest of what its file holds (live generation, shadow, loose files)."""
    stored = _Plain._make(plain)
    if stored.kind != BASE:
        raise ValueError("not a base state file")
    records = _records(stored.sets)
    return _Base(stored.identity, stored.output, stored.live, stored.fingerprints, records), stored


def _with_delta(base: _Base, plain: tuple[Any, ...], since: Touched) -> OutputState:
    """The state the base and this delta make; ``since`` receives the keys the delta names."""
    stored = _Plain._make(plain)
    if stored.kind != DELTA or stored.identity != base.identity or stored.output != base.output:
        raise ValueError("a delta of another base")  # e.g. left by a build killed as it rewrote the base
    files = _applied(base.live, *stored.live)
    changed_sets, removed_sets = stored.sets
    records = _applied(base.sets, _records(changed_sets), removed_sets)
    since.files.update(*stored.live)
    since.paths.update(*stored.fingerprints)
    since.sets.update(changed_sets, removed_sets)
    return _state(stored, files, _applied(base.fingerprints, *stored.fingerprints), records)


def _state(
    stored: _Plain, files: dict[str, str], fingerprints: dict[str, str], sets: dict[str, SetRecord]
) -> OutputState:
    """The state a base or a delta file makes, given the live files, fingerprints and sets it comes to."""
    return OutputState(
        stored.output,
        TreeState(stored.live_generation, files),
        TreeState(stored.shadow_generation, _applied(files, stored.differs, stored.lacks)),
        fingerprints,
        sets,
        _loose(stored.loose),
        (*stored.differs, *stored.lacks),
    )


def _applied(base: Mapping[K, V], changed: Mapping[K, V], removed: list[K]) -> dict[K, V]:
    """``base`` with ``removed`` left out and ``changed`` put in: the inverse of ``_changes``."""
    result = dict(base)
    for key in removed:
        del result[key]
    result.update(changed)
    return result
