"""Front matter as people really write it: Jekyll, Hugo and Pelican habits, and hostile or odd values.

Each test loads a file with the real loader (or builds a real site) and
pins what a user sees: the article's fields, the pages and feeds written,
or the one line of warning or error naming the file and line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file
from broadsheet.loaders.frontmatter import split_front_matter
from broadsheet.loaders.metadata import source_from
from broadsheet.model import Article, Source

SITE_YAML = "title: Messy\nbase_url: https://example.org/\ntimezone: UTC\nsearch: false\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    return root


def load(site: Path, text: str, name: str = "a.md") -> tuple[Article, Diagnostics]:
    """Load ``content/NAME`` holding ``text``: the article and the warnings it gave."""
    path = site / "content" / name
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_file(path, load_config(site), diagnostics), diagnostics


def load_error(site: Path, text: str, name: str = "a.md") -> str:
    """The one-line error loading ``content/NAME`` gives, as the command line prints it."""
    with pytest.raises(BroadsheetError) as caught:
        load(site, text, name)
    return str(caught.value)


def output_text(output: Path) -> dict[str, str]:
    """Every page and feed written, by path."""
    return {
        path.relative_to(output).as_posix(): path.read_text(encoding="utf-8")
        for path in output.rglob("*")
        if path.suffix in (".html", ".xml", ".json")
    }


# --- D7: only http(s) URLs are links ---------------------------------------------------------------------------


def test_a_source_url_of_another_scheme_is_dropped_and_the_name_kept(site: Path) -> None:
    text = '---\ntitle: Pier\ndate: 2025-01-01\nsource: {name: Pier News, url: "javascript:alert(1)"}\n---\nBody.\n'
    article, diagnostics = load(site, text)
    assert article.source == Source(name="Pier News", url="", domain="")
    assert diagnostics.warnings == ["content/a.md:4: source url is not http(s): ignored"]
    article, diagnostics = load(
        site, "---\ntitle: Pier\ndate: 2025-01-01\nsource: ftp://files.example.com/s.txt\n---\nB\n"
    )
    assert article.source is None  # no name given, and a URL is no outlet's name
    assert diagnostics.warnings == ["content/a.md:4: source url is not http(s): ignored"]


def test_source_from_links_only_http_urls_and_bare_domains() -> None:
    # The seed's "Read More @ euromaidanpress.com", as the plain-text loader asks for it: unchanged.
    assert source_from(url="euromaidanpress.com") == Source(
        "euromaidanpress.com", "https://euromaidanpress.com/", "euromaidanpress.com"
    )
    assert source_from(url="https://www.bbc.co.uk/news/x") == Source("bbc.co.uk", "https://www.bbc.co.uk/", "bbc.co.uk")
    assert source_from(url="Reuters") == Source("Reuters", "", "")  # a bare word names the outlet, with no link
    assert source_from(url="javascript:alert(1)") is None
    assert source_from(url="mailto:desk@example.org") is None
    assert source_from(url="ftp://files.example.com/story.txt") is None
    assert source_from("Pier News", "data:text/html,x") == Source("Pier News", "", "")


def test_a_build_writes_no_link_from_a_source_url_of_another_scheme(site: Path) -> None:
    (site / "content" / "a.md").write_text(
        '---\ntitle: Pier\ndate: 2025-01-01\nsource: {name: Pier News, url: "javascript:alert(1)"}\n---\nBody.\n'
    )
    (site / "content" / "b.md").write_text(
        "---\ntitle: Files\ndate: 2025-01-02\nsource: ftp://files.example.com/story.txt\n---\nBody.\n"
    )
    result = build_site(BuildOptions(site=site))
    assert sorted(result.diagnostics.warnings) == [
        "content/a.md:4: source url is not http(s): ignored",
        "content/b.md:4: source url is not http(s): ignored",
    ]
    written = output_text(result.output)
    assert "Pier News" in written["sources/index.html"]
    assert not [path for path, text in written.items() if "javascript" in text or "ftp:" in text]
    assert not [path for path in written if path.startswith("sources/ftp")]  # no outlet named after the URL


# --- M6: a bad link costs the link, not the article ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("source_url", "ftp://files.example.com/story.txt"),
        ("link", "mailto:desk@example.org"),
        ("canonical_url", "javascript:alert(1)"),
        ("original_url", "data:text/html,<script>x</script>"),
        ("link", "vbscript:msgbox(1)"),
    ],
)
def test_a_link_that_is_not_http_is_dropped_with_a_warning(site: Path, key: str, url: str) -> None:
    article, diagnostics = load(site, f"---\ntitle: Kept\ndate: 2025-01-01\n{key}: '{url}'\n---\nBody.\n")
    assert article.headline == "Kept" and article.original_url == "" and article.source is None
    assert diagnostics.warnings == [f"content/a.md:4: {key} is not http(s): ignored"]


# --- D8: entities in a source name are decoded once -----------------------------------------------------------


def test_a_source_name_with_entities_is_decoded_like_the_other_text_fields(site: Path) -> None:
    article, _ = load(
        site,
        '---\ntitle: Ice\ndate: 2025-01-01\nsource: {name: "Ben &amp; Jerry\'s", url: "https://ben.example.com/"}\n'
        "---\nBody.\n",
    )
    assert article.source == Source("Ben & Jerry's", "https://ben.example.com/", "ben.example.com")
    article, _ = load(site, "---\ntitle: Ice\ndate: 2025-01-01\npublisher: Ben &amp;  Jerry\n---\nBody.\n")
    assert article.source is not None and article.source.name == "Ben & Jerry"


def test_a_build_shows_a_source_name_with_entities_escaped_once(site: Path) -> None:
    (site / "content" / "a.md").write_text(
        '---\ntitle: Ice\ndate: 2025-01-01\nsource: {name: "Ben &amp; Jerry\'s", url: "https://ben.example.com/"}\n'
        "---\nBody.\n"
    )
    written = output_text(build_site(BuildOptions(site=site)).output)
    assert "Ben &amp; Jerry&#39;s" in written["articles/ice/index.html"]
    assert "<title>Messy: Ben &amp; Jerry's</title>" in written["sources/ben-example-com/feed.xml"]
    # RSS descriptions are HTML inside XML, escaped twice on purpose; every page and title is escaped once.
    assert not [path for path, text in written.items() if path.endswith(".html") and "&amp;amp;" in text]


# --- D9, D10: errors on the line they are about ---------------------------------------------------------------


def test_a_toml_error_names_its_line_in_the_file(site: Path) -> None:
    error = load_error(site, '+++\ntitle = "T"\nauthor = "x"\ndate = 2025-13-45\n+++\n\nBody.\n')
    assert error.startswith("content/a.md:4: invalid TOML front matter: ")
    assert "at line" not in error  # one line number, the file's


def test_hugo_json_front_matter_is_read_with_its_unknown_keys(site: Path) -> None:
    text = (
        '{\n  "title": "Harbour reopens",\n  "date": "2025-05-02T10:00:00Z",\n  "tags": "storms",\n'
        '  "description": "The harbour reopened.",\n  "params": {"source": "https://harbour.example.org/1"}\n}\n\n'
        "The harbour reopened on Monday.\n"
    )
    article, diagnostics = load(site, text)
    assert article.headline == "Harbour reopens"
    assert article.published == datetime(2025, 5, 2, 10, tzinfo=UTC)
    assert article.tags == ("storms",)  # a string is one tag, as Hugo reads it
    assert article.summary == "The harbour reopened."
    assert article.extra["params"] == {"source": "https://harbour.example.org/1"}
    assert [p for s in article.sections for p in s.paragraphs] == ["The harbour reopened on Monday."]
    assert not diagnostics.warnings


def test_a_json_front_matter_error_names_its_line(site: Path) -> None:
    error = load_error(site, '{\n  "title": "T",\n  "date": "2025-05-02"\n  "tags": []\n}\nBody.\n')
    assert error.startswith("content/a.md:4: invalid JSON front matter: ")


def test_a_json_front_matter_value_error_names_the_top_level_keys_line_not_a_nested_one(site: Path) -> None:
    text = (
        '{\n  "params": {\n    "date": "2025-01-01",\n    "list": [{"date": 1}]\n  },\n  "note": "a } and a {",\n'
        '  "title": "T",\n  "date": "not a date"\n}\nBody.\n'
    )
    assert load_error(site, text).startswith("content/a.md:8: 'date': cannot read 'not a date' as a date")


@pytest.mark.parametrize(
    ("text", "line", "dialect"),
    [
        ('{\n  "title": "T",\n  "date": "2025-05-02",\n  "weight": ' + "1" * 5000 + "\n}\nBody.\n", 4, "JSON"),
        ('+++\ntitle = "T"\ndate = 2025-05-02\nweight = ' + "1" * 5000 + "\n+++\nBody.\n", 4, "TOML"),
    ],
)
def test_a_number_too_long_for_python_is_an_error_naming_its_line(
    site: Path, text: str, line: int, dialect: str
) -> None:
    """Python refuses to read an int of more than 4300 digits (a ValueError): the build stopped with a traceback."""
    error = load_error(site, text)
    assert error.startswith(f"content/a.md:{line}: invalid {dialect} front matter: Exceeds the limit")


@pytest.mark.parametrize(
    "text", ['{{< figure src="a.png" >}}\n\nText.\n', "{% raw %}x{% endraw %}\n\nText.\n", "{not json}\nText.\n"]
)
def test_a_body_opening_with_a_brace_is_not_json_front_matter(text: str) -> None:
    split = split_front_matter(text, "content/a.md")
    assert (split.data, split.body, split.body_line) == ({}, text, 1)


def test_an_impossible_yaml_date_names_its_line(site: Path) -> None:
    text = "---\ntitle: T\nauthor: x\ntags: [a]\nsummary: s\ndate: 2025-02-30\n---\nBody.\n"
    assert load_error(site, text) == "content/a.md:6: invalid YAML front matter: day is out of range for month"


# --- D13: a list or mapping where text belongs is an error, never its repr ------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: [Part one, Part two]", "'title' must be text, not a list"),
        ("title: {main: Part one}", "'title' must be text, not a mapping"),
        ("summary: [one, two]", "'summary' must be text, not a list"),
        ("authors: [[Ana, Ben]]", "'authors' must be text, not a list"),
        ("author: {name: [Ana, Ben]}", "'author' must be text, not a list"),
        ("source: {name: [Pier, News]}", "'source' must be text, not a list"),
    ],
)
def test_a_list_where_text_belongs_is_an_error(site: Path, line: str, message: str) -> None:
    text = f"---\ndate: 2025-01-01\n{line}\n---\n# Headline\n\nBody.\n"
    assert load_error(site, text) == f"content/a.md:3: {message}"


# --- M2: Hugo's publishDate holds an article back; date dates it -----------------------------------------------

SCHEDULED = [
    "---\ntitle: Scheduled\npublishDate: 2099-01-01\ndate: 2025-01-01\n---\nLater.\n",
    "---\ntitle: Scheduled\ndate: 2025-01-01\npublishDate: 2099-01-01\n---\nLater.\n",
]


@pytest.mark.parametrize("text", SCHEDULED)
def test_publish_date_holds_back_whatever_the_key_order(site: Path, text: str) -> None:
    article, _ = load(site, text)
    assert article.published == datetime(2025, 1, 1, tzinfo=article.published.tzinfo)
    assert article.release == datetime(2099, 1, 1, tzinfo=article.published.tzinfo)


def test_publish_date_alone_dates_the_article(site: Path) -> None:
    article, diagnostics = load(site, "---\ntitle: Hugo\npublishDate: 2025-02-01\n---\nBody.\n")
    assert article.published.isoformat() == "2025-02-01T00:00:00+00:00" and article.release == article.published
    assert diagnostics.warnings == []


@pytest.mark.parametrize("text", SCHEDULED)
def test_a_build_publishes_a_scheduled_article_only_from_its_publish_date(site: Path, text: str) -> None:
    (site / "content" / "later.md").write_text(text)
    (site / "content" / "now.md").write_text("---\ntitle: Today\ndate: 2025-01-02\n---\nNow.\n")
    before = build_site(BuildOptions(site=site, now=datetime(2098, 12, 31, tzinfo=UTC)))
    assert before.articles == 1 and not (before.output / "articles" / "scheduled").exists()
    assert "Scheduled" not in (before.output / "feed.xml").read_text(encoding="utf-8")
    after = build_site(BuildOptions(site=site, now=datetime(2099, 1, 2, tzinfo=UTC)))  # a rebuild, not a no-op
    assert after.articles == 2
    feed = json.loads((after.output / "feed.json").read_text(encoding="utf-8"))
    dated = {item["title"]: item["date_published"] for item in feed["items"]}
    assert dated["Scheduled"] == "2025-01-01T00:00:00+00:00"  # dated by date, not by publishDate


def test_an_article_leaves_the_site_at_its_expiry_date(site: Path) -> None:
    """Hugo's expiryDate: on the site until then; a rebuild after it is no no-op; --expired keeps it."""
    (site / "content" / "offer.md").write_text("---\ntitle: Offer\ndate: 2025-01-01\nexpiryDate: 2025-03-01\n---\nX.\n")
    (site / "content" / "now.md").write_text("---\ntitle: Today\ndate: 2025-01-02\n---\nNow.\n")
    before = build_site(BuildOptions(site=site, now=datetime(2025, 2, 1, tzinfo=UTC)))
    assert before.articles == 2 and (before.output / "articles/offer/index.html").is_file()
    after = build_site(BuildOptions(site=site, now=datetime(2025, 3, 2, tzinfo=UTC)))
    assert not after.unchanged and after.articles == 1 and not (after.output / "articles/offer").exists()
    assert "Offer" not in (after.output / "feed.xml").read_text(encoding="utf-8")
    kept = build_site(BuildOptions(site=site, now=datetime(2025, 3, 2, tzinfo=UTC), expired=True))
    assert kept.articles == 2 and (kept.output / "articles/offer/index.html").is_file()


