"""One story from many sources: clusters of reports, same-text duplicates, and candidate pairs that scale."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from broadsheet.build import cached_names, deduplicate
from broadsheet.cache import Loaded
from broadsheet.enrich.cluster import (
    Hasher,
    Report,
    candidate_pairs,
    cluster_articles,
    cluster_reports,
    jaccard,
    report_of,
    reports_key,
)
from broadsheet.enrich.site import drop_same_text, finish_site, merge_names, names_digest, site_keys
from broadsheet.errors import Diagnostics
from broadsheet.memo import Memo
from broadsheet.model import Article, Story
from enrich_articles import WHEN, article, enriched, sample_config

FIRST = article(
    "Russia and Ukraine agree to swap 1,000 prisoners each after Istanbul talks",
    [
        (
            "",
            [
                "Russia and Ukraine agreed on Friday to exchange 1,000 prisoners of war each, the largest swap of the "
                "conflict, after their first direct talks in Istanbul in three years. The talks ended without a ceasefire."
            ],
        )
    ],
    source="Wire One",
    slug="wire-one-swap",
)
SECOND = article(
    "Ukraine, Russia agree on largest prisoner exchange at Istanbul talks, no ceasefire",
    [
        (
            "",
            [
                "Ukraine and Russia agreed to a prisoner exchange of 1,000 for 1,000 at talks in Istanbul on Friday, the "
                "biggest swap since the war began, but made no progress towards a ceasefire."
            ],
        )
    ],
    source="Daily Two",
    slug="daily-two-swap",
    published=WHEN + timedelta(hours=2),
)
THIRD = article(
    "Istanbul talks end with prisoner swap deal but no truce",
    [
        (
            "",
            [
                "Delegations from Russia and Ukraine agreed in Istanbul to swap 1,000 prisoners each, the largest "
                "exchange of the war, but the talks produced no ceasefire."
            ],
        )
    ],
    source="Gazette Three",
    slug="gazette-three-swap",
    published=WHEN + timedelta(hours=15),
)
LIBRARY = article(
    "Port city opens new floating library for residents",
    [("", ["The harbour town opened a floating library in a retired ferry on Friday, with 12,000 books."])],
    source="Daily Two",
    slug="library",
)


def pairs(*articles: Article) -> list[tuple[Article, tuple[Story, ...]]]:
    return [(a, enriched(a)) for a in articles]


def test_reports_of_one_event_from_different_outlets_form_one_cluster() -> None:
    clusters = cluster_articles(pairs(SECOND, LIBRARY, THIRD, FIRST), sample_config().enrich)
    assert [c.articles for c in clusters.clusters] == [("wire-one-swap", "daily-two-swap", "gazette-three-swap")]
    cluster = clusters.of("daily-two-swap")
    assert cluster is not None and cluster.slug == "wire-one-swap"  # named after the first report
    assert clusters.of("library") is None
    assert 0.3 <= cluster.similarity <= 1


def test_the_front_page_keeps_only_the_first_report_of_a_cluster() -> None:
    clusters = cluster_articles(pairs(FIRST, SECOND, THIRD, LIBRARY), sample_config().enrich)
    assert [a.slug for a in clusters.leads([THIRD, LIBRARY, SECOND, FIRST])] == ["library", "wire-one-swap"]


def test_same_outlet_and_far_apart_reports_do_not_cluster() -> None:
    options = sample_config().enrich
    same_outlet = replace(SECOND, source=FIRST.source)
    assert cluster_articles(pairs(FIRST, same_outlet), options).clusters == ()
    weeks_later = replace(SECOND, published=WHEN + timedelta(hours=options.cluster_window_hours + 1))
    assert cluster_articles(pairs(FIRST, weeks_later), options).clusters == ()
    wide = replace(options, cluster_window_hours=24 * 30)
    assert len(cluster_articles(pairs(FIRST, weeks_later), wide).clusters) == 1


def test_similarity_threshold_is_configurable() -> None:
    options = replace(sample_config().enrich, cluster_similarity=0.95)
    assert cluster_articles(pairs(FIRST, SECOND, THIRD), options).clusters == ()


def test_same_text_under_another_name_is_dropped_and_reported() -> None:
    body = FIRST.sections[0].paragraphs[0]
    respaced = body.replace(" ", "  ").replace("Russia ", "Russia\u00a0", 1)  # double spaces, a no-break space
    copy = replace(
        FIRST,
        slug="copy",
        headline=FIRST.headline.upper(),
        sections=(replace(FIRST.sections[0], paragraphs=(respaced,)),),
        provenance=replace(FIRST.provenance, path="seeds/copy.txt", sha256="other-bytes"),
    )
    diagnostics = Diagnostics()
    kept = drop_same_text(pairs(FIRST, copy, SECOND), diagnostics)
    assert [a.slug for a, _ in kept] == ["wire-one-swap", "daily-two-swap"]
    assert len(diagnostics.warnings) == 1
    assert "seeds/copy.txt" in diagnostics.warnings[0] and FIRST.provenance.path in diagnostics.warnings[0]
    edited = replace(copy, sections=(replace(FIRST.sections[0], paragraphs=(body + " One more sentence.",)),))
    assert len(drop_same_text(pairs(FIRST, edited), Diagnostics())) == 2


def test_finish_site_runs_every_site_level_step() -> None:
    diagnostics = Diagnostics()
    kept, clusters = finish_site(sample_config(), pairs(FIRST, SECOND, LIBRARY), diagnostics)
    assert len(kept) == 3 and len(clusters.clusters) == 1 and diagnostics.warnings == []


def test_a_surname_joins_the_one_full_name_across_articles() -> None:
    full = article("Talks", [("", ["Russian President Vladimir Putin met envoys in Moscow."])], slug="full")
    short = article("Kremlin", [("", ["Critics said Putin would not attend the talks in Geneva."])], slug="short")
    merged = dict((a.slug, s) for a, s in merge_names(pairs(full, short)))
    putin = [m for m in merged["short"][0].mentions if m.kind == "person"]
    assert [(m.name, m.slug) for m in putin] == [("Vladimir Putin", "vladimir-putin")]
    assert "Putin" in putin[0].aliases


def test_names_are_merged_again_only_when_an_articles_mentions_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from broadsheet.enrich import site

    full = article("Talks", [("", ["Russian President Vladimir Putin met envoys in Moscow."])], slug="full")
    short = article("Kremlin", [("", ["Critics said Putin would not attend the talks in Geneva."])], slug="short")
    records = pairs(full, short)
    hasher = Hasher()
    keys = {a.provenance.path: site_keys(a, s, hasher) for a, s in records}
    memo = Memo(tmp_path / "names.pickle", "v1")
    first = merge_names(records, keys, memo)
    assert first == merge_names(records)  # the memo changes nothing but the cost

    def walk(records: object) -> dict[str, tuple[str, str, str]]:
        raise AssertionError("merged again")

    monkeypatch.setattr(site, "_renames", walk)
    assert merge_names(records, keys, memo) == first  # same mentions: the remembered renames
    assert merge_names(records, None, memo) == first  # keys computed afresh are the same keys
    edited = article("Kremlin", [("", ["Critics said Putin and Olaf Scholz would not attend."])], slug="short")
    with pytest.raises(AssertionError, match="merged again"):
        merge_names(pairs(full, edited), None, memo)


def test_cached_names_digests_stand_for_slug_copies_but_not_for_merged_names() -> None:
    full = article("Talks", [("", ["Council chair Ines Varga met envoys in Moscow."])], slug="full")
    short = article("Budget", [("", ["Critics said Varga would not attend the talks in Geneva."])], slug="short")
    same_slug = article("Envoys", [("", ["Ines Varga met envoys again."])], slug="full", path="content/again.md")
    same_slug = replace(same_slug, provenance=replace(same_slug.provenance, sha256="another file"))
    records = pairs(full, short, same_slug)
    hasher = Hasher()
    loaded = [Loaded(a.provenance.path, (0, 0, 0, 0), a, s, keys=site_keys(a, s, hasher)) for a, s in records]
    published = deduplicate(records, Diagnostics())
    kept = merge_names(published)
    names = cached_names(loaded, published, kept)
    copy = published[2][0].slug
    assert copy.startswith("full-") and published[2][1] is not records[2][1]  # copied under a new slug
    assert sorted(names) == sorted(["full", copy])  # short's "Varga" became Ines Varga: worked out afresh
    for article_, stories in kept:
        if article_.slug in names:
            assert names[article_.slug] == names_digest(stories)


def _reports(count: int, planted: int) -> list[Report]:
    """Random reports over a year from a 5,000-word vocabulary, with ``planted`` near-copies a few hours apart."""
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    reports = []
    for i in range(count):
        words = frozenset(rng.sample(vocabulary, 25))
        reports.append(Report(f"r{i}", f"outlet{i % 15}", rng.uniform(0, 365 * 86400), words))
    for i in range(planted):
        original = reports[i]
        kept = sorted(original.words)[:20]
        reports.append(
            Report(f"copy{i}", "another-outlet", original.timestamp + 3600, frozenset([*kept, "x1", "x2", "x3"]))
        )
    return reports


def test_candidate_pairs_are_a_small_fraction_of_all_pairs_and_find_every_near_copy() -> None:
    reports = _reports(3000, 50)
    window = 72 * 3600.0
    found = list(candidate_pairs(reports, window))
    total = len(reports) * (len(reports) - 1) // 2
    assert len(found) < total // 100
    assert len(set(found)) == len(found)
    for i, j in found:
        assert abs(reports[i].timestamp - reports[j].timestamp) <= window
    clusters = cluster_reports(reports, replace(sample_config().enrich, cluster_window_hours=72))
    joined = {c.articles for c in clusters.clusters}
    for i in range(50):
        assert (f"r{i}", f"copy{i}") in joined, i
        assert jaccard(reports[i].words, reports[3000 + i].words) >= 0.3
    assert len(clusters.clusters) == 50  # and nothing else: random reports share too little


def test_similarity_does_not_chain_into_one_giant_cluster() -> None:
    """A~B and B~C, but A and C share little: C must not be pulled into A's story through B."""
    from broadsheet.config import EnrichOptions
    from broadsheet.enrich.cluster import Report, cluster_reports

    a = frozenset(["council", "approves", "harbour", "budget", "after", "long", "debate", "tuesday"])
    b = frozenset(["council", "approves", "harbour", "budget", "after", "storm", "damage", "review"])
    c = frozenset(["storm", "damage", "review", "finds", "harbour", "walls", "weakened", "badly"])
    reports = [
        Report("a", "one.example", 0.0, a),
        Report("b", "two.example", 60.0, b),
        Report("c", "three.example", 120.0, c),
    ]
    options = EnrichOptions(cluster_similarity=0.3)
    from broadsheet.enrich.cluster import jaccard

    assert jaccard(a, b) >= 0.3 and jaccard(b, c) >= 0.3 > jaccard(a, c)
    clusters = cluster_reports(reports, options).clusters
    assert [c.articles for c in clusters] == [("a", "b")]


