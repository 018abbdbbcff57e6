"""Quotes and reported speech with their speakers; the headline's quote kept apart."""

from __future__ import annotations

import pytest

from broadsheet.enrich.quotes import SCARE_WORDS, find_quotes
from broadsheet.model import Quote, Story
from enrich_articles import REPO, SEED, article, enriched, load


def quotes(stories: tuple[Story, ...]) -> list[Quote]:
    return [q for s in stories for q in s.quotes]


def test_seed_headline_quote_is_kept_apart() -> None:
    stories = enriched(load(SEED))
    headline = [q for q in quotes(stories) if q.in_headline]
    assert [q.text for q in headline] == ["outrageous demands"]
    assert headline[0] in stories[0].quotes
    assert all(not q.in_headline for q in quotes(stories) if q.text != "outrageous demands")


def test_seed_source_attribution_told_reuters() -> None:
    found = [q for q in quotes(enriched(load(SEED))) if q.via == "Reuters"]
    assert len(found) == 1
    assert found[0].speaker == "a Ukrainian diplomatic source"
    assert found[0].indirect and found[0].text == "these terms exceed previously discussed frameworks"


def test_seed_announced_that_is_attributed_to_the_person() -> None:
    stories = enriched(load(SEED))
    umerov = [q for q in stories[1].quotes if q.speaker == "Rustem Umerov"]
    assert len(umerov) == 1 and umerov[0].indirect
    assert umerov[0].speaker_slug == "rustem-umerov"
    assert "“1,000 for 1,000” exchange" in umerov[0].text


def test_seed_scare_quotes_stay_with_their_attribution() -> None:
    stories = enriched(load(SEED))
    possible = [q for q in stories[2].quotes if "“possible”" in q.text]
    assert len(possible) == 1
    assert (possible[0].speaker, possible[0].via) == ("a senior Ukrainian official", "AFP")
    # never listed alone, without its speaker
    assert not [q for q in quotes(stories) if q.text == "possible"]
    unacceptable = [q for q in stories[0].quotes if "“unacceptable demands”" in q.text]
    assert [q.speaker for q in unacceptable] == ["Ukrainian officials"]


def test_sample_quotes_name_their_speakers() -> None:
    found = {
        q.text: q.speaker
        for path in sorted((REPO / "content").glob("*.md"))
        for q in quotes(enriched(load(path)))
        if not q.indirect
    }
    assert found["We wanted the harbour to belong to residents again"] == "Ines Varga"
    assert found["It still smells a little of diesel and salt, and the children love that"] == "Tomas Eze"
    assert found["The stakes don't lie"] == "Lena Strand"
    assert found["We are closer than we were in March"] == "Ana Poulsen"


def test_relative_who_announced_that_finds_its_speaker() -> None:
    library = quotes(enriched(load(REPO / "content" / "2025-05-14-floating-library.md")))
    reported = [q for q in library if q.indirect]
    assert [(q.speaker, q.text) for q in reported] == [
        ("Ines Varga", "the library will lend 12,000 books in its first year")
    ]


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        ("“We will not back down,” said Mayor Lin Hart.", "We will not back down", "Mayor Lin Hart"),
        ("“We will not back down,” Hart said on Monday.", "We will not back down", "Hart"),
        ('Lin Hart said: "We will not back down."', "We will not back down.", "Lin Hart"),
        ("Residents described the decision as “reckless”, and plan to appeal.", "reckless", "Residents"),
        (
            "According to the port authority, the ships were “badly delayed” last week.",
            "badly delayed",
            "the port authority",
        ),
        ("The council met. “Nobody told us anything.”", "Nobody told us anything.", ""),
        ("“It is over,” she said.", "It is over", ""),
    ],
)
def test_direct_quote_attribution_shapes(text: str, quote: str, speaker: str) -> None:
    found = [q for q in find_quotes(text) if not q.indirect]
    assert [(q.text, q.who) for q in found] == [(quote, speaker)]


