"""The Markdown loader: front matter dialects, sections, sanitising, errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.config import load_config
from broadsheet.enrich import article_summary
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file
from broadsheet.loaders.article_links import SCHEME
from broadsheet.loaders.markdown import (
    EXTENSIONS,
    INLINE_PATTERNS,
    _MarkupOnlyInline,
    markdown_converter,
    skip_markup_free_text,
)
from broadsheet.model import Article


def load(tmp_path: Path, text: str, name: str = "post.md") -> Article:
    return load_warned(tmp_path, text, name)[0]


def load_warned(tmp_path: Path, text: str, name: str = "post.md") -> tuple[Article, Diagnostics]:
    """The article ``content/NAME`` holding ``text`` makes, and what loading it said."""
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\ntimezone: Europe/Kyiv\n")
    path = tmp_path / "content" / name
    path.write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_file(path, load_config(tmp_path), diagnostics), diagnostics


def test_yaml_front_matter_fields_and_sections(tmp_path: Path) -> None:
    article = load(
        tmp_path,
        "---\ntitle: Bridge reopens\ndate: 2025-03-01 08:00\nauthors: [Ana, Ben]\n"
        "source: {name: Example News, url: https://news.example.org/}\n"
        "source_url: https://news.example.org/bridge\ntags: [roads, city]\nsummary: It is open.\n"
        "layout: post\n---\n\nLead paragraph.\n\n## Traffic\n\nCars are back.\n\n- one\n- two\n\n## Costs\n\nIt cost a lot.\n",
    )
    assert article.headline == "Bridge reopens"
    assert article.published.isoformat() == "2025-03-01T08:00:00+02:00"
    assert article.authors == ("Ana", "Ben")
    assert article.source is not None and article.source.name == "Example News"
    assert article.original_url == "https://news.example.org/bridge"
    assert article.tags == ("roads", "city")
    assert article.summary == "It is open."
    assert [s.heading for s in article.sections] == ["", "Traffic", "Costs"]
    assert article.sections[1].paragraphs == ("Cars are back.", "one", "two")
    assert "<ul>" in article.sections[1].html
    assert article.extra == {"layout": "post"}


def test_jekyll_and_hugo_aliases(tmp_path: Path) -> None:
    article = load(
        tmp_path,
        "---\ntitle: X\ndate: 2024-01-02\ncategories: [a, b]\nexcerpt: Short.\npublished: false\n"
        "source: https://outlet.example.com/story/1\nlastmod: 2024-01-03\n---\nBody.\n",
    )
    assert article.tags == ("a", "b")
    assert article.summary == "Short."
    assert article.draft is True
    assert article.source is not None and article.source.domain == "outlet.example.com"
    assert article.original_url == "https://outlet.example.com/story/1"
    assert article.updated is not None and article.updated.date().isoformat() == "2024-01-03"


def test_toml_and_pelican_headers(tmp_path: Path) -> None:
    toml = load(tmp_path, '+++\ntitle = "T"\ndate = 2024-05-01T10:00:00Z\ndraft = true\n+++\nBody.\n', "a.md")
    assert toml.headline == "T" and toml.draft and toml.published.isoformat() == "2024-05-01T10:00:00+00:00"
    pelican = load(tmp_path, "Title: P\nDate: 2024-05-02 10:00\nTags: x, y\nStatus: draft\n\nBody.\n", "b.md")
    assert pelican.headline == "P" and pelican.tags == ("x", "y") and pelican.draft


def test_h1_gives_headline_when_no_front_matter(tmp_path: Path) -> None:
    article = load(tmp_path, "# A headline\n\nText.\n")
    assert article.headline == "A headline"
    assert article.sections[0].paragraphs == ("Text.",)


def test_h1_headings_in_a_titled_body_move_one_level_down_and_keep_their_outline(tmp_path: Path) -> None:
    """``# Background`` under a front-matter title was stripped to bare text (the sanitiser allows no second h1)."""
    text = "---\ntitle: Harbour reopens\n---\nIntro.\n\n# Background\n\nText.\n\n## Detail\n\nMore.\n"
    article = load(tmp_path, text)
    assert [s.heading for s in article.sections] == ["", "Background"]
    assert article.sections[1].html == "<p>Text.</p>\n<h3>Detail</h3>\n<p>More.</p>"
    assert "<h1" not in "".join(s.html for s in article.sections)


