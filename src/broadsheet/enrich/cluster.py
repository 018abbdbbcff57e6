"""One story from many sources: cluster reports of the same event, never comparing all pairs.

Each article is reduced to the content words of its headline and lead (first
two sentences). Two reports are of one event when those word sets are
similar (Jaccard ≥ ``cluster_similarity``), they come from different outlets,
and they were published within ``cluster_window_hours`` of each other.

Candidates come from MinHash with locality-sensitive hashing: ``BANDS`` bands
of ``ROWS`` rows, so a pair at the similarity threshold 0.3 shares a band with
probability 1 - (1 - 0.3²)³² ≈ 0.95. Within a band bucket, members are sorted
by date and only those inside the time window are paired, so the work grows
with the number of articles times their neighbours in time, not with all
pairs. Every candidate is then checked with its exact Jaccard similarity.
Hash functions are fixed (blake2b + constant linear maps): same input, same
clusters.
"""

from __future__ import annotations

import hashlib
import struct
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..config import EnrichOptions
from ..fingerprint import digest
from ..memo import Memo
from ..model import Article, Cluster, ClusterIndex, Story
from .summary import prose_sentences
from .text import content_words

BANDS = 32
ROWS = 2
_PRIME = (1 << 61) - 1
SIGNATURE_FORMAT = f">{BANDS * ROWS}Q"  # every value is below _PRIME < 2**64
BAND_BYTES = ROWS * 8


def _constant(label: str) -> int:
    """A fixed pseudo-random number below ``_PRIME``: the hash functions are constants, not state."""
    return int.from_bytes(hashlib.blake2b(label.encode(), digest_size=8).digest(), "big") % (_PRIME - 1) + 1


_PERMUTATIONS = tuple((_constant(f"a{i}"), _constant(f"b{i}")) for i in range(BANDS * ROWS))
LEAD_SENTENCES = 2


@dataclass(frozen=True)
class Report:
    """What clustering looks at in one article."""

    slug: str
    outlet: str
    timestamp: float
    words: frozenset[str]
    signature: bytes = b""  # MinHash of ``words``, when already known (cached per article)


def report_words(article: Article, stories: Sequence[Story]) -> frozenset[str]:
    """The content words of an article's headline and lead: what clustering compares."""
    paragraphs = [p for s in stories for p in s.paragraphs][:4]
    lead = " ".join(prose_sentences(paragraphs)[:LEAD_SENTENCES])
    return frozenset(content_words(f"{article.headline} {lead}"))


Known = tuple[str, bytes]  # an article's report words (sorted, space-separated) and their signature, as cached


def report_of(article: Article, stories: Sequence[Story], known: Known | None = None) -> Report:
    """The headline and lead words of an article, its outlet and its time (words and signature reused if known)."""
    words, signature = (frozenset(known[0].split()), known[1]) if known else (report_words(article, stories), b"")
    return Report(article.slug, _outlet(article), article.published.timestamp(), words, signature)


def _outlet(article: Article) -> str:
    return (article.source.domain or article.source.name).lower() if article.source else ""


