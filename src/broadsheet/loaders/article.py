"""The last step every loader shares: metadata + sections → ``Article``."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from ..codepoints import one_line
from ..config import SiteConfig
from ..errors import BroadsheetError, Diagnostics
from ..model import Article, Provenance, Section
from ..slugs import slugify
from .lead_image import lead_image
from .metadata import Meta, is_ai_byline, parse_date
from .source_text import SourceText

MAX_SLUG = 80
_TAG_RE = re.compile(r"<[^>]+>")
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")  # Jekyll's YYYY-MM-DD-title file names


@dataclass(frozen=True)
class LoadContext:
    """What a loader may use besides the file: the site and a place for warnings."""

    config: SiteConfig
    diagnostics: Diagnostics


def make_slug(text: str, fallback: str = "") -> str:
    """A URL slug of at most ``MAX_SLUG`` characters, cut between words."""
    slug = slugify(text) or slugify(fallback) or "article"
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def date_in_name(stem: str, tz: tzinfo) -> datetime | None:
    """Midnight in ``tz`` of the date a Jekyll file name opens with (``2025-05-16-river``), if a real one."""
    match = _NAME_DATE.match(stem)
    if match is None:
        return None
    try:
        return parse_date(date(*map(int, match.groups())), tz)
    except ValueError:  # 2025-13-45-x, or a year out of range: no date, as if the name had none
        return None


def build_article(
    src: SourceText,
    meta: Meta,
    sections: list[Section],
    loader: str,
    ctx: LoadContext,
    files: dict[str, bool] | None = None,
    read: dict[str, tuple[int, int]] | None = None,
) -> Article:
    """Validate what a loader found and fill in the site's defaults.

    The date: a date key, else Hugo's ``publishDate``, else the date a
    Jekyll file name opens with, else the update date (a page saved with
    only "Updated …" on it), else the site's ``default_date`` (warned).
    ``files``: the content files the loader looked for (assets.py), to
    which the lead image's is added; ``read``: those it read something of
    (an image's size: ``Provenance.read``), by site path, with their state.
    """
    headline = one_line(meta.title or "")
    if not headline:
        raise BroadsheetError("no headline: give a title (front matter 'title:' or a first line)", src.relpath, 1)
    published = meta.published or meta.publish_at or date_in_name(src.path.stem, ctx.config.tz) or meta.updated
    dated = published is not None
    if published is None:
        published = ctx.config.default_date
        ctx.diagnostics.warn(
            f"no date given; using default_date {published.date().isoformat()} "
            f"(set 'date:' in front matter or a sidecar {src.path.stem}.yaml)",
            src.relpath,
        )
    authors = tuple(a for a in meta.authors if a)
    ai = meta.ai_generated if meta.ai_generated is not None else any(is_ai_byline(a) for a in authors)
    sections = [s for s in sections if s.paragraphs or s.heading or s.html]
    if not sections:
        raise BroadsheetError("no body text after the headline", src.relpath)
    stem = src.path.stem
    for message, where, line in meta.warnings:
        ctx.diagnostics.warn(message, where, line)
    files = {} if files is None else files
    read = {} if read is None else read
    image = lead_image(meta.image, src.relpath, ctx, files, read)
    return Article(
        slug=make_slug(meta.slug or headline, stem),
        headline=headline,
        authors=authors,
        ai_generated=ai,
        published=published,
        updated=meta.updated,
        source=meta.source,
        sections=tuple(sections),
        tags=meta.tags,
        summary=meta.summary,
        provenance=Provenance(
            path=src.relpath,
            sha256=src.sha256,
            loader=loader,
            files=tuple(sorted(files.items())),
            read=tuple((path, size, modified) for path, (size, modified) in sorted(read.items())),
        ),
        original_url=meta.source_url,
        draft=meta.draft,
        dated=dated,
        publish_at=meta.publish_at if meta.publish_at != published else None,
        redirects=tuple(dict.fromkeys(meta.redirects)),
        expires=meta.expires,
        image=image,
        extra=dict(meta.extra),
    )


def strip_tags(fragment: str) -> str:
    """Plain text of a sanitised HTML fragment (inline markup only), its spaces one between each two words."""
    if "<" in fragment:  # most paragraphs of news copy hold no markup: no substitution to run
        fragment = _TAG_RE.sub("", fragment)
    text = html.unescape(fragment)
    if _one_spaced(text):
        return text
    return " ".join(text.split())


def _one_spaced(text: str) -> bool:
    """Whether ``" ".join(text.split())`` is ``text``: its only white space single spaces between words.

    Every white space character but the space is unprintable, so a
    printable text need only be checked for spaces; most paragraphs are
    so, and splitting them into words and joining them again was half the
    time of cutting a body into paragraphs.
    """
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
