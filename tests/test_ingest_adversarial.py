"""``broadsheet ingest`` against hostile or sloppy publishers, on a loopback HTTP server (no network).

Each test serves a feed that once got through ingest wrongly (or stalled
it) and checks what reaches the stored files and the built pages.
"""

from __future__ import annotations

import gzip
import re
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import test_ingest
from broadsheet.build import BuildOptions, build_site
from broadsheet.cli import main
from broadsheet.ingest.store import Outcome
from test_ingest import ATOM, FeedServer, Route, _handler, articles, front, make_site, run, stored_files

server = test_ingest.server  # the loopback server fixture of test_ingest (pytest finds it by this name)


def rss(items: str, site: str = "https://sloppy.example.com/") -> bytes:
    """An RSS 2.0 document around ``items``, from the outlet at ``site``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel><title>Sloppy Wire</title><link>{site}</link><description>x</description>\n"
        f"{items}\n</channel></rss>\n"
    ).encode()


def item(title: str, slug: str, extra: str = "", description: str = "A short report.") -> str:
    """One dated RSS item linking to ``<slug>`` on ``https://sloppy.example.com/`` (or to ``slug`` itself)."""
    link = slug if "://" in slug else f"https://sloppy.example.com/{slug}"
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Fri, 16 May 2025 09:00:00 GMT</pubDate><description>{description}</description>{extra}</item>"
    )


@dataclass
class HostileServer(FeedServer):
    """The test server of ``test_ingest``, answering with a ``Content-Encoding`` or very slowly.

    ``trickle`` is the pause between header lines (``where="headers"``) or
    between the body's bytes (``where="body"``).
    """

    content_encoding: str = ""
    trickle: float = 0.0
    where: str = "body"

    def start(self) -> None:
        owner = self

        class Handler(_handler(self)):  # type: ignore[misc]
            def end_headers(self) -> None:
                if owner.content_encoding:
                    self.send_header("Content-Encoding", owner.content_encoding)
                for number in range(100 if owner.trickle and owner.where == "headers" else 0):
                    self.send_header(f"X-Slow-{number}", "1")
                    self.flush_headers()
                    if owner.release.wait(owner.trickle):
                        return
                super().end_headers()
                if owner.trickle and owner.where == "body":
                    self.wfile.write = self._slowly  # type: ignore[method-assign]

            def _slowly(self, data: bytes) -> None:
                for byte in data:
                    self.connection.sendall(bytes([byte]))
                    if owner.release.wait(owner.trickle):
                        return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()


@pytest.fixture
def hostile(server: FeedServer) -> Iterator[HostileServer]:
    """Beside ``server``, whose fixture clears the proxy variables for the test."""
    started = HostileServer()
    started.start()
    yield started
    started.stop()


# --- fetching -------------------------------------------------------------------


def deflate(data: bytes) -> bytes:
    """``Content-Encoding: deflate`` as HTTP means it: a zlib stream."""
    return zlib.compress(data)


def raw_deflate(data: bytes) -> bytes:
    """``deflate`` as some servers send it: a raw stream, without the zlib header."""
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "pack"),
    [("gzip", gzip.compress), ("x-gzip", gzip.compress), ("deflate", deflate), ("deflate", raw_deflate)],
    ids=["gzip", "x-gzip", "deflate", "raw-deflate"],
)
def test_a_compressed_feed_is_decoded(hostile: HostileServer, tmp_path: Path, coding: str, pack: Any) -> None:
    hostile.content_encoding = coding
    hostile.routes["/rss"] = Route(body=pack(rss(item("Harbour opens", "harbour"))))
    site = make_site(tmp_path, [{"name": "Packed", "url": hostile.url("/rss")}])

    result = run(site)

    assert result.feeds("new") == 1 and not result.diagnostics.problems, result.diagnostics
    assert list(articles(site)) == ["Harbour opens"]
    assert "gzip" in hostile.hits[0].headers.get("accept-encoding", "")


def test_a_compression_bomb_is_refused(hostile: HostileServer, tmp_path: Path) -> None:
    hostile.content_encoding = "gzip"
    padding = f"<!-- {' ' * 1_000_000} -->"
    hostile.routes["/bomb"] = Route(body=gzip.compress(rss(item("Bomb", "bomb") + padding)))
    site = make_site(tmp_path, [{"name": "Bomb", "url": hostile.url("/bomb")}])

    result = run(site, max_bytes=100_000)

    assert len(hostile.routes["/bomb"].body) < 100_000  # what came over the wire was under the cap
    assert result.failed and stored_files(site) == []
    assert "larger than 100000 bytes (uncompressed)" in str(result.diagnostics.errors[0])


