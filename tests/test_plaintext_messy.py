"""The plain-text loader on messy wire copy: entities, agency bylines, credits, boilerplate, unsplit blocks, sources."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.model import Article

HEAD = "Harbour council approves budget\n\n"
BODY = "The harbour council approved the budget on Monday.\n"
SITE_YAML = "title: T\nbase_url: https://example.org/\ntimezone: UTC\nsearch: false\n"


def _load(tmp_path: Path, text: str) -> tuple[Article, Diagnostics]:
    """``seeds/a.txt`` holding ``text``, with a sidecar ``a.yaml`` that dates it, through the real loader."""
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (seeds / "a.txt").write_text(text, encoding="utf-8")
    (seeds / "a.yaml").write_text("date: 2025-05-12\n", encoding="utf-8")
    diagnostics = Diagnostics()
    return load_file(seeds / "a.txt", load_config(tmp_path), diagnostics), diagnostics


def _texts(article: Article) -> list[str]:
    return [p for s in article.sections for p in s.paragraphs]


def test_d1_html_entity_in_byline_is_decoded_before_matching(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, HEAD + "By Ann O&#39;Neil\n\n" + BODY)
    assert article.authors == ("Ann O'Neil",)
    assert _texts(article) == ["The harbour council approved the budget on Monday."]


def test_d2_agencies_and_job_titles_are_not_authors(tmp_path: Path) -> None:
    cases = [  # byline → (authors, source name from the agency)
        ("By Jane Doe, Reuters", ("Jane Doe",), "Reuters"),
        ("By Jane Doe, Staff Writer", ("Jane Doe",), None),
        ("By JOHN SMITH Associated Press", ("John Smith",), "Associated Press"),
        ("By Jane Doe | Reuters", ("Jane Doe",), "Reuters"),
        ("By Jane Doe, Senior Political Correspondent, AFP", ("Jane Doe",), "AFP"),
        # what already worked still does
        ("By Ann and Bob Smith", ("Ann", "Bob Smith"), None),
        ("By Jane Doe and Omar Ali", ("Jane Doe", "Omar Ali"), None),
        ("By Élodie Durand-Léger", ("Élodie Durand-Léger",), None),
        ("By Michael Bloomberg", ("Michael Bloomberg",), None),
    ]
    for byline, authors, agency in cases:
        article, _ = _load(tmp_path, HEAD + byline + "\n\n" + BODY)
        assert article.authors == authors, byline
        assert (article.source.name if article.source else None) == agency, byline
        assert _texts(article) == ["The harbour council approved the budget on Monday."], byline
    sentence, _ = _load(tmp_path, HEAD + "By now, the talks had stalled.\n\n" + BODY)
    assert sentence.authors == () and _texts(sentence)[0] == "By now, the talks had stalled."
    ai, _ = _load(tmp_path, HEAD + "By AI\n\n" + BODY)
    assert ai.authors == ("AI",) and ai.ai_generated is True


def test_d2_agency_is_credited_when_the_text_names_its_source(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, HEAD + "By Jane Doe, Reuters\n\n" + BODY + "\nRead More @ euromaidanpress.com\n")
    assert article.authors == ("Jane Doe",)
    assert article.source is not None and article.source.name == "euromaidanpress.com"
    assert article.extra["credits"] == ["Reuters"]


def test_d4_boilerplate_lines_are_dropped_and_prose_about_newsletters_kept(tmp_path: Path) -> None:
    junk = [
        "By using this site, you agree to our use of cookies.",
        "Sign up for our free daily newsletter to get the latest news.",
        "Get our newsletter delivered to your inbox every morning.",
        "Join our newsletter",
        "Share via WhatsApp",
        "Related:",
    ]
    prose = (
        "Subscribe to the harbour newsletter, the mayor urged residents on Monday, "
        "after the storm closed the ferry terminal for three days."
    )
    article, _ = _load(tmp_path, HEAD + BODY + "".join(f"\n{line}\n" for line in junk) + f"\n{prose}\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday.", prose]


def test_copyright_notices_are_dropped_and_prose_about_copyright_kept(tmp_path: Path) -> None:
    notices = [
        "Copyright 2026 Reuters. All rights reserved.",
        "© 2026 Example News",
        "Copyright © 2019–2026 The Daily Planet. All Rights Reserved",
        "(c) 2025 Harbour Media Ltd",
        "All rights reserved.",
    ]
    prose = [
        "Copyright law is changing fast in Europe.",
        "(c) the harbour master shall publish the tide tables.",
        "The court ruled that all rights reserved under the treaty had lapsed.",
    ]
    lines = [*notices[:2], *prose, *notices[2:]]
    article, _ = _load(tmp_path, HEAD + BODY + "".join(f"\n{line}\n" for line in lines))
    assert _texts(article) == ["The harbour council approved the budget on Monday.", *prose]
    inside, _ = _load(tmp_path, HEAD + BODY + "The plan costs 20 million euros.\nCopyright 2026 Reuters.\n")
    assert _texts(inside) == ["The harbour council approved the budget on Monday. The plan costs 20 million euros."]


AP_NOTICE = (
    "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, "
    "rewritten or redistributed."
)


@pytest.mark.parametrize(
    "notice",
    [
        AP_NOTICE,  # the wire's own: longer than a notice's name was allowed to be
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Tous droits réservés.",
        "Tous droits de reproduction réservés",
        "Alle Rechte vorbehalten.",
        "Todos los derechos reservados.",
        "Tutti i diritti riservati.",
    ],
)
def test_copyright_notices_of_the_wire_and_of_other_languages_are_dropped(tmp_path: Path, notice: str) -> None:
    article, _ = _load(tmp_path, HEAD + BODY + f"\n{notice}\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday."]


@pytest.mark.parametrize(
    "inside",
    [
        "© 2026 Reuters.",  # the sign, as "Copyright 2026 Reuters." is
        "Copyright 2026 The Associated Press. All rights reserved. This material may not\n"
        "be published, broadcast, rewritten or redistributed.",  # wrapped: dropped whole, not in pieces
    ],
)
def test_a_copyright_notice_on_the_last_lines_of_a_paragraph_is_dropped(tmp_path: Path, inside: str) -> None:
    article, _ = _load(tmp_path, HEAD + BODY + f"The plan costs 20 million euros.\n{inside}\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday. The plan costs 20 million euros."]


def test_a_year_after_copyright_or_an_item_letter_is_no_notice_when_prose_follows(tmp_path: Path) -> None:
    prose = ["(c) 2025 targets remain open", "(c) 2025: the year the plant closes.", "Copyright 2024 saw a surge."]
    article, _ = _load(tmp_path, HEAD + BODY + "".join(f"\n{line}\n" for line in prose))
    assert _texts(article) == ["The harbour council approved the budget on Monday.", *prose]


def test_d5_whole_marker_lines_split_a_block_and_wrapped_prose_is_joined(tmp_path: Path) -> None:
    text = (
        HEAD + BODY + "**Funding**\nThe plan costs 20 million euros,\nofficials said.\nShare This Article\n"
        "Read More @ example.com\n"
    )
    article, _ = _load(tmp_path, text)
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        ("", ("The harbour council approved the budget on Monday.",)),
        ("Funding", ("The plan costs 20 million euros, officials said.",)),
    ]
    assert article.source is not None and article.source.url == "https://example.com/"
    assert "**" not in article.sections[1].html
    wrapped, _ = _load(
        tmp_path, HEAD + BODY + "We use cookies to improve\nyour experience.\nThe plan costs 20 million euros.\n"
    )
    assert _texts(wrapped) == ["The harbour council approved the budget on Monday.", "The plan costs 20 million euros."]


@pytest.mark.parametrize(
    ("line", "name"),
    [("Source: Reuters", "Reuters"), ("Source: The Kyiv Independent", "The Kyiv Independent")],
)
def test_d6_a_source_name_is_a_name_never_a_link(tmp_path: Path, line: str, name: str) -> None:
    article, diagnostics = _load(tmp_path, HEAD + BODY + f"\n{line}\n")
    assert article.source is not None
    assert (article.source.name, article.source.url, article.original_url) == (name, "", "")
    assert _texts(article) == ["The harbour council approved the budget on Monday."]
    assert diagnostics.problems == 0


@pytest.mark.parametrize(
    "line",
    [
        "Read the full story at ftp://files.example.com/x",
        "Read More @ javascript:alert(1)",
        "Via: mailto:evil@example.com",
    ],
)
def test_d6_a_source_url_that_is_not_http_is_refused_with_a_warning(tmp_path: Path, line: str) -> None:
    article, diagnostics = _load(tmp_path, HEAD + BODY + f"\n{line}\n")
    assert article.source is None and article.original_url == ""
    assert diagnostics.warnings == ["seeds/a.txt:5: source URL is not http(s): ignored"]


def test_d6_an_article_url_is_kept_as_the_original_url(tmp_path: Path) -> None:
    url = "https://www.reuters.com/world/europe/story-2025-05-16/"
    article, _ = _load(tmp_path, HEAD + BODY + f"\nRead more at {url}\n")
    assert article.original_url == url
    assert article.source is not None
    assert (article.source.name, article.source.url) == ("reuters.com", "https://www.reuters.com/")
    home, _ = _load(tmp_path, HEAD + BODY + "\nRead More @ euromaidanpress.com\n")
    assert home.original_url == "" and home.source is not None
    assert (home.source.name, home.source.url) == ("euromaidanpress.com", "https://euromaidanpress.com/")


def test_messy_wire_copy_builds_into_a_clean_article_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (site / "seeds" / "wire.txt").write_text(
        "Harbour council approves budget\n\nBy Ann O&#39;Neil, Reuters\nPhotograph: Jo Bloggs/AFP/Getty Images\n\n"
        "The harbour council approved the budget on Monday.\n**Funding**\nThe plan costs 20 million euros.\n"
        "Share This Article\n\nSign up for our free daily newsletter to get the latest news.\n\n"
        "Read more at https://www.reuters.com/world/harbour-budget-2025-05-12/\n",
        encoding="utf-8",
    )
    (site / "seeds" / "wire.yaml").write_text("date: 2025-05-12\n", encoding="utf-8")
    result = build_site(BuildOptions(site=site))
    assert result.articles == 1
    html = (result.output / "articles" / "harbour-council-approves-budget" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<span class="authors">By <a href="../../authors/ann-o-neil/">Ann O(?:&#39;|\')Neil</a></span>', html
    )
    assert re.search(r'<h2 id="story-\d-heading">Funding</h2>', html)
    assert "<p>The plan costs 20 million euros.</p>" in html
    assert '<a href="https://www.reuters.com/world/harbour-budget-2025-05-12/"' in html
    for junk in ("**", "Share This Article", "newsletter", "Photograph:", "Read more at"):
        assert junk not in html, junk


def test_a_latin1_sidecar_is_read_with_a_warning_like_its_article(tmp_path: Path) -> None:
    """It was refused ("cannot read sidecar: 'utf-8' codec can't decode …") and the article skipped with it."""
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (site / "seeds" / "a.txt").write_text("Harbour reopens\n\nThe harbour reopened on Monday.\n")
    (site / "seeds" / "a.yaml").write_bytes("date: 2025-05-12\nauthor: José Müller\n".encode("latin-1"))
    diagnostics = Diagnostics()
    article = load_file(site / "seeds" / "a.txt", load_config(site), diagnostics)
    assert article.authors == ("José Müller",)
    assert diagnostics.warnings == ["seeds/a.yaml:2: not valid UTF-8 (byte 0xE9); read as Windows-1252"]


CREDIT_LIKE_PROSE = [
    "Video by bystanders showed police firing tear gas at peaceful marchers.",
    "Images courtesy of NASA show the extent of the damage.",
    "Illustrations by children decorate the walls of the school.",
    "Photographs by the agency were used as evidence.",
    "Credit: ratings agencies downgraded the country.",
]


@pytest.mark.parametrize("line", CREDIT_LIKE_PROSE)
def test_prose_that_starts_like_a_photo_credit_is_kept_in_the_body(tmp_path: Path, line: str) -> None:
    """A credit is a keyword and a name; these were dropped as credits (credits are not shown on the site)."""
    article, _ = _load(tmp_path, HEAD + BODY + f"\n{line}\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday.", line]
    assert "credits" not in article.extra


@pytest.mark.parametrize("line", CREDIT_LIKE_PROSE)
def test_prose_that_starts_like_a_photo_credit_is_kept_in_the_header_position(tmp_path: Path, line: str) -> None:
    for text in (HEAD + f"{line}\n\n" + BODY, HEAD + f"By Jane Doe\n{line}\n\n" + BODY):
        article, _ = _load(tmp_path, text)
        assert _texts(article) == [line, "The harbour council approved the budget on Monday."]
        assert "credits" not in article.extra


def test_credits_that_name_someone_are_still_recognised(tmp_path: Path) -> None:
    """Rule: after the keyword, words that start with a capital or digit or hold "/", links ("of the"), agencies."""
    credits = [
        "Photo: Reuters",
        "Photo: Example Agency",
        "Photograph: Sergei Supinsky/AFP/Getty Images",
        "(Photo by Jane Doe/Getty Images)",
        "Credit: AP Photo/Efrem Lukatsky",
        "Photo by Jane Doe",
        "Image: NASA/JPL-Caltech",
        "Photo courtesy of the Harbour Board",
        "Photo: dpa",
    ]
    article, _ = _load(tmp_path, HEAD + BODY + "".join(f"\n{c}\n" for c in credits))
    assert _texts(article) == ["The harbour council approved the budget on Monday."]
    assert article.extra["credits"] == credits
    header, _ = _load(tmp_path, HEAD + "By Jane Doe\nPhoto courtesy of the Harbour Board\n\n" + BODY)
    assert header.authors == ("Jane Doe",)
    assert header.extra["credits"] == ["Photo courtesy of the Harbour Board"]
    assert _texts(header) == ["The harbour council approved the budget on Monday."]


def test_prose_that_starts_like_newsletter_or_share_boilerplate_is_kept(tmp_path: Path) -> None:
    prose = [
        "Sign up for the vaccine opened on Monday, and officials said they would post updates daily.",
        "Subscribe for updates was the most used button.",
        "Follow us on the trail, the guide said, and you will see bears.",
        "Get the newsletters out today, the editor told staff.",
        "Join our mailing list drive, volunteers were told.",
        "Share prices fell sharply on Monday.",
        "Related costs rose by 4% last year.",
        "Advertisement spending fell in the quarter.",
    ]
    junk = [
        "Sign up for our free daily newsletter to get the latest news.",
        "Subscribe to our newsletter",
        "Sign up to get updates in your inbox",
        "Subscribe for updates",
        "Sign up for The Kyiv Independent newsletter",
    ]
    article, _ = _load(tmp_path, HEAD + BODY + "".join(f"\n{line}\n" for line in prose + junk))
    assert _texts(article) == ["The harbour council approved the budget on Monday.", *prose]


def test_an_attribution_to_a_common_word_is_prose_not_an_outlet(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, HEAD + BODY + "\nSource: unclear.\n")
    assert article.source is None
    assert _texts(article) == ["The harbour council approved the budget on Monday.", "Source: unclear."]
    for line, name in (("Source: Reuters", "Reuters"), ("Source: dpa", "dpa"), ("Via: AFP.", "AFP")):
        named, _ = _load(tmp_path, HEAD + BODY + f"\n{line}\n")
        assert named.source is not None and named.source.name == name
        assert _texts(named) == ["The harbour council approved the budget on Monday."]


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # After a comma, one word that follows a full name is a dateline place, not an author.
        ("By Jane Doe, Kyiv", ("Jane Doe",)),
        ("By Jane Doe, Kyiv, Ukraine", ("Jane Doe",)),
        ("By Jane Doe, Staff Writer, Kyiv", ("Jane Doe",)),
        ("By Jane Doe, Kyiv and John Smith, Moscow", ("Jane Doe", "John Smith")),
        # A dateline place of several words is known by name (``enrich.world``), not taken for a person.
        ("By Jane Doe, New York", ("Jane Doe",)),
        ("By Jane Doe, Los Angeles and John Smith, Hong Kong", ("Jane Doe", "John Smith")),
        ("By Jane Doe, Staff Writer, Tel Aviv", ("Jane Doe",)),
        # A list of full names, or of first names, stays a list of people.
        ("By Jane Doe, John Smith and Ann Lee", ("Jane Doe", "John Smith", "Ann Lee")),
        ("By Jane, John and Ann", ("Jane", "John", "Ann")),
        # Abbreviations keep their period.
        ("By Martin Luther King Jr.", ("Martin Luther King Jr.",)),
        ("By Martin Luther King, Jr.", ("Martin Luther King Jr.",)),
        ("By John Q.", ("John Q.",)),
        ("By Jane Doe.", ("Jane Doe",)),
        # Particles do not count towards the length of a name.
        ("By Ursula von der Leyen and Jean de La Fontaine", ("Ursula von der Leyen", "Jean de La Fontaine")),
        # Where a full name filed from, as the Guardian writes it: "in" and a place.
        ("By Jennifer Rankin in Brussels", ("Jennifer Rankin",)),
        ("By Jo Li and Ana Ruiz in Rio de Janeiro", ("Jo Li", "Ana Ruiz")),
    ],
)
def test_bylines_with_datelines_suffixes_and_long_names(tmp_path: Path, byline: str, authors: tuple[str, ...]) -> None:
    article, _ = _load(tmp_path, HEAD + f"{byline}\n\n" + BODY)
    assert article.authors == authors
    assert _texts(article) == ["The harbour council approved the budget on Monday."]


@pytest.mark.parametrize(
    "line",
    ["By now, the talks had stalled for a week.", "By The Way The Minister Will Resign Soon", "By Jane Doe, the mayor"],
)
def test_sentences_and_titles_are_not_bylines(tmp_path: Path, line: str) -> None:
    article, _ = _load(tmp_path, HEAD + f"{line}\n\n" + BODY)
    assert article.authors == ()
    assert _texts(article)[0] == line


def test_control_characters_in_a_plain_text_file_are_dropped(tmp_path: Path) -> None:
    """ESC, DEL, C1 controls and noncharacters in headline, heading and body are invalid on the page."""
    article, _ = _load(tmp_path, "Plain \x1b title\n\nBy Jane Doe\n\n**Fees\x7f**\n\nBody \x85text\ufffe.\n")
    assert (article.headline, article.authors) == ("Plain title", ("Jane Doe",))
    assert [(s.heading, s.paragraphs) for s in article.sections] == [("Fees", ("Body text.",))]


SAVED_PAGE = """Storm Ingrid: Thousands without power as gales batter coast

