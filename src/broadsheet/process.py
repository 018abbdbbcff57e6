"""The two parallel phases of a build: loading input files and rendering pages.

Parsing (python-markdown above all) and rendering dominate a clean build, and
each file or page is independent, so the work is spread over a process pool.
Workers are forked once what they need is ready (configuration, or the whole
site index and the template environment), so they inherit it instead of
receiving it pickled; only file paths or page numbers go in, and records or
bytes come back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import ArticleCache, Loaded, StatKey, stat_key
from .config import SiteConfig
from .dependencies import Describer, page_fingerprint, story_tokens
from .enrich import Enricher, enrich
from .enrich.cluster import Hasher
from .enrich.site import site_keys
from .errors import BroadsheetError, Diagnostics
from .loaders import load_file
from .render import render_page

if TYPE_CHECKING:
    import jinja2

    from .assemble import Page, SiteIndex

PARALLEL_THRESHOLD = 48  # below this many files a pool costs more than it saves
CHUNK = 16
# Forked helpers touch (and so copy) the parent's pages: fingerprinting a few thousand pages is faster here.
FINGERPRINT_PARALLEL_THRESHOLD = 8192


@dataclass(frozen=True)
class _Worker:
    """What one process needs to turn a path into a ``Loaded`` record."""

    config: SiteConfig
    enricher: Enricher
    hasher: Hasher

    def __call__(self, path: Path) -> Loaded:
        relpath = path.relative_to(self.config.paths.root).as_posix()
        diagnostics = Diagnostics()
        try:
            key = stat_key(path)
        except OSError as exc:
            return Loaded(relpath, (0, 0, 0, 0), None, error=BroadsheetError(f"cannot read: {exc.strerror}", relpath))
        try:
            article = load_file(path, self.config, diagnostics)
        except BroadsheetError as exc:
            error = exc if exc.path else exc.located(relpath)
            return Loaded(relpath, key, None, warnings=tuple(diagnostics.warnings), error=error)
        article, stories = enrich(article, self.enricher)
        keys = site_keys(article, stories, self.hasher)
        tokens = story_tokens(stories)
        return Loaded(relpath, key, article, stories, tuple(diagnostics.warnings), keys=keys, tokens=tokens)


_worker: Any = None  # one per worker process, set by the pool initializer


def _init_worker(worker: Any) -> None:
    global _worker
    _worker = worker


def _run_in_worker(item: Any) -> Any:
    assert _worker is not None
    return _worker(item)


def workers() -> int:
    """Processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _process(items: Sequence[Any], worker: Callable[[Any], Any], jobs: int, chunk: int = CHUNK) -> Iterator[Any]:
    """``map(worker, items)`` in order, over forked processes when there is enough to do."""
    if jobs <= 1 or len(items) < PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(worker, items)
        return
    context = multiprocessing.get_context("fork")
    # What the workers inherit lives until the build ends: out of the collector's reach, a
    # worker's collections do not write to (and so copy) every page of the parent's objects.
    gc.freeze()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(worker,)) as pool:
        yield from pool.map(_run_in_worker, items, chunksize=chunk)


@dataclass(frozen=True)
class _Renderer:
    """Renders page number N of a fixed list (the list itself is inherited by forking)."""

    env: jinja2.Environment
    index: SiteIndex
    pages: Sequence[Page]

    def __call__(self, number: int) -> bytes:
        return render_page(self.env, self.pages[number], self.index)


def render_all(env: jinja2.Environment, index: SiteIndex, pages: Sequence[Page], jobs: int = 0) -> Iterator[bytes]:
    """The bytes of each of ``pages``, in order."""
    yield from _process(range(len(pages)), _Renderer(env, index, pages), jobs or workers(), chunk=64)


@dataclass(frozen=True)
class _Fingerprinter:
    """Fingerprints page number N of a fixed list; the describer's memo (cached story tokens) comes by fork."""

    pages: Sequence[Page]
    base: str
    describe: Describer

    def __call__(self, number: int) -> str:
        return page_fingerprint(self.pages[number], self.base, self.describe)


def fingerprint_all(pages: Sequence[Page], base: str, describe: Describer, jobs: int = 0) -> list[str]:
    """Every page's fingerprint, in order; on every core when there are enough pages to pay for the forks."""
    worker = _Fingerprinter(pages, base, describe)
    if len(pages) < FINGERPRINT_PARALLEL_THRESHOLD:
        return [worker(number) for number in range(len(pages))]
    return list(_process(range(len(pages)), worker, jobs or workers(), chunk=1024))


def load_all(
    paths: Sequence[Path],
    config: SiteConfig,
    cache: ArticleCache,
    diagnostics: Diagnostics,
    jobs: int = 0,
    advance: Callable[[int], None] | None = None,
    stats: Mapping[str, StatKey] | None = None,
) -> list[Loaded]:
    """Every input as a ``Loaded`` record, in the order of ``paths``; problems go to ``diagnostics``."""
    root = config.paths.root
    results: dict[str, Loaded] = {}
    misses: list[Path] = []
    for path in paths:
        relpath = path.relative_to(root).as_posix()
        try:
            hit = cache.get(relpath, stats[relpath] if stats and relpath in stats else stat_key(path))
        except OSError:
            hit = None
        if hit is None:
            misses.append(path)
        else:
            results[relpath] = hit
    if advance is not None and results:
        advance(len(results))
    worker = _Worker(config, Enricher.for_site(config), Hasher())
    for loaded in _process(misses, worker, jobs or workers()):
        cache.put(loaded)
        results[loaded.relpath] = loaded
        if advance is not None:
            advance(1)
    cache.retain(set(results))
    ordered = [results[path.relative_to(root).as_posix()] for path in paths]
    for loaded in ordered:
        diagnostics.warnings.extend(loaded.warnings)
        if loaded.error is not None:
            diagnostics.error(loaded.error)
    return ordered