def test_every_image_has_alt_text_its_own_its_title_or_empty(tmp_path: Path) -> None:
    """An <img> without alt is invalid HTML (Nu checker) and an axe violation; raw HTML in Markdown may lack it."""
    body = (
        '<img src="https://example.org/a.png">\n\n'
        '<img src="https://example.org/b.png" alt="The harbour at dawn">\n\n'
        '<img src="https://example.org/c.png" title="Crane &quot;No. 4&quot;">\n\n'
        "![Pier](https://example.org/d.png)\n\n"
        '<img src="javascript:alert(1)" alt="Refused">\n'
    )
    article = load(tmp_path, "---\ntitle: Pictures\n---\n" + body)
    images = re.findall(r"<img[^>]*>", article.sections[0].html)
    assert images == [
        '<img src="https://example.org/a.png" alt="">',
        '<img src="https://example.org/b.png" alt="The harbour at dawn">',
        '<img src="https://example.org/c.png" title="Crane &quot;No. 4&quot;" alt="Crane &quot;No. 4&quot;">',
        '<img alt="Pier" src="https://example.org/d.png">',
    ]  # and the image whose src was refused is its alt text: an <img> without src is invalid HTML
    assert "<p>Refused</p>" in article.sections[0].html


def test_subheads_written_with_h3_alone_move_up_to_h2(tmp_path: Path) -> None:
    """An <h3> right after the page's headline skips a level (the Nu checker's error): the body's highest is h2."""
    text = "---\ntitle: T\n---\nThe council met.\n\n### What was decided\n\nIt passed.\n\n#### Detail\n\nMore.\n"
    article = load(tmp_path, text)
    assert [s.heading for s in article.sections] == ["", "What was decided"]
    assert article.sections[1].html == "<p>It passed.</p>\n<h3>Detail</h3>\n<p>More.</p>"


def test_a_skipped_heading_level_inside_a_body_is_closed(tmp_path: Path) -> None:
    """``##`` then ``####``: an h4 after an h2 skips a level (the Nu checker's error); the order is kept."""
    text = "---\ntitle: T\n---\nIntro.\n\n## Part\n\nText.\n\n#### Detail\n\nMore.\n\n###### Fine print\n\nLast.\n"
    article = load(tmp_path, text)
    assert [s.heading for s in article.sections] == ["", "Part"]
    assert "<h3>Detail</h3>" in article.sections[1].html and "<h4>Fine print</h4>" in article.sections[1].html
    # and no heading more than one level below the one before it, even where the body's own order skips
    article = load(tmp_path, "---\ntitle: T\n---\n# Top\n\nText.\n\n### Deep\n\nMore.\n\n## Side\n\nLast.\n")
    html = "".join(s.html for s in article.sections)
    assert [s.heading for s in article.sections] == ["Top"] and "<h3>Deep</h3>" in html and "<h3>Side</h3>" in html


def test_a_body_without_h1_keeps_its_heading_levels(tmp_path: Path) -> None:
    article = load(tmp_path, "---\ntitle: T\n---\nIntro.\n\n## Part\n\nText.\n\n### Sub\n\nMore.\n")
    assert [s.heading for s in article.sections] == ["", "Part"]
    assert "<h3>Sub</h3>" in article.sections[1].html