def test_clusters_are_remembered_until_a_headline_lead_or_setting_changes(tmp_path: Path) -> None:
    options = sample_config().enrich
    memo = Memo(tmp_path / "clusters.pickle", "v1")
    records = pairs(FIRST, SECOND, LIBRARY)
    first = cluster_articles(records, options, memo=memo)
    assert first == cluster_articles(records, options)  # the memo changes nothing
    reports = [report_of(a, s) for a, s in records]
    key = reports_key(reports, options)
    assert memo.get(key, lambda: pytest.fail("recomputed although nothing changed")) == first

    edited = [replace(reports[0], words=reports[0].words | {"correction"}), *reports[1:]]
    moved = [replace(reports[0], timestamp=reports[0].timestamp + 1), *reports[1:]]
    wider = replace(options, cluster_window_hours=options.cluster_window_hours + 1)
    assert len({key, reports_key(edited, options), reports_key(moved, options), reports_key(reports, wider)}) == 4

    computed: list[str] = []
    other_code = Memo(memo.file, "v2")
    assert other_code.get(key, lambda: computed.append("v2") or first) == first
    memo.file.write_bytes(b"not a pickle")
    assert memo.get(key, lambda: computed.append("garbage") or first) == first
    assert computed == ["v2", "garbage"]


def test_cached_words_give_the_same_memo_key_and_clusters_without_recomputing(tmp_path: Path) -> None:
    """A rebuild passes each article's cached words (site_keys): the memo must hit as for freshly computed reports."""
    options = sample_config().enrich
    records = pairs(SECOND, LIBRARY, THIRD, FIRST)
    hasher = Hasher()
    keys = {a.provenance.path: site_keys(a, s, hasher) for a, s in records}
    known = {path: (k.words, k.signature) for path, k in keys.items() if k.signature}
    assert len(known) == len(records)
    memo = Memo(tmp_path / "clusters.pickle", "v1")
    fresh = cluster_articles(records, options, memo=memo)
    stored = memo.file.read_bytes()
    light = [(replace(a, sections=()), tuple(replace(s, paragraphs=()) for s in stories)) for a, stories in records]
    assert cluster_articles(light, options, known, memo) == fresh  # light records have no lead: cached words stand in
    assert memo.file.read_bytes() == stored  # a hit: nothing computed, nothing stored again
    assert cluster_articles(records, options, known) == fresh  # and without a memo, the same clusters


def test_the_closest_pair_joins_first() -> None:
    """B is like A and closer to C; A and C share little. B joins C's story, whatever order the reports come in."""
    from itertools import permutations

    from broadsheet.config import EnrichOptions

    a = frozenset(["council", "approves", "harbour", "budget", "long", "debate", "tuesday", "vote"])
    b = frozenset(["council", "approves", "harbour", "budget", "storm", "damage", "review", "repairs"])
    c = frozenset(["storm", "damage", "review", "repairs", "harbour", "budget", "walls", "inquiry"])
    assert jaccard(b, c) > jaccard(a, b) >= 0.3 > jaccard(a, c)
    reports = [
        Report("c", "three.example", 0.0, c),
        Report("a", "one.example", 60.0, a),
        Report("b", "two.example", 120.0, b),
    ]
    for order in permutations(reports):
        clusters = cluster_reports(list(order), EnrichOptions(cluster_similarity=0.3)).clusters
        assert [cluster.articles for cluster in clusters] == [("c", "b")]
