"""The parallel phases of a build: loading input files, fingerprinting and rendering pages.

Parsing (python-markdown above all) and rendering dominate a clean build, and
each file or page is independent, so the work is spread over processes.
Workers are forked once what they need is ready (configuration, or the whole
site index and the template environment), so they inherit it instead of
receiving it pickled: file paths go in and records come back from a pool;
render helpers take every N-th page, write the files themselves and send
back only their hashes, while the building process renders a share too.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import ArticleCache, Loaded, StatKey, stat_key
from .config import SiteConfig
from .dependencies import Describer, page_fingerprint, record_tokens
from .enrich import Enricher, enrich
from .enrich.cluster import Hasher
from .enrich.site import site_keys
from .errors import BroadsheetError, Diagnostics
from .loaders import load_file
from .output import Publisher, content_hash
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
        tokens = record_tokens(article, stories)
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


def _forking(jobs: int, count: int) -> bool:
    """Whether ``count`` items are worth ``jobs`` forked processes (and this system can fork)."""
    return jobs > 1 and count >= PARALLEL_THRESHOLD and "fork" in multiprocessing.get_all_start_methods()


def _process(items: Sequence[Any], worker: Callable[[Any], Any], jobs: int, chunk: int = CHUNK) -> Iterator[Any]:
    """``map(worker, items)`` in order, over forked processes when there is enough to do."""
    if not _forking(jobs, len(items)):
        yield from map(worker, items)
        return
    context = multiprocessing.get_context("fork")
    # What the workers inherit lives until the build ends: out of the collector's reach, a
    # worker's collections do not write to (and so copy) every page of the parent's objects.
    gc.freeze()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(worker,)) as pool:
        yield from pool.map(_run_in_worker, items, chunksize=chunk)


Rendered = tuple[int, str, bool, str]  # page number, sha256 of its bytes, whether the file was written, fingerprint


@dataclass(frozen=True)
class PageFingerprint:
    """A page's fingerprint under one render fingerprint; the describer's memo (cached story tokens) comes by fork."""

    base: str
    describe: Describer

    def __call__(self, page: Page) -> str:
        return page_fingerprint(page, self.base, self.describe)


@dataclass(frozen=True)
class _Share:
    """Every ``step``-th page from ``start``, rendered and written into the shadow by one process."""

    out: Publisher
    env: jinja2.Environment
    index: SiteIndex
    pages: Sequence[Page]
    files: Sequence[str]
    before: Sequence[str | None]
    fingerprints: Sequence[str | None]  # None: computed by the share rendering the page
    fingerprint: PageFingerprint

    def render(self, start: int, step: int, advance: Callable[[int], None]) -> list[Rendered]:
        done = []
        for number in range(start, len(self.pages), step):
            page = self.pages[number]
            fingerprint = self.fingerprints[number] or self.fingerprint(page)
            data = render_page(self.env, page, self.index)
            sha = content_hash(data)
            done.append((number, sha, self.out.put(self.files[number], data, sha, self.before[number]), fingerprint))
            advance(1)
        return done


def _helper(share: _Share, start: int, step: int, connection: Connection) -> None:
    """A forked render helper: its share's results, or what stopped it, go back through ``connection``."""
    try:
        connection.send(("done", share.render(start, step, lambda n: None)))
    except BroadsheetError as exc:
        connection.send(("error", exc))
    except BaseException:  # a bug: its traceback, for the building process to raise
        connection.send(("crash", traceback.format_exc()))
    finally:
        connection.close()