By Jane Doe, BBC News
Reporting from Plymouth

Published 3 hours ago

Image source, Getty Images
Image caption, Waves crashed over the sea wall at Dawlish on Tuesday

Thousands of homes are without power after Storm Ingrid brought gusts of up to 90mph.

Image caption, Engineers were called out across Devon

"We have never seen anything like it," said Sarah Jones, who runs a cafe in Dawlish.

Related Topics
Plymouth
Weather

More on this story
Storm Henk: Rail disruption continues
Published 2 days ago
"""


def test_a_saved_news_page_keeps_the_story_and_sets_the_page_around_it_apart(tmp_path: Path) -> None:
    """Relative times, "Reporting from", picture source and captions, end-matter lists: none of it is prose."""
    article, _ = _load(tmp_path, SAVED_PAGE)
    assert article.authors == ("Jane Doe",)
    assert article.source is not None and article.source.name == "BBC News"
    assert _texts(article) == [
        "Thousands of homes are without power after Storm Ingrid brought gusts of up to 90mph.",
        '"We have never seen anything like it," said Sarah Jones, who runs a cafe in Dawlish.',
    ]
    assert article.extra["credits"] == ["Image source, Getty Images"]
    assert article.extra["captions"] == [
        "Waves crashed over the sea wall at Dawlish on Tuesday",
        "Engineers were called out across Devon",
    ]
    assert article.extra["reporting_from"] == "Plymouth"


def test_a_wire_contributor_line_is_a_credit_and_the_standards_line_boilerplate(tmp_path: Path) -> None:
    footer = "Reporting by Jane Doe in Lisbon; Additional reporting by Omar Ali; Editing by Alex Richardson"
    article, _ = _load(tmp_path, HEAD + BODY + f"\n{footer}\n\nOur Standards: The Thomson Reuters Trust Principles.\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday."]
    assert article.extra["credits"] == [footer]


def test_headlines_listed_under_an_end_matter_heading_are_dropped_and_prose_after_them_kept(tmp_path: Path) -> None:
    listing = (
        "Related stories\nCouncil leader quits after vote\nWhat the budget means for you?\n\nFerry fares to rise\n"
    )
    article, _ = _load(tmp_path, HEAD + BODY + "\n" + listing + "\nThe council meets again in June.\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday.", "The council meets again in June."]


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by Reuters had shown the ministry ignored the warnings.",
        "More on this story will follow, officials said.",
        "Two years ago, the council approved a smaller budget.",
        "Published 3 hours ago, the report said the plan was late.",
        "Caption contests were held at the festival.",
    ],
)
def test_prose_that_starts_like_page_furniture_is_kept(tmp_path: Path, line: str) -> None:
    article, _ = _load(tmp_path, HEAD + BODY + f"\n{line}\n")
    assert _texts(article) == ["The harbour council approved the budget on Monday.", line]


def test_date_lines_of_a_byline_block_give_publication_and_update(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (tmp_path / "a.txt").write_text(
        HEAD + "By Jane Doe\nPublished 12 March 2026, 10:20 GMT\nUpdated Tuesday, 13 March 2026 at 9.15am\n\n" + BODY,
        encoding="utf-8",
    )
    article = load_file(tmp_path / "a.txt", load_config(tmp_path), Diagnostics())
    assert article.published.isoformat() == "2026-03-12T10:20:00+00:00"
    assert article.updated is not None and article.updated.date().isoformat() == "2026-03-13"
    assert _texts(article) == ["The harbour council approved the budget on Monday."]


@pytest.mark.parametrize(
    ("byline", "authors", "outlet"),
    [
        ("By Jane Doe, BBC News", ("Jane Doe",), "BBC News"),
        ("By Jane Doe, CNN", ("Jane Doe",), "CNN"),
        ("By Jane Doe, The Irish Times", ("Jane Doe",), "Irish Times"),
        ("By Jane Doe, Senior Correspondent, BBC News", ("Jane Doe",), "BBC News"),
        ("By Jane Doe, USA", ("Jane Doe",), None),
        ("By Jane Doe and Emily Post", ("Jane Doe", "Emily Post"), None),
    ],
)
def test_an_outlet_after_the_author_is_the_source_not_a_second_author(
    tmp_path: Path, byline: str, authors: tuple[str, ...], outlet: str | None
) -> None:
    article, _ = _load(tmp_path, HEAD + f"{byline}\n\n" + BODY)
    assert article.authors == authors
    assert (article.source.name if article.source else None) == outlet


WIRE_PAGE = """Skip to main content
Menu