def test_the_expired_flag_is_an_option_of_build_serve_and_topics(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from broadsheet.cli import main, make_parser

    (site / "content" / "offer.md").write_text("---\ntitle: Offer\ndate: 2025-01-01\nexpiryDate: 2025-03-01\n---\nX.\n")
    assert main(["build", "--site", str(site), "--expired"]) == 0
    assert (site / "output/articles/offer/index.html").is_file()
    assert main(["build", "--site", str(site)]) == 0
    assert not (site / "output/articles/offer").exists()
    assert main(["topics", "--site", str(site), "--expired"]) == 0
    assert make_parser().parse_args(["serve", "--site", str(site), "--expired"]).expired


# --- M3: Jekyll's dated file names ----------------------------------------------------------------------------


def test_a_jekyll_file_name_dates_an_undated_article(site: Path) -> None:
    article, diagnostics = load(site, "---\ntitle: River\n---\nBody.\n", "2025-05-16-river.md")
    assert article.published.isoformat() == "2025-05-16T00:00:00+00:00" and article.dated
    assert diagnostics.warnings == []
    article, _ = load(site, "---\ntitle: River\ndate: 2025-05-17 09:30\n---\nBody.\n", "2025-05-16-river.md")
    assert article.published.isoformat() == "2025-05-17T09:30:00+00:00"  # a date key wins
    article, diagnostics = load(site, "---\ntitle: River\n---\nBody.\n", "2025-13-45-river.md")
    assert article.published.year == 1970 and len(diagnostics.warnings) == 1  # not a real date: as before


# --- M4: tag strings, as each dialect reads them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "tags"),
    [
        ("---\ncategories: news world\n---\n", ("news", "world")),  # Jekyll splits on spaces
        ("---\ntags: climate change\n---\n", ("climate", "change")),
        ("---\ntags: climate change, floods\n---\n", ("climate change", "floods")),  # commas win
        ("---\ncategory: big news\n---\n", ("big news",)),  # Jekyll's singular key: one category
        ("---\nkeywords: climate change\n---\n", ("climate change",)),
        ("---\ntags: [climate change]\n---\n", ("climate change",)),
        ("Title: T\nCategory: World News\n\n", ("World News",)),  # Pelican: one category
        ("Title: T\nTags: climate change, floods\n\n", ("climate change", "floods")),  # Pelican: commas only
        ("Title: T\nTags: climate change\n\n", ("climate change",)),
        ('+++\ntags = "climate change"\n+++\n', ("climate change",)),  # Hugo: a string is one tag
    ],
)
def test_tag_strings_split_as_their_dialect_does(site: Path, header: str, tags: tuple[str, ...]) -> None:
    article, _ = load(site, header + "# T\n\nBody.\n")
    assert article.tags == tags


