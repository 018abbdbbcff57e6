"""``broadsheet ingest`` against a real HTTP server on 127.0.0.1 serving the fixture feeds.

The server is started by each test (no network): it serves fixture files,
answers conditional GETs with 304, can hang (to trigger the timeout), fail
with 500, or redirect. Every request is logged so tests can see what
ingest sent.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from broadsheet import __version__
from broadsheet.build import BuildOptions, build_site
from broadsheet.cli import main
from broadsheet.config import load_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.ingest import IngestOptions, IngestResult, ingest
from broadsheet.ingest.state import STATE_NAME
from broadsheet.ingest.store import Outcome
from broadsheet.loaders import discover, load_file
from broadsheet.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
RSS = "application/rss+xml"
ATOM = "application/atom+xml"


# --- the server ---------------------------------------------------------------


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    content_type: str = RSS
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    location: str = ""
    hang: bool = False


@dataclass
class Hit:
    """One request the server saw, and its answer."""

    path: str
    headers: dict[str, str]
    status: int


@dataclass
class FeedServer:
    """A threading HTTP server on 127.0.0.1 (or another loopback address) with routes a test can change between runs."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    host: str = "127.0.0.1"

    def start(self) -> None:
        self.httpd = ThreadingHTTPServer((self.host, 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}{path}"

    def serve(self, path: str, fixture: str, **options: Any) -> str:
        """Serve ``fixtures/feeds/<fixture>`` at ``path``; returns its URL."""
        self.routes[path] = Route(body=(FIXTURES / fixture).read_bytes(), **options)
        return self.url(path)

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]


def _handler(owner: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = owner.routes.get(self.path)
            if route is None:
                self._record(404)
                self.send_error(404)
            elif route.hang:
                self._record(0)
                owner.release.wait(10)
            elif route.location:
                self._record(302)
                self.send_response(302)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._serve(route)

        def _record(self, status: int) -> None:
            """Log before answering: the client may act on the answer before this thread runs again."""
            owner.hits.append(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, status))

        def _serve(self, route: Route) -> None:
            unchanged = (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
            )
            status = 304 if unchanged else route.status
            self._record(status)
            self.send_response(status)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if status == 304:
                self.end_headers()
                return
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    feed_server = FeedServer()
    feed_server.start()
    yield feed_server
    feed_server.stop()


# --- helpers ------------------------------------------------------------------


