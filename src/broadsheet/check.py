"""Offline checks of a built site: what a reader or a feed reader would trip over.

``broadsheet check`` reads only the output folder, never the network, so CI can
run it after every build: broken internal links and ``#fragments``, feeds that
do not parse or repeat an id, images without alt text, pages missing from
``sitemap.xml`` and pages without a ``<title>``. Each problem is one line
naming the file (and line where known).
"""

from __future__ import annotations

import io
import json
import os
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser

from .errors import BroadsheetError

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# (tag, attribute) pairs whose value is one URL the browser loads or follows.
URL_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("embed", "src"), ("object", "data"), ("input", "src"),
}  # fmt: skip
_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<url>[^'")]+)(?P=q)\s*\)""")
_PLACEHOLDER_HOST = "https://site.invalid"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the built site, located as precisely as known."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass
class PageFacts:
    """What the checks need to know about one HTML page."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str]] = field(default_factory=list)
    images_without_alt: list[tuple[int, str]] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    title: str | None = None
    canonical: str | None = None
    unlisted: bool = False  # noindex or a redirect: not expected in the sitemap


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        facts = self.facts
        if values.get("id"):
            facts.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            facts.ids.add(values["name"])
        for name, value in values.items():
            if (tag, name) in URL_ATTRIBUTES and value.strip():
                facts.links.append((line, value.strip()))
            elif name == "srcset" and tag in ("img", "source"):
                facts.links.extend((line, c.split()[0]) for c in value.split(",") if c.split())
        if tag == "img" and "alt" not in values:
            facts.images_without_alt.append((line, values.get("src", "")))
        rel = values.get("rel", "").lower().split()
        if tag == "link" and "alternate" in rel and values.get("type", "").lower() in FEED_TYPES and values.get("href"):
            facts.feeds.append(values["href"])
        if tag == "link" and "canonical" in rel and facts.canonical is None:
            facts.canonical = values.get("href")
        if tag == "meta":
            robots = values.get("name", "").lower() == "robots" and "noindex" in values.get("content", "").lower()
            refresh = values.get("http-equiv", "").lower() == "refresh"
            facts.unlisted = facts.unlisted or robots or refresh
        if tag == "title" and facts.title is None:
            facts.title = ""
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title = (self.facts.title or "") + data


def page_facts(html: str) -> PageFacts:
    """Parse one page with the standard library's lenient HTML parser."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.facts


def page_path(file: str) -> str:
    """The site path a file is served at: ``a/index.html`` → ``a/``."""
    return file[: -len("index.html")] if file == "index.html" or file.endswith("/index.html") else file


class Site:
    """A built site on disk, and how its URLs map onto its files."""

    def __init__(self, folder: Path, base_url: str) -> None:
        self.folder = folder
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        if not urlsplit(self.base_url).netloc:
            self.base_url = _PLACEHOLDER_HOST + "/" + self.base_url.lstrip("/")
        self._base = urlsplit(self.base_url)
        self.files = sorted(_files(folder))
        self._file_set = set(self.files)
        self.pages: dict[str, PageFacts] = {}

    def url_of(self, file: str) -> str:
        return self.base_url + file

    def to_file(self, url: str) -> tuple[str | None, bool]:
        """(the file a URL is served from, whether the URL is inside the site at all)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self._base.netloc:
            return None, False
        if not parts.path.startswith(self._base.path):
            return None, False
        rel = unquote(parts.path[len(self._base.path) :])
        rel = posixpath.normpath(rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        for candidate in (rel, f"{rel}/index.html"):  # a folder is served as its index.html
            if candidate in self._file_set:
                return candidate, True
        return None, True


def _files(folder: Path) -> Iterator[str]:
    """Every file of the site, relative and POSIX-style; dot files and folders are not served."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                yield (Path(dirpath) / name).relative_to(folder).as_posix()


def guess_base_url(folder: Path) -> str:
    """The site's base URL from the front page's canonical link, else ``/``."""
    index = folder / "index.html"
    if index.is_file():
        canonical = page_facts(index.read_text(encoding="utf-8", errors="replace")).canonical
        if canonical and urlsplit(canonical).netloc:
            return canonical.rsplit("/", 1)[0] + "/"
    return "/"


def check_site(folder: Path, base_url: str | None = None) -> list[Problem]:
    """Every problem found in the site built into ``folder``, sorted by file and line."""
    if not (folder / "index.html").is_file():
        raise BroadsheetError("no built site here (no index.html): run 'broadsheet build' first", folder)
    site = Site(folder, base_url or guess_base_url(folder))
    problems: list[Problem] = []
    for file in site.files:
        if file.endswith((".html", ".htm")):
            facts = page_facts((folder / file).read_text(encoding="utf-8", errors="replace"))
            site.pages[file] = facts
            if not (facts.title or "").strip():
                problems.append(Problem(file, 0, "page has no <title>"))
            problems.extend(
                Problem(file, line, f"image without alt text: {src}") for line, src in facts.images_without_alt
            )
    for file, facts in site.pages.items():
        problems.extend(_link_problems(site, file, facts.links))
    for file in site.files:
        if file.endswith(".css"):
            css = (folder / file).read_text(encoding="utf-8", errors="replace")
            links = [(css.count("\n", 0, m.start()) + 1, m.group("url")) for m in _CSS_URL.finditer(css)]
            problems.extend(_link_problems(site, file, links))
    problems.extend(_feed_problems(site))
    problems.extend(_sitemap_problems(site))
    return sorted(set(problems))


def _link_problems(site: Site, file: str, links: Iterable[tuple[int, str]]) -> Iterator[Problem]:
    page_url = site.url_of(file)
    for line, link in links:
        if link.startswith(("data:", "mailto:", "tel:")):
            continue
        try:
            resolved = urljoin(page_url, link)
        except ValueError:
            yield Problem(file, line, f"malformed link: {link}")
            continue
        target, inside = site.to_file(resolved)
        if not inside:
            continue
        if target is None:
            yield Problem(file, line, f"broken link: {link} (no such file)")
            continue
        fragment = unquote(urlsplit(resolved).fragment)
        facts = site.pages.get(target)
        if fragment and facts is not None and fragment not in facts.ids and fragment != "top":
            yield Problem(file, line, f"broken link: {link} (no id '{fragment}' in {target})")


def _feed_files(site: Site) -> list[str]:
    """Files that are feeds: linked as ``rel=alternate`` feeds, or XML/JSON that says it is one."""
    linked: set[str] = set()
    for file, facts in site.pages.items():
        for href in facts.feeds:
            target, _inside = site.to_file(urljoin(site.url_of(file), href))
            if target is not None:
                linked.add(target)
    named = {f for f in site.files if f.endswith((".xml", ".rss", ".atom")) or f.endswith("feed.json")}
    return sorted(linked | named)


def _feed_problems(site: Site) -> Iterator[Problem]:
    for file in _feed_files(site):
        data = (site.folder / file).read_bytes()
        if file.endswith(".json"):
            yield from _json_feed_problems(file, data)
            continue
        parsed = feedparser.parse(io.BytesIO(data))  # a stream: feedparser would treat bytes as a file name
        if parsed.version and parsed.bozo:
            yield Problem(file, 0, f"feed does not parse: {parsed.bozo_exception}")
            continue
        try:
            root = ET.fromstring(data)  # noqa: S314 - our own output, and expat refuses entity expansion bombs
        except (ET.ParseError, LookupError) as exc:
            yield Problem(file, getattr(exc, "position", (0, 0))[0], f"not well-formed XML: {exc}")
            continue
        if root.tag == "rss":
            yield from _duplicates(file, [(g.text or "").strip() for g in root.iterfind("channel/item/guid")], "guid")
        elif root.tag == f"{ATOM}feed":
            ids = [(i.text or "").strip() for i in root.iterfind(f"{ATOM}entry/{ATOM}id")]
            yield from _duplicates(file, ids, "entry id")


def _json_feed_problems(file: str, data: bytes) -> Iterator[Problem]:
    try:
        feed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        yield Problem(file, getattr(exc, "lineno", 0), f"feed is not valid JSON: {exc}")
        return
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(JSON_FEED_VERSION):
        yield Problem(file, 0, f"not a JSON Feed (no 'version' starting with {JSON_FEED_VERSION})")
        return
    items = feed.get("items")
    if not isinstance(items, list):
        yield Problem(file, 0, "JSON Feed has no 'items' list")
        return
    ids = [str(item.get("id", "")) if isinstance(item, dict) else "" for item in items]
    for number, item_id in enumerate(ids, start=1):
        if not item_id:
            yield Problem(file, 0, f"JSON Feed item {number} has no id")
    yield from _duplicates(file, [i for i in ids if i], "item id")


def _duplicates(file: str, ids: list[str], kind: str) -> Iterator[Problem]:
    for value, count in sorted(Counter(ids).items()):
        if count > 1:
            yield Problem(file, 0, f"duplicate feed {kind} ({count} items): {value}")


def _sitemap_problems(site: Site) -> Iterator[Problem]:
    if "sitemap.xml" not in site.files:
        yield Problem("sitemap.xml", 0, "missing: search engines cannot list the pages")
        return
    try:
        root = ET.parse(site.folder / "sitemap.xml").getroot()  # noqa: S314 - our own output
    except (ET.ParseError, LookupError) as exc:
        yield Problem("sitemap.xml", getattr(exc, "position", (0, 0))[0], f"not well-formed XML: {exc}")
        return
    listed: set[str] = set()
    for loc in root.iter(f"{SITEMAP}loc"):
        url = (loc.text or "").strip()
        target, _inside = site.to_file(url)
        if target is None:
            yield Problem("sitemap.xml", 0, f"lists {url}, which is not a file of this site")
        else:
            listed.add(target)
    for file, facts in site.pages.items():
        if file not in listed and not facts.unlisted and not file.endswith("404.html"):
            yield Problem(file, 0, f"page missing from sitemap.xml ({site.url_of(page_path(file))})")