# --- M5, D11: Pelican's dates and multi-line values -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2025/05/16", "2025-05-16T00:00:00+00:00"),
        ("2025-05-16 9:30", "2025-05-16T09:30:00+00:00"),
        ("2025/5/16 09:30:15", "2025-05-16T09:30:15+00:00"),
        ("Sept 16, 2025", "2025-09-16T00:00:00+00:00"),
        ("16 Sept. 2025", "2025-09-16T00:00:00+00:00"),
        ("May 16, 2025 9:30 pm", "2025-05-16T21:30:00+00:00"),
        ("2025-05-16 9:30 +0300", "2025-05-16T09:30:00+03:00"),
        ("16.05.2025", "2025-05-16T00:00:00+00:00"),  # day first with dots, as much of Europe writes it
        ("16.05.2025 09:30", "2025-05-16T09:30:00+00:00"),
        ("2025-05-16 09:30 EST", "2025-05-16T09:30:00-05:00"),
        ("2025-05-16 9:30 pm CEST", "2025-05-16T21:30:00+02:00"),
        ("2025-05-16 09:30 Europe/Kyiv", "2025-05-16T09:30:00+03:00"),
    ],
)
def test_pelican_dates_are_read_leniently(site: Path, written: str, read: str) -> None:
    article, _ = load(site, f"Title: T\nDate: {written}\n\nBody.\n")
    assert article.published.isoformat() == read


