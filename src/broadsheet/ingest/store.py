"""Stored entries: one Markdown file per entry under ``content/feeds/<feed-slug>/``.

The files themselves are the record of what was ingested: each carries its
identity (``feed.url``, ``feed.entry_id``, ``source_url``) and, as the last
front-matter line, the sha256 of what ingest wrote. A file whose hash no
longer matches was edited by someone, and is never overwritten; nor is one
marked ``locked: true``. Writes are atomic (temporary file + ``os.replace``)
and happen only when the text changed, so a second ingest writes nothing.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from ..errors import BroadsheetError, Diagnostics
from ..loaders.article import make_slug
from ..loaders.frontmatter import split_front_matter
from ..loaders.metadata import normalise
from .entries import EntryRecord, FeedInfo, also_from_item, front_matter, identity_keys, text_key

SUFFIX = ".md"
_HASH_LINE = re.compile(r"^  sha256: ([0-9a-f]{64})$")


class Outcome(enum.Enum):
    """What storing one entry did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # changed in the feed, but the file was edited or locked
    DUPLICATE = "duplicate"  # already stored from another feed (recorded in also_from) or earlier in this one
    DELETED = "left deleted"  # stored by an earlier run, and its file deleted since: the user's choice stands


@dataclass
class StoredEntry:
    """A file under the feeds folder, as ingest needs to know it."""

    path: Path
    text: str
    data: dict[str, Any]
    body: str
    writable: bool  # written by ingest, unchanged since, and not locked
    published: datetime | None

    @property
    def feed_url(self) -> str:
        feed = self.data.get("feed")
        return str(feed.get("url") or "") if isinstance(feed, dict) else ""

    def index_keys(self) -> list[str]:
        raw = self.data.get("feed")
        feed: dict[str, Any] = raw if isinstance(raw, dict) else {}
        keys = list(
            identity_keys(self.feed_url, str(feed.get("entry_id") or ""), str(self.data.get("source_url") or ""))
        )
        for item in self.also_from:
            keys += identity_keys(
                str(item.get("feed") or ""), str(item.get("entry_id") or ""), str(item.get("link") or "")
            )
        return [*keys, text_key(str(self.data.get("title") or ""), self.body)]

    @property
    def also_from(self) -> list[dict[str, str]]:
        items = self.data.get("also_from")
        if not isinstance(items, list):
            return []
        return [{str(k): str(v) for k, v in item.items()} for item in items if isinstance(item, dict)]

    @property
    def fetched_at(self) -> str:
        feed = self.data.get("feed")
        return str(feed.get("fetched_at") or "") if isinstance(feed, dict) else ""


def render(data: dict[str, Any], body: str) -> str:
    """The file text: YAML front matter ending in the sha256 of everything else, then the body."""
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    unsigned = f"---\n{head}---\n\n{body.strip()}\n"
    digest = hashlib.sha256(unsigned.encode("utf-8")).hexdigest()
    return f"---\n{head}  sha256: {digest}\n---\n\n{body.strip()}\n"


def signed_by_ingest(text: str) -> bool:
    """True when ``text`` is exactly what ``render`` wrote: its last front-matter line hashes the rest."""
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---\n", 3)
    if end < 0:
        return False
    line_start = text.rfind("\n", 0, end) + 1
    match = _HASH_LINE.match(text[line_start:end])
    if match is None:
        return False
    unsigned = text[:line_start] + text[end + 1 :]
    return hashlib.sha256(unsigned.encode("utf-8")).hexdigest() == match.group(1)