Wildfire forces evacuations near Athens as heat wave grips Greece

By ELENA BECATOROS and DEREK GATOPOULOS
Updated 4:12 PM GMT+2, July 22, 2025

Listen to this article · 4 min
Leer en español

ATHENS, Greece (AP) — A wildfire forced the evacuation of several villages on Tuesday, officials said.

ADVERTISEMENT

“The situation is difficult,” he told state broadcaster ERT.

___

Associated Press writer Costas Kantouris in Thessaloniki contributed to this report.

ELENA BECATOROS
Becatoros covers Greece, Cyprus and Turkey for The Associated Press.

Support independent journalism
Donate now
"""


def test_a_saved_wire_page_has_its_headline_date_and_story_and_its_notes_apart(tmp_path: Path) -> None:
    """Navigation above the headline, audio and language links, a rule, the contributor and author notes."""
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (tmp_path / "a.txt").write_text(WIRE_PAGE, encoding="utf-8")
    diagnostics = Diagnostics()
    article = load_file(tmp_path / "a.txt", load_config(tmp_path), diagnostics)
    assert article.headline == "Wildfire forces evacuations near Athens as heat wave grips Greece"
    assert article.authors == ("Elena Becatoros", "Derek Gatopoulos")
    # only an update time is given: it stands for the date, read with its zone (no "no date given" warning)
    assert article.updated is not None and article.updated.isoformat() == "2025-07-22T16:12:00+02:00"
    assert article.published == article.updated
    assert not diagnostics.warnings
    assert _texts(article) == [
        "ATHENS, Greece (AP) — A wildfire forced the evacuation of several villages on Tuesday, officials said.",
        "“The situation is difficult,” he told state broadcaster ERT.",
    ]
    assert article.extra["credits"] == [
        "Associated Press writer Costas Kantouris in Thessaloniki contributed to this report."
    ]
    assert article.extra["about_authors"] == [
        "ELENA BECATOROS Becatoros covers Greece, Cyprus and Turkey for The Associated Press."
    ]


@pytest.mark.parametrize("headline", ["Search for missing climbers called off", "Home sales fall for a third month"])
def test_a_headline_that_starts_like_a_navigation_link_is_the_headline(tmp_path: Path, headline: str) -> None:
    """Only whole lines ("Search", "Skip to main content") above the headline are the page's navigation."""
    article, _ = _load(tmp_path, f"Menu\n{headline}\n\n" + BODY)
    assert article.headline == headline
    assert _texts(article) == ["The harbour council approved the budget on Monday."]