def test_html_is_sanitised(tmp_path: Path) -> None:
    article = load(
        tmp_path,
        '---\ntitle: "<script>alert(1)</script>Hi"\ndate: 2024-01-01\n---\n'
        "Text <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))\n\n"
        '<iframe src="https://evil.example"></iframe>\n',
    )
    html = article.sections[0].html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "iframe" not in html
    assert article.headline == "<script>alert(1)</script>Hi"  # kept as text; templates escape it


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("---\ntitle: [unclosed\n---\nBody\n", "invalid YAML front matter", 2),
        ("---\ntitle: T\n", "never closed", 1),
        ("---\ndate: 2024-01-01\n---\nJust text, no headline.\n", "no headline", 1),
        ("---\ntitle: T\ndate: someday\n---\nBody\n", "'date'", 3),
        ("---\ntitle: T\nsummary: [a, b]\n---\nBody\n", "'summary' must be text, not a list", 3),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, message: str, line: int) -> None:
    with pytest.raises(BroadsheetError) as caught:
        load(tmp_path, text)
    assert message in str(caught.value)
    assert caught.value.path == "content/post.md"
    assert caught.value.line == line


def test_a_conversion_cut_short_does_not_corrupt_the_next_document(tmp_path: Path) -> None:
    """python-markdown keeps block-parser state across reset(): a RecursionError must not leak into later files."""
    text = "---\ntitle: T\ndate: 2024-01-01\n---\nLead.\n\n## Traffic\n\nCars.\n\n- one\n- two\n\n## Costs\n\nMoney.\n"
    before = load(tmp_path, text, "before.md")
    with pytest.raises(BroadsheetError, match="nested too deeply"):
        load(tmp_path, "---\ntitle: Deep\n---\n" + "- " * 1000 + "x\n", "deep.md")
    after = load(tmp_path, text, "after.md")
    assert [s.heading for s in after.sections] == [s.heading for s in before.sections] == ["", "Traffic", "Costs"]
    assert after.sections[1].html == before.sections[1].html


# --- the inline processor that passes over markup-free text ------------------------------------------------

MARKUP = [
    "*em*", "**strong**", "_em_", "__strong__", "***both***", "a * b", "snake_case", "`code`", "``a ` b``", "\\*",
    "\\\\", "[link](https://example.org/)", "[ref][1]", "[1]: https://example.org/", "[short]", "![alt](x.png)",
    "![alt][1]", "<https://example.org/>", "<me@example.org>", "<b>bold</b>", "<!-- c -->", "&amp;", "&#233;",
    "&#x2014;", "& alone", "line  \nbreak", "[^1]", "[^1]: note", "*[HTML]: Hyper Text", "HTML", "{: .x }",
    "# Head", "## Section", "> quote", "- item", "1. item", "    code", "```\nfenced\n```", "| a | b |\n|---|---|",
    "Term\n: definition", "<div markdown=\"1\">*x*</div>", "“curly” quotes", "it's", "--", "...", "a  b", "\t",
]  # fmt: skip
PLAIN_WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
markdown_documents = st.lists(st.one_of(st.sampled_from(MARKUP), PLAIN_WORDS), max_size=25).map(
    lambda parts: "".join(p + s for p, s in zip(parts, ["\n", " ", "\n\n", ""] * len(parts), strict=False))
)


