"""Datelines that open wire copy: the place (and region, agency) they name, and capitals that are not one."""

from __future__ import annotations

import pytest

from broadsheet.enrich.datelines import Dateline, dateline, filed_by, place_name
from broadsheet.enrich.entities import EntityFinder
from broadsheet.enrich.gazetteer import Gazetteer, Known
from enrich_articles import article, enriched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LYON, France (Reuters) — The council met.", Dateline("Lyon", "France", "Reuters", 25)),
        ("PARIS – Owners of cafés protested.", Dateline("Paris", "", "", 8)),
        ("RIVERTON, May 3 — Water rose overnight.", Dateline("Riverton", "", "", 18)),
        ("WASHINGTON, Dec. 5 (Reuters) - The Senate voted.", Dateline("Washington", "", "Reuters", 31)),
        ("NEW YORK (AP) — A man was arrested.", Dateline("New York", "", "AP", 16)),
        ("RIO DE JANEIRO — Carnival began.", Dateline("Rio de Janeiro", "", "", 17)),
        ("ST. LOUIS, Mo. — Floods closed roads.", Dateline("St. Louis", "Mo.", "", 17)),
        ("KYIV, Ukraine, May 3 (AFP) — Talks resumed.", Dateline("Kyiv", "Ukraine", "AFP", 29)),
        ("MÜNCHEN — Die Stadt plant.", Dateline("München", "", "", 10)),
        ("BONN, Germany — The ministry moved.", Dateline("Bonn", "Germany", "", 16)),
        ("ROME — The pope spoke.", Dateline("Rome", "", "", 7)),
        ("O’HARE, Ill. — Flights were delayed.", Dateline("O’Hare", "Ill.", "", 15)),  # an initial and apostrophe
        ("L'AQUILA, Italy — The quake struck.", Dateline("L'Aquila", "Italy", "", 18)),
        ("CÔTE D'IVOIRE — Elections began.", Dateline("Côte d'Ivoire", "", "", 16)),
        ("ABIDJAN, Côte d’Ivoire (AFP) — Polls opened.", Dateline("Abidjan", "Côte d’Ivoire", "AFP", 31)),
        ("SAN JOSE, Calif., May 3, 2025 (AP) — Fog.", Dateline("San Jose", "Calif.", "AP", 37)),  # with its year
        ("AMES, Iowa — The vote was close.", Dateline("Ames", "Iowa", "", 13)),  # short, but a region follows
        ("TRINIDAD AND TOBAGO — Rain fell.", Dateline("Trinidad and Tobago", "", "", 22)),  # a known place
        ("WASHINGTON, Dec. 5 (AP) — The Senate voted.", Dateline("Washington", "", "AP", 26)),  # date, agency
        ("OSLO, Dec. 5 — Talks resumed.", Dateline("Oslo", "", "", 15)),  # short and dated, but a known place
        ("THE HAGUE — Judges met.", Dateline("The Hague", "", "", 12)),  # a place whose name starts with THE
        ("THE HAGUE, Netherlands (AP) — Judges met.", Dateline("The Hague", "Netherlands", "AP", 30)),
        ("THE DALLES, Ore. — Dams opened.", Dateline("The Dalles", "Ore.", "", 19)),
    ],
)
def test_datelines_are_read(text: str, expected: Dateline) -> None:
    assert dateline(text) == expected
    assert text[expected.end :][:1].isupper()


@pytest.mark.parametrize(
    "text",
    [
        "NATO — The alliance met.",  # an acronym: short, alone, not a known place
        "UN (Reuters) — The council met.",
        "BREAKING — Fire at the port.",  # a kicker
        "IMPORTANT NOTICE — The office is closed.",
        "The council said — in a statement — that it would wait.",
        "PARIS: the talks resumed.",  # no dash
        "Paris — the talks resumed.",  # not in capitals
        "LONDON",
        "WASHINGTON POST — The paper said.",  # a newspaper
        "STOP THE WAR — Protesters marched.",  # words no place name holds
        "IN BRIEF — The council met.",
        "FIRST ON CNN — The talks failed.",
        "TOP STORY — The council met.",  # kickers
        "MONDAY — The council met.",
        "OP-ED — The council is wrong.",
        "EU, NATO — Leaders met.",  # a short word, and capitals or an unknown name where a region would be
        "IMF, World Bank — Talks resumed.",
        "THE END — the talks collapsed on Friday.",  # THE and a word: a kicker, not a place
        "THE END — The talks collapsed on Friday.",
        "THE BIG PICTURE — Rates rose.",
        "NASA, Dec. 5 — The launch slipped.",  # an acronym: a date says when, not that it is a place
        "NASA, Dec. 5 (Reuters) — The launch slipped.",
        "FBI, May 3 — Agents searched the house.",
        "WORLD HEALTH ORGANIZATION, Dec. 5 — The agency warned.",  # an organisation's name
        "UNICEF, Dec. 5 — Children in the north lack clean water.",  # an agency's acronym, longer than four
        "INTERPOL (AP) — A notice was issued.",
        "GAME OVER — the talks collapsed.",  # the sentence goes on after the dash
    ],
)
def test_capitals_that_are_not_a_dateline(text: str) -> None:
    assert dateline(text) is None


