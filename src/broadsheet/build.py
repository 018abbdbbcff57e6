"""Orchestration of one build: load → enrich → assemble → render → write.

Every phase is a plain function of its inputs, so each is cached or skipped
when its inputs did not change: parsed and enriched articles by content
(cache.py), pages by fingerprint (dependencies.py), files by their bytes
(output.py). A bad input file is reported and skipped (``--strict`` makes
any problem fatal); the site is published only when the whole build
succeeded.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import jinja2

from . import urls
from .assemble import (
    ATOM,
    JSON_FEED,
    RSS,
    Feed,
    Page,
    PagedList,
    PageSet,
    SiteIndex,
    build_index,
    feeds,
    nowhere_links,
    page_sets,
    redirect_claims,
)
from .cache import ArticleCache, Loaded, StatKey, stat_key
from .config import SiteConfig, load_config
from .dependencies import (
    Describer,
    index_digest,
    listing_fingerprints,
    remember_directory_tokens,
    set_fingerprint,
)
from .enrich.site import SiteMemos, finish_site
from .errors import BroadsheetError, Diagnostics
from .fingerprint import digest, enrich_fingerprint, render_fingerprint
from .loaders import inputs
from .loaders.assets import file_key
from .media import LinkedFiles, publish_media
from .memo import Memo, store
from .model import Article, Story, evolve
from .output import Publisher, check_output_folder, lock_site, read_marker
from .output_state import SetRecord
from .pagesets_enrich import remembered_directory
from .process import PageFingerprint, fingerprint_all, load_all, render_into
from .progress import progress
from .render import builtin_theme, make_environment
from .search import BUNDLE_FOLDER, index_search
from .state_files import note_folder, state_file, sweep
from .text_edits import changed_texts, read_text_state, saved_form, set_name, text_only_sets, text_state
from .writers.atom import atom_feed
from .writers.entries import FeedEntries
from .writers.jsonfeed import json_feed
from .writers.rss import rss_feed
from .writers.sitemap import news_sitemap, robots, sitemap, sitemap_entries

FeedWriter = Callable[[SiteIndex, Feed, FeedEntries], bytes]
FEED_WRITERS: dict[str, FeedWriter] = {RSS: rss_feed, ATOM: atom_feed, JSON_FEED: json_feed}
Enriched = tuple[Article, tuple[Story, ...]]


@dataclass(frozen=True)
class BuildOptions:
    """What ``broadsheet build`` was asked to do."""

    site: Path = Path(".")
    output: Path | None = None
    strict: bool = False
    drafts: bool = False
    future: bool = False
    expired: bool = False  # articles past their expiryDate (Hugo's --buildExpired)
    now: datetime | None = None  # "now" for --future and --expired; fixed in tests
    jobs: int = 0  # worker processes for parsing; 0 = one per core
    show_progress: bool | None = None  # None: a progress bar on a terminal only


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    output: Path
    articles: int = 0
    stories: int = 0
    pages: int = 0
    rendered: int = 0
    files: int = 0
    seconds: float = 0.0
    unchanged: bool = False
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    # Only articles' text changed since the last build: only the page sets showing it were fingerprinted (text_edits).
    text_only: bool = False
    # The build's records (millions of objects at 10,000 articles), freed with this result rather than
    # when the build returns: the program exits without freeing them at all (cli.run), `serve` drops them.
    retained: object = field(default=None, repr=False, compare=False)

    def summary(self) -> str:
        if self.unchanged:
            return f"nothing changed: {self.articles} articles, {self.stories} stories in {self.output} ({self.seconds:.2f} s)"
        return (
            f"built {self.articles} articles, {self.stories} stories, {self.pages} pages "
            f"({self.rendered} rendered, {self.files} files written) into {self.output} in {self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class InputState:
    """Everything that decides a build's output, cheap to compare: a no-op rebuild stops here."""

    key: str
    files: dict[str, StatKey]
    generation: str
    due: datetime | None  # the earliest left-out future article: a rebuild after it is not a no-op
    articles: int
    stories: int
    diagnostics: Diagnostics  # reported again by a no-op rebuild: a problem is not fixed by building twice
    linked: LinkedFiles = field(default_factory=dict)  # the content files articles link to (media.py), as then