@pytest.mark.parametrize(
    ("text", "speaker", "via", "clause"),
    [
        ("The minister told Reuters that the deal was done.", "the minister", "Reuters", "the deal was done"),
        ("Officials said on Friday that talks would resume soon.", "Officials", "", "talks would resume soon"),
        ("The spokesman, Ola Berg, confirmed that the plant will close.", "Ola Berg", "", "the plant will close"),
        ("A source told the BBC that the vote was rigged.", "a source", "BBC", "the vote was rigged"),
    ],
)
def test_reported_speech_shapes(text: str, speaker: str, via: str, clause: str) -> None:
    found = [q for q in find_quotes(text) if q.indirect]
    assert [(q.who, q.via, q.text) for q in found] == [(speaker, via, clause)]


@pytest.mark.parametrize(
    "text",
    [
        "This suggests that a resolution is far off.",
        "He said that it was fine.",  # a pronoun is not a speaker we can name
        "She told him that the car was red.",
        "It was clear that nothing had changed.",
    ],
)
def test_no_reported_speech_without_a_nameable_speaker(text: str) -> None:
    assert [q for q in find_quotes(text) if q.indirect] == []


def test_long_quote_inside_reported_clause_is_listed_on_its_own() -> None:
    text = "The mayor said that the plan was “a waste of everyone’s time and money” and should stop."
    found = find_quotes(text)
    direct = [q for q in found if not q.indirect]
    assert len(["a", "waste", "of", "everyone’s", "time", "and", "money"]) > SCARE_WORDS
    assert [(q.text, q.who) for q in direct] == [("a waste of everyone’s time and money", "the mayor")]


def test_quote_spanning_sentences_stays_whole() -> None:
    text = "“We tried. We failed. We will try again,” said coach Dana Ruiz."
    assert [(q.text, q.who) for q in find_quotes(text)] == [
        ("We tried. We failed. We will try again", "coach Dana Ruiz")
    ]


def test_apostrophes_are_not_quotes() -> None:
    text = "The city’s plan isn’t new, and residents’ groups don’t like it."
    assert find_quotes(text) == []


def test_speaker_entities_link_to_their_pages() -> None:
    text = article(
        "Harbour plan",
        [("", ["“The harbour is ours,” said council chair Ines Varga.", "Varga said that the vote was close."])],
    )
    found = quotes(enriched(text))
    assert [(q.speaker, q.speaker_slug) for q in found] == [("Ines Varga", "ines-varga"), ("Ines Varga", "ines-varga")]


@pytest.mark.parametrize(
    "paragraph",
    [
        "«It is too much,» said owner Jean Dupont.",
        "« It is too much », said owner Jean Dupont.",
        "„It is too much,“ said owner Jean Dupont.",
        "»It is too much,« said owner Jean Dupont.",
    ],
)
def test_french_and_german_quotation_marks_are_quotes_with_their_speaker(paragraph: str) -> None:
    found = find_quotes(paragraph)
    assert [(q.text, q.who) for q in found] == [("It is too much", "owner Jean Dupont")]