@pytest.mark.parametrize(
    "written",
    [
        "someday",
        "2025/02/30",
        "16/05/2025",
        "Smarch 16, 2025",
        "2025-05-16 25:00",
        "32.05.2025",
        "2025-05-16 09:30 XYZ",
        "2025-05-16 09:30 Mars/Base",
    ],
)
def test_what_is_no_date_is_still_refused(site: Path, written: str) -> None:
    error = load_error(site, f"Title: T\nDate: {written}\n\nBody.\n")
    assert error.startswith(f"content/a.md:2: 'date': cannot read '{written}' as a date")


def test_pelican_metadata_continues_on_indented_lines(site: Path) -> None:
    text = (
        "Title: Harbour reopens\nDate: 2025-05-14 10:20\nSummary: The first line of a long summary\n"
        "    that continues on a second line.\nTags: port,\n\tharbour\n\nThe harbour reopened on Wednesday.\n"
    )
    article, _ = load(site, text)
    assert article.headline == "Harbour reopens"
    assert article.summary == "The first line of a long summary that continues on a second line."
    assert article.tags == ("port", "harbour")
    assert article.sections[0].paragraphs == ("The harbour reopened on Wednesday.",)
    error = load_error(site, "Title: T\nSummary: one\n    two\nDate: someday\n\nBody.\n")
    assert error.startswith("content/a.md:4: 'date'")  # lines still counted right after a continuation