def deduplicate(
    records: Sequence[Enriched], diagnostics: Diagnostics, duplicates: dict[str, str] | None = None
) -> list[Enriched]:
    """Drop exact duplicates (same bytes or same identity); give every article its own slug.

    Inputs are in path order, so the first path keeps the plain slug and the
    others get a suffix derived from their own path: stable, never an overwrite.
    ``duplicates`` gets the path of each input dropped, with the path of the one kept.
    """
    same_bytes: dict[str, str] = {}
    same_identity: dict[str, str] = {}
    taken: set[str] = set()
    unique: list[Enriched] = []
    for article, stories in records:
        path = article.provenance.path
        identity = article.identity
        original = same_bytes.get(article.provenance.sha256) or same_identity.get(identity)
        if original is not None:
            diagnostics.warn(f"duplicate of {original}: skipped", path)
            if duplicates is not None:
                duplicates[path] = original
            continue
        same_bytes[article.provenance.sha256] = same_identity[identity] = path
        slug = article.slug
        if slug in taken:
            slug = f"{slug}-{hashlib.sha256(path.encode('utf-8')).hexdigest()[:8]}"
            article = evolve(article, slug=slug)
            stories = tuple(evolve(story, article=article) for story in stories)
        taken.add(slug)
        unique.append((article, stories))
    return unique


def publishable(article: Article, options: BuildOptions, now: datetime) -> bool:
    if article.draft and not options.drafts:
        return False
    if article.expires is not None and article.expires <= now and not options.expired:
        return False
    return options.future or article.release <= now


def next_change(records: Sequence[Enriched], options: BuildOptions, now: datetime) -> datetime | None:
    """When the site changes by the clock alone: an article left out comes of age, or one published expires.

    A rebuild from then on is no no-op, whatever else is unchanged.
    """
    times = []
    for article, _ in records:
        if not options.future and not article.draft and article.release > now:
            times.append(article.release)
        if article.expires is not None and not options.expired and article.expires > now:
            times.append(article.expires)
    return min(times, default=None)


def _input_key(config: SiteConfig, options: BuildOptions, output: Path) -> str:
    flags = f"{options.drafts}{options.future}{options.expired}{options.strict}"
    return digest(render_fingerprint(config, builtin_theme()), str(output), flags)


def _unchanged(
    config: SiteConfig, inputs_file: Path, key: str, files: dict[str, StatKey], now: datetime, output: Path
) -> InputState | None:
    """The previous build's state, if this build would produce exactly the same site."""
    try:
        with inputs_file.open("rb") as stream:
            state = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    marker = read_marker(output)  # "" when there is no site to keep
    if not isinstance(state, InputState) or state.key != key or state.files != files:
        return None
    if any(file_key(config.paths.root, path) != then for path, then in state.linked.items()):
        return None  # a linked photo replaced, added or removed
    if not marker or state.generation != marker:
        return None
    if state.due is not None and now >= state.due:
        return None
    return state


def build_site(options: BuildOptions) -> BuildResult:
    """Build the site at ``options.site``; raises ``BroadsheetError`` when it cannot."""
    started = time.perf_counter()
    config = load_config(options.site)
    if options.output is not None:
        config = replace(config, paths=replace(config.paths, output=options.output.resolve()))
    paths = config.paths
    check_output_folder(paths.output, paths.root, [paths.content, paths.seeds, paths.templates, paths.data])
    diagnostics = Diagnostics()
    lock = lock_site(config.paths.cache)
    try:
        return _build(options, config, diagnostics, started)
    except BuildFailure:
        raise
    except BroadsheetError as exc:
        if not diagnostics.problems:
            raise
        raise BuildFailure(exc, diagnostics) from None  # what was skipped on the way is reported too
    finally:
        os.close(lock)
        gc.enable()  # collection is off while the build makes its long-lived, acyclic records (see _build)
        gc.unfreeze()  # phases freeze what they keep; `serve` builds again in this process: let it be collected


