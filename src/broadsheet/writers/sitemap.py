"""``sitemap.xml`` (every page, with lastmod) and ``robots.txt`` naming it."""

from __future__ import annotations

from collections.abc import Iterable

from ..assemble import Page
from ..config import SiteConfig
from .xml import element


def sitemap(config: SiteConfig, pages: Iterable[Page]) -> bytes:
    entries = []
    for page in pages:
        if page.path == "404.html":
            continue
        lastmod = element("lastmod", page.lastmod.isoformat()) if page.lastmod else ""
        entries.append(f"<url>{element('loc', config.url(page.path))}{lastmod}</url>")
    body = "\n".join(entries)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "\n</urlset>\n"
    ).encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.url('sitemap.xml')}\n".encode()
