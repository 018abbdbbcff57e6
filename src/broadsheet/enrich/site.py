"""The enrichment steps that need every article at once, run after per-article enrichment.

1. **Same text, other bytes**: two files whose headline and body read the same
   once Unicode, quotation marks, white space and case are normalised (a
   re-saved copy, CRLF, a BOM, no-break spaces) are one article. The first (in
   path order) is kept; the others are reported and left out, as ``build``
   already does for byte-identical files and repeated original URLs.
2. **Names across articles**: a person named only by surname in one article
   ("Putin") joins the one full name ending in it anywhere on the site
   ("Vladimir Putin"); a name seen as different kinds takes its most frequent
   kind. Entity pages then gather every story under one slug.
3. **Story clusters** (cluster.py).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import SiteConfig
from ..errors import Diagnostics
from ..fingerprint import digest
from ..memo import Memo
from ..model import Article, ClusterIndex, Mention, Record, Story, evolve
from .cluster import Hasher, cluster_articles, report_words
from .entities import KIND_ORDER, PERSON
from .text import fold

Enriched = tuple[Article, tuple[Story, ...]]


@dataclass(frozen=True, slots=True)
class SiteKeys(Record):
    """What the site-level steps need from one article, computed with it and cached with it."""

    text: str
    words: str  # the report words, sorted and space-separated: one object in the cache, a set only while clustering
    signature: bytes  # MinHash, packed (cluster.Hasher.signature)
    names: str = ""  # digest of the article's names and speakers (``names_digest``)


def site_keys(article: Article, stories: Sequence[Story], hasher: Hasher) -> SiteKeys:
    words = report_words(article, stories)
    signature = hasher.signature(words) if words else b""
    return SiteKeys(text_fingerprint(article), " ".join(sorted(words)), signature, names_digest(stories))


def names_digest(stories: Sequence[Story]) -> str:
    """Every story's mentions (all their fields) and quotes' speakers, in order.

    All that merging names (``_renames``) and the entity directory
    (pagesets_enrich) read of one article: their memos are keyed by it.
    """
    lines = []
    for story in stories:
        lines.append("story")
        lines += ["\t".join((m.slug, m.kind, m.name, m.role, *m.aliases)) for m in story.mentions]
        lines += [f"said\t{q.speaker_slug}" for q in story.quotes]
    return digest(*lines)


def text_fingerprint(article: Article) -> str:
    """A hash of what an article says, blind to encoding, quotation-mark style, white space and case."""
    parts = [article.headline, *(s.heading for s in article.sections)]
    parts += [p for s in article.sections for p in s.paragraphs]
    return hashlib.sha256(fold(" ".join(parts)).casefold().encode("utf-8")).hexdigest()


def drop_same_text(
    enriched: Sequence[Enriched],
    diagnostics: Diagnostics,
    keys: Mapping[str, SiteKeys] | None = None,
    duplicates: dict[str, str] | None = None,
) -> list[Enriched]:
    """Keep the first of articles with the same text; report the others (in ``duplicates`` too, with the first's path)."""
    seen: dict[str, str] = {}
    kept = []
    for article, stories in enriched:
        known = (keys or {}).get(article.provenance.path)
        key = known.text if known is not None else text_fingerprint(article)
        original = seen.get(key)
        if original is not None:
            diagnostics.warn(
                f"same text as {original} (only spacing, encoding or quotes differ): skipped", article.provenance.path
            )
            if duplicates is not None:
                duplicates[article.provenance.path] = original
            continue
        seen[key] = article.provenance.path
        kept.append((article, stories))
    return kept


def _renames(enriched: Sequence[Enriched]) -> dict[str, tuple[str, str, str]]:
    """slug → (name, kind, slug) it should become: surnames to full names, one kind per name."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for _article, stories in enriched:
        for story in stories:
            for mention in story.mentions:
                kinds[mention.slug][mention.kind] += 1
                names.setdefault(mention.slug, mention.name)
    kind_of = {slug: min(c, key=lambda k: (-c[k], KIND_ORDER[k])) for slug, c in kinds.items()}
    full_names: dict[str, list[str]] = defaultdict(list)
    for slug, name in names.items():
        if kind_of[slug] == PERSON and " " in name:
            full_names[fold(name.split()[-1])].append(slug)
    renames = {}
    for slug, name in names.items():
        target = slug
        if kind_of[slug] == PERSON and " " not in name and len(full_names.get(fold(name), [])) == 1:
            target = full_names[fold(name)][0]
        if target != slug or any(k != kind_of[slug] for k in kinds[slug]):
            renames[slug] = (names[target], kind_of[target], target)
    return renames


def _renamed_story(story: Story, renames: dict[str, tuple[str, str, str]]) -> Story:
    mentions: dict[str, Mention] = {}
    for mention in story.mentions:
        name, kind, slug = renames.get(mention.slug, (mention.name, mention.kind, mention.slug))
        aliases = mention.aliases + ((mention.name,) if name != mention.name else ())
        previous = mentions.get(slug)
        if previous is not None:
            aliases = tuple(dict.fromkeys(previous.aliases + aliases))
        mentions[slug] = Mention(name, kind, slug, (previous.role if previous else "") or mention.role, aliases)
    quotes = []
    for quote in story.quotes:
        if quote.speaker_slug in renames:
            name, _kind, slug = renames[quote.speaker_slug]
            quote = evolve(quote, speaker=name, speaker_slug=slug)
        quotes.append(quote)
    ordered = sorted(mentions.values(), key=lambda m: (KIND_ORDER[m.kind], m.name.lower()))
    return evolve(story, mentions=tuple(ordered), quotes=tuple(quotes))


def merge_names(
    enriched: Sequence[Enriched], keys: Mapping[str, SiteKeys] | None = None, memo: Memo | None = None
) -> list[Enriched]:
    """Give every entity one name, kind and slug across the site.

    With a ``memo`` the renames are reused while every article's mentions
    (their digest, cached with each article in ``keys``) are the same: the
    walk over every mention of the site is done only when one changed.
    """
    if memo is None:
        renames = _renames(enriched)
    else:
        keys = keys or {}
        lines = []
        for article, stories in enriched:
            known = keys.get(article.provenance.path)
            lines.append(known.names if known is not None and known.names else names_digest(stories))
        renames = memo.get(digest(*lines), lambda: _renames(enriched))
    if not renames:
        return list(enriched)
    out = []
    for article, stories in enriched:
        if any(m.slug in renames for s in stories for m in s.mentions):
            stories = tuple(_renamed_story(s, renames) for s in stories)
        out.append((article, stories))
    return out


@dataclass(frozen=True)
class SiteMemos:
    """Where the site-level steps remember their last results (``memo.Memo``): one file each."""

    names: Memo
    clusters: Memo


def finish_site(
    config: SiteConfig,
    enriched: Sequence[Enriched],
    diagnostics: Diagnostics,
    keys: Mapping[str, SiteKeys] | None = None,
    memos: SiteMemos | None = None,
    duplicates: dict[str, str] | None = None,
) -> tuple[list[Enriched], ClusterIndex]:
    """The site-level enrichment steps, in order; returns the articles kept and their clusters.

    ``keys`` (by input path) are the per-article parts computed and cached with each article;
    ``memos`` keep the last renames and clustering for a build whose names, headlines and leads are unchanged;
    ``duplicates`` gets each article left out for the same text as another, with that other's path.
    """
    keys = keys or {}
    kept = merge_names(drop_same_text(enriched, diagnostics, keys, duplicates), keys, memos.names if memos else None)
    known = {path: (k.words, k.signature) for path, k in keys.items() if k.signature}
    return kept, cluster_articles(kept, config.enrich, known, memos.clusters if memos else None)
