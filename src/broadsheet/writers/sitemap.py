"""``sitemap.xml`` (every page, with lastmod), the Google News sitemap, and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from .. import urls
from ..assemble import Page, SiteIndex
from ..config import SiteConfig
from .xml import element

NEWS_WINDOW = timedelta(days=2)


def sitemap_entries(config: SiteConfig, pages: Iterable[Page]) -> str:
    """The ``<url>`` lines of some pages: remembered per page set, so unchanged sets are not redone."""
    entries = []
    for page in pages:
        if page.path == "404.html" or page.kind == "redirect":  # not pages of their own
            continue
        lastmod = element("lastmod", page.lastmod.isoformat()) if page.lastmod else ""
        entries.append(f"<url>{element('loc', config.url(page.path))}{lastmod}</url>")
    return "\n".join(entries)


def sitemap(fragments: Iterable[str]) -> bytes:
    """``sitemap.xml`` from the ``sitemap_entries`` of every page set, in order."""
    body = "\n".join(fragment for fragment in fragments if fragment)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "\n</urlset>\n"
    ).encode("utf-8")


def news_sitemap(index: SiteIndex) -> bytes:
    """Articles of the last two days, counted back from the newest article (not the clock)."""
    config = index.config
    entries = []
    if index.articles:
        since = index.articles[0].published - NEWS_WINDOW
        for article in index.articles:
            if article.published < since:
                break
            entries.append(
                "<url>"
                + element("loc", config.url(urls.article(article.slug)))
                + "<news:news><news:publication>"
                + element("news:name", config.title)
                + element("news:language", config.language)
                + "</news:publication>"
                + element("news:publication_date", article.published.isoformat())
                + element("news:title", article.headline)
                + "</news:news></url>"
            )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(entries) + "\n</urlset>\n"
    ).encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    return (
        f"User-agent: *\nAllow: /\n\nSitemap: {config.url('sitemap.xml')}\nSitemap: {config.url('sitemap-news.xml')}\n"
    ).encode()
