"""Topics: the seed's sections in order, several topics per story, forced topics, the default, the debug listing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.cli import main
from broadsheet.config import parse_config
from broadsheet.enrich.topics import FORCED_TERM, TopicMatcher
from broadsheet.errors import BroadsheetError
from enrich_articles import REPO, SEED, article, enriched, load, sample_config


def test_seed_sections_are_filed_in_order_under_their_topics() -> None:
    stories = enriched(load(SEED))
    assert [s.topic.slug for s in stories] == ["talks", "prisoner-swap", "ceasefire-demands", "diplomatic-friction"]


def test_scores_and_matched_terms_are_kept() -> None:
    talks = enriched(load(SEED))[0].topic
    assert talks.score > 0
    assert "talks" in talks.terms and "negotiations" in talks.terms


def test_a_story_keeps_every_topic_above_the_threshold_best_first() -> None:
    first = enriched(load(SEED))[0]
    assert [t.slug for t in first.topics] == ["talks", "ceasefire-demands"]
    assert first.topics[0].score >= first.topics[1].score >= first.topics[0].score * 0.5
    # "diplomatic" matched once (score 1) but stays below the threshold, so it is not kept
    matcher = TopicMatcher.for_site(sample_config())
    scored = matcher.scores(first.heading, " ".join(first.paragraphs))
    assert "diplomatic-friction" in [t.slug for t in scored]


def test_threshold_and_maximum_are_configurable() -> None:
    config = sample_config()
    strict = replace(config, enrich=replace(config.enrich, topic_ratio=0.9))
    assert [t.slug for t in enriched(load(SEED), strict)[0].topics] == ["talks"]
    loose = replace(config, enrich=replace(config.enrich, topic_ratio=0.0, topic_min_score=0.0, max_topics=2))
    assert len(enriched(load(SEED), loose)[0].topics) == 2


def test_front_matter_topic_is_forced_first() -> None:
    forced = article(
        "Harbour festival draws crowds",
        [("", ["The council said the festival and the museum drew residents to the harbour."])],
        extra={"topic": "prisoner-swap"},
    )
    topics = enriched(forced)[0].topics
    assert topics[0].slug == "prisoner-swap"
    assert FORCED_TERM in topics[0].terms
    assert "city-life" in [t.slug for t in topics]  # the topic its words earn is still kept after it


@pytest.mark.parametrize("value", ["Prisoner swap", "prisoner swap"])
def test_forced_topic_may_be_named_by_name(value: str) -> None:
    forced = article("Anything", [("", ["Nothing about any topic at all here."])], extra={"topic": value})
    assert enriched(forced)[0].topic.slug == "prisoner-swap"


def test_unknown_forced_topic_is_ignored() -> None:
    forced = article("Anything", [("", ["Nothing about any topic at all here."])], extra={"topic": "gardening"})
    assert enriched(forced)[0].topic.slug == "general"


def test_story_matching_nothing_goes_to_the_default_topic() -> None:
    plain = article("Weather", [("", ["It rained a little on the hills and then stopped."])])
    topics = enriched(plain)[0].topics
    assert [(t.slug, t.score, t.terms) for t in topics] == [("general", 0.0, ())]


def test_plural_and_phrase_matching_follow_the_term_rules() -> None:
    matcher = TopicMatcher.for_site(sample_config())
    swap = matcher.scores("", "Two prisoner exchanges took place. The swaps were slow.")
    assert swap[0].slug == "prisoner-swap"
    assert set(swap[0].terms) >= {"prisoner exchange", "swap"}
    # a phrase needs its words next to each other, not across punctuation
    assert matcher.scores("", "the prisoner, exchange") == matcher.scores("", "the prisoner; exchange")
    assert "prisoner exchange" not in matcher.scores("", "the prisoner, exchange")[0].terms


def test_enrich_options_are_validated(tmp_path: Path) -> None:
    text = "title: T\nbase_url: https://example.org/\nenrich:\n  topic_ratio: 2\n"
    with pytest.raises(BroadsheetError, match="topic_ratio") as error:
        parse_config(text, tmp_path, tmp_path / "site.yaml")
    assert error.value.line == 4
    with pytest.raises(BroadsheetError, match=r"unknown key 'enrich\.colour'"):
        parse_config("title: T\nbase_url: /\nenrich: {colour: red}\n", tmp_path, tmp_path / "site.yaml")


def test_topics_command_lists_scores_and_terms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "--site", str(REPO)]) == 0
    out = capsys.readouterr().out
    seed_block = out[out.index("seeds/000_545537a60ee26914.txt") :]
    assert "#story-1 Ukraine-Russia Talks Stall Over Demands for Ceasefire" in seed_block
    talks = enriched(load(SEED))[0].topic
    talks_line = next(line for line in seed_block.splitlines() if line.strip().startswith("* talks"))
    assert f"{talks.score:.1f}" in talks_line and ", ".join(talks.terms) in talks_line
    # a topic that scored but stayed below the threshold is listed without the mark
    assert any(line.strip().startswith("diplomatic-friction") for line in seed_block.splitlines())


def test_topics_command_lists_what_build_publishes(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Drafts and future articles are left out, as ``build`` leaves them out, unless asked for the same way."""
    content = sample_site / "content"
    (content / "draft.md").write_text("---\ntitle: Draft about talks\ndraft: true\n---\nTalks resumed today.\n")
    (content / "later.md").write_text("---\ntitle: Scheduled talks\ndate: 3025-01-01\n---\nTalks resume then.\n")
    assert main(["topics", "--site", str(sample_site)]) == 0
    plain = capsys.readouterr().out
    assert "content/2025-05-17-river-commission-talks.md:" in plain
    assert "content/draft.md" not in plain and "content/later.md" not in plain
    assert main(["topics", "--site", str(sample_site), "--drafts", "--future"]) == 0
    everything = capsys.readouterr().out
    assert "content/draft.md: Draft about talks" in everything
    assert "content/later.md: Scheduled talks" in everything


def test_topics_command_fails_on_an_unreadable_input(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (sample_site / "content" / "broken.md").write_text("---\ntitle: [oops\n---\nBody\n")
    assert main(["topics", "--site", str(sample_site)]) == 1
    assert "error: content/broken.md:2: invalid YAML front matter" in capsys.readouterr().err
