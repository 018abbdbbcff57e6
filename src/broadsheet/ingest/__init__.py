"""``broadsheet ingest``: the feeds of ``site.yaml`` → Markdown files under ``content/feeds/``.

Ingest is the only part of broadsheet that touches the network; builds stay
offline and reproducible because they read only what ingest stored. Each
feed is fetched, parsed and stored on its own: one that fails is reported
and the others go on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from .. import __version__
from ..config import FeedDef, SiteConfig, load_config
from ..errors import BroadsheetError, Diagnostics
from ..loaders.metadata import link_url
from .entries import FeedInfo, entry_record, page_url, title_text
from .fetch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Fetched, FetchError, FetchLimits, Validators, fetch
from .parse import parse_document
from .state import FeedState, IngestState, exclusive
from .store import EntryStore, Outcome, remove_leftovers

FEEDS_FOLDER = "feeds"
MAX_SOURCE_NAME = 120


@dataclass(frozen=True)
class IngestOptions:
    """What ``broadsheet ingest`` was asked to do."""

    site: Path = Path(".")
    feeds: tuple[str, ...] = ()  # names (or slugs) of the feeds to fetch; empty: all
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    now: datetime | None = None  # fixed in tests


@dataclass
class FeedReport:
    """What happened to one feed."""

    feed: FeedDef
    status: str  # "new" | "unchanged" | "failed"
    entries: Counter[Outcome] = field(default_factory=Counter)
    note: str = ""

    def line(self) -> str:
        counts = ", ".join(f"{self.entries[o]} {o.value}" for o in Outcome if self.entries[o])
        detail = "; ".join(part for part in (self.note, counts) if part)
        return f"{self.feed.name}: {self.status}" + (f" ({detail})" if detail else "")


@dataclass
class IngestResult:
    """Every feed's report and the warnings of the run."""

    reports: list[FeedReport] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def feeds(self, status: str) -> int:
        return sum(r.status == status for r in self.reports)

    def entries(self, outcome: Outcome) -> int:
        return sum(r.entries[outcome] for r in self.reports)

    @property
    def failed(self) -> bool:
        return self.feeds("failed") > 0

    def summary(self) -> str:
        line = (
            f"feeds: {self.feeds('new')} new, {self.feeds('unchanged')} unchanged, {self.feeds('failed')} failed; "
            f"entries: {self.entries(Outcome.ADDED)} added, {self.entries(Outcome.UPDATED)} updated"
        )
        if self.entries(Outcome.KEPT):
            line += f", {self.entries(Outcome.KEPT)} kept as edited or locked"
        if self.entries(Outcome.DUPLICATE):
            line += f", {self.entries(Outcome.DUPLICATE)} duplicate"
        if self.entries(Outcome.DELETED):
            line += f", {self.entries(Outcome.DELETED)} left deleted"
        return line


@dataclass
class _Run:
    """What every feed of one run shares."""

    config: SiteConfig
    store: EntryStore
    state: IngestState
    limits: FetchLimits
    now: datetime
    diagnostics: Diagnostics


def feeds_folder(config: SiteConfig) -> Path:
    return config.paths.content / FEEDS_FOLDER


def user_agent(config: SiteConfig) -> str:
    return f"broadsheet/{__version__} (+{config.base_url})"


def select_feeds(config: SiteConfig, names: tuple[str, ...]) -> list[FeedDef]:
    """The feeds to fetch: all, or those named (by name or slug, any case)."""
    site_yaml = config.paths.root / "site.yaml"
    if not config.feeds:
        raise BroadsheetError("no 'feeds:' to ingest; add some (see README, 'Feeds: ingest and rebuild')", site_yaml)
    slugs = [f.slug for f in config.feeds]
    for index, slug in enumerate(slugs):
        if slug in slugs[:index]:
            raise BroadsheetError(f"two feeds share the name '{slug}' (and so a folder): rename one", site_yaml)
    if not names:
        return list(config.feeds)
    chosen = []
    for name in names:
        match = [f for f in config.feeds if name.casefold() in (f.name.casefold(), f.slug)]
        if not match:
            known = ", ".join(f.name for f in config.feeds)
            raise BroadsheetError(f"no feed named '{name}' in site.yaml (feeds: {known})", site_yaml)
        chosen += [f for f in match if f not in chosen]
    return chosen


def topic_slug(config: SiteConfig, feed: FeedDef) -> str:
    """The slug of the topic a feed's ``topic:`` names, by slug or name; unknown topics are an error."""
    if not feed.topic:
        return ""
    for topic in (*config.topics, config.default_topic):
        if feed.topic.casefold() in (topic.slug, topic.name.casefold()):
            return topic.slug
    known = ", ".join(t.slug for t in (*config.topics, config.default_topic))
    raise BroadsheetError(
        f"feed '{feed.name}': unknown topic '{feed.topic}' (topics: {known})", config.paths.root / "site.yaml"
    )


def settings_hash(feed: FeedDef, topic: str) -> str:
    """Changes when the feed's settings (or broadsheet) do, so the next run re-reads the feed, not trusting a 304."""
    settings = (__version__, feed.name, feed.url, feed.tags, topic, feed.limit)
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def ingest(options: IngestOptions, progress: Callable[[str], None] | None = None) -> IngestResult:
    """Fetch the chosen feeds of the site and store their entries; raises ``BroadsheetError`` for bad settings."""
    config = load_config(options.site)
    feeds = select_feeds(config, options.feeds)
    topics = {feed.slug: topic_slug(config, feed) for feed in feeds}
    folder = feeds_folder(config)
    result = IngestResult()
    with exclusive(folder):
        remove_leftovers(folder)  # partial files of a run that was killed: never half an article
        run = _Run(
            config=config,
            store=EntryStore(folder, config.paths.root, result.diagnostics),
            state=IngestState.load(folder, result.diagnostics),
            limits=FetchLimits(user_agent(config), options.timeout, options.max_bytes),
            now=(options.now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0),
            diagnostics=result.diagnostics,
        )
        for feed in feeds:
            report = _ingest_feed(run, feed, topics[feed.slug])
            result.reports.append(report)
            if progress is not None:
                progress(report.line())
        run.state.forget_all_but({feed.url for feed in config.feeds})
        run.state.save()
    return result


