"""Article text kept out of memory: section and story bodies in an SQLite file under ``.cache/``.

Building the site index, fingerprinting every page and keeping unchanged
ones needs each article's headline, topics, names and quotes, but only the
pages and feed items being written need its text (paragraphs and HTML, most
of a large site's memory). So the build holds *light* records, whose
sections and stories have empty bodies, and reads a body back for the one
article page or feed item that shows it (``dress``). Forked render helpers
read their own. A body is stored under its input's path and sha256, so a
body never goes with another version of its article.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BroadsheetError
from .model import Article, Figure, Quote, Section, Story, evolve

Text = tuple[tuple[str, ...], str]  # a section's or story's paragraphs and HTML
Bodies = tuple[tuple[Text, ...], tuple[Text, ...], tuple[tuple[Figure, ...], ...]]
QuoteTexts = tuple[tuple[str, ...], ...]  # each story's quotes' words, in order
Pool = dict[Any, Any]


@dataclass(frozen=True)
class Stored:
    """What light records leave out, pickled: the body, and the quotes' words apart (entity pages read only those)."""

    quotes: bytes
    body: bytes


def strip(
    article: Article, stories: tuple[Story, ...], pool: Pool | None = None
) -> tuple[Article, tuple[Story, ...], Stored]:
    """The light article and stories, and what they leave out: bodies, key figures and the words of quotes.

    Key figures are shown on the article page only, so they go with its text;
    a quote's words on its article's page and its speaker's entity page (a
    light quote keeps who said it, how and to whom). Equal parts of the light
    records (names, topics, headings, quotes) become one object through
    ``pool``, shared by every record that has them (``share``).
    """
    bodies: Bodies = (
        tuple((s.paragraphs, s.html) for s in article.sections),
        tuple((s.paragraphs, s.html) for s in stories),
        tuple(s.figures for s in stories),
    )
    quotes: QuoteTexts = tuple(tuple(q.text for q in s.quotes) for s in stories)
    light_article, light = share(article, stories, {} if pool is None else pool)
    return light_article, light, Stored(pickle.dumps(quotes, 5), pickle.dumps(bodies, 5))


def light_view(article: Article, stories: tuple[Story, ...]) -> str:
    """All that a light record holds but its input's sha256, spelled out (cache.Loaded.light is its digest).

    ``repr``, not ``==``: equal values may still print differently (a date
    at another offset, ``1`` and ``True``), and pages print them.
    """
    views = [repr(evolve(article, provenance=evolve(article.provenance, sha256="")))]
    views += (repr(evolve(story, article=None)) for story in stories)
    return "\n".join(views)


def share(article: Article, stories: tuple[Story, ...], pool: Pool) -> tuple[Article, tuple[Story, ...]]:
    """Light copies of ``article`` and ``stories`` whose equal values are the objects already in ``pool``.

    Thousands of stories name the same people, topics and outlets: one
    object for each distinct value makes the records a fraction of the
    memory, and the content cache (whose pickle stores a shared object once)
    a fraction of the time to load. Only frozen values are shared.
    """

    def one(value: Any) -> Any:
        return pool.setdefault(value, value)

    def each(values: tuple[Any, ...]) -> Any:
        return one(tuple(pool.setdefault(v, v) for v in values))

    light_article = evolve(
        article,
        authors=each(article.authors),
        source=None if article.source is None else one(article.source),
        sections=tuple(one(Section(one(s.heading), (), "")) for s in article.sections),
        tags=each(article.tags),
    )
    light = tuple(
        evolve(
            s,
            article=light_article,
            heading=one(s.heading),
            paragraphs=(),
            html="",
            topics=each(s.topics),
            mentions=each(s.mentions),
            quotes=each(tuple(evolve(q, text="") if q.text else q for q in s.quotes)),
            figures=(),
        )
        for s in stories
    )
    return light_article, light


def dress(article: Article, stories: tuple[Story, ...], stored: Stored) -> tuple[Article, tuple[Story, ...]]:
    """Light records with their bodies put back (site-wide changes to the light ones, such as merged names, kept)."""
    sections, texts, figures = pickle.loads(stored.body)  # noqa: S301 - our own file under .cache/
    words: QuoteTexts = pickle.loads(stored.quotes)  # noqa: S301
    full = evolve(
        article,
        sections=tuple(evolve(s, paragraphs=p, html=h) for s, (p, h) in zip(article.sections, sections, strict=True)),
    )
    return full, tuple(
        evolve(s, article=full, paragraphs=p, html=h, figures=f, quotes=said(s.quotes, w))
        for s, (p, h), f, w in zip(stories, texts, figures, words, strict=True)
    )