def _build(options: BuildOptions, config: SiteConfig, diagnostics: Diagnostics, started: float) -> BuildResult:
    output = config.paths.output
    cache_folder = config.paths.cache
    now = options.now or datetime.now(config.tz)
    sidecars: set[str] = set()
    paths = inputs(config, diagnostics, sidecars)
    files = {relpath: stat_key(path, relpath in sidecars) for relpath, path in paths.items()}
    key = _input_key(config, options, output)
    inputs_file = state_file(cache_folder, output, "inputs")
    previous = _unchanged(config, inputs_file, key, files, now, output)
    if previous is not None and not diagnostics.problems:
        sweep(cache_folder, output)
        seconds = time.perf_counter() - started
        return BuildResult(
            output,
            previous.articles,
            previous.stories,
            seconds=seconds,
            unchanged=True,
            diagnostics=previous.diagnostics,
        )

    note_folder(cache_folder, output)  # before any state of it is saved: a killed build's state is known too
    version = enrich_fingerprint(config)  # code, settings and data: what enriched records depend on
    cache = ArticleCache.open(config.paths.cache, version)
    with progress("Reading articles", len(paths), options.show_progress) as advance:
        loaded = load_all(paths, config, cache, diagnostics, options.jobs, advance, files)
    cache.save()
    gc.freeze()  # the records live until the build ends: later collections need not walk them again
    # Until rendering, the build makes records that live until it ends and hold no cycles: the cyclic
    # collector would only walk them again and again (a tenth of a rebuild's time). Back on to render.
    gc.disable()
    duplicates: dict[str, str] = {}  # each input left out as a copy of another: links to it lead to that one
    loaded_records = [(item.article, item.stories) for item in loaded if item.article is not None]
    records = deduplicate(loaded_records, diagnostics, duplicates)
    if options.strict and diagnostics.problems:
        raise StrictFailure(diagnostics)
    published = [r for r in records if publishable(r[0], options, now)]
    due = next_change(records, options, now)
    keys = {item.relpath: item.keys for item in loaded if item.keys is not None}
    memos = SiteMemos(
        Memo(state_file(cache_folder, output, "names"), version),
        Memo(state_file(cache_folder, output, "clusters"), version),
    )
    kept, clusters = finish_site(config, published, diagnostics, keys, memos, duplicates)
    index = build_index(config, kept, clusters, cache.bodies, duplicates)
    for article, why, line in nowhere_links(index):
        diagnostics.warn(f"{why}: left out", article.provenance.path, line)
    for article, path, holder in redirect_claims(index)[1]:
        diagnostics.warn(f"old address /{path} is already {holder.provenance.path}'s: ignored", article.provenance.path)
    if options.strict and diagnostics.problems:  # same-text duplicates and links to nowhere are found only now
        raise StrictFailure(diagnostics)
    directory = remembered_directory(
        index, cached_names(loaded, published, kept), Memo(state_file(cache_folder, output, "entities"), version)
    )
    index = replace(index, entities=tuple(directory.entries))
    result = BuildResult(output, len(index.articles), index.story_count, diagnostics=diagnostics)

    env = make_environment(config)
    base = digest(render_fingerprint(config, builtin_theme()), index_digest(index))
    describe = Describer()
    remember_tokens(describe, loaded, published)
    texts_file = state_file(cache_folder, output, "texts")
    # Where links to a duplicate lead is no article's text: another copy kept (or none) is no text-only rebuild.
    copies = digest(base, *(f"{copy}\t{kept}" for copy, kept in sorted(duplicates.items())))
    texts = text_state(copies, kept, {item.relpath: item.light for item in loaded})
    # The index holds the records now: their cache entries (site keys, tokens) would only be copied, page by
    # page, into every render helper (~10 MB at 10,000 articles, 10 ms to free).
    cache.release()
    del loaded, keys
    with Publisher(output, state_file(cache_folder, output, "output")) as out:
        # Compared with the live site as the publisher holds it, under its lock: a build that published
        # since this one started has a generation of its own.
        before = read_text_state(texts_file)
        changed = changed_texts(before, texts, out.state.live.generation)
        sets = None
        if before is not None and changed is not None:
            sets = text_only_sets(index, before, changed, out.state.sets.keys())
        result.text_only = sets is not None
        if sets is None:  # every set is made and fingerprinted: entities' story lists are most of what is described
            remember_directory_tokens(describe, directory, state_file(cache_folder, output, "entity-tokens"))
            sets = list(page_sets(index))
        del directory
        texts = replace(texts, sets=tuple(map(set_name, sets)))
        with progress("Writing pages", len(sets), options.show_progress) as advance:
            written = write_pages(out, env, sets, index, base, describe, options.jobs, advance)
        write_feeds(out, index, base, describe, changed if result.text_only else None)
        out.write("sitemap.xml", sitemap(written.sitemap))
        out.write("sitemap-news.xml", news_sitemap(index))
        out.write("robots.txt", robots(config))
        copy_static(out, config, diagnostics)
        linked = publish_media(out, config, index.articles, diagnostics)
        if options.strict and diagnostics.problems:  # a static folder or linked file, seen only now: nothing published
            raise StrictFailure(diagnostics)
        if config.search:
            write_search_index(out, written.rendered, diagnostics)
        result.pages, result.rendered, result.files = written.pages, written.rendered, out.written
    generation = read_marker(output)
    store(inputs_file, InputState(key, files, generation, due, result.articles, result.stories, diagnostics, linked))
    store(texts_file, saved_form(texts, generation))
    sweep(cache_folder, output)  # the state of output folders since removed (a check's temporary folder)
    # Not freed on return either: the output state and the lists of records are another ~25 ms of
    # deallocation in a one-article rebuild of 10,000 articles, for a program that exits without it.
    result.retained = (cache, index, sets, describe, out, written, records, published, kept, clusters, memos)
    result.seconds = time.perf_counter() - started
    return result


