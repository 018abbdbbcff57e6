"""No payload from an article or a feed runs in a reader's browser or survives in any output file.

A site is built from the payload corpus (``xss_payloads.py``) placed in every
untrusted field: front matter (title, author, tags, source, source_url,
summary), Markdown bodies and headings, plain-text articles, and
feed-derived content files as ingest stores them (HTML bodies). Then:

* statically, every output file is scanned (pages with ``html.parser``, feeds
  parsed as XML/JSON with the HTML inside them scanned too) for event-handler
  attributes, script/data URLs, script elements the theme does not ship,
  frames, objects, ``<base>``, meta refreshes and CSS expressions;
* in headless Chromium, every page is opened and must leave ``window.__xss``
  undefined, open no dialog, request nothing outside the machine, and hold no
  such attribute or element in its live DOM.

Each checker is first shown to catch the payloads when they are *not*
sanitised, so a pass means something.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
import yaml

from broadsheet.build import BuildOptions, BuildResult, build_site
from broadsheet.check import check_site
from broadsheet.ingest import IngestOptions, ingest
from broadsheet.loaders.metadata import normalise
from broadsheet.loaders.sanitize import sanitize_html
from browser import serve_directory
from xss_payloads import PAYLOADS

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "srcset"}
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|livescript|data):", re.I)
DANGEROUS_CSS = re.compile(r"expression\s*\(|javascript:|vbscript:|(?<![-\w])behavior\s*:|-moz-binding|@import", re.I)
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "xmp", "plaintext"}
FEED_HTML = {"description", "{http://purl.org/rss/1.0/modules/content/}encoded"}
ATOM = "{http://www.w3.org/2005/Atom}"
STAMP = "2025-03-01T08:00:00+00:00"


def _squash(value: str) -> str:
    """A URL as a browser reads its scheme: control characters and spaces removed."""
    return "".join(ch for ch in value if ord(ch) > 0x20)


class Scanner(HTMLParser):
    """Finds anything in one HTML document that could run script."""

    def __init__(self, site: Path, file: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.site, self.file = site, file
        self.problems: list[str] = []
        self._raw: str | None = None  # the text of a <script type=ld+json> or <style> being read
        self._raw_tag = ""

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.file.relative_to(self.site)}:{self.getpos()[0]}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.problem(f"<{tag}> has event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and any(SCRIPT_URL.match(_squash(part)) for part in value.split(",")):
                self.problem(f"<{tag}> has script URL {name}={value!r}")
            if name == "style" and DANGEROUS_CSS.search(value):
                self.problem(f"<{tag}> has dangerous CSS {value!r}")
            if name == "srcdoc":
                self.problem(f"<{tag}> has srcdoc")
        if tag in FORBIDDEN_TAGS:
            self.problem(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problem("<meta http-equiv=refresh>")
        if tag in ("form", "button", "input") and re.match(
            r"^\w+:|^//", values.get("action", values.get("formaction", ""))
        ):
            self.problem(f"<{tag}> submits off the site")
        if tag == "script":
            self._script(values)
        if tag == "style":
            self._raw, self._raw_tag = "", "style"

    def _script(self, values: dict[str, str]) -> None:
        src = values.get("src")
        if src is not None:
            target = (self.file.parent / src.split("?")[0]).resolve()
            own = not re.match(r"^\w+:|^//|^/", src) and target.is_file() and target.is_relative_to(self.site)
            if not own:
                self.problem(f"<script src={src!r}> is not one of the site's own files")
        elif values.get("type") == "application/ld+json":
            self._raw, self._raw_tag = "", "ld+json"
        else:
            self.problem("inline <script>")

    def handle_data(self, data: str) -> None:
        if self._raw is not None:
            self._raw += data

    def handle_endtag(self, tag: str) -> None:
        if self._raw is None or tag not in ("script", "style"):
            return
        if self._raw_tag == "ld+json":
            try:
                json.loads(self._raw)
            except ValueError:
                self.problem("<script type=application/ld+json> holds something that is not JSON")
        elif DANGEROUS_CSS.search(self._raw):
            self.problem(f"<style> with dangerous CSS {self._raw[:60]!r}")
        self._raw = None


def scan_html(site: Path, file: Path, html: str) -> list[str]:
    scanner = Scanner(site, file)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def scan_feed_xml(site: Path, file: Path) -> Iterator[str]:
    root = ET.parse(file).getroot()
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", "url", "src") and SCRIPT_URL.match(_squash(value)):
                yield f"{file.relative_to(site)}: <{element.tag}> has script URL {value!r}"
        html_inside = element.tag in FEED_HTML or (
            element.tag in (f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title") and element.get("type") == "html"
        )
        if html_inside:
            yield from scan_html(site, file, element.text or "")
        elif element.tag in ("link", f"{ATOM}id", "guid") and SCRIPT_URL.match(_squash(element.text or "")):
            yield f"{file.relative_to(site)}: <{element.tag}> is a script URL"


def scan_json_feed(site: Path, file: Path) -> Iterator[str]:
    feed = json.loads(file.read_text(encoding="utf-8"))
    for item in feed.get("items", []):
        yield from scan_html(site, file, item.get("content_html", ""))
        for key in ("url", "external_url", "image", "banner_image"):
            if SCRIPT_URL.match(_squash(str(item.get(key, "")))):
                yield f"{file.relative_to(site)}: item {key} is a script URL"


def scan_site(site: Path) -> list[str]:
    """Every problem in every output file; a file of a kind the scan does not know is a problem too."""
    problems: list[str] = []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        text = file.read_text(encoding="utf-8", errors="replace")
        if file.suffix in (".html", ".htm", ".svg"):  # an SVG file can carry script and handlers too
            problems.extend(scan_html(site, file, text))
        elif file.suffix == ".xml":
            problems.extend(scan_feed_xml(site, file))
        elif file.suffix == ".json":
            problems.extend(scan_json_feed(site, file) if '"version": "https://jsonfeed.org/' in text else [])
        elif file.suffix == ".css" and DANGEROUS_CSS.search(text):
            problems.append(f"{file.relative_to(site)}: dangerous CSS")
        elif file.suffix not in (".js", ".txt", ".css", ".png", ".ico", ".woff2", "") and "pagefind" not in str(
            file.relative_to(site)
        ):
            problems.append(f"{file.relative_to(site)}: unexpected kind of output file, not scanned")
    return problems


# --- the hostile site ----------------------------------------------------------------------------------------


def _front_matter(data: dict[str, Any], body: str) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True) + "---\n" + body


def _one_line(payload: str) -> str:
    return " ".join(payload.split())


def write_hostile_site(site: Path) -> int:
    """Place every payload in every untrusted field; returns the number of articles written."""
    (site / "content" / "fm").mkdir(parents=True)
    (site / "content" / "feedlike").mkdir()
    (site / "seeds").mkdir()
    (site / "site.yaml").write_text(
        "title: Hostile Digest\nbase_url: https://digest.example.org/\npage_size: 50\n"
        "topics:\n  - name: payloads\n    keywords: [payload]\n",
        encoding="utf-8",
    )
    for n, payload in enumerate(PAYLOADS):
        source: Any = payload if n % 2 else {"name": payload, "url": "javascript:window.__xss=1"}
        meta = {
            "title": f"Front matter {n} {payload}",
            "author": payload,
            "tags": [payload, "xss"],
            "source": source,
            "source_url": f"https://example.org/{n}?q={payload}",
            "summary": payload,
            "date": STAMP,
        }
        body = (
            f"Payload {n} in a paragraph: {payload}\n\n{payload}\n\n## Heading {n} {_one_line(payload)}\n\n{payload}\n"
        )
        (site / "content" / "fm" / f"fm-{n:03}.md").write_text(_front_matter(meta, body), encoding="utf-8")
        # A feed entry as ingest stores it: Markdown front matter, an HTML body.
        feed_meta = {
            "title": f"Feed entry {n} {_one_line(payload)}",
            "link": f"https://feed.example.net/{n}",
            "source": {"name": "Feed example", "url": "https://feed.example.net/"},
            "author": payload,
            "summary": f"<p>{payload}</p>",
            "tags": [payload],
            "date": STAMP,
        }
        if n % 4 == 0:  # four payloads in each HTML body: fewer pages for the browser to open
            html_body = "".join(
                f"<div class='entry'><p>Feed payload</p>\n{p}\n<p>after</p></div>\n" for p in PAYLOADS[n : n + 4]
            )
            (site / "content" / "feedlike" / f"feed-{n:03}.md").write_text(
                _front_matter(feed_meta, html_body), encoding="utf-8"
            )
        plain = (
            f"Plain text {n} {_one_line(payload)}\n\nBy {_one_line(payload)}\n\n{payload}\n\n"
            f"**{_one_line(payload)}**\n\nPayload {n} again: {payload}\n\nRead More @ {_one_line(payload)}\n"
        )
        (site / "seeds" / f"plain-{n:03}.txt").write_text(plain, encoding="utf-8")
        (site / "seeds" / f"plain-{n:03}.yaml").write_text(f"date: {STAMP}\n", encoding="utf-8")
        if n % 4 == 1:  # a saved HTML page: the payload in its <title>, <meta> tags, JSON-LD and body
            (site / "content" / "fm" / f"page-{n:03}.html").write_text(_html_page(n, payload), encoding="utf-8")
    return 2 * len(PAYLOADS) + len(PAYLOADS[::4]) + len(PAYLOADS[1::4])


def _html_page(n: int, payload: str) -> str:
    """A news page as saved from a site, with ``payload`` in every field the HTML loader reads."""
    attribute = html.escape(payload)
    json_ld = json.dumps({"@type": "NewsArticle", "headline": f"Page {n} {payload}", "author": {"name": payload}})
    metas = "".join(
        f'<meta {kind}="{name}" content="{attribute}">'
        for kind, name in (
            *(("property", "og:site_name"), ("name", "author"), ("name", "keywords")),
            *(("name", "description"), ("property", "og:image")),
        )
    )
    return (
        f"<html><head><title>Page {n} {attribute}</title>{metas}"
        f'<link rel="canonical" href="javascript:window.__xss=1">'
        f'<meta name="date" content="{STAMP}"><script type="application/ld+json">{json_ld}</script></head>'
        f"<body><article><p>Page payload {n}</p>{payload}<p>after</p></article></body></html>"
    )


def hostile_rss() -> str:
    """An RSS feed with a payload in every field a feed reader shows."""
    items = []
    for n in range(0, len(PAYLOADS), 2):
        payload, other = PAYLOADS[n], PAYLOADS[(n + 1) % len(PAYLOADS)]
        link = "javascript:window.__xss=1" if n % 5 == 0 else f"https://rss.example.net/{n}"
        items.append(
            f"<item><title>{escape(f'RSS entry {n} {_one_line(payload)}')}</title><link>{escape(link)}</link>"
            f"<guid isPermaLink='false'>rss-{n}</guid><pubDate>Sat, 01 Mar 2025 08:00:00 +0000</pubDate>"
            f"<dc:creator>{escape(other)}</dc:creator><category>{escape(payload)}</category>"
            f"<description>{escape(other)}</description>"
            f"<content:encoded>{escape(f'<p>RSS payload {n}</p>{payload}<p>and</p>{other}')}</content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape('Hostile <script>window.__xss=1</script> RSS')}</title><link>https://rss.example.net/</link>"
        f"<description>d</description>{''.join(items)}</channel></rss>"
    )


def hostile_atom() -> str:
    """An Atom feed with HTML-typed titles and contents, and script links."""
    entries = []
    for n, payload in enumerate(PAYLOADS[::3]):
        href = "data:text/html,<script>alert(1)</script>" if n % 4 == 0 else f"https://atom.example.net/{n}"
        entries.append(
            f"<entry><id>urn:atom:{n}</id><updated>2025-03-01T08:00:00Z</updated>"
            f'<title type="html">{escape(f"Atom entry {n} {_one_line(payload)}")}</title>'
            f'<link rel="alternate" href="{escape(href, {chr(34): "&quot;"})}"/>'
            f"<author><name>{escape(payload)}</name></author>"
            f'<summary type="html">{escape(payload)}</summary>'
            f'<content type="html">{escape(f"<p>Atom payload {n}</p>{payload}")}</content></entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:atom</id>'
        f"<title>Hostile Atom</title><updated>2025-03-01T08:00:00Z</updated>{''.join(entries)}</feed>"
    )


def ingest_hostile_feeds(site: Path, served: Path) -> int:
    """Ingest both feeds from a loopback server, as ``broadsheet ingest`` would; returns the entries stored."""
    (served / "rss.xml").write_text(hostile_rss(), encoding="utf-8")
    (served / "atom.xml").write_text(hostile_atom(), encoding="utf-8")
    with serve_directory(served) as base:
        with (site / "site.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"feeds:\n  - name: Hostile RSS\n    url: {base}rss.xml\n")
            handle.write(f"  - name: Hostile Atom\n    url: {base}atom.xml\n")
        result = ingest(IngestOptions(site=site))
    assert not result.failed, [str(e) for e in result.diagnostics.errors]
    return len(list((site / "content" / "feeds").rglob("*.md")))


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_site(site)
    ingested = ingest_hostile_feeds(site, tmp_path_factory.mktemp("served"))
    assert ingested == len(PAYLOADS[::2]) + len(PAYLOADS[::3])
    result = build_site(BuildOptions(site=site))
    assert [str(e) for e in result.diagnostics.errors] == []
    assert result.articles == expected + ingested
    return result


# --- the checkers can fail ----------------------------------------------------------------------------------


RAW = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<iframe src="data:text/html,x"></iframe>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=//xss.invalid/>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<form action="https://xss.invalid/"><button>go</button></form>',
    "<script src=https://xss.invalid/x.js></script>",
    '<script type="application/ld+json">{"a": "</script><script>window.__xss=1</script>"}</script>',
]


@pytest.mark.parametrize("raw", RAW)
def test_static_scan_catches_unsanitised_payloads(tmp_path: Path, raw: str) -> None:
    page = tmp_path / "index.html"
    assert scan_html(tmp_path, page, f"<!DOCTYPE html><title>t</title><p>{raw}</p>") != []


def test_static_scan_catches_html_inside_feeds(tmp_path: Path) -> None:
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    (tmp_path / "feed.xml").write_text(
        f'<rss version="2.0"><channel><item><description>{escaped}</description></item></channel></rss>'
    )
    (tmp_path / "feed.json").write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [{"content_html": "<svg onload=x>"}]})
    )
    assert len(scan_site(tmp_path)) == 2


def test_static_scan_allows_what_the_theme_ships(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "search.js").write_text("export {}\n")
    page = (
        '<!DOCTYPE html><title>t</title><script type="application/ld+json">{"a": "\\u003c/script\\u003e"}</script>'
        '<form action="search/"><input name="q"></form><script type="module" src="static/search.js"></script>'
        '<a href="https://example.org/?q=%22%3E">x</a><img src="static/p.png" alt="">'
    )
    assert scan_html(tmp_path, tmp_path / "index.html", page) == []


# --- sanitiser, loaders, build -------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_leaves_nothing_that_runs(tmp_path: Path, payload: str) -> None:
    cleaned = sanitize_html(payload)
    assert scan_html(tmp_path, tmp_path / "x.html", f"<title>t</title><div>{cleaned}</div>") == []


def test_payloads_reach_the_pages_as_text(hostile_build: BuildResult) -> None:
    """Not vacuous: the payloads are in the output, shown as text rather than dropped."""
    output = hostile_build.output
    page = (output / "articles").glob("front-matter-0-*/index.html")
    html = next(page).read_text(encoding="utf-8")
    assert "Front matter 0 &lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert "window.__xss=1" in feed
    ingested = [p.name for p in (output / "articles").iterdir() if p.name.startswith(("rss-entry-", "atom-entry-"))]
    assert len(ingested) == len(PAYLOADS[::2]) + len(PAYLOADS[::3])


def test_no_output_file_carries_a_payload(hostile_build: BuildResult) -> None:
    output = hostile_build.output
    assert len(list(output.rglob("*.html"))) > 3 * len(PAYLOADS)
    assert scan_site(output) == []


def test_every_feed_of_the_hostile_site_parses(hostile_build: BuildResult) -> None:
    feeds = list(hostile_build.output.rglob("feed.xml")) + list(hostile_build.output.rglob("atom.xml"))
    assert len(feeds) > 10  # the site's, and one per topic and per source
    problems = [str(p) for p in check_site(hostile_build.output) if "feed" in p.message or "XML" in p.message]
    assert problems == []


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)", " JAVASCRIPT:x", "//x"]
)
def test_script_urls_in_source_url_are_refused(tmp_path: Path, url: str) -> None:
    """The link is dropped with a warning naming the file and line; the article itself is kept."""
    meta = normalise({"source_url": url}, UTC, "x.md", {"source_url": 3})
    assert meta.source_url == "" and meta.source is None
    assert meta.warnings == [("source_url is not http(s): ignored", "x.md", 3)]


# --- in the browser ------------------------------------------------------------------------------------------

# What the live DOM must not hold, as the browser itself parsed it (entities decoded, URLs resolved).
DOM_PROBE = """() => {
  const bad = [];
  if (typeof window.__xss !== 'undefined') bad.push('window.__xss = ' + String(window.__xss));
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(el.localName + ' ' + name);
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/.test(value)) bad.push(el.localName + ' ' + name + '=' + value);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'applet'].includes(el.localName)) bad.push(el.localName);
  }
  for (const s of document.scripts) {
    if (s.src ? new URL(s.src).origin !== location.origin : s.type !== 'application/ld+json') bad.push('script ' + (s.src || s.text.slice(0, 40)));
  }
  return bad;
}"""
TRAP = "window.print = () => { window.__xss = 'print()'; }; window.open = () => { window.__xss = 'open()'; };"


def visit(page: Any, url: str) -> list[str]:
    response = page.goto(url, wait_until="load")  # every image loaded or failed: error handlers had their turn
    assert response is not None and response.status == 200, url
    found: list[str] = page.evaluate(DOM_PROBE)
    return found


@pytest.mark.browser
def test_browser_probe_catches_an_unsanitised_page(tmp_path: Path, page: Any) -> None:
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><title>t</title><img src=x onerror=window.__xss=1>"
        "<script>alert(1)</script><a href='javascript:void 0'>x</a><script>fetch('http://xss.invalid/')</script>"
    )
    page.add_init_script(TRAP)
    with serve_directory(tmp_path) as base:
        found = visit(page, base)
    assert "window.__xss = 1" in found
    assert any(f.startswith("img onerror") for f in found)
    assert any(f.startswith("a href=javascript:") for f in found)
    assert page.dialogs == ["alert: 1"]
    assert page.outside_requests == ["http://xss.invalid/"]


@pytest.mark.browser
def test_no_script_runs_on_any_page_in_the_browser(hostile_build: BuildResult, page: Any) -> None:
    output = hostile_build.output
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    page.add_init_script(TRAP)
    findings: dict[str, list[str]] = {}
    with serve_directory(output) as base:
        for path in pages:
            found = visit(page, base + path.removesuffix("index.html"))
            if found:
                findings[path] = found
    assert findings == {}
    assert page.dialogs == []
    assert page.outside_requests == []