class Hasher:
    """MinHash signatures; each word's hash row is computed once per build."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[int, ...]] = {}

    def row(self, word: str) -> tuple[int, ...]:
        row = self._rows.get(word)
        if row is None:
            x = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")
            row = tuple((a * x + b) % _PRIME for a, b in _PERMUTATIONS)
            self._rows[word] = row
        return row

    def signature(self, words: frozenset[str]) -> bytes:
        """Packed as 8-byte integers: a tenth of the memory of a tuple of ints, for every cached article."""
        return struct.pack(SIGNATURE_FORMAT, *map(min, zip(*(self.row(w) for w in sorted(words)), strict=True)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


SWEEP_EVERY = 1024  # reports between two sweeps of the buckets every later report's window has left


def candidate_pairs(reports: Sequence[Report], window: float) -> Iterator[tuple[int, int]]:
    """Index pairs sharing a MinHash band and published within ``window`` seconds; each pair once.

    Reports are taken in time order, and each is paired with the earlier ones
    in its buckets that are still inside the window: buckets hold ranks in
    time order, so a binary search finds where the window starts, a set
    removes the pairs that share several bands, and buckets the window has
    left are let go. Work and memory grow with the reports close in time,
    never with every pair a bucket ever held (at 100,000 articles over two
    years, 43 candidates an article; a set of every pair seen held them all
    at once) nor with every bucket ever made (32 an article).
    """
    hasher = Hasher()
    order = sorted((i for i, report in enumerate(reports) if report.words), key=lambda i: (reports[i].timestamp, i))
    times = [reports[i].timestamp for i in order]
    bands: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]  # per band: bucket -> ranks, oldest first
    for rank, i in enumerate(order):
        report = reports[i]
        signature = report.signature or hasher.signature(report.words)
        first = bisect_left(times, times[rank] - window)  # the earliest rank still inside this report's window
        if rank % SWEEP_EVERY == 0:
            for buckets in bands:
                for key in [key for key, ranks in buckets.items() if ranks[-1] < first]:
                    del buckets[key]
        near: set[int] = set()
        for band, buckets in enumerate(bands):
            key = signature[band * BAND_BYTES : (band + 1) * BAND_BYTES]
            ranks = buckets.get(key)
            if ranks is None:
                buckets[key] = [rank]
                continue
            start = bisect_left(ranks, first)
            if start:
                del ranks[:start]
            near.update(ranks)
            ranks.append(rank)
        for other in sorted(near):
            j = order[other]
            yield (j, i) if j < i else (i, j)


def similar_pairs(reports: Sequence[Report], options: EnrichOptions) -> list[tuple[float, int, int]]:
    """(similarity, i, j) of the candidate pairs of different outlets at or above the threshold, most similar first."""
    pairs = []
    for i, j in candidate_pairs(reports, options.cluster_window_hours * 3600.0):
        a, b = reports[i], reports[j]
        if a.outlet and a.outlet == b.outlet:
            continue
        shared = len(a.words & b.words)  # Jaccard without building the union set
        similarity = shared / (len(a.words) + len(b.words) - shared)
        if similarity >= options.cluster_similarity:
            pairs.append((similarity, i, j))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    return pairs


def cluster_reports(reports: Sequence[Report], options: EnrichOptions) -> ClusterIndex:
    """Union the similar, close-in-time reports of different outlets; the earliest report leads.

    The closest pairs join first, and a group is known by its earliest
    report, so which reports form a story depends on how alike they are and
    when they were published, never on the order the reports or the pairs
    came in.
    """
    reports = sorted(reports, key=lambda r: (r.timestamp, r.slug))  # an index is now a rank in time
    parent = list(range(len(reports)))
    weakest: dict[int, float] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for similarity, i, j in similar_pairs(reports, options):
        root_i, root_j = find(i), find(j)
        # Two groups join only when their first members are alike too: similarity does not chain
        # through a series of near neighbours into one giant "story" (templated reports would).
        if root_i != root_j and jaccard(reports[root_i].words, reports[root_j].words) >= options.cluster_similarity:
            parent[max(root_i, root_j)] = min(root_i, root_j)
            low = min(similarity, weakest.get(root_i, 1.0), weakest.get(root_j, 1.0))
            weakest[min(root_i, root_j)] = low
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(reports)):  # in time order: each group's members too
        groups[find(i)].append(i)
    clusters = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        slugs = tuple(reports[i].slug for i in members)
        clusters.append(Cluster(slugs[0], slugs, round(weakest.get(root, 1.0), 3)))
    clusters.sort(key=lambda c: c.slug)
    return ClusterIndex(tuple(clusters), {slug: c for c in clusters for slug in c.articles})


def cluster_articles(
    enriched: Sequence[tuple[Article, tuple[Story, ...]]],
    options: EnrichOptions,
    known: Mapping[str, Known] | None = None,
    memo: Memo | None = None,
) -> ClusterIndex:
    """The story clusters of a site's enriched articles; ``known`` maps input paths to cached words and signatures.

    With a ``memo`` (a file under ``.cache/``) the last result is reused while
    every report (slug, outlet, time, words) and setting is the same; its key
    is made from the cached words as they are, so a reused result costs no
    word sets at all.
    """
    known = known or {}

    def clusters() -> ClusterIndex:
        return cluster_reports([report_of(a, s, known.get(a.provenance.path)) for a, s in enriched], options)

    if memo is None:
        return clusters()
    lines = []
    for article, stories in enriched:
        cached = known.get(article.provenance.path)
        text = cached[0] if cached else " ".join(sorted(report_words(article, stories)))
        lines.append(_key_line(article.slug, _outlet(article), article.published.timestamp(), text))
    return memo.get(_key(options, lines), clusters)


def reports_key(reports: Sequence[Report], options: EnrichOptions) -> str:
    """Everything clustering reads: two equal keys give the same clusters (``cluster_articles``' memo key)."""
    return _key(options, [_key_line(r.slug, r.outlet, r.timestamp, " ".join(sorted(r.words))) for r in reports])


def _key_line(slug: str, outlet: str, timestamp: float, words: str) -> str:
    return f"{slug}|{outlet}|{timestamp!r}|{words}"


def _key(options: EnrichOptions, lines: Sequence[str]) -> str:
    settings = f"{options.cluster_window_hours}|{options.cluster_similarity}|{BANDS}|{ROWS}"
    return digest(settings, *lines)