def _label(feed: FeedDef) -> str:
    return f"feed '{feed.name}' ({feed.url})"


def _ingest_feed(run: _Run, feed: FeedDef, topic: str) -> FeedReport:
    saved = run.state.feeds.get(feed.url) or FeedState()
    settings = settings_hash(feed, topic)
    fresh = saved.settings == settings
    try:
        fetched = fetch(feed.url, run.config.paths.root, saved.validators if fresh else Validators(), run.limits)
    except FetchError as exc:
        run.diagnostics.error(BroadsheetError(exc.message, _label(feed)))
        return FeedReport(feed, "failed", note=exc.message)
    if fetched.body is None:
        return FeedReport(feed, "unchanged", note="304 not modified")
    digest = hashlib.sha256(fetched.body).hexdigest()
    if fresh and digest == saved.sha256:
        saved.etag, saved.last_modified = fetched.validators.etag, fetched.validators.last_modified
        return FeedReport(feed, "unchanged", note="same document")
    parsed = parse_document(fetched)
    if not parsed.get("version") and not parsed.get("entries"):
        problem = _not_a_feed(fetched) or _problem(parsed) or "no RSS, Atom or RDF document found"
        run.diagnostics.error(BroadsheetError(f"not a feed: {problem}", _label(feed)))
        return FeedReport(feed, "failed", note="not a feed")
    report = FeedReport(feed, "new")
    entries = list(parsed.get("entries") or [])
    if parsed.get("bozo"):
        run.diagnostics.warn(
            f"malformed feed, ingested as far as it parses ({_plural(len(entries), 'entry', 'entries')}): "
            f"{_problem(parsed)}",
            _label(feed),
        )
    info = _feed_info(parsed, fetched, feed, topic)
    first_seen: dict[str, str] = {}
    stored: dict[str, str] = {}  # the file of each entry of this document (of the last, for one left deleted)
    deleted = _deleted_by_user(run, saved, feed)
    try:
        for entry in entries[: feed.limit or None]:
            record = entry_record(entry, info, fetched.url)
            if record.entry_id in deleted and run.store.find(record.keys) is None:  # (not moved: found by its keys)
                report.entries[Outcome.DUPLICATE if record.entry_id in stored else Outcome.DELETED] += 1
                stored[record.entry_id] = saved.stored[record.entry_id]
                continue
            published = record.published
            if published is None:
                published = _first_seen(run, saved, record.entry_id, record.keys)
                first_seen[record.entry_id] = published.isoformat()
            outcome = run.store.save(record, info, published, run.now.isoformat())
            report.entries[outcome] += 1
            file = run.store.find(record.keys)
            if file is not None and outcome is not Outcome.DUPLICATE:
                stored[record.entry_id] = file.path.relative_to(run.store.folder).as_posix()
    except (OSError, BroadsheetError) as exc:
        message = exc.message if isinstance(exc, BroadsheetError) else f"cannot store an entry: {exc}"
        run.diagnostics.error(BroadsheetError(message, _label(feed)))
        report.status, report.note = "failed", message
        return report
    run.state.feeds[feed.url] = FeedState(
        fetched.validators.etag, fetched.validators.last_modified, digest, settings, first_seen, stored
    )
    return report


def _deleted_by_user(run: _Run, saved: FeedState, feed: FeedDef) -> set[str]:
    """The entries an earlier run stored whose files are gone: the user deleted them. A feed's folder deleted
    whole is a fresh start: its entries are all stored again."""
    if not (run.store.folder / feed.slug).is_dir():
        return set()
    return {entry_id for entry_id, file in saved.stored.items() if not (run.store.folder / file).exists()}


def _first_seen(run: _Run, saved: FeedState, entry_id: str, keys: tuple[str, ...]) -> datetime:
    """The date of an undated entry: when it was first seen, from the state, else its stored file, else now."""
    remembered = saved.first_seen.get(entry_id)
    if remembered:
        try:
            return datetime.fromisoformat(remembered)
        except ValueError:
            pass
    stored = run.store.find(keys)
    if stored is not None and stored.published is not None:
        return stored.published
    return run.now


def _not_a_feed(fetched: Fetched) -> str:
    """What a document that is no feed is instead, when it is plain: a web page, or JSON Feed (not read)."""
    start = (fetched.body or b"")[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page, not RSS or Atom (is the URL the site rather than its feed?)"
    if start.startswith(b"{"):
        return "JSON, not RSS or Atom (JSON Feed is not read)"
    return ""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _problem(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is None:
        return ""
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else None
    return " ".join(f"{message} at line {line}".split()) if line else " ".join(str(message).split())


def _feed_info(parsed: Any, fetched: Fetched, feed: FeedDef, topic: str) -> FeedInfo:
    channel = parsed.get("feed") or {}
    atom = str(parsed.get("version") or "").startswith("atom")
    title = title_text(channel.get("title_detail"), atom)[:MAX_SOURCE_NAME] or feed.name
    link = channel.get("link")
    site_link = page_url(link_url(urljoin(fetched.url, link))) if isinstance(link, str) else ""
    return FeedInfo(config=feed, title=title, site_link=site_link, topic=topic, atom=atom)


__all__ = ["FeedReport", "IngestOptions", "IngestResult", "ingest"]