def render_into(
    out: Publisher,
    env: jinja2.Environment,
    index: SiteIndex,
    stale: Sequence[tuple[Page, str, str | None]],
    fingerprint: PageFingerprint,
    jobs: int = 0,
    advance: Callable[[int], None] = lambda n: None,
) -> None:
    """Render ``stale`` (page, its file, fingerprint) into the shadow of ``out``, on every core.

    This process renders one share and forked helpers the others, each
    writing its own files and sending back only their hashes: no page's
    bytes cross a pipe, no result thread competes with this process for the
    GIL, and one process fewer copies the pages of the site index it touches.
    A page given without a fingerprint (it had none before: it is rendered
    whatever it is) has it computed by the process rendering it, so a clean
    build makes no separate pass, and no forked processes, for fingerprints.
    """
    pages = [page for page, _, _ in stale]
    files = [file for _, file, _ in stale]
    given = [known for _, _, known in stale]
    share = _Share(out, env, index, pages, files, out.forget(files), given, fingerprint)
    step = jobs or workers()
    if not _forking(step, len(pages)):
        step = 1
    context = multiprocessing.get_context("fork" if step > 1 else None)
    helpers: list[tuple[BaseProcess, Connection]] = []
    try:
        for start in range(1, step):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_helper, args=(share, start, step, sending), daemon=True)
            process.start()
            sending.close()
            helpers.append((process, receiving))
        done = share.render(0, step, advance)
        for running, receiving in helpers:
            theirs = _results(running, receiving)
            done.extend(theirs)
            advance(len(theirs))
    finally:
        for running, receiving in helpers:
            receiving.close()
            if running.is_alive():
                running.terminate()
            running.join()
    for number, sha, written, fingerprint_of_page in sorted(done):
        out.record(pages[number].path, files[number], sha, fingerprint_of_page, written)


def _results(helper: BaseProcess, receiving: Connection) -> list[Rendered]:
    try:
        kind, value = receiving.recv()
    except EOFError:
        helper.join()
        raise BroadsheetError(f"a render helper stopped unexpectedly (exit status {helper.exitcode})") from None
    if kind == "error":
        raise value
    if kind == "crash":
        raise RuntimeError(f"a render helper failed:\n{value}")
    return list(value)


@dataclass(frozen=True)
class _Fingerprinter:
    """Fingerprints page number N of a fixed list."""

    pages: Sequence[Page]
    fingerprint: PageFingerprint

    def __call__(self, number: int) -> str:
        return self.fingerprint(self.pages[number])


def fingerprint_all(pages: Sequence[Page], fingerprint: PageFingerprint, jobs: int = 0) -> list[str]:
    """Every page's fingerprint, in order; on every core when there are enough pages to pay for the forks."""
    if len(pages) < FINGERPRINT_PARALLEL_THRESHOLD:
        return [fingerprint(page) for page in pages]
    worker = _Fingerprinter(pages, fingerprint)
    return list(_process(range(len(pages)), worker, jobs or workers(), chunk=1024))


def load_all(
    paths: Mapping[str, str],
    config: SiteConfig,
    cache: ArticleCache,
    diagnostics: Diagnostics,
    jobs: int = 0,
    advance: Callable[[int], None] | None = None,
    stats: Mapping[str, StatKey] | None = None,
) -> list[Loaded]:
    """Every input (by site path, as ``loaders.inputs`` gives them) as a ``Loaded`` record, in that order."""
    results: dict[str, Loaded] = {}
    misses: list[Path] = []
    for relpath, path in paths.items():
        try:
            hit = cache.get(
                relpath, stats[relpath] if stats and relpath in stats else stat_key(path), config.paths.root
            )
        except OSError:
            hit = None
        if hit is None:
            misses.append(Path(path))
        else:
            results[relpath] = hit
    if advance is not None and results:
        advance(len(results))
    worker = _Worker(config, Enricher.for_site(config), Hasher())
    for loaded in _process(misses, worker, jobs or workers()):
        results[loaded.relpath] = cache.put(loaded)  # light: the text waits in the body store
        if advance is not None:
            advance(1)
    cache.retain(set(results))
    ordered = [results[relpath] for relpath in paths]
    for loaded in ordered:
        diagnostics.warnings.extend(loaded.warnings)
        if loaded.error is not None:
            diagnostics.error(loaded.error)
    return ordered