def test_credentials_are_left_out_of_a_link(site: Path) -> None:
    """``https://user:pass@host/`` in an href is invalid HTML (Nu: "URL includes credentials") and a leak."""
    text = "---\ntitle: Userinfo\ndate: 2025-05-16\nsource_url: https://user:pass@news.example.com/story\n---\nBody.\n"
    article, diagnostics = load(site, text)
    assert article.original_url == "https://news.example.com/story"
    assert article.source is not None and article.source.url == "https://news.example.com/"
    assert diagnostics.warnings == ["content/a.md:4: source_url has credentials (user:password@): left out of the link"]
    build_site(BuildOptions(site=site))
    written = "".join(p.read_text(errors="replace") for p in (site / "output").rglob("*") if p.is_file())
    assert "user:pass" not in written and "https://news.example.com/story" in written


def test_plain_scalars_are_read_as_yaml_1_2_words_stay_words(site: Path) -> None:
    """YAML 1.1 made ``title: yes`` "True", ``no`` False, ``12:30`` 750 and ``010`` 8: mangled headlines and tags."""
    text = (
        "---\ntitle: 12:30\ndate: 2025-05-16\nauthor: [Jane Doe, no]\ntags: [yes, 010, on, 7]\n"
        "draft: false\n---\nBody.\n"
    )
    article, diagnostics = load(site, text)
    assert article.headline == "12:30" and article.slug == "12-30"
    assert article.authors == ("Jane Doe", "no")
    assert article.tags == ("yes", "010", "on", "7")
    assert article.draft is False and diagnostics.warnings == []
    article, _ = load(site, "---\ntitle: yes\ndate: 2025-05-16\n---\nBody.\n")
    assert article.headline == "yes"