def cached_names(loaded: Sequence[Loaded], published: Sequence[Enriched], kept: Sequence[Enriched]) -> dict[str, str]:
    """Each article's names digest as cached with it (enrich.site.SiteKeys), by slug, unless names were merged in it.

    A copy under a new slug (``deduplicate``: 1,925 of the benchmark's 10,000
    articles) names whom the cached article names, and the digest reads no
    slug. Stories whose names were merged across the site (``published`` →
    ``kept``) are left out: their digest is worked out afresh
    (pagesets_enrich.remembered_directory).
    """
    cached = {item.relpath: item.keys.names for item in loaded if item.keys is not None}
    before = {article.provenance.path: stories for article, stories in published}
    names = {}
    for article, stories in kept:
        path = article.provenance.path
        if path in cached and before.get(path) is stories:
            names[article.slug] = cached[path]
    return names


def remember_tokens(describe: Describer, loaded: Sequence[Loaded], records: Sequence[Enriched]) -> None:
    """The tokens cached with each article (dependencies.record_tokens), for the very objects the index may hold.

    An article copied under a new slug (``deduplicate``: two inputs, one
    slug) is the cached one but for the slug, so its tokens (and its
    stories') are derived from the cached ones and the slug rather than
    described afresh each build: the cached token and the slug, side by
    side (no digest: 14,000 of them at 10,000 articles). Every other token
    is a bare digest or the ``repr`` of a short scalar (a string's quoted),
    so none can be the same.
    """
    by_path: dict[str, Loaded] = {}
    values: list[object] = []
    tokens: list[str] = []
    for item in loaded:
        if item.article is not None:
            values += (item.article, item.stories, *item.stories)
            tokens += item.tokens
            by_path[item.article.provenance.path] = item
    for article, stories in records:
        cached = by_path.get(article.provenance.path)
        if cached is not None and cached.article is not article:
            values += (article, stories, *stories)
            tokens += [f"{token} under {article.slug}" for token in cached.tokens]
    describe.remember_all(values, tokens)


