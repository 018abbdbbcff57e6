"""People, organisations and places: the seed's exact names, the samples, and articles never seen before."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.enrich.entities import EntityFinder, candidates, is_title_case
from broadsheet.enrich.gazetteer import Gazetteer, load_gazetteer, parse_gazetteer
from broadsheet.errors import BroadsheetError
from broadsheet.model import Mention, Story
from enrich_articles import REPO, SEED, article, enriched, load


def names(stories: tuple[Story, ...]) -> dict[str, Mention]:
    """Every mention of an article by name (first occurrence)."""
    found: dict[str, Mention] = {}
    for story in stories:
        for mention in story.mentions:
            found.setdefault(mention.name, mention)
    return found


def kinds(stories: tuple[Story, ...], kind: str) -> set[str]:
    return {m.name for m in names(stories).values() if m.kind == kind}


@pytest.mark.parametrize("gazetteer", [True, False], ids=["with-gazetteer", "heuristics-only"])
def test_seed_people_organisations_and_places(gazetteer: bool) -> None:
    stories = enriched(load(SEED), gazetteer=gazetteer)
    assert kinds(stories, "person") == {"Rustem Umerov", "Vladimir Medinsky", "Volodymyr Zelenskyy", "Vladimir Putin"}
    assert kinds(stories, "organisation") == {"Reuters", "AFP"}
    assert {"Istanbul", "Moscow"} <= kinds(stories, "place")
    found = names(stories)
    assert found["Rustem Umerov"].role == "Ukraine’s Defense Minister"
    assert found["Vladimir Medinsky"].role == "Russian presidential aide"
    assert "President" in found["Volodymyr Zelenskyy"].role
    assert "President" in found["Vladimir Putin"].role


def test_seed_partial_mentions_merge_into_the_full_name() -> None:
    stories = enriched(load(SEED), gazetteer=False)
    found = names(stories)
    assert "Zelenskyy" in found["Volodymyr Zelenskyy"].aliases
    assert "Putin" in found["Vladimir Putin"].aliases
    assert "Zelenskyy" not in found and "Putin" not in found
    # "Putin’s" in the headline files Putin under the first story too; "Moscow’s" is Moscow
    assert "Vladimir Putin" in {m.name for m in stories[0].mentions}
    assert "Moscow" in {m.name for m in stories[3].mentions}


def test_seed_mentions_belong_to_the_stories_naming_them() -> None:
    stories = enriched(load(SEED))
    by_story = [{m.name for m in s.mentions} for s in stories]
    assert "Reuters" in by_story[0] and "Istanbul" in by_story[0]
    assert {"Rustem Umerov", "Vladimir Medinsky"} <= by_story[1]
    assert "AFP" in by_story[2]
    assert {"Volodymyr Zelenskyy", "Vladimir Putin", "Moscow"} <= by_story[3]
    assert "Rustem Umerov" not in by_story[3]


def test_gazetteer_aliases_join_other_spellings() -> None:
    text = article(
        "Leaders meet",
        [
            (
                "",
                [
                    "Ukrainian President Volodymyr Zelenskyy arrived in Kyiv. Later, Zelensky told reporters he was tired."
                ],
            )
        ],
    )
    found = names(enriched(text))
    assert "Zelensky" in found["Volodymyr Zelenskyy"].aliases
    assert "Zelensky" not in found


def test_sample_markdown_people_are_found_with_their_roles() -> None:
    people: dict[str, str] = {}
    for path in sorted((REPO / "content").glob("*.md")):
        for name, mention in names(enriched(load(path))).items():
            if mention.kind == "person":
                people[name] = mention.role
    assert people == {
        "Ines Varga": "council chair",
        "Tomas Eze": "librarian",
        "Lena Strand": "expedition lead",
        "Ana Poulsen": "mediator",
    }


WIRE = article(
    "Government to cut fuel subsidies",
    [
        (
            "",
            [
                "Finance Minister Adaeze Okonkwo said on Monday that the government would cut fuel subsidies. "
                "Okonkwo told lawmakers in Abuja that the money saved would go to rural clinics.",
                "The opposition Progressive Alliance Party called the plan reckless. Its leader, Tunde Bakare-Ellis, "
                "said the cuts would hurt farmers.",
                "Analysts at Harlow Capital estimated that inflation could rise. Critics said the plan came too late.",
            ],
        )
    ],
)
BLOG = article(
    "Council Rejects Harbour Plan After Stormy Meeting",
    [
        (
            "Council Rejects Harbour Plan",
            [
                "Members of the Kelsey Bay council voted against the plan on Thursday. Mayor Rosalind Achterberg, "
                "who backed the proposal, said she was disappointed."
            ],
        ),
        (
            "What Happens Next For The Developer",
            [
                "The developer, Brightwater Holdings, told the Kelsey Bay Courier that it would appeal. "
                "Dr. Imre Vasko, a planning expert at Northgate University, said the appeal could take months."
            ],
        ),
    ],
)
POLICE = article(
    "Man arrested after Tarnow market fire",
    [
        (
            "",
            [
                'Police in Tarnow said a man was arrested. "We are treating this as an isolated incident," '
                "Inspector Marek Wolny told reporters.",
                "Wolny added that twelve stalls were destroyed. Residents said the fire started after midnight.",
            ],
        )
    ],
)


def test_unseen_wire_story_without_any_gazetteer() -> None:
    stories = enriched(WIRE, gazetteer=False)
    found = names(stories)
    assert found["Adaeze Okonkwo"].kind == "person" and found["Adaeze Okonkwo"].role == "Finance Minister"
    assert "Okonkwo" in found["Adaeze Okonkwo"].aliases
    assert found["Tunde Bakare-Ellis"].kind == "person" and found["Tunde Bakare-Ellis"].role == "leader"
    assert found["Progressive Alliance Party"].kind == "organisation"
    assert found["Harlow Capital"].kind == "organisation"
    assert found["Abuja"].kind == "place"
    assert set(found) == {
        "Adaeze Okonkwo",
        "Tunde Bakare-Ellis",
        "Progressive Alliance Party",
        "Harlow Capital",
        "Abuja",
    }


def test_unseen_blog_post_with_title_case_headings() -> None:
    found = names(enriched(BLOG, gazetteer=False))
    assert found["Rosalind Achterberg"].role == "Mayor"
    assert found["Imre Vasko"].role == "a planning expert at Northgate University"
    assert {n for n, m in found.items() if m.kind == "organisation"} == {
        "Brightwater Holdings",
        "Kelsey Bay Courier",
        "Northgate University",
    }
    assert found["Kelsey Bay"].kind == "place"
    # Title-case headings and the headline name nothing new: no "Council Rejects Harbour Plan", no "What Happens"
    assert set(found) == {
        "Rosalind Achterberg",
        "Imre Vasko",
        "Brightwater Holdings",
        "Kelsey Bay Courier",
        "Northgate University",
        "Kelsey Bay",
    }


def test_unseen_police_report_with_straight_quotes() -> None:
    found = names(enriched(POLICE, gazetteer=False))
    assert found["Marek Wolny"].role == "Inspector" and "Wolny" in found["Marek Wolny"].aliases
    assert found["Tarnow"].kind == "place"
    assert set(found) == {"Marek Wolny", "Tarnow"}  # not "Police", not "Residents", not "We"


@pytest.mark.parametrize(
    "text",
    [
        "Critics said the plan was too late. Residents said nothing.",
        "However, Volunteers spent eight months on it. Analysts warned that costs would rise.",
        "Officials Said Little. Nobody Knew Why.",
        "Despite the rain, Nobody came.",
        "In March the plan stalled, and on Friday it was dropped.",
    ],
)
def test_sentence_initial_capitals_are_not_people(text: str) -> None:
    found = EntityFinder.with_gazetteer(Gazetteer()).find([(0, text, False)])
    assert [e.name for e in found.entities] == []


def test_title_case_detection() -> None:
    assert is_title_case("Diplomatic Friction Escalates")
    assert is_title_case("What Happens Next For The Developer")
    assert not is_title_case(load(SEED).headline)
    assert not is_title_case("The view from Lisbon")


def test_a_name_seen_only_at_sentence_starts_needs_a_cue() -> None:
    finder = EntityFinder.with_gazetteer(Gazetteer())
    assert finder.find([(0, "Harrowgate Meadows was quiet. Harrowgate Meadows slept.", False)]).entities == ()
    cued = finder.find([(0, "Amara Okafor said the vote was close. Okafor left early.", False)])
    assert [(e.name, e.kind) for e in cued.entities] == [("Amara Okafor", "person")]


def test_organisation_names_with_of_and_for_are_one_name() -> None:
    found = candidates("He spoke at the Institute for Fiscal Studies and the Bank of England on Monday.", 0)
    assert [c.surface for c in found] == ["Institute for Fiscal Studies", "Bank of England"]


def test_gazetteer_format_and_errors(tmp_path: Path) -> None:
    good = parse_gazetteer(
        "people:\n  - name: Ana Poulsen\n    aliases: [A. Poulsen]\n    role: mediator\nplaces:\n  - Marrow\n",
        tmp_path / "g.yaml",
    )
    assert good.get("A. Poulsen") is not None and good.get("A. Poulsen").name == "Ana Poulsen"  # type: ignore[union-attr]
    assert good.get("Marrow").kind == "place"  # type: ignore[union-attr]
    with pytest.raises(BroadsheetError, match="unknown key 'animals'") as error:
        parse_gazetteer("places: [A]\nanimals: [B]\n", tmp_path / "g.yaml")
    assert error.value.line == 2
    with pytest.raises(BroadsheetError, match="unknown key 'nickname'") as error:
        parse_gazetteer("people:\n  - name: X\n    nickname: Y\n", tmp_path / "g.yaml")
    assert error.value.line == 3
    with pytest.raises(BroadsheetError, match="without 'name'"):
        parse_gazetteer("people:\n  - role: chair\n", tmp_path / "g.yaml")
    with pytest.raises(BroadsheetError, match="must be a list"):
        parse_gazetteer("people: Ana\n", tmp_path / "g.yaml")
    assert load_gazetteer(tmp_path, "missing.yaml").entries == ()
    with pytest.raises(BroadsheetError, match="inside the data folder"):
        load_gazetteer(tmp_path / "data", "../secrets.yaml")


def test_the_shipped_gazetteer_is_valid() -> None:
    gazetteer = load_gazetteer(REPO / "data", "gazetteer.yaml")
    assert gazetteer.get("Zelensky").name == "Volodymyr Zelenskyy"  # type: ignore[union-attr]
    assert {e.kind for e in gazetteer.entries} == {"person", "organisation", "place"}


def test_a_broken_gazetteer_stops_the_build(sample_site: Path) -> None:
    from broadsheet.build import BuildOptions, build_site

    (sample_site / "data" / "gazetteer.yaml").write_text("people:\n  - name: [1, 2]\n", encoding="utf-8")
    with pytest.raises(BroadsheetError, match="'name' must be a non-empty string") as error:
        build_site(BuildOptions(site=sample_site, output=sample_site / "out"))
    assert error.value.path is not None and error.value.path.endswith("gazetteer.yaml")
    assert error.value.line == 2