def make_site(tmp_path: Path, feeds: list[dict[str, Any]], **settings: Any) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    config = {"title": "Feed Digest", "base_url": "https://digest.example.org/", **settings, "feeds": feeds}
    (site / "site.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return site


def run(site: Path, now: datetime = NOW, **options: Any) -> IngestResult:
    return ingest(IngestOptions(site=site, timeout=options.pop("timeout", 1.0), now=now, **options))


def stored_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content" / "feeds").rglob("*.md"))


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the site with its bytes and modification time: what "writes nothing" compares."""
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()
    }


def articles(site: Path) -> dict[str, Article]:
    """The stored entries as the site's own Markdown loader reads them, by headline."""
    config = load_config(site)
    diagnostics = Diagnostics()
    loaded = [load_file(path, config, diagnostics) for path in discover(config, diagnostics)]
    assert diagnostics.problems == 0, diagnostics
    return {a.headline: a for a in loaded}


def front(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert isinstance(data, dict)
    return data


def file_of(site: Path, headline: str) -> Path:
    matches = [p for p in stored_files(site) if front(p)["title"] == headline]
    assert len(matches) == 1, f"{headline!r} stored {len(matches)} times"
    return matches[0]


# --- formats ------------------------------------------------------------------


def test_rss_atom_and_rdf_entries_become_articles(server: FeedServer, tmp_path: Path) -> None:
    feeds = [
        {"name": "Harbour", "url": server.serve("/rss", "rss20.xml"), "tags": ["local news"]},
        {"name": "Science", "url": server.serve("/atom", "atom.xml", content_type=ATOM)},
        {"name": "Library", "url": server.serve("/rdf", "rdf.xml", content_type="application/rdf+xml")},
    ]
    site = make_site(tmp_path, feeds)

    result = run(site)

    assert (result.feeds("new"), result.feeds("failed")) == (3, 0)
    assert result.diagnostics.warnings == []
    loaded = articles(site)
    assert set(loaded) == {
        "New ferry timetable announced",
        "Fish market reopens after repairs",
        "Lighthouse gets a new lamp",
        "Glacier survey finds faster melt",
        "Library barge moored at the east quay",
        "Longer reading hours on the barge",
    }
    ferry = loaded["New ferry timetable announced"]
    assert ferry.published == datetime(2025, 5, 12, 8, 30, tzinfo=timezone(timedelta(hours=3)))
    assert ferry.published.utcoffset() == timedelta(hours=3)
    assert ferry.authors == ("Maria Koval",)
    assert ferry.tags == ("transport", "harbour", "local news")
    assert ferry.source is not None and (ferry.source.name, ferry.source.url) == (
        "Harbour Gazette",
        "https://harbour.example.com/",
    )
    assert ferry.original_url == "https://harbour.example.com/news/ferry-timetable"
    assert ferry.summary == "The harbour council published a new ferry timetable with more evening crossings."
    assert [s.heading for s in ferry.sections] == ["", "Evening crossings"]
    assert "<b>new ferry timetable</b>" in ferry.sections[0].html
    assert ferry.extra["feed"]["url"] == feeds[0]["url"]
    assert ferry.extra["feed"]["entry_id"] == "https://harbour.example.com/news/ferry-timetable"
    assert ferry.extra["feed"]["fetched_at"] == NOW.isoformat()

    fish = loaded["Fish market reopens after repairs"]
    assert fish.authors == ("Ivan Petrenko",)
    assert fish.published == datetime(2025, 5, 13, 10, 0, tzinfo=UTC)
    assert fish.extra["feed"]["entry_id"] == "hg-2002"
    assert fish.summary == ""  # the description is the body; no dek repeating it
    assert fish.sections[0].paragraphs == ("Traders returned to the covered fish market on Tuesday.",)

    glacier = loaded["Glacier survey finds faster melt"]
    assert glacier.authors == ("Olena Shevchenko", "Tom Berg")
    assert glacier.updated == datetime(2025, 5, 15, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert glacier.tags == ("glaciers", "climate")
    assert glacier.source is not None and glacier.source.name == "Northern Science Wire"
    assert glacier.summary == "Researchers measured the glacier tongue for the fifth year running."
    assert len(glacier.sections[0].paragraphs) == 2

    barge = loaded["Library barge moored at the east quay"]
    assert barge.published == datetime(2025, 5, 14, 16, 0, tzinfo=timezone(timedelta(hours=3)))
    assert barge.authors == ("Anna Lis",)
    assert barge.tags == ("library",)
    assert barge.original_url == "https://library.example.org/news/barge-moored"

    expected_agent = f"broadsheet/{__version__} (+https://digest.example.org/)"
    assert {hit.headers["user-agent"] for hit in server.hits} == {expected_agent}


def test_entries_land_exactly_once_within_and_across_feeds(server: FeedServer, tmp_path: Path) -> None:
    feeds = [
        {"name": "Harbour", "url": server.serve("/rss", "rss20.xml")},  # repeats its ferry item
        {"name": "Science", "url": server.serve("/atom", "atom.xml", content_type=ATOM)},  # ferry, by link
        {"name": "Mirror", "url": server.serve("/mirror", "mirror.xml")},  # lighthouse, by guid
    ]
    site = make_site(tmp_path, feeds)

    result = run(site)

    assert result.entries(Outcome.ADDED) == 5
    assert result.entries(Outcome.DUPLICATE) == 3
    links = [front(p).get("source_url") for p in stored_files(site)]
    assert len(links) == 5 and len(set(links)) == 5
    ferry = front(file_of(site, "New ferry timetable announced"))
    assert ferry["feed"]["url"] == feeds[0]["url"]
    assert [item["feed"] for item in ferry["also_from"]] == [feeds[1]["url"]]
    assert ferry["also_from"][0]["name"] == "Northern Science Wire"
    assert ferry["also_from"][0]["link"] == "http://www.harbour.example.com/news/ferry-timetable#commuters"
    lighthouse = front(file_of(site, "Lighthouse gets a new lamp"))
    assert [(i["feed"], i["entry_id"]) for i in lighthouse["also_from"]] == [
        (feeds[2]["url"], "tag:harbour.example.com,2025:lighthouse")
    ]
    assert not any(front(p)["title"].startswith("Lighthouse lamp replaced") for p in stored_files(site))

    # Re-reading every feed from scratch (no state) finds them all stored: nothing is added or written.
    (site / "content" / "feeds" / STATE_NAME).unlink()
    before = {k: v for k, v in snapshot(site).items() if not k.endswith(STATE_NAME)}
    again = run(site, now=LATER)
    assert again.entries(Outcome.ADDED) == again.entries(Outcome.UPDATED) == 0
    assert {k: v for k, v in snapshot(site).items() if not k.endswith(STATE_NAME)} == before


# --- incremental --------------------------------------------------------------


def test_second_ingest_writes_nothing_and_an_unchanged_feed_costs_a_304(server: FeedServer, tmp_path: Path) -> None:
    feeds = [
        {"name": "Harbour", "url": server.serve("/rss", "rss20.xml", etag='"v1"')},
        {
            "name": "Library",
            "url": server.serve("/rdf", "rdf.xml", last_modified="Thu, 15 May 2025 08:00:00 GMT"),
        },
        {"name": "Science", "url": server.serve("/atom", "atom.xml", content_type=ATOM)},  # no validators at all
    ]
    site = make_site(tmp_path, feeds)
    first = run(site)
    assert first.feeds("new") == 3
    before = snapshot(site)

    second = run(site, now=LATER)

    assert (second.feeds("new"), second.feeds("unchanged"), second.feeds("failed")) == (0, 3, 0)
    assert second.entries(Outcome.ADDED) == second.entries(Outcome.UPDATED) == 0
    assert snapshot(site) == before
    rss_hits, rdf_hits = server.hits_for("/rss"), server.hits_for("/rdf")
    assert "if-none-match" not in rss_hits[0].headers
    assert rss_hits[1].headers["if-none-match"] == '"v1"'
    assert [hit.status for hit in rss_hits] == [200, 304]
    assert rdf_hits[1].headers["if-modified-since"] == "Thu, 15 May 2025 08:00:00 GMT"
    assert [hit.status for hit in rdf_hits] == [200, 304]
    assert [hit.status for hit in server.hits_for("/atom")] == [200, 200]
    assert "fetched_at: '2025-06-01T12:00:00+00:00'" in file_of(site, "Glacier survey finds faster melt").read_text()


def test_a_changed_entry_is_rewritten_and_the_others_are_not(server: FeedServer, tmp_path: Path) -> None:
    url = server.serve("/rss", "rss20.xml", etag='"v1"')
    site = make_site(tmp_path, [{"name": "Harbour", "url": url}])
    run(site)
    ferry = file_of(site, "New ferry timetable announced")
    ferry_before = (ferry.read_bytes(), ferry.stat().st_mtime_ns)
    route = server.routes["/rss"]
    route.body = route.body.replace(b"Traders returned", b"Fishmongers returned")
    route.etag = '"v2"'

    result = run(site, now=LATER)

    assert (result.feeds("new"), result.entries(Outcome.UPDATED), result.entries(Outcome.ADDED)) == (1, 1, 0)
    fish = front(file_of(site, "Fish market reopens after repairs"))
    assert fish["feed"]["fetched_at"] == LATER.isoformat()
    assert "Fishmongers returned" in file_of(site, "Fish market reopens after repairs").read_text()
    assert (ferry.read_bytes(), ferry.stat().st_mtime_ns) == ferry_before
    assert len(stored_files(site)) == 3


def test_a_user_edited_or_locked_file_is_never_overwritten(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/rss", "rss20.xml")
    site = make_site(tmp_path, [{"name": "Harbour", "url": server.url("/rss")}])
    run(site)
    edited = file_of(site, "New ferry timetable announced")
    edited.write_text(edited.read_text().replace("on Monday.", "on Monday, our editor adds."), encoding="utf-8")
    locked = file_of(site, "Fish market reopens after repairs")
    locked.write_text(locked.read_text().replace("---\n", "---\nlocked: true\n", 1), encoding="utf-8")
    kept = {p: p.read_bytes() for p in (edited, locked)}
    route = server.routes["/rss"]
    route.body = route.body.replace(b"on Monday.", b"on Monday morning.").replace(b"Traders", b"Fishmongers")

    result = run(site, now=LATER)

    assert result.entries(Outcome.KEPT) == 2
    assert result.entries(Outcome.UPDATED) == 0
    assert {p: p.read_bytes() for p in kept} == kept
    assert len(stored_files(site)) == 3
    assert articles(site)["Fish market reopens after repairs"].extra.get("locked") is None  # a known key, not extra
    assert "kept as edited or locked" in result.summary()


def test_an_entry_whose_file_was_deleted_stays_deleted_and_a_moved_one_is_not_stored_twice(
    server: FeedServer, tmp_path: Path
) -> None:
    """Deleting a stored entry drops it for good while the feed carries it; the document changing (another
    entry edited) does not bring it back; a file moved elsewhere in the content is found, not written again."""
    server.serve("/rss", "rss20.xml", etag='"v1"')
    site = make_site(tmp_path, [{"name": "Harbour", "url": server.url("/rss")}])
    run(site)
    file_of(site, "New ferry timetable announced").unlink()
    moved = file_of(site, "Fish market reopens after repairs")
    moved.rename(site / "content" / "fish-market.md")  # kept, out of the feeds folder
    route = server.routes["/rss"]
    route.body = route.body.replace(
        b"</channel>",
        b"<item><title>Bridge closed</title><link>https://harbour.example.org/bridge</link></item></channel>",
    )
    route.etag = '"v2"'

    result = run(site, now=LATER)

    assert result.entries(Outcome.DELETED) == 2 and result.entries(Outcome.ADDED) == 1
    assert "2 left deleted" in result.summary()
    assert sorted(articles(site)) == sorted(
        {*(front(p)["title"] for p in stored_files(site)), "Fish market reopens after repairs"}
    )
    assert "New ferry timetable announced" not in articles(site)
    assert "Bridge closed" in articles(site)
    run(site, now=LATER + timedelta(days=1))  # and the next run, from the state it saved, the same
    assert "New ferry timetable announced" not in articles(site)


def test_a_feed_folder_deleted_whole_is_ingested_afresh(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/rss", "rss20.xml")
    site = make_site(tmp_path, [{"name": "Harbour", "url": server.url("/rss")}])
    run(site)
    first = {p.name for p in stored_files(site)}
    for path in stored_files(site):
        path.unlink()
    (site / "content" / "feeds" / "harbour").rmdir()
    server.routes["/rss"].body += b" "  # a changed document: read again

    result = run(site, now=LATER)

    assert result.entries(Outcome.ADDED) == 3 and result.entries(Outcome.DELETED) == 0, result.reports[0].line()
    assert {p.name for p in stored_files(site)} == first


def test_undated_entries_keep_the_time_they_were_first_seen(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/undated", "undated.xml")
    site = make_site(tmp_path, [{"name": "Notices", "url": server.url("/undated")}])
    run(site)
    assert {a.headline: a.published for a in articles(site).values()} == {
        "Water supply notice": NOW,
        "Library card renewal": NOW,
    }
    route = server.routes["/undated"]
    new_item = b"<item><title>Bridge closed</title><link>https://notices.example.org/bridge</link></item>"
    route.body = route.body.replace(b"</channel>", new_item + b"</channel>")

    run(site, now=LATER)

    dates = {a.headline: a.published for a in articles(site).values()}
    assert dates == {"Water supply notice": NOW, "Library card renewal": NOW, "Bridge closed": LATER}
    # Losing the state file (say, a fresh checkout without it) keeps the dates: they are in the stored files.
    (site / "content" / "feeds" / STATE_NAME).unlink()
    before = {k: v for k, v in snapshot(site).items() if not k.endswith(STATE_NAME)}
    run(site, now=LATER + timedelta(days=5))
    assert {k: v for k, v in snapshot(site).items() if not k.endswith(STATE_NAME)} == before
    assert {a.headline: a.published for a in articles(site).values()} == dates


# --- robustness ---------------------------------------------------------------


def test_one_failing_feed_does_not_stop_the_rest(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/error"] = Route(body=b"oops", status=500, content_type="text/plain")
    server.routes["/slow"] = Route(hang=True)
    feeds = [
        {"name": "Erroring", "url": server.url("/error")},
        {"name": "Slow", "url": server.url("/slow")},
        {"name": "Html", "url": server.serve("/page", "notafeed.html", content_type="text/html")},
        {"name": "Missing", "url": server.url("/missing")},
        {"name": "Harbour", "url": server.serve("/rss", "rss20.xml")},
    ]
    site = make_site(tmp_path, feeds)

    status = main(["ingest", "--site", str(site), "--timeout", "1"])

    out, err = capsys.readouterr()
    assert status == 1
    assert (
        out.strip().splitlines()[-1] == "feeds: 1 new, 0 unchanged, 4 failed; entries: 3 added, 0 updated, 1 duplicate"
    )
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4
    assert any("feed 'Erroring'" in line and "HTTP 500" in line for line in errors)
    assert any("feed 'Slow'" in line and "timed out after 1 s" in line for line in errors)
    assert any("feed 'Html'" in line and "not a feed" in line for line in errors)
    assert any("feed 'Missing'" in line and "HTTP 404" in line for line in errors)
    assert "Traceback" not in err
    assert len(stored_files(site)) == 3


def test_a_malformed_feed_is_ingested_as_far_as_it_parses_with_one_warning(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/broken", "malformed.xml")
    site = make_site(tmp_path, [{"name": "Broken", "url": server.url("/broken")}])

    result = run(site)

    assert result.feeds("new") == 1 and not result.failed
    assert len(result.diagnostics.warnings) == 1
    warning = result.diagnostics.warnings[0]
    assert "feed 'Broken'" in warning and "not well-formed" in warning
    headlines = set(articles(site))
    assert {"First item parses", "Second item parses too"} <= headlines


UKRAINIAN = (
    "Пором вирушає щопівгодини",
    "Новини Причалу",
    "Рада гавані оприлюднила новий розклад поромів: «щопівгодини» до 23:00.",
)
FRENCH = ("Noël à la crêperie", "Café Crème Notes", "Crêpes, gâteaux et café crème.")


@pytest.mark.parametrize(
    ("fixture", "content_type", "expected", "warns"),
    [
        ("cp1251.xml", RSS, UKRAINIAN, False),
        ("cp1251.xml", "application/rss+xml; charset=utf-8", UKRAINIAN, True),
        ("latin1-undeclared.xml", "application/xml", FRENCH, True),
    ],
    ids=["declared-windows-1251", "wrong-charset-header", "undeclared-latin-1"],
)
def test_feeds_in_other_encodings_are_decoded(
    server: FeedServer, tmp_path: Path, fixture: str, content_type: str, expected: tuple[str, str, str], warns: bool
) -> None:
    headline, source, body = expected
    server.serve("/feed", fixture, content_type=content_type)
    site = make_site(tmp_path, [{"name": "Other", "url": server.url("/feed")}])

    result = run(site)

    assert result.feeds("new") == 1
    assert len(result.diagnostics.warnings) == int(warns)
    article = articles(site)[headline]
    assert article.source is not None and article.source.name == source
    assert [p for s in article.sections for p in s.paragraphs] == [body]


def test_relative_links_become_absolute_against_the_entry_base(server: FeedServer, tmp_path: Path) -> None:
    url = server.serve("/blog/posts/feed.atom", "relative.xml", content_type=ATOM)
    site = make_site(tmp_path, [{"name": "Blog", "url": url}])

    run(site)

    loaded = articles(site)
    first, second = loaded["First post"], loaded["Second post"]
    origin = server.url("")
    assert first.original_url == f"{origin}/blog/posts/first-post"
    assert f'href="{origin}/blog/about"' in first.sections[0].html
    assert f'src="{origin}/blog/posts/img/photo.jpg"' in first.sections[0].html
    assert first.source is not None and first.source.url == f"{origin}/"
    assert 'href="https://cdn.example.org/media/clip.mp4"' in second.sections[0].html


# --- the built site -----------------------------------------------------------

HOSTILE = re.compile(
    r"PWNED|evil\.example|onerror|onload|onclick|onfocus|javascript:|vbscript:|data:text|data:image|"
    r"<iframe|<object|<embed|<svg|<math|<base\b|http-equiv|file:///",
    re.I,
)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


def test_feed_payloads_never_reach_a_built_page(server: FeedServer, tmp_path: Path) -> None:
    feeds = [
        {"name": "Hostile", "url": server.serve("/hostile", "payloads.xml")},
        {"name": "Harbour", "url": server.serve("/rss", "rss20.xml")},
    ]
    site = make_site(tmp_path, feeds)
    run(site)
    output = tmp_path / "out"

    build_site(BuildOptions(site=site, output=output))

    page = (output / "articles" / "council-meets-today" / "index.html").read_text(encoding="utf-8")
    assert "Still here: <b>bold</b> text &amp; a" in page  # the harmless part survives
    assert 'href="https://council.example.org/minutes"' in page
    assert "Read the full story at" in page and 'href="https://hostile.example.com/news/council"' in page
    assert "Council meets today" in (output / "feed.xml").read_text(encoding="utf-8")
    checked = 0
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # the search index is gzip-compressed
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        relative = path.relative_to(output).as_posix()
        assert "PWNED" not in text, relative
        if relative.startswith("pagefind/") and path.suffix in (".js", ".css"):
            continue  # the search library's own code, the same in every build
        if relative.startswith("static/"):
            continue  # the theme's own files (the SVG icon), copied from templates/static, not from input
        assert HOSTILE.search(text) is None, f"{relative}: {HOSTILE.search(text)}"
        for tag in SCRIPT_TAG.findall(text):
            assert 'type="application/ld+json"' in tag or re.search(r'src="(?:\.\./)*(?:static|pagefind)/', tag), tag
        checked += 1
    assert checked > 10


def test_an_ingested_article_page_names_the_source_and_links_to_the_original(
    server: FeedServer, tmp_path: Path
) -> None:
    site = make_site(tmp_path, [{"name": "Science", "url": server.serve("/atom", "atom.xml", content_type=ATOM)}])
    run(site)
    output = tmp_path / "out"

    build_site(BuildOptions(site=site, output=output))

    page = (output / "articles" / "glacier-survey-finds-faster-melt" / "index.html").read_text(encoding="utf-8")
    assert "The melt was faster than in any previous survey." in page
    assert "Researchers measured the glacier tongue for the fifth year running." in page  # the summary, as dek
    assert re.search(
        r'Read the full story at <a href="https://science\.example\.net/2025/05/glacier-survey"[^>]*>'
        r"Northern Science Wire</a>",
        page,
    )


# --- fetching safely ----------------------------------------------------------


def test_redirects_are_followed_only_to_http(server: FeedServer, tmp_path: Path) -> None:
    server.serve("/rss", "rss20.xml")
    server.routes["/moved"] = Route(location=server.url("/rss"))
    server.routes["/to-file"] = Route(location="file:///etc/passwd")
    server.routes["/to-ftp"] = Route(location="ftp://127.0.0.1/feed.xml")
    feeds = [
        {"name": "Moved", "url": server.url("/moved")},
        {"name": "To file", "url": server.url("/to-file")},
        {"name": "To ftp", "url": server.url("/to-ftp")},
    ]
    site = make_site(tmp_path, feeds)

    result = run(site)

    assert [r.status for r in result.reports] == ["new", "failed", "failed"]
    assert len(stored_files(site)) == 3
    assert all("redirect" in str(error).lower() for error in result.diagnostics.errors)


def test_only_http_urls_and_paths_inside_the_site_are_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.xml"
    outside.write_bytes((FIXTURES / "rss20.xml").read_bytes())
    feeds = [
        {"name": "Local", "url": "incoming/rdf.xml"},
        {"name": "Escape", "url": "../outside.xml"},
        {"name": "Absolute", "url": str(outside)},
        {"name": "File URL", "url": outside.as_uri()},
        {"name": "Data URL", "url": "data:application/rss+xml,<rss/>"},
    ]
    site = make_site(tmp_path, feeds)
    (site / "incoming").mkdir()
    (site / "incoming" / "rdf.xml").write_bytes((FIXTURES / "rdf.xml").read_bytes())

    result = run(site)

    assert [r.status for r in result.reports] == ["new", "failed", "failed", "failed", "failed"]
    assert {front(p)["source"]["name"] for p in stored_files(site)} == {"Floating Library News"}


def test_a_feed_larger_than_the_cap_is_refused(server: FeedServer, tmp_path: Path) -> None:
    site = make_site(tmp_path, [{"name": "Harbour", "url": server.serve("/rss", "rss20.xml")}])

    result = run(site, max_bytes=1000)

    assert result.failed and "larger than 1000 bytes" in str(result.diagnostics.errors[0])
    assert stored_files(site) == []


# --- settings and the command line ---------------------------------------------


def test_topic_and_limit_come_from_site_yaml(server: FeedServer, tmp_path: Path) -> None:
    feeds = [{"name": "Harbour", "url": server.serve("/rss", "rss20.xml"), "topic": "Lab Notes", "limit": 1}]
    topics = [{"name": "city life", "keywords": ["harbour", "ferry"]}, {"name": "lab notes", "keywords": ["glacier"]}]
    site = make_site(tmp_path, feeds, topics=topics)

    run(site)

    loaded = articles(site)
    assert list(loaded) == ["New ferry timetable announced"]
    assert loaded["New ferry timetable announced"].extra["topic"] == "lab-notes"
    output = tmp_path / "out"
    build_site(BuildOptions(site=site, output=output))
    page = (output / "articles" / "new-ferry-timetable-announced" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../topics/lab-notes/"' in page  # filed where the feed says, not where its words point


def test_an_unknown_topic_is_a_settings_error(server: FeedServer, tmp_path: Path) -> None:
    site = make_site(tmp_path, [{"name": "Harbour", "url": server.serve("/rss", "rss20.xml"), "topic": "sport"}])

    with pytest.raises(BroadsheetError, match="unknown topic 'sport'"):
        run(site)
    assert server.hits == []


def test_the_feed_option_fetches_only_the_named_feed(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds = [
        {"name": "Harbour Gazette", "url": server.serve("/rss", "rss20.xml")},
        {"name": "Science", "url": server.serve("/atom", "atom.xml", content_type=ATOM)},
    ]
    site = make_site(tmp_path, feeds)

    assert main(["ingest", "--site", str(site), "--feed", "harbour gazette"]) == 0
    assert [hit.path for hit in server.hits] == ["/rss"]
    assert capsys.readouterr().out.splitlines()[-1].startswith("feeds: 1 new, 0 unchanged, 0 failed; entries: 3 added")

    assert main(["ingest", "--site", str(site), "--feed", "Sport"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no feed named 'Sport'" in err and len(err.splitlines()) == 1