def test_place_names_take_the_known_spelling_or_are_capitalised_word_by_word() -> None:
    assert place_name("NEW DELHI") == "New Delhi"
    assert place_name("BOGOTÁ") == "Bogotá"
    assert place_name("WINSTON-SALEM") == "Winston-Salem"
    assert place_name("RIO DE JANEIRO") == "Rio de Janeiro"


def test_the_dateline_names_the_place_region_and_agency_of_an_article() -> None:
    stories = enriched(
        article(
            "Council approves tram line",
            [("", ["LYON, France (Reuters) — The city council approved the line.", "Work starts in 2027."])],
        ),
        gazetteer=False,
    )
    mentions = {(m.name, m.kind) for m in stories[0].mentions}
    assert {("Lyon", "place"), ("France", "place"), ("Reuters", "organisation")} <= mentions
    assert not any(name == "LYON" for name, _ in mentions)


def test_only_the_first_paragraph_has_a_dateline() -> None:
    stories = enriched(
        article("Talks", [("", ["The talks resumed on Monday.", "GENEVA — A second round is planned."])]),
        gazetteer=False,
    )
    assert not any(m.name == "Geneva" for m in stories[0].mentions)


def test_an_organisation_with_a_date_is_named_as_no_place() -> None:
    stories = enriched(
        article("Launch", [("", ["NASA, Dec. 5 — The agency delayed the launch again.", "A new date is due."])]),
        gazetteer=False,
    )
    assert not any(m.kind == "place" and m.name.casefold() == "nasa" for m in stories[0].mentions)


def test_a_name_the_gazetteer_knows_as_no_place_is_not_a_dateline_place() -> None:
    """``HARBOURWATCH, Dec. 5 —``: the site's gazetteer names HarbourWatch an organisation; without it, a place."""
    text = "HARBOURWATCH, Dec. 5 — The charity counted 40 ships waiting off the coast."
    assert dateline(text) is not None and dateline(text).place == "Harbourwatch"
    assert dateline(text, frozenset({"HARBOURWATCH"})) is None
    finder = EntityFinder.with_gazetteer(
        Gazetteer.of((Known("HarbourWatch", "organisation"), Known("Lyon", "place", aliases=("Lyons",))))
    )
    assert finder.not_places == frozenset({"HARBOURWATCH"})  # places stay places
    names = {(e.name, e.kind) for e in finder.find([(0, text, False)]).entities}
    assert names == {("HarbourWatch", "organisation")}  # by its gazetteer name: who filed, not where
    assert ("Harbourwatch", "place") in {
        (e.name, e.kind) for e in EntityFinder.with_gazetteer(Gazetteer()).find([(0, text, False)]).entities
    }


def test_an_agency_opening_the_text_as_a_dateline_would_is_that_organisation() -> None:
    """``UNICEF, Dec. 5 —`` names UNICEF (a sentence opening with it, "UNICEF said so.", vouches for nothing)."""
    finder = EntityFinder.with_gazetteer(Gazetteer())
    found = finder.find([(0, "UNICEF, Dec. 5 — Children in the north lack clean water, the agency said.", False)])
    assert {(e.name, e.kind) for e in found.entities} == {("UNICEF", "organisation")}
    assert filed_by("UNICEF, Dec. 5 — Children…") == "UNICEF"
    assert filed_by("LYON, France (Reuters) — The council met.") == ""
    assert filed_by("HARBOURWATCH, Dec. 5 — Ships.", {"HARBOURWATCH": "HarbourWatch"}) == "HARBOURWATCH"
    assert filed_by("The charity said so.") == ""