@pytest.mark.parametrize(
    ("flags", "draft"),
    [
        ("draft: yes", True),
        ("draft: on", True),
        ("draft: true", True),
        ("draft: no", False),
        ("draft: off", False),
        ("published: no", True),  # Jekyll: not published is a draft
        ("published: false", True),
        ("published: yes", False),
    ],
)
def test_flags_written_as_yaml_1_1_words_still_mean_what_they_say(site: Path, flags: str, draft: bool) -> None:
    article, _ = load(site, f"---\ntitle: T\ndate: 2025-05-16\n{flags}\n---\nBody.\n")
    assert article.draft is draft


def test_control_characters_from_yaml_escapes_never_reach_a_field(site: Path) -> None:
    """YAML's ``\\e``, ``\\a``, ``\\u0000`` and entities make code points HTML forbids (Nu: "Forbidden code point")."""
    text = (
        '---\ntitle: "Harbour \\e board \\a meets \\uFFFE"\ndate: 2025-05-16\n'
        'tags: ["bell\\u0007tag", "&#x1b;esc"]\nsummary: "x \\u0000 y \\x85 z"\nauthor: "Jane\\x7f Doe"\n---\nBody.\n'
    )
    article, _ = load(site, text)
    assert article.headline == "Harbour board meets"
    assert article.tags == ("belltag", "esc")
    assert article.summary == "x y z"
    assert article.authors == ("Jane Doe",)


def test_a_bidi_override_in_a_field_cannot_reverse_the_rest_of_the_page(site: Path) -> None:
    """An unclosed U+202E in a tag reversed every tag after it on the article's line of tags."""
    text = '---\ntitle: "Pier \\u202Eopens"\ndate: 2025-05-16\ntags: ["\\u202Eevil", "\\u2066port"]\n---\nB.\n'
    article, _ = load(site, text)
    assert (article.headline, article.tags) == ("Pier opens", ("evil", "port"))
    rtl, _ = load(site, '---\ntitle: "\\u200Fשלום world"\ndate: 2025-05-16\n---\nB.\n', "b.md")
    assert rtl.headline == "\u200fשלום world"  # marks (LRM/RLM) stay: they change no text after the field


def test_a_title_of_invisible_characters_is_no_title(site: Path) -> None:
    error = load_error(site, '---\ntitle: "\\u200B\\u200E\\u202E"\ndate: 2025-05-16\n---\nBody.\n')
    assert error.startswith("content/a.md:1: no headline")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 822 with a zone abbreviation the e-mail parser does not know: it gave the time with no zone (UTC).
        ("Fri, 16 May 2025 09:00:00 CEST", datetime(2025, 5, 16, 7, 0, tzinfo=UTC)),
        ("Fri, 16 May 2025 09:00:00 JST", datetime(2025, 5, 16, 0, 0, tzinfo=UTC)),
        ("Fri, 16 May 2025 09:00:00 EDT", datetime(2025, 5, 16, 13, 0, tzinfo=UTC)),
        # A Unix time written as text reads as the number does (date: 1747386000).
        ("1747386000", datetime(2025, 5, 16, 9, 0, tzinfo=UTC)),
    ],
)
def test_rfc_822_zone_abbreviations_and_unix_times_as_text(text: str, expected: datetime) -> None:
    from broadsheet.loaders.metadata import parse_date

    assert parse_date(text, UTC) == expected


def test_an_update_date_alone_stands_for_the_date_and_a_file_name_date_still_wins(site: Path) -> None:
    article, diagnostics = load(site, "---\ntitle: T\nlastmod: 2025-03-04\n---\nBody.\n")
    assert (article.published, article.updated) == (datetime(2025, 3, 4, tzinfo=UTC), datetime(2025, 3, 4, tzinfo=UTC))
    assert not diagnostics.warnings
    named, _ = load(site, "---\ntitle: T\nlastmod: 2025-03-04\n---\nBody.\n", name="2025-01-02-t.md")
    assert named.published == datetime(2025, 1, 2, tzinfo=UTC)