def test_an_unknown_content_encoding_fails_on_one_line(
    hostile: HostileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.content_encoding = "br"
    hostile.routes["/rss"] = Route(body=b"\x1b\x00 not brotli at all")
    site = make_site(tmp_path, [{"name": "Brotli", "url": hostile.url("/rss")}])

    assert main(["ingest", "--site", str(site)]) == 1

    err = capsys.readouterr().err
    assert err.startswith("error: feed 'Brotli'") and "Content-Encoding 'br'" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_server_that_trickles_cannot_outlast_the_timeout(hostile: HostileServer, tmp_path: Path, where: str) -> None:
    """The timeout bounded each wait for a byte, not the fetch: one byte a second held ingest for hours."""
    hostile.trickle, hostile.where = 0.2, where
    hostile.routes["/rss"] = Route(body=rss(item("Harbour opens", "harbour")))
    site = make_site(tmp_path, [{"name": "Slow", "url": hostile.url("/rss")}])

    started = time.monotonic()
    result = run(site, timeout=1.0)

    assert time.monotonic() - started < 4
    assert result.failed and stored_files(site) == []
    assert "timed out after 1 s" in str(result.diagnostics.errors[0])


# --- parsing and entries ----------------------------------------------------------


def test_an_overlong_author_does_not_stall_ingest(server: FeedServer, tmp_path: Path) -> None:
    """feedparser's search for an e-mail address in an author string was quadratic: 60 kB took 20 s, 1 MB hours
    (bench/bench_hostile.py times it now)."""
    authors = f"<author>{'a' * 60_000}</author><dc:creator>{'b' * 60_000}</dc:creator>"
    server.routes["/rss"] = Route(body=rss(item("Harbour opens", "harbour", authors)))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}])

    result = run(site)

    assert result.feeds("new") == 1
    assert list(articles(site)) == ["Harbour opens"]


def test_an_entry_makes_no_huge_or_countless_names_and_tags(server: FeedServer, tmp_path: Path) -> None:
    """Titles were cut to 300 characters, but a 5 kB author or category reached every page listing it,
    and an entry with 3,000 categories made 3,000 tag pages."""
    long_name = " ".join(["Jane"] * 1000)
    extra = f"<author>{long_name}</author><category>{'x' * 5000}</category><category>world</category>"
    extra += "".join(f"<dc:creator>Reporter {n}</dc:creator>" for n in range(50))
    extra += "".join(f"<category>topic {n}</category>" for n in range(500))
    server.routes["/rss"] = Route(body=rss(item("Harbour opens", "harbour", extra)))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss"), "tags": ["local"]}])

    run(site)

    article = articles(site)["Harbour opens"]
    assert article.authors[0].startswith("Jane Jane") and len(article.authors[0]) <= 120
    assert article.authors[1:3] == ("Reporter 0", "Reporter 1") and len(article.authors) <= 10
    assert all(len(tag) <= 80 for tag in article.tags)
    assert article.tags[1:3] == ("world", "topic 0") and "local" in article.tags and len(article.tags) <= 26
    assert max(len(line) for line in stored_files(site)[0].read_text(encoding="utf-8").splitlines()) < 400


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("<author>noreply@sloppy.example.com</author>", ()),
        ("<author>noreply@sloppy.example.com (Jane Doe)</author>", ("Jane Doe",)),
        ("<author>desk@news.technology (Jane Doe)</author>", ("Jane Doe",)),  # was "nology (Jane Doe"
        ("<author>Jane Doe &lt;jane@studio.photography&gt;</author>", ("Jane Doe",)),
        (
            "<author>Jane Doe (jane@sloppy.example.com), Ann Roe (ann@sloppy.example.com)</author>",
            ("Jane Doe, Ann Roe",),
        ),
        ("<dc:creator>desk@sloppy.example.com</dc:creator>", ()),
        ("<dc:creator>mailto:desk@sloppy.online</dc:creator>", ()),
        ("<dc:creator>Jane Doe (@janedoe)</dc:creator>", ("Jane Doe (@janedoe)",)),
        ("<dc:creator>John Smith</dc:creator>", ("John Smith",)),
    ],
)
def test_an_email_address_is_not_an_author(
    server: FeedServer, tmp_path: Path, author: str, names: tuple[str, ...]
) -> None:
    server.routes["/rss"] = Route(body=rss(item("Harbour opens", "harbour", author)))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}])

    run(site)

    assert articles(site)["Harbour opens"].authors == names
    assert not re.search(r"\w@\w", str(front(stored_files(site)[0]).get("authors")))  # no address stored