GUARDIAN_PAGE = """Ministers urged to act as river pollution hits record levels

This article is more than 2 years old

Environment agency data shows sewage spills rose by 54% last year, prompting calls for tougher fines

Helena Horton Environment reporter
Tue 22 Jul 2025 10.20 BST

Sewage spills into rivers in England rose to record levels last year, the Environment Agency said.

Photograph: Christopher Thomond/The Guardian

Explore more on these topics
Water
Pollution

Share
Reuse this content
"""


def test_a_saved_page_with_a_standfirst_and_a_byline_without_by(tmp_path: Path) -> None:
    """The line between headline and byline is the summary; "NAME Job title" above the date is the byline."""
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (tmp_path / "a.txt").write_text(GUARDIAN_PAGE, encoding="utf-8")
    article = load_file(tmp_path / "a.txt", load_config(tmp_path), Diagnostics())
    assert article.summary == (
        "Environment agency data shows sewage spills rose by 54% last year, prompting calls for tougher fines"
    )
    assert article.authors == ("Helena Horton",)
    assert article.published.isoformat() == "2025-07-22T10:20:00+01:00"
    assert _texts(article) == [
        "Sewage spills into rivers in England rose to record levels last year, the Environment Agency said."
    ]
    assert article.extra["credits"] == ["Photograph: Christopher Thomond/The Guardian"]