@dataclass
class PagesWritten:
    """What ``write_pages`` did: pages in the site, pages rendered, and every set's sitemap lines in order."""

    pages: int = 0
    rendered: int = 0
    sitemap: list[str] = field(default_factory=list)


# Pages of changed sets are made, fingerprinted and rendered this many at a time (whole sets, so a batch
# may hold more): a clean build of 10,000 articles would otherwise hold all 43,500 pages (~40 MB) at once,
# in the building process and, copied as they are touched, in its forked render helper. Each batch has a
# helper of its own, so this also bounds what a helper copies of the records: at 10,000 articles the
# process tree peaked at 260 MB with 8,192, 242 MB with 4,096 (same time) and 239 MB with 2,048 (5% slower).
# With author pages and link and image provenance since (44,600 pages), 4,096 peaked at 250-251 MB, 3,072
# at 245 MB and 2,048 at 240 MB, with no difference in time an alternating A/B could tell from the host's noise.
BATCH_PAGES = 2048


def write_pages(
    out: Publisher,
    env: jinja2.Environment,
    sets: Sequence[PageSet | str],
    index: SiteIndex,
    base: str,
    describe: Describer,
    jobs: int,
    advance: Callable[[int], None],
) -> PagesWritten:
    """Keep every set whose inputs are unchanged; make the others' pages and render those whose fingerprint changed.

    Two levels, so a rebuild does per-page work only where something changed:
    an unchanged set (nearly all of them after an edit) costs one fingerprint,
    and in a changed set (a long topic list one article moved in) only the
    pages whose own fingerprint changed are rendered again. A set given by
    its name alone (a text-only rebuild: text_edits) shows what it showed
    last build and keeps its recorded fingerprint; should its files not be
    there to keep, every set is made to find it.
    """
    done = PagesWritten()
    batch = _Batch()
    recorded = out.state.sets
    made: dict[str, PageSet] = {}

    def fingerprint_of(page_set: PageSet | str) -> str:
        if isinstance(page_set, str):
            record = recorded.get(page_set)
            if record is not None:
                return record.fingerprint
            page_set = make(page_set)
        return set_fingerprint(page_set, base, describe)

    def make(name: str) -> PageSet:
        if not made:
            made.update((page_set.name, page_set) for page_set in page_sets(index))
        return made[name]

    # In this process: forked helpers would copy most of its memory to describe the sets.
    fingerprints = [fingerprint_of(page_set) for page_set in sets]
    names = list(map(set_name, sets))
    kept = out.keep_sets(list(zip(names, fingerprints, strict=True)))
    for page_set, fingerprint, before in zip(sets, fingerprints, kept, strict=True):
        if before is not None:
            done.pages += len(before.paths)
            done.sitemap.append(before.sitemap)
        else:
            if isinstance(page_set, str):
                page_set = make(page_set)
            given = listing_fingerprints(page_set, base, describe)
            if given is not None:
                batch.add_listing(out, page_set, page_set.inputs[0], fingerprint, given, len(done.sitemap))
            else:
                batch.add(out, page_set, fingerprint, len(done.sitemap))
            done.sitemap.append("")  # filled in when the batch is written
            if batch.size >= BATCH_PAGES:
                batch.write(out, env, index, base, describe, jobs, done)
                batch = _Batch()
        advance(1)
    batch.write(out, env, index, base, describe, jobs, done)
    gc.enable()  # from here on the build makes short-lived objects again
    return done