BODY_LINKS = """<![CDATA[<p>See <a href="https://editor:s3cret@sloppy.example.com/draft?a=1&amp;b=2">the draft</a>,
<a href=" https://sloppy.example.com/padded ">the padded link</a> and
<img src="https://editor:s3cret@cdn.sloppy.example.com/photo.jpg" alt="the harbour">.</p>]]>"""


def test_links_of_an_entry_keep_no_credentials_and_no_padding(server: FeedServer, tmp_path: Path) -> None:
    """Pages were invalid HTML (Nu: "URL includes credentials"), and every build warned about the stored files."""
    link = "https://editor:s3cret@sloppy.example.com/harbour"
    story = item("Harbour opens", link, description=BODY_LINKS)
    server.routes["/rss"] = Route(body=rss(story, site="https://editor:s3cret@sloppy.example.com/"))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}])
    run(site)
    output = tmp_path / "out"

    result = build_site(BuildOptions(site=site, output=output))

    assert not result.diagnostics.problems, (
        result.diagnostics
    )  # the padded link was left out, with a warning, each build
    assert "s3cret" not in stored_files(site)[0].read_text(encoding="utf-8")
    page = (output / "articles" / "harbour-opens" / "index.html").read_text(encoding="utf-8")
    assert "s3cret" not in page and "editor" not in page
    assert re.search(r'Read the full story at <a href="https://sloppy\.example\.com/harbour"', page)
    assert re.search(r'<a href="https://sloppy\.example\.com/draft\?a=1&amp;b=2"[^>]*>the draft</a>', page)
    assert re.search(r'<a href="https://sloppy\.example\.com/padded"[^>]*>the padded link</a>', page)
    assert '<img src="https://cdn.sloppy.example.com/photo.jpg" alt="the harbour">' in page


def test_one_article_under_two_urls_is_stored_once(server: FeedServer, tmp_path: Path) -> None:
    """It was stored once per URL, and every build then warned "same text as …: skipped" (and failed with --strict)."""
    said = "The council approved the budget on Friday after a long debate about ferries."
    first = item("Council approves budget", "news/budget", description=said)
    second = item("Council approves budget", "politics/budget?ref=home", description=f" {said.upper()} ")
    server.routes["/rss"] = Route(body=rss(f"{first}\n{second}"))
    server.routes["/mirror"] = Route(
        body=rss(item("Council approves  budget", "https://mirror.example.org/budget", description=said))
    )
    site = make_site(
        tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}, {"name": "Mirror", "url": server.url("/mirror")}]
    )

    result = run(site)

    assert result.entries(Outcome.ADDED) == 1 and result.entries(Outcome.DUPLICATE) == 2
    (stored,) = stored_files(site)
    assert [item["feed"] for item in front(stored)["also_from"]] == [server.url("/mirror")]
    built = build_site(BuildOptions(site=site, output=tmp_path / "out", strict=True))
    assert built.articles == 1 and not built.diagnostics.problems


# --- Atom -------------------------------------------------------------------------


def atom(entries: str, title: str = '<title type="text">Markup &lt;Weekly&gt;</title>') -> bytes:
    """An Atom document around ``entries``."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'{title}<link href="https://markup.example.org/"/><id>tag:markup.example.org,2025:feed</id>'
        f"<updated>2025-05-16T10:00:00Z</updated>\n{entries}\n</feed>\n"
    ).encode()


def entry(number: int, title: str, content: str) -> str:
    """One dated Atom entry."""
    return (
        f"<entry>{title}<link href='https://markup.example.org/{number}'/><id>tag:markup.example.org,2025:{number}</id>"
        f"<updated>2025-05-16T1{number}:00:00Z</updated>{content}</entry>"
    )


def test_an_atom_text_title_is_text_not_html(server: FeedServer, tmp_path: Path) -> None:
    """Read as HTML, "Understanding the <template> element" was stored as "Understanding the"."""
    entries = [
        entry(1, '<title type="text">Understanding the &lt;template&gt; element &amp; x &lt; y</title>', ""),
        entry(2, "<title>Why &lt;script&gt; tags load late</title>", ""),  # type="text" is the default
        entry(3, '<title type="html">An &lt;em&gt;HTML&lt;/em&gt; title &amp;amp; more</title>', ""),
    ]
    server.routes["/atom"] = Route(body=atom("\n".join(entries)), content_type=ATOM)
    site = make_site(tmp_path, [{"name": "Markup", "url": server.url("/atom")}])

    run(site)

    loaded = articles(site)
    assert set(loaded) == {
        "Understanding the <template> element & x < y",
        "Why <script> tags load late",
        "An HTML title & more",
    }
    assert {a.source.name for a in loaded.values() if a.source} == {"Markup <Weekly>"}
    output = tmp_path / "out"
    build_site(BuildOptions(site=site, output=output))
    page = (output / "articles" / "why-script-tags-load-late" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "Why &lt;script&gt; tags load late</h1>" in page and "<script> tags" not in page


def test_atom_content_that_is_not_text_is_not_shown(server: FeedServer, tmp_path: Path) -> None:
    """An Atom image/png content is base64: it was published as the article's text."""
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    content = f'<summary>The harbour at dawn.</summary><content type="image/png">{png}</content>'
    server.routes["/atom"] = Route(body=atom(entry(1, "<title>Harbour photo</title>", content)), content_type=ATOM)
    site = make_site(tmp_path, [{"name": "Markup", "url": server.url("/atom")}])

    run(site)

    article = articles(site)["Harbour photo"]
    assert [p for s in article.sections for p in s.paragraphs] == ["The harbour at dawn."]