def test_guillemets_nested_in_an_english_quote_stay_in_its_text() -> None:
    found = find_quotes("“They called it «a lifeline» in the letter,” said Ana Ruiz.")
    assert [(q.text, q.who) for q in found] == [("They called it «a lifeline» in the letter", "Ana Ruiz")]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (  # »…« twice: the marks between the two quotes are no «…» quote
            "»We are ready«, said Anna Weber. »See you tomorrow«, said Ben Koch.",
            [("We are ready", "Anna Weber"), ("See you tomorrow", "Ben Koch")],
        ),
        (  # a » that is no quotation mark before a French quote: no »…« quote either
            "Home » News. «We are ready», said Anna Weber.",
            [("We are ready", "Anna Weber")],
        ),
        ('„We are ready", said Anna Weber.', [("We are ready", "Anna Weber")]),  # „ closed by a typed "
    ],
)
def test_guillemets_pair_in_the_direction_the_text_uses(paragraph: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.text, q.who) for q in find_quotes(paragraph)] == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("«Il a dit «non» hier», a déclaré Macron.", ("Il a dit «non» hier", "Macron")),
        ("«Il a dit “non” hier», a déclaré Macron.", ("Il a dit “non” hier", "Macron")),  # French style
        ("«He said «no» yesterday», said Emmanuel Macron.", ("He said «no» yesterday", "Emmanuel Macron")),
        ("»Er sagte »nein« gestern«, sagte Jo Weber am Montag.", ("Er sagte »nein« gestern", "Jo Weber")),
        ("‘He said “no” today,’ said Jo Li.", ("He said “no” today", "Jo Li")),  # British style
        ('"He said “no” today," said Jo Li.', ("He said “no” today", "Jo Li")),
    ],
)
def test_a_quotation_inside_another_is_part_of_its_text(paragraph: str, expected: tuple[str, str]) -> None:
    assert [(q.text, q.who) for q in find_quotes(paragraph)] == [expected]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("«Il a dit «non» hier, a déclaré Macron.", [("non", "")]),  # the outer one never closes
        ("«Oui», dit Marie Dupont. «Non», a-t-il répondu.", [("Oui", "Marie Dupont"), ("Non", "")]),  # a pronoun
        ("»Ja«, sagte er.", [("Ja", "")]),
    ],
)
def test_guillemets_left_open_and_french_and_german_speakers(paragraph: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.text, q.who) for q in find_quotes(paragraph)] == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "Le ministre Jean Dupont a déclaré\u00a0: «\u00a0Nous ne céderons pas\u00a0».",
            [("Nous ne céderons pas", "Le ministre Jean Dupont")],
        ),
        ("La maire Anne Roux explique : « Le budget est prêt ».", [("Le budget est prêt", "La maire Anne Roux")]),
        ("Jo Weber sagte: »Wir sind bereit«.", [("Wir sind bereit", "Jo Weber")]),
        ("Anna Koch hat gesagt: »Nein«.", [("Nein", "Anna Koch")]),
        ("Il a déclaré : « Non ».", [("Non", "")]),  # a pronoun names no one
        ("Selon Marie Dupont, « le pont restera fermé ».", [("le pont restera fermé", "Marie Dupont")]),
        ("«Il a dit «non» hier, a déclaré Macron.", [("non", "")]),  # "Il", inside the open quotation, says it
    ],
)
def test_french_and_german_speakers_named_before_the_quote(paragraph: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.text, q.who) for q in find_quotes(paragraph)] == expected


def test_a_megabyte_of_nested_quotations_gives_each_outer_quotation() -> None:
    """Their time is bench/bench_hostile.py's to measure (near-linear: about half a second on 2 cores)."""
    text = "«Il a dit «non» et “oui”», a déclaré Macron. " * (1_000_000 // 45)
    found = find_quotes(text)
    assert len(found) == 1_000_000 // 45
    assert {(q.text, q.who) for q in found} == {("Il a dit «non» et “oui”", "Macron")}


@pytest.mark.parametrize(
    ("piece", "last"),
    [
        ("«a» ", "a"),
        ("„a“ ", "a"),
        ('"a" ', "a"),
        ("»Ja«, sagte Jo. ", "Ja"),
        ("He said that ", None),
        ("«a «b» c» ", "a «b» c"),
        ("«a «b ", None),  # never closed: no quotation
    ],
)
def test_a_long_paragraph_of_many_quotes_is_read_whole(piece: str, last: str | None) -> None:
    """Every quote was checked against every other and every sentence, its sentence sliced whole: 100 KB of «a»
    took over a minute. bench/bench_hostile.py times these paragraphs; here, each is read to its end."""
    text = piece * (200_000 // len(piece))
    quotes = [q for q in find_quotes(text) if not q.indirect]
    assert (quotes[-1].text if quotes else None) == last
    assert len(quotes) in (0, text.count(piece))
