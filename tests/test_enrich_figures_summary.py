"""Key figures (counts with what they count, money, percentages, dates) and extractive summaries."""

from __future__ import annotations

import pytest

from broadsheet.enrich.figures import find_figures, qualifiers_from
from broadsheet.enrich.summary import MIN_WORDS, lead_summary, two_sentence_summary
from broadsheet.enrich.text import content_words, sentences
from enrich_articles import REPO, SEED, article, enriched, load


def test_seed_prisoner_exchange_count_with_what_it_counts() -> None:
    stories = enriched(load(SEED))
    counts = [(f.text, f.context) for f in stories[1].figures if f.kind == "count"]
    assert counts == [("1,000 for 1,000", "prisoner exchange")]


def test_seed_dates() -> None:
    stories = enriched(load(SEED))
    assert ("on Friday", "date") in [(f.text, f.kind) for f in stories[2].figures]


@pytest.mark.parametrize(
    ("text", "figure", "kind"),
    [
        ("The council approved a $2 billion plan for transit.", "$2 billion", "money"),
        ("Donors pledged €5m to the fund.", "€5m", "money"),
        ("The bill costs 25 million euros a year.", "25 million euros", "money"),
        ("Prices rose 12.3 percent in a year.", "12.3 percent", "percent"),
        ("Turnout fell to 40% this time.", "40%", "percent"),
        ("Talks resume on May 16 in Geneva.", "May 16", "date"),
        ("Talks resume on 16 May 2025 in Geneva.", "16 May 2025", "date"),
        ("The plant will close by 2026 at the latest.", "by 2026", "date"),
        ("The vote was held last Tuesday.", "last Tuesday", "date"),
    ],
)
def test_figure_kinds(text: str, figure: str, kind: str) -> None:
    assert (figure, kind) in [(f.text, f.kind) for f in find_figures(text)]


def test_money_is_not_also_a_count_and_years_are_dates() -> None:
    found = find_figures("They spent $3 billion in 2024 on 120 buses.")
    assert [(f.text, f.kind) for f in found] == [("$3 billion", "money"), ("in 2024", "date"), ("120", "count")]
    assert found[2].context == "buses"


def test_counts_keep_the_noun_they_count_and_skip_bare_numbers() -> None:
    found = find_figures(
        "The festival expects 20,000 visitors. A retreat of 40 metres of ice. It scored 3. A 34-year-old."
    )
    assert [(f.text, f.context) for f in found if f.kind == "count"] == [
        ("20,000", "visitors"),
        ("40", "metres of ice"),
    ]


def test_headline_qualifies_a_bare_noun() -> None:
    qualifiers = qualifiers_from(["Largest ever prisoner exchange agreed"])
    found = find_figures("They agreed a “500 for 500” exchange on Friday.", qualifiers)
    assert ("500 for 500", "prisoner exchange") in [(f.text, f.context) for f in found]


def test_figures_around_words_stay_in_their_clause() -> None:
    (money,) = [
        f for f in find_figures("After a long debate, the council approved a $2 billion plan.") if f.kind == "money"
    ]
    assert "debate" not in money.context and "approved" in money.context


# --- summaries ---------------------------------------------------------------------------------


def test_story_summary_is_its_lead_sentence() -> None:
    stories = enriched(load(SEED))
    for story in stories:
        assert story.summary == sentences(story.paragraphs[0])[0]


def test_article_summary_is_the_lead_plus_the_sentence_adding_most_headline_words() -> None:
    seed = load(SEED)
    stories = enriched(seed)
    summary = stories[0].article.summary
    lead = sentences(seed.sections[0].paragraphs[0])[0]
    assert summary.startswith(lead + " ")
    second = summary[len(lead) + 1 :]
    candidates = [s for sec in seed.sections for p in sec.paragraphs for s in sentences(p)][1:]
    assert second in candidates
    wanted = content_words(seed.headline) - content_words(lead)
    best = max(len(content_words(s) & wanted) for s in candidates)
    assert len(content_words(second) & wanted) == best > 0


def test_second_sentence_is_not_mere_attribution() -> None:
    paragraphs = (
        "The city council approved a new tram line to the harbour on Tuesday.",
        "A spokesperson told the Gazette that the vote was close.",
        "Construction of the tram line will cost 40 million euros and start in spring.",
    )
    summary = two_sentence_summary("Council approves harbour tram line costing 40 million euros", paragraphs)
    assert summary == f"{paragraphs[0]} {paragraphs[2]}"


def test_notes_and_fragments_are_never_summaries() -> None:
    note = "Sample article: fictional events, shipped with broadsheet."
    paragraphs = (note, "Too short.", "The harbour museum reopened after two years of repairs.")
    assert lead_summary(paragraphs, frozenset([note])) == paragraphs[2]
    assert len(["Too", "short."]) < MIN_WORDS


def test_italic_paragraphs_are_notes_in_a_build() -> None:
    text = article(
        "Museum reopens",
        [
            (
                "",
                [
                    "This is an editorial note about the sample.",
                    "The harbour museum reopened after two years of repairs.",
                ],
            )
        ],
    )
    first = text.sections[0]
    html = "<p><em>This is an editorial note about the sample.</em></p><p>The harbour museum reopened after two years of repairs.</p>"
    from dataclasses import replace

    noted = replace(text, sections=(replace(first, html=html),))
    story = enriched(noted)[0]
    assert story.summary == "The harbour museum reopened after two years of repairs."
    assert "editorial" not in story.article.summary


def test_given_summary_is_kept() -> None:
    lantern = load(REPO / "content" / "2025-05-12-lantern-trams.md")
    stories = enriched(lantern)
    assert stories[0].article.summary == lantern.summary != ""