# --- links and identity -------------------------------------------------------------


def test_entries_that_all_link_to_the_front_page_are_all_stored(server: FeedServer, tmp_path: Path) -> None:
    """Read as each entry's own URL, the front page made every entry after the first a "duplicate": never stored."""
    home = "https://sloppy.example.com/"
    items = [
        item("First story", home, '<guid isPermaLink="false">s-1</guid>', "One."),
        item("Second story", home.rstrip("/"), '<guid isPermaLink="false">s-2</guid>', "Two."),
        item("Third story", "https://www.sloppy.example.com/#top", '<guid isPermaLink="false">s-3</guid>', "Three."),
        item("Fourth story", "https://sloppy.example.com/2025/fourth", "", "Four."),
    ]
    server.routes["/rss"] = Route(body=rss("\n".join(items), site=home))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}])

    result = run(site)

    assert result.entries(Outcome.ADDED) == 4
    loaded = articles(site)
    assert {headline: article.original_url for headline, article in loaded.items()} == {
        "First story": "",
        "Second story": "",
        "Third story": "",
        "Fourth story": "https://sloppy.example.com/2025/fourth",
    }
    built = build_site(BuildOptions(site=site, output=tmp_path / "out", strict=True))
    assert built.articles == 4 and not built.diagnostics.problems


def test_urls_with_spaces_or_stray_percent_signs_are_escaped(server: FeedServer, tmp_path: Path) -> None:
    """Nu: 'Illegal character in path segment. Space is not allowed' on the page, for links as a CMS wrote them."""
    body = """<![CDATA[<p>The <a href="https://sloppy.example.com/files/Annual Report.pdf">report</a>,
<a href="https://sloppy.example.com/100%/done?q=a b">the tally</a>, <a href="mailto:desk@sloppy.example.com?subject=Tip off">a
tip</a> and <img src="https://sloppy.example.com/My Photo.jpg" alt="the harbour">.</p>]]>"""
    story = item("Harbour opens", "https://sloppy.example.com/news/Harbour Opens", description=body)
    server.routes["/rss"] = Route(body=rss(story))
    site = make_site(tmp_path, [{"name": "Sloppy", "url": server.url("/rss")}])
    run(site)
    output = tmp_path / "out"

    build_site(BuildOptions(site=site, output=output))

    page = (output / "articles" / "harbour-opens" / "index.html").read_text(encoding="utf-8")
    for url in (
        "https://sloppy.example.com/news/Harbour%20Opens",
        "https://sloppy.example.com/files/Annual%20Report.pdf",
        "https://sloppy.example.com/100%25/done?q=a%20b",
        "mailto:desk@sloppy.example.com?subject=Tip%20off",
    ):
        assert f'<a href="{url}"' in page, url
    assert '<img src="https://sloppy.example.com/My%20Photo.jpg" alt="the harbour">' in page
    assert not re.search(r'(?:href|src)="[^"]* ', page)


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        (
            b"\n<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>News</p></body></html>",
            "text/html",
            "an HTML page",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}',
            "application/feed+json",
            "JSON",
        ),
    ],
    ids=["html", "json-feed"],
)
def test_a_document_that_is_no_feed_is_named_plainly(
    server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], body: bytes, content_type: str, says: str
) -> None:
    """An HTML page was reported as "not a feed: syntax error at line 2"."""
    server.routes["/feed"] = Route(body=body, content_type=content_type)
    site = make_site(tmp_path, [{"name": "Home", "url": server.url("/feed")}])

    assert main(["ingest", "--site", str(site)]) == 1

    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: feed 'Home' ({server.url('/feed')}): not a feed: {says}, not RSS or Atom"), line
