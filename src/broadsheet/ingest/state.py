"""What ingest remembers between runs, beside the stored entries: ``content/feeds/.ingest-state.json``.

Per feed URL: the validators for a conditional GET (ETag, Last-Modified),
the hash of the last document and of the feed's settings, when each
undated entry was first seen, so its date stays put, and the file each
entry of the last document was stored in, so one the user deleted is not
stored again. It lives with the
content (not in ``.cache/``) because losing it would re-date undated entries;
the loaders skip it as a dot-file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BroadsheetError, Diagnostics
from .fetch import Validators
from .store import atomic_write

STATE_NAME = ".ingest-state.json"
VERSION = 1


@dataclass
class FeedState:
    """One feed's memory."""

    etag: str = ""
    last_modified: str = ""
    sha256: str = ""
    settings: str = ""
    first_seen: dict[str, str] = field(default_factory=dict)
    stored: dict[str, str] = field(default_factory=dict)  # entry id → its file, relative to the feeds folder

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.etag, last_modified=self.last_modified)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "sha256": self.sha256,
            "settings": self.settings,
        }
        if self.first_seen:
            data["first_seen"] = dict(sorted(self.first_seen.items()))
        if self.stored:
            data["stored"] = dict(sorted(self.stored.items()))
        return {k: v for k, v in data.items() if v}


@dataclass
class IngestState:
    """Every feed's memory, read at the start of a run and written once at its end."""

    path: Path
    feeds: dict[str, FeedState] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, diagnostics: Diagnostics) -> IngestState:
        path = folder / STATE_NAME
        state = cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as exc:
            diagnostics.warn(f"unreadable ingest state, starting afresh: {exc}", path)
            return state
        feeds = raw.get("feeds") if isinstance(raw, dict) else None
        for url, data in (feeds or {}).items() if isinstance(feeds, dict) else ():
            if isinstance(data, dict):
                state.feeds[str(url)] = FeedState(
                    etag=str(data.get("etag") or ""),
                    last_modified=str(data.get("last_modified") or ""),
                    sha256=str(data.get("sha256") or ""),
                    settings=str(data.get("settings") or ""),
                    first_seen=_strings(data.get("first_seen")),
                    stored=_strings(data.get("stored")),
                )
        return state

    def forget_all_but(self, urls: set[str]) -> None:
        """Drop what is remembered about feeds no longer in ``site.yaml``."""
        for url in set(self.feeds) - urls:
            del self.feeds[url]

    def text(self) -> str:
        feeds = {url: self.feeds[url].as_json() for url in sorted(self.feeds)}
        return json.dumps({"version": VERSION, "feeds": feeds}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def save(self) -> bool:
        """Write the state if it changed; True when it did."""
        text = self.text()
        try:
            if self.path.read_text(encoding="utf-8") == text:
                return False
        except (OSError, UnicodeDecodeError):
            pass
        atomic_write(self.path, text.encode("utf-8"))
        return True


def _strings(value: Any) -> dict[str, str]:
    """A mapping of the state file as strings to strings; anything else (a hand edit gone wrong) as none."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold a lock on the feeds folder, so two ingests (say, cron overlapping a manual run) never interleave."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BroadsheetError("another 'broadsheet ingest' is running for this site", folder) from None
        yield
    finally:
        os.close(fd)