@pytest.mark.parametrize("fragment", MARKUP)
def test_each_kind_of_markup_converts_exactly_as_python_markdown_does(fragment: str) -> None:
    stock = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    converter = markdown_converter()
    for text in (fragment, f"Plain words {fragment} more words.", f"{fragment}\n\nA plain paragraph.\n"):
        stock.reset()
        converter.reset()
        assert converter.convert(text) == stock.convert(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(markdown_documents)
def test_skipping_markup_free_text_converts_exactly_as_python_markdown_does(text: str) -> None:
    stock = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    assert markdown_converter().convert(text) == stock.convert(text)


def test_the_converter_skips_only_with_the_inline_patterns_it_knows() -> None:
    converter = markdown_converter()
    assert isinstance(converter.treeprocessors["inline"], _MarkupOnlyInline)
    stock = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    stock_kinds = [type(p) for p in stock.treeprocessors]
    inline = markdown.treeprocessors.InlineProcessor
    assert inline in stock_kinds  # replaced where it ran, the other tree processors as they were:
    assert [type(p) for p in converter.treeprocessors] == [_MarkupOnlyInline if k is inline else k for k in stock_kinds]
    assert {name for name in INLINE_PATTERNS if name in stock.inlinePatterns} == INLINE_PATTERNS
    assert len(stock.inlinePatterns) == len(INLINE_PATTERNS)
    # With an inline pattern it does not know (one that needs none of those characters), the stock processor.
    with_more = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    tilde = markdown.inlinepatterns.SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del")
    with_more.inlinePatterns.register(tilde, "del", 40)
    assert type(skip_markup_free_text(with_more).treeprocessors["inline"]) is inline
    assert "<del>gone</del>" in with_more.convert("~~gone~~")


def test_the_converter_has_the_named_extensions_own_processors_without_looking_up_entry_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stock = markdown.Markdown(extensions=EXTENSIONS, output_format="html")

    def lookup() -> object:
        raise AssertionError("entry points read")

    monkeypatch.setattr(markdown.util, "get_installed_extensions", lookup)
    converter = markdown_converter()  # instances: no lookup by name

    def listed(registry: Any) -> list[tuple[str, type]]:
        items = list(registry)  # (iterating sorts the registry by priority)
        return [(entry.name, type(item)) for entry, item in zip(registry._priority, items, strict=True)]

    for ours, theirs in (
        (converter.preprocessors, stock.preprocessors),
        (converter.parser.blockprocessors, stock.parser.blockprocessors),
        (converter.inlinePatterns, stock.inlinePatterns),
        (converter.postprocessors, stock.postprocessors),
    ):
        assert listed(ours) == listed(theirs)
    assert [name for name, _ in listed(converter.treeprocessors)] == [name for name, _ in listed(stock.treeprocessors)]


def test_links_relative_to_the_articles_file_are_left_out_with_a_warning(tmp_path: Path) -> None:
    """On the built site they would resolve under articles/SLUG/, where no such file is: broken links."""
    body = (
        "See [the other report](other.docx), [Pelican's way]({filename}other.docx) and the footnote[^1].\n\n"
        "![Harbour](photos/harbour.jpg)\n\n"
        "[Topics](/topics/) and [the council](https://example.org/council) stay.\n\n"
        "[^1]: A note.\n"
    )
    article, diagnostics = load_warned(tmp_path, "---\ntitle: Links\ndate: 2025-05-16\n---\n" + body)
    html = article.sections[0].html
    assert "other.docx" not in html and "harbour.jpg" not in html and "<img" not in html
    assert "<p>Harbour</p>" in html  # an image left out is named by its alt text
    assert "<p>See the other report, Pelican's way and the footnote" in html  # their text alone: no <a> left
    assert "<a>" not in html
    assert 'href="/topics/"' in html and 'href="https://example.org/council"' in html
    assert 'href="#fn:1"' in html  # footnotes are links within the page
    hint = "relative to the article's file, is not on the built site: left out"
    assert [w.split(": link to ", 1)[1].split(",")[0] for w in diagnostics.warnings[:2]] == [
        "'other.docx'",
        "'{filename}other.docx'",
    ]
    assert [w.split(": ", 1)[0] for w in diagnostics.warnings] == ["content/post.md:5"] * 2 + ["content/post.md:7"]
    assert all(hint in w for w in diagnostics.warnings[:2])
    # An image of the content folder would be published (test_assets.py): this one is not there.
    assert diagnostics.warnings[2].endswith(
        "link to 'photos/harbour.jpg' names content/photos/harbour.jpg, which is not there (or cannot be read, or is a symbolic link): "
        "left out"
    )


def test_links_to_other_articles_files_are_marked_for_the_build_to_lead_to_their_pages(tmp_path: Path) -> None:
    """Where the other article will be is known once every article is read (test_article_links.py)."""
    body = "See [the follow-up](other.md#vote) and [Pelican's way]({filename}/other.md).\n"
    article, diagnostics = load_warned(tmp_path, "---\ntitle: Links\ndate: 2025-05-16\n---\n" + body)
    assert article.provenance.links == (SCHEME + "content/other.md", SCHEME + "content/other.md#vote")
    assert f'<a href="{SCHEME}content/other.md#vote">the follow-up</a>' in article.sections[0].html
    assert diagnostics.warnings == []


def test_links_to_anchors_the_article_does_not_have_are_left_out_with_a_warning(tmp_path: Path) -> None:
    """Heading ids ({#details}) and <a name> are not kept by the sanitiser: links to them went nowhere."""
    body = (
        "See [details](#details), [below](#later) and a note[^1].\n\n"
        "### Details {#details}\n\nText.\n\n"
        '<a name="later"></a>Later.\n\n'
        "[^1]: Note.\n"
    )
    article, diagnostics = load_warned(tmp_path, "---\ntitle: Anchors\ndate: 2025-05-16\n---\n" + body)
    html = "".join(s.html for s in article.sections)
    assert "See details, below and a note" in html and "<a>details" not in html and "<a>below" not in html
    assert 'href="#fn:1"' in html and 'href="#fnref:1"' in html  # footnotes have their anchors: kept
    assert diagnostics.warnings == [
        f"content/post.md:5: link to '#{name}' goes to no anchor in the article (headings' own ids are not kept): "
        "left out"
        for name in ("details", "later")
    ]


def test_summaries_read_no_footnotes_and_a_line_break_is_a_space(tmp_path: Path) -> None:
    """The lead read "evening.1 The mayor…", a summary could be a footnote with its "↩", "table<br>line" "tableline"."""
    body = (
        "The council met on Tuesday evening.[^1] The mayor spoke first.[^note]\n\n"
        "Loose text after the table<br>line two of the text.\n\n"
        "[^1]: The minutes are public.\n[^note]: A named footnote with a [link](https://example.org/).\n"
    )
    article = load(tmp_path, "---\ntitle: Notes\ndate: 2025-05-16\n---\n" + body)
    assert article.sections[0].paragraphs == (
        "The council met on Tuesday evening. The mayor spoke first.",
        "Loose text after the table line two of the text.",
    )
    assert 'href="#fn:1"' in article.sections[0].html and "The minutes are public." in article.sections[0].html
    summary = article_summary(article)
    assert (
        summary.startswith("The council met on Tuesday evening. ") and "↩" not in summary and "footnote" not in summary
    )


@pytest.mark.parametrize("divider", ["<!--more-->", "<!-- more -->", "<!-- PELICAN_END_SUMMARY -->"])
def test_the_text_before_a_summary_divider_is_the_summary(tmp_path: Path, divider: str) -> None:
    """Hugo, Jekyll and WordPress end an article's summary with <!--more-->; Pelican's plugin with its own."""
    body = f"The council **met** on Tuesday.\n\nIt voted on the tram plan.\n{divider}\n\nThe rest of the report.\n"
    article, _ = load_warned(tmp_path, "---\ntitle: Divided\ndate: 2025-05-16\n---\n" + body)
    assert article.summary == "The council met on Tuesday. It voted on the tram plan."
    assert "The rest of the report." in article.sections[0].html and "more" not in article.sections[0].html
    given, _ = load_warned(tmp_path, "---\ntitle: Divided\ndate: 2025-05-16\nsummary: Given.\n---\n" + body)
    assert given.summary == "Given."  # the front matter's own wins
