"""Articles for the enrichment tests: the seed loaded as the build loads it, and articles built in code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from broadsheet.config import SiteConfig, load_config
from broadsheet.enrich import Enricher, enrich
from broadsheet.enrich.entities import EntityFinder
from broadsheet.enrich.gazetteer import Gazetteer
from broadsheet.enrich.topics import TopicMatcher
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.model import Article, Provenance, Section, Source, Story

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_545537a60ee26914.txt"
WHEN = datetime(2025, 5, 16, 12, 0, tzinfo=timezone(timedelta(hours=3)))


def sample_config() -> SiteConfig:
    return load_config(REPO)


def load(path: Path, config: SiteConfig | None = None) -> Article:
    return load_file(path, config or sample_config(), Diagnostics())


def enriched(article: Article, config: SiteConfig | None = None, gazetteer: bool = True) -> tuple[Story, ...]:
    """The stories of ``article`` with the sample site's topics and (unless told not to) its gazetteer."""
    config = config or sample_config()
    enricher = Enricher.for_site(config)
    if not gazetteer:
        enricher = Enricher(TopicMatcher.for_site(config), EntityFinder.with_gazetteer(Gazetteer()))
    return enrich(article, enricher)[1]


def article(
    headline: str,
    sections: Sequence[tuple[str, Sequence[str]]],
    *,
    source: str = "",
    published: datetime = WHEN,
    slug: str = "",
    summary: str = "",
    extra: dict[str, Any] | None = None,
    path: str = "",
) -> Article:
    """An article as a loader would make it, from a headline and (heading, paragraphs) sections."""
    built = tuple(
        Section(heading, tuple(paragraphs), "".join(f"<p>{p}</p>" for p in paragraphs))
        for heading, paragraphs in sections
    )
    slug = slug or headline.lower().replace(" ", "-")[:40]
    outlet = Source(source, f"https://{source.lower().replace(' ', '-')}.example/", f"{source.lower()}.example")
    return Article(
        slug=slug,
        headline=headline,
        authors=(),
        ai_generated=False,
        published=published,
        source=outlet if source else None,
        sections=built,
        tags=(),
        summary=summary,
        provenance=Provenance(path=path or f"content/{slug}.md", sha256=slug, loader="test"),
        extra=extra or {},
    )