@dataclass
class _Batch:
    """Pages of changed sets, in set order, waiting to be kept by their own fingerprint or rendered."""

    made: list[Page] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # each made page's file
    # name, fingerprint, the pages' paths and files, their span in ``made``, sitemap slot
    remade: list[tuple[str, str, tuple[str, ...], tuple[str, ...], int, int, int]] = field(default_factory=list)
    # Pages of changed lists whose own fingerprint changed (``add_listing``): rendered whatever the shadow holds.
    ready: list[tuple[Page, str, str | None]] = field(default_factory=list)
    # Changed lists: name, fingerprint, paths, files, each page's sitemap line (None: made, see ``ready``), slot
    relisted: list[tuple[str, str, tuple[str, ...], tuple[str, ...], list[str | None], int]] = field(
        default_factory=list
    )
    pages: int = 0

    def add_listing(
        self, out: Publisher, page_set: PageSet, listing: PagedList, fingerprint: str, given: list[str], slot: int
    ) -> None:
        """A changed list: keep each page whose own fingerprint is unchanged, make only the others.

        A list one article joined (a topic of a thousand pages) changes on a
        page or two, or on every page after the one it joined: the kept
        pages are not made at all, and their sitemap lines are the recorded ones.
        """
        paths = listing.paths()
        files = out.files_of(page_set.name, paths)
        record = out.state.sets.get(page_set.name)
        recorded = record.sitemap.split("\n") if record is not None and record.paths == paths else []
        lines: list[str | None] = []
        for number, (path, file, known) in enumerate(zip(paths, files, given, strict=True), 1):
            if len(recorded) == len(paths) and out.keep_if_unchanged(path, known, file):
                lines.append(recorded[number - 1])
            else:
                self.ready.append((listing.page(number), file, known))
                lines.append(None)
        self.relisted.append((page_set.name, fingerprint, paths, files, lines, slot))
        self.pages += len(paths)

    @property
    def size(self) -> int:
        """Pages held, to bound a batch (``BATCH_PAGES``)."""
        return len(self.made) + len(self.ready)

    def add(self, out: Publisher, page_set: PageSet, fingerprint: str, slot: int) -> None:
        """A changed set of any other kind: its pages are made, then kept by their own fingerprint or rendered."""
        start = len(self.made)
        self.made.extend(page_set.make())
        paths = tuple(page.path for page in self.made[start:])
        files = out.files_of(page_set.name, paths)
        self.files.extend(files)
        self.remade.append((page_set.name, fingerprint, paths, files, start, len(self.made), slot))

    def write(
        self,
        out: Publisher,
        env: jinja2.Environment,
        index: SiteIndex,
        base: str,
        describe: Describer,
        jobs: int,
        done: PagesWritten,
    ) -> None:
        fingerprinter = PageFingerprint(base, describe)
        # A page the live build did not make (all of them in a clean build) is rendered whatever its fingerprint:
        # the renderer computes it. The others' decide whether they are rendered at all.
        before = out.state.fingerprints
        computed = iter(fingerprint_all([page for page in self.made if page.path in before], fingerprinter, jobs))
        stale = list(self.ready)
        for page, file in zip(self.made, self.files, strict=True):
            if page.path not in before:
                stale.append((page, file, None))
                continue
            known = next(computed)
            if not out.keep_if_unchanged(page.path, known, file):
                stale.append((page, file, known))
        # Out of the collector's walks: the records live until the build ends, and this batch's pages are
        # freed by reference counting when it is written. Templates make cycles: collect those while rendering.
        gc.freeze()
        gc.enable()
        render_into(out, env, index, stale, fingerprinter, jobs)
        gc.disable()  # the next batch's pages are acyclic again (see _build)
        for name, fingerprint, paths, files, start, end, slot in self.remade:
            done.sitemap[slot] = sitemap_entries(index.config, self.made[start:end])
            out.record_set(name, SetRecord(fingerprint, paths, files, done.sitemap[slot]))
        made = iter(sitemap_entries(index.config, [page]) for page, _, _ in self.ready)
        for name, fingerprint, paths, files, lines, slot in self.relisted:
            done.sitemap[slot] = "\n".join(next(made) if line is None else line for line in lines)
            out.record_set(name, SetRecord(fingerprint, paths, files, done.sitemap[slot]))
        done.pages += len(self.made) + self.pages
        done.rendered += len(stale)