def said(quotes: Sequence[Quote], words: Sequence[str]) -> tuple[Quote, ...]:
    """Light quotes with their words put back, in order (a merged speaker's name kept)."""
    return tuple(evolve(q, text=w) for q, w in zip(quotes, words, strict=True))


class BodyStore:
    """Bodies by (input path, sha256) in one SQLite file; each process opens its own connection."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._stored: set[tuple[str, str]] | None = None  # the keys stored, once read (``has_every``)

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():  # a connection never crosses a fork
            self.file.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._connection = self._connect()
            except sqlite3.DatabaseError:  # not a database (a damaged cache file): start it again
                self.file.unlink(missing_ok=True)
                self._connection = self._connect()
            self._pid = os.getpid()
        return self._connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.file)
        try:
            # Point reads, each of one article, which the OS caches anyway: a small page cache, as every forked
            # render helper opens a connection of its own (SQLite's default is 2 MB each).
            connection.execute("PRAGMA cache_size = -256")
            made = connection.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone()
            if made is None:  # a new file (render helpers only read: they never get here)
                with connection:
                    connection.execute(  # the small quotes first: reading them never walks the body's overflow pages
                        "CREATE TABLE IF NOT EXISTS bodies "
                        "(path TEXT, sha TEXT, quotes BLOB, body BLOB, PRIMARY KEY (path, sha))"
                    )
                    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                    connection.execute("INSERT INTO meta VALUES ('identity', ?)", (uuid.uuid4().hex,))
            connection.execute("SELECT count(*) FROM bodies").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def put(self, rows: Iterable[tuple[str, str, Stored]]) -> None:
        """Store (path, sha256, what strip left out) rows, all or none."""
        rows = list(rows)
        with self._db() as db:
            db.executemany(
                "INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?)",
                [(path, sha, stored.quotes, stored.body) for path, sha, stored in rows],
            )
        if self._stored is not None:
            self._stored.update((path, sha) for path, sha, _ in rows)

    def get(self, article: Article) -> Stored:
        provenance = article.provenance
        row = (
            self._db()
            .execute("SELECT quotes, body FROM bodies WHERE path = ? AND sha = ?", (provenance.path, provenance.sha256))
            .fetchone()
        )
        if row is None:
            raise self._lost(article)
        return Stored(bytes(row[0]), bytes(row[1]))

    def quotes_of(self, articles: Iterable[Article]) -> dict[Article, QuoteTexts]:
        """Each article's quotes' words (by story, in order), read without the rest of its body."""
        db = self._db()
        found: dict[Article, QuoteTexts] = {}
        for article in articles:
            if article in found:
                continue
            provenance = article.provenance
            row = db.execute(
                "SELECT quotes FROM bodies WHERE path = ? AND sha = ?", (provenance.path, provenance.sha256)
            ).fetchone()
            if row is None:
                raise self._lost(article)
            found[article] = pickle.loads(row[0])  # noqa: S301 - our own file under .cache/
        return found

    def _lost(self, article: Article) -> BroadsheetError:
        return BroadsheetError(
            f"the content cache has lost this article's text; delete {self.file.parent} and build again",
            article.provenance.path,
        )

    def identity(self) -> str:
        """A random id given to this store when its file was made: another id, another store (e.g. deleted).

        Bodies are only ever added, or deleted when no saved record names them
        (``forget``, ``retain``), so records saved beside a store of the same
        identity have every body they name: no need to read every key again.
        """
        row = self._db().execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
        return str(row[0]) if row else ""

    def has_every(self, keys: Iterable[tuple[str, str]]) -> bool:
        """Whether a body is stored for every (path, sha256): light records are of no use without theirs."""
        return self._keys().issuperset(keys)

    def retain(self, keys: set[tuple[str, str]]) -> None:
        """Forget every body but those of ``keys`` (once the records naming the new ones are saved)."""
        self.forget([key for key in self._keys() if key not in keys])

    def forget(self, keys: Iterable[tuple[str, str]]) -> None:
        """Forget these bodies: of inputs that changed or went away, once the records naming the new ones are saved."""
        gone = list(keys)
        with self._db() as db:
            db.executemany("DELETE FROM bodies WHERE path = ? AND sha = ?", gone)
        if self._stored is not None:
            self._stored.difference_update(gone)

    def _keys(self) -> set[tuple[str, str]]:
        """Every stored (path, sha256), read once: later changes go through this store and update it."""
        if self._stored is None or self._pid != os.getpid():
            self._stored = set(self._db().execute("SELECT path, sha FROM bodies").fetchall())
        return self._stored

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None