def remove_leftovers(folder: Path) -> int:
    """Delete the hidden temporary files an ingest killed mid-write left behind; call under the ingest lock."""
    removed = 0
    for leftover in folder.rglob(".*.tmp") if folder.is_dir() else ():
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _file_mode(path: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class EntryStore:
    """Every stored entry of every feed, indexed by identity key."""

    def __init__(self, folder: Path, site_root: Path, diagnostics: Diagnostics) -> None:
        self.folder = folder
        self.site_root = site_root
        self.diagnostics = diagnostics
        self._by_key: dict[str, StoredEntry] = {}
        self._paths: set[Path] = set()
        self._claimed: set[Path] = set()  # stored or confirmed by their own feed in this run
        self._scan()

    def _scan(self) -> None:
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.rglob(f"*{SUFFIX}")):
            relative = path.relative_to(self.folder)
            if any(part.startswith((".", "_")) for part in relative.parts) or not path.is_file():
                continue
            self._paths.add(path)
            stored = self._read(path)
            if stored is not None:
                self._index(stored)

    def _read(self, path: Path) -> StoredEntry | None:
        where = path.relative_to(self.site_root).as_posix() if path.is_relative_to(self.site_root) else str(path)
        try:
            text = path.read_text(encoding="utf-8")
            front = split_front_matter(text, where)
        except (OSError, UnicodeDecodeError, BroadsheetError) as exc:
            self.diagnostics.warn(f"cannot read a stored entry, so it is left alone: {exc}", where)
            return None
        try:
            meta = normalise(front.data, UTC, where, front.key_lines)
            writable, published = signed_by_ingest(text) and not meta.locked, meta.published
        except BroadsheetError:
            writable, published = False, None  # a file ingest cannot read is one it must not touch
        return StoredEntry(path, text, front.data, front.body, writable, published)

    def _index(self, stored: StoredEntry) -> None:
        for key in stored.index_keys():
            self._by_key.setdefault(key, stored)

    def find(self, keys: tuple[str, ...]) -> StoredEntry | None:
        for key in keys:
            if key in self._by_key:
                return self._by_key[key]
        return None

    def save(self, record: EntryRecord, info: FeedInfo, published: datetime, now: str) -> Outcome:
        """Store ``record`` unless it is stored already; ``now`` is the fetch time written when it changed."""
        existing = self.find(record.keys)
        if existing is None:
            path = self._new_path(info, record)
            self._claimed.add(path)
            self._store(path, front_matter(record, info, published, now, []), record.body, published)
            return Outcome.ADDED
        if not self._owned_by(existing, info):
            return self._record_also_from(existing, record, info)
        if existing.path in self._claimed:
            return Outcome.DUPLICATE
        self._claimed.add(existing.path)
        also_from = existing.also_from
        unchanged = front_matter(record, info, published, existing.fetched_at, also_from)
        if render(unchanged, record.body) == existing.text:
            return Outcome.UNCHANGED
        if not existing.writable:
            return Outcome.KEPT
        data = front_matter(record, info, published, now, also_from)
        self._store(existing.path, data, record.body, published, existing)
        return Outcome.UPDATED

    def _owned_by(self, stored: StoredEntry, info: FeedInfo) -> bool:
        """Whether ``stored`` is this feed's own file (same feed URL, or the feed's folder)."""
        return stored.feed_url == info.config.url or stored.path.parent == self.folder / info.config.slug

    def _record_also_from(self, existing: StoredEntry, record: EntryRecord, info: FeedInfo) -> Outcome:
        """Another feed carries an entry stored already: list it on the stored file (if that may be changed)."""
        also_from = existing.also_from
        if existing.writable and not any(item.get("feed") == info.config.url for item in also_from):
            data = {k: v for k, v in existing.data.items() if k not in ("also_from", "feed")}
            data["also_from"] = [*also_from, also_from_item(record, info)]
            data["feed"] = {k: v for k, v in existing.data["feed"].items() if k != "sha256"}
            self._store(existing.path, data, existing.body, existing.published, existing)
        return Outcome.DUPLICATE

    def _store(
        self,
        path: Path,
        data: dict[str, Any],
        body: str,
        published: datetime | None,
        existing: StoredEntry | None = None,
    ) -> None:
        """Write one entry's file and index it (again) under its keys."""
        text = render(data, body)
        self._write(path, text)
        entry = existing or StoredEntry(path, text, data, body, True, published)
        entry.text, entry.data, entry.body, entry.published = text, data, body, published
        self._index(entry)

    def _new_path(self, info: FeedInfo, record: EntryRecord) -> Path:
        """A file name from the title when first seen, never one that exists; later runs find it by identity."""
        folder = self.folder / info.config.slug
        slug = make_slug(record.title, info.config.slug)
        candidates = [slug, f"{slug}-{hashlib.sha256(record.entry_id.encode()).hexdigest()[:8]}"]
        candidates += [f"{candidates[1]}-{n}" for n in range(2, 1000)]
        for name in candidates:
            path = folder / f"{name}{SUFFIX}"
            if path not in self._paths and not path.exists():
                return path
        raise BroadsheetError("no free file name for an entry", folder)

    def _write(self, path: Path, text: str) -> None:
        folder = path.parent.resolve()
        if not folder.is_relative_to(self.site_root) or path.is_symlink():
            raise BroadsheetError("refusing to write outside the site folder", path)
        atomic_write(path, text.encode("utf-8"))
        self._paths.add(path)