def write_feeds(
    out: Publisher, index: SiteIndex, base: str, describe: Describer, changed: frozenset[str] | None = None
) -> None:
    """Every feed whose items changed, each article's entry built once and shared by all of them.

    A feed is fingerprinted like a page: its own fields, the articles it
    carries and their stories (text, topics) under the render fingerprint.
    ``changed``: after edits to these articles' text alone (text_edits), a
    feed carrying none of them is what it was and keeps its recorded
    fingerprint, as a page set does.
    """
    entries = FeedEntries(index)
    for feed in feeds(index):
        shown = feed.items(index.config.feed.items)
        if changed is not None and not any(article.provenance.path in changed for article in shown):
            recorded = out.state.fingerprints.get(feed.path)
            if recorded is not None and out.keep_if_unchanged(feed.path, recorded):
                continue
        stories = tuple(index.stories[article.slug] for article in shown)
        links = tuple(index.links_of(article) for article in shown if article.provenance.links)
        fingerprint = digest(
            base, describe.once((feed.path, feed.title, feed.description, feed.mime, shown, stories, links))
        )
        if not out.keep_if_unchanged(feed.path, fingerprint):
            out.write(feed.path, FEED_WRITERS[feed.mime](index, feed, entries), fingerprint)


def write_search_index(out: Publisher, changed_pages: int, diagnostics: Diagnostics) -> None:
    """Re-index when any page changed; otherwise the live index is still right."""
    live = {f: sha for f, sha in out.state.live.files.items() if f.startswith(BUNDLE_FOLDER + "/")}
    if changed_pages == 0 and live:
        for file, sha in sorted(live.items()):
            out.keep(file, sha, "")
        return
    out.prune()  # the shadow holds an older site: Pagefind must see only this one's pages
    out.clear(BUNDLE_FOLDER)
    if index_search(out.stage, diagnostics):
        out.adopt(BUNDLE_FOLDER)


def copy_static(out: Publisher, config: SiteConfig, diagnostics: Diagnostics) -> None:
    """The theme's static files, then the site's own ``templates/static`` over them.

    Only what lies in the folder is published: not a ``static`` that links
    out of the site (``~/.ssh``), a linked file or folder inside it, or
    anything under a dot-folder (``.git/``).
    """
    seen: dict[str, Path] = {}
    site_static = config.paths.templates / "static"
    for folder in (builtin_theme() / "static", site_static):
        if not folder.is_dir():
            continue
        if folder == site_static and not folder.resolve().is_relative_to(config.paths.root.resolve()):
            where = (
                folder.relative_to(config.paths.root).as_posix() if folder.is_relative_to(config.paths.root) else folder
            )
            diagnostics.warn("symbolic link to a folder outside the site: skipped", where)
            continue
        for file in sorted(folder.rglob("*")):
            name = file.relative_to(folder).as_posix()
            if file.is_file() and not file.is_symlink() and not any(part.startswith(".") for part in name.split("/")):
                seen[name] = file
    for name, file in sorted(seen.items()):
        out.write(urls.output_file(f"static/{name}"), file.read_bytes())


class BuildFailure(BroadsheetError):
    """A build that stopped, with the problems it had met in the input before it did."""

    def __init__(self, error: BroadsheetError, diagnostics: Diagnostics) -> None:
        super().__init__(error.message, error.path, error.line)
        self.diagnostics = diagnostics


class StrictFailure(BuildFailure):
    """``--strict`` and at least one warning or error."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        message = f"--strict: {diagnostics.problems} problem(s) in the input; nothing was written"
        super().__init__(BroadsheetError(message), diagnostics)
