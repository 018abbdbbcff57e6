"""Orchestration of one build: load → enrich → assemble → render → write.

Every phase is a plain function of its inputs. A bad input file is reported
and skipped (``--strict`` makes any problem fatal); the output is staged and
swapped in only when the whole build succeeded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from . import urls
from .assemble import ATOM, JSON_FEED, RSS, Feed, SiteIndex, build_index, feeds, pages
from .config import SiteConfig, load_config
from .enrich import enrich
from .enrich.topics import TopicMatcher
from .errors import BroadsheetError, Diagnostics
from .loaders import discover, load_file
from .model import Article
from .output import StagedOutput, check_output_folder
from .render import builtin_theme, make_environment, render_page
from .search import write_search
from .writers.atom import atom_feed
from .writers.entries import FeedEntries
from .writers.jsonfeed import json_feed
from .writers.rss import rss_feed
from .writers.sitemap import news_sitemap, robots, sitemap

FeedWriter = Callable[[SiteIndex, Feed, FeedEntries], bytes]
FEED_WRITERS: dict[str, FeedWriter] = {RSS: rss_feed, ATOM: atom_feed, JSON_FEED: json_feed}


@dataclass(frozen=True)
class BuildOptions:
    """What ``broadsheet build`` was asked to do."""

    site: Path = Path(".")
    output: Path | None = None
    strict: bool = False
    drafts: bool = False
    future: bool = False
    now: datetime | None = None  # "now" for --future; fixed in tests


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    output: Path
    articles: int = 0
    stories: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    def summary(self) -> str:
        return (
            f"built {self.articles} articles, {self.stories} stories, {self.pages} pages "
            f"({self.files} files) into {self.output} in {self.seconds:.2f} s"
        )


def load_articles(config: SiteConfig, diagnostics: Diagnostics) -> list[Article]:
    """Parse every input file; a file that fails is reported and left out."""
    articles = []
    for path in discover(config, diagnostics):
        try:
            articles.append(load_file(path, config, diagnostics))
        except BroadsheetError as exc:
            diagnostics.error(exc if exc.path else exc.located(path.relative_to(config.paths.root)))
    return articles


def deduplicate(articles: list[Article], diagnostics: Diagnostics) -> list[Article]:
    """Drop exact duplicates (same bytes or same identity); give every article its own slug.

    Inputs are in path order, so the first path keeps the plain slug and the
    others get a suffix derived from their own path: stable, never an overwrite.
    """
    seen_hash: dict[str, str] = {}
    seen_uid: dict[str, str] = {}
    kept: list[Article] = []
    for article in articles:
        path = article.provenance.path
        original = seen_hash.get(article.provenance.sha256) or seen_uid.get(article.uid)
        if original is not None:
            diagnostics.warn(f"duplicate of {original}: skipped", path)
            continue
        seen_hash[article.provenance.sha256] = path
        seen_uid[article.uid] = path
        kept.append(article)
    taken: set[str] = set()
    unique = []
    for article in kept:
        slug = article.slug
        if slug in taken:
            slug = f"{slug}-{_short_hash(article.provenance.path)}"
        taken.add(slug)
        unique.append(article if slug == article.slug else replace(article, slug=slug))
    return unique


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def publishable(article: Article, options: BuildOptions, now: datetime) -> bool:
    if article.draft and not options.drafts:
        return False
    return options.future or article.published <= now


def build_site(options: BuildOptions, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Build the site at ``options.site``; raises ``BroadsheetError`` when it cannot."""
    started = time.perf_counter()
    config = load_config(options.site)
    if options.output is not None:
        output = options.output.resolve()
        config = replace(config, paths=replace(config.paths, output=output))
    output = config.paths.output
    check_output_folder(output, [config.paths.root, config.paths.content, config.paths.seeds, config.paths.templates])
    diagnostics = Diagnostics()
    articles = deduplicate(load_articles(config, diagnostics), diagnostics)
    if options.strict and diagnostics.problems:
        raise StrictFailure(diagnostics)
    now = options.now or datetime.now(config.tz)
    articles = [a for a in articles if publishable(a, options, now)]
    matcher = TopicMatcher.for_site(config)
    index = build_index(config, [enrich(a, matcher) for a in articles])
    result = BuildResult(
        output=output, diagnostics=diagnostics, articles=len(index.articles), stories=index.story_count
    )
    env = make_environment(config)
    with StagedOutput(output) as staged:
        site_pages = list(pages(index))
        for page in site_pages:
            staged.write(page.path, render_page(env, page, index))
        result.pages = len(site_pages)
        write_feeds(staged, index)
        staged.write("sitemap.xml", sitemap(config, site_pages))
        staged.write("sitemap-news.xml", news_sitemap(index))
        staged.write("robots.txt", robots(config))
        copy_static(staged, config)
        if config.search:
            write_search(staged, env, index, diagnostics)
        result.files = staged.written
    result.seconds = time.perf_counter() - started
    return result


def write_feeds(staged: StagedOutput, index: SiteIndex) -> None:
    """Every feed, each article's entry built once and shared by all of them."""
    entries = FeedEntries(index)
    for feed in feeds(index):
        staged.write(feed.path, FEED_WRITERS[feed.mime](index, feed, entries))


def copy_static(staged: StagedOutput, config: SiteConfig) -> None:
    """The theme's static files, then the site's own ``templates/static`` over them."""
    seen: dict[str, Path] = {}
    for folder in (builtin_theme() / "static", config.paths.templates / "static"):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.is_symlink() and not file.name.startswith("."):
                    seen[file.relative_to(folder).as_posix()] = file
    for name, file in sorted(seen.items()):
        staged.write(urls.output_file(f"static/{name}"), file.read_bytes())


class StrictFailure(BroadsheetError):
    """``--strict`` and at least one warning or error."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"--strict: {diagnostics.problems} problem(s) in the input; nothing was written")
        self.diagnostics = diagnostics