@pytest.mark.parametrize(
    ("top", "authors", "source", "standfirst", "body_first"),
    [
        # a name above the date line is a byline without "By"; an agency alone names the source
        ("Jane Doe\n2026-03-12\n\n", ("Jane Doe",), None, False, False),
        ("Reuters\n\n", (), "Reuters", False, False),
        # a sentence above "By NAME" is the standfirst; a lone name above it is not
        ("The council says the plan will pay for itself by 2030\n\nBy Jane Doe\n\n", ("Jane Doe",), None, True, False),
        ("AI\nBy AI\n\n", ("AI",), None, False, False),
        # a sentence with no byline or date under it is the body's first paragraph
        ("The council says the plan will pay for itself by 2030.\n\n", (), None, False, True),
    ],
)
def test_what_sits_between_the_headline_and_the_body(
    tmp_path: Path, top: str, authors: tuple[str, ...], source: str | None, standfirst: bool, body_first: bool
) -> None:
    article, _ = _load(tmp_path, HEAD + top + BODY)
    line = top.split("\n")[0]
    assert article.authors == authors
    assert (article.source.name if article.source else None) == source
    assert (article.summary == line) == standfirst
    assert _texts(article)[0] == (line if body_first else "The harbour council approved the budget on Monday.")


def _load_alone(tmp_path: Path, data: bytes) -> tuple[Article, Diagnostics]:
    """``content/a.txt`` holding ``data`` and nothing beside it (no sidecar to date it)."""
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (tmp_path / "content" / "a.txt").write_bytes(data)
    diagnostics = Diagnostics()
    return load_file(tmp_path / "content" / "a.txt", load_config(tmp_path), diagnostics), diagnostics


NEWSLETTER = b"""From: Jane Doe from The Harbour Letter <jane@harbourletter.example>
To: reader@example.org
Subject: Fwd: [Harbour] Why the port strike ended
Date: Wed, 05 Mar 2025 07:30:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

View this email in your browser

Dock workers voted on Monday to end the strike that had closed the port for=
 two weeks, after the harbour board offered a raise of 4 percent over two years.

=E2=80=9CWe got most of what we asked for,=E2=80=9D said union leader Tom Bec=
ker.

You are receiving this email because you subscribed to The Harbour Letter.
Unsubscribe | Manage your subscription
"""


def test_a_newsletter_saved_as_text_reads_its_headers_and_decodes_its_body(tmp_path: Path) -> None:
    """The subject is the headline (the body has none), the sending date the date, "Jane Doe from The Harbour
    Letter" the author and the source; the sender's address is published nowhere; the quoted-printable body is
    decoded; the newsletter's own lines are left out."""
    article, diagnostics = _load_alone(tmp_path, NEWSLETTER)
    assert article.headline == "Why the port strike ended"
    assert article.published.isoformat() == "2025-03-05T07:30:00+01:00"
    assert article.authors == ("Jane Doe",)
    assert article.source is not None and article.source.name == "The Harbour Letter"
    assert _texts(article) == [
        "Dock workers voted on Monday to end the strike that had closed the port for two weeks, after the harbour "
        "board offered a raise of 4 percent over two years.",
        "“We got most of what we asked for,” said union leader Tom Becker.",
    ]
    assert "@" not in repr(article) and not diagnostics.warnings


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Wed, 05 Mar 2025 07:30:00", "2025-03-05T07:30:00+01:00"),  # no zone: the site's (Europe/Berlin)
        ("Wed, 05 Mar 2025 07:30:00 -0000", "2025-03-05T08:30:00+01:00"),  # RFC 5322: UTC, sender's zone unknown
        ("Wed, 05 Mar 2025 07:30:00 +0200", "2025-03-05T06:30:00+01:00"),
    ],
)
def test_a_mail_date_in_no_zone_is_read_in_the_sites_zone_and_minus_zero_as_utc(
    tmp_path: Path, date: str, expected: str
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text(SITE_YAML.replace("UTC", "Europe/Berlin"), encoding="utf-8")
    message = NEWSLETTER.replace(b"Date: Wed, 05 Mar 2025 07:30:00 +0100", b"Date: " + date.encode())
    (tmp_path / "content" / "a.txt").write_bytes(message)
    config = load_config(tmp_path)
    article = load_file(tmp_path / "content" / "a.txt", config, Diagnostics())
    assert article.published.astimezone(config.tz).isoformat() == expected


def test_a_multipart_message_gives_its_plain_text_part_and_keeps_a_subject_that_is_not_the_headline(
    tmp_path: Path,
) -> None:
    message = (
        "From: Harbour Gazette <news@gazette.example>\nSubject: Morning briefing\nDate: Tue, 22 Jul 2025 06:00:00 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n--b1\n'
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(
            b"Storm batters coast\n\nThousands of homes lost power on Tuesday, the utility said.\n"
        ).decode()
        + "\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>HTML-PART</p>\n--b1--\n"
    )
    article, _ = _load_alone(tmp_path, message.encode())
    assert article.headline == "Storm batters coast"
    assert article.extra["subject"] == "Morning briefing"
    assert article.source is not None and article.source.name == "Harbour Gazette"
    assert _texts(article) == ["Thousands of homes lost power on Tuesday, the utility said."]


@pytest.mark.parametrize(
    "text",
    [
        "Subject matter experts met on Monday\n\nThe harbour council approved the budget.\n",  # one line, no block
        "From: the harbour master's log\nSaid the council approved it.\n\nThe harbour council approved the budget.\n",
    ],
)
def test_text_that_only_looks_like_a_header_is_read_as_an_article(tmp_path: Path, text: str) -> None:
    article, _ = _load_alone(tmp_path, text.encode())
    assert "harbour council approved the budget." in " ".join(_texts(article))
    assert "subject" not in article.extra


def test_a_word_broken_at_a_hyphen_at_a_lines_end_is_joined_with_its_hyphen(tmp_path: Path) -> None:
    text = "The auditor said the govern-\nment's figures were well-\nknown and the debt -\nrising. The board of\nDock-\nLands met.\n"
    article, _ = _load(tmp_path, HEAD + text)
    assert _texts(article) == [
        "The auditor said the govern-ment's figures were well-known and the debt - rising. The board of Dock- Lands met."
    ]


def test_a_word_broken_at_a_hyphen_is_joined_whole_when_the_text_writes_it_whole_elsewhere(tmp_path: Path) -> None:
    """The text says which hyphen was the line break's: "government" elsewhere makes "govern-" / "ment" one word;
    "well-known" is written nowhere without its hyphen, so it keeps it; "Dock-" / "Lands" is no word's rest."""
    text = (
        "The auditor said the govern-\nment's figures were well-\nknown. The Board of\nDock-\nLands met.\n\n"
        "The government did not reply. Ministers said the figures were well-known.\n\n"
        "An élec-\ntion is due; the Élec-\ntion board set the date of the élection.\n"
    )
    article, _ = _load(tmp_path, HEAD + text)
    assert _texts(article) == [
        "The auditor said the government's figures were well-known. The Board of Dock- Lands met.",
        "The government did not reply. Ministers said the figures were well-known.",
        "An élection is due; the Élection board set the date of the élection.",
    ]


def test_an_html_only_newsletter_gives_its_story_as_paragraphs(tmp_path: Path) -> None:
    message = (
        "From: Harbour Gazette <news@gazette.example>\nSubject: Storm batters coast\n"
        "Date: Tue, 22 Jul 2025 06:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
        '<html><body><div class="header">View in browser</div><table><tr><td><h1>Storm batters coast</h1>'
        "<p>Thousands of homes lost power on Tuesday, the utility said, as gales hit the coast overnight.</p>"
        "<p>Crews worked through the night.</p></td></tr></table>"
        '<div class="footer-unsubscribe">Unsubscribe</div></body></html>\n'
    )
    article, _ = _load_alone(tmp_path, message.encode())
    assert article.headline == "Storm batters coast"
    assert _texts(article) == [
        "Thousands of homes lost power on Tuesday, the utility said, as gales hit the coast overnight.",
        "Crews worked through the night.",
    ]
