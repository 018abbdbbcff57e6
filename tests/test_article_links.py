"""Links from one article to another (Markdown, Pelican's {filename}, Hugo's ref/relref) lead to its page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, BuildResult, StrictFailure, build_site
from broadsheet.check import check_site
from broadsheet.loaders import LOADERS
from broadsheet.loaders.article_links import (
    ARTICLE_SUFFIXES,
    NO_ARTICLE,
    SCHEME,
    anchor_of,
    files_named,
    line_of,
    marker_for,
    resolve,
)
from conftest import site_with

FIRST = "articles/harbour-vote-called/index.html"
LINKS = """---
title: Harbour vote called
date: 2025-05-01
source: Harbour Gazette
---

See [the result](../2025/result.md), [the count](../2025/result.md#the-count), [Pelican's]({filename}/2025/result.md),
[Hugo's]({{< ref "2025/result.md" >}}), [relref]({{< relref "/2025/result" >}}) and [a bundle]({{% ref "2025/ferry" %}}).
"""
RESULT = """---
title: Harbour vote result
date: 2025-05-02
slug: vote-result
---

The council voted. Back to [the call](../news/first.md).

## The count

Nine for, two against.
"""
FERRY = "---\ntitle: Ferry timetable\ndate: 2025-05-03\n---\n\nThe ferry runs hourly.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content/news").mkdir(parents=True)
    (site / "content/2025/ferry").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Links\nbase_url: https://example.org/d/\nsearch: false\n", encoding="utf-8")
    (site / "content/news/first.md").write_text(LINKS, encoding="utf-8")
    (site / "content/2025/result.md").write_text(RESULT, encoding="utf-8")
    (site / "content/2025/ferry/index.md").write_text(FERRY, encoding="utf-8")
    return site


def build(site: Path, **options: bool) -> BuildResult:
    return build_site(BuildOptions(site=site, jobs=1, **options))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hrefs(page: str) -> list[str]:
    """The links of the article's text to pages of articles (the page lists others after it)."""
    body = page.split('<div class="story"', 1)[1].split("</div>", 1)[0]
    return [part.split('"', 1)[0] for part in body.split(' href="')[1:] if "articles/" in part.split('"', 1)[0]]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("other.md", "content/2025/a/other.md"),
        ("../b/other.markdown#vote", "content/2025/b/other.markdown#vote"),
        ("other.md?v=2", "content/2025/a/other.md"),  # a query means nothing to a page of the site
        ("notes%20one.txt", "content/2025/a/notes%20one.txt"),
        ("{filename}/2024/other.md", "content/2024/other.md"),  # Pelican: "/" is the content folder
        ("{filename}other.md", "content/2025/a/other.md"),
        ("|filename|other.md", "content/2025/a/other.md"),
        ('{{< ref "other.md" >}}', "content/2025/a/other.md|content/other.md"),  # Hugo: the page's folder first
        ('{{< relref "/2024/other.md#vote" >}}', "content/2024/other.md#vote"),
        ("{{% ref other %}}", "content/2025/a/other|content/other"),
        ('{{< ref "#the-count" >}}', "content/2025/a/post.md#the-count"),  # a story of the article itself
        # Jekyll: a post by name, in _posts/ or moved into the content folder; a file from the site's root.
        ("{% post_url 2025-05-12-trams %}", "content/_posts/2025-05-12-trams|content/2025-05-12-trams"),
        ("{{ site.baseurl }}{% post_url 2024/x %}#vote", "content/_posts/2024/x|content/2024/x#vote"),
        ("{%- link _posts/2025-05-12-trams.md -%}", "content/_posts/2025-05-12-trams.md|content/2025-05-12-trams.md"),
        ("{% post_url ../../../etc/passwd %}", None),
        # Pelican: a page of the site, not a file (a category is a tag here).
        ("{tag}climate", "%40tag/climate"),
        ("{category}Big%20News#x", "%40tag/Big%20News#x"),
        ("|author|Jane", "%40author/Jane"),
        ("{index}", "%40index"),
        ("{tag}", None),
        ("../../../site.md", None),  # out of the content folder
        ("../../.drafts/other.md", None),
        ("photo.png", None),  # a file to publish (assets.py), not an article
        ("page.html", "content/2025/a/page.html"),  # an HTML article (Pelican's, a saved page)
    ],
)
def test_a_link_to_another_articles_file_is_a_marker(url: str, expected: str | None) -> None:
    marker = marker_for(url, "content/2025/a/post.md", "content")
    assert marker == (None if expected is None else SCHEME + expected)


def test_the_suffixes_of_article_files_are_those_the_loaders_read() -> None:
    assert set(ARTICLE_SUFFIXES) == set(LOADERS)


def test_a_path_without_suffix_is_a_file_or_a_page_bundle_and_either_unicode_form() -> None:
    named = list(files_named(SCHEME + "content/cafe%CC%81|content/b.md#x"))
    assert named[0] == "content/café.md" and "content/café/index.md" in named and "content/café/_index.md" in named
    assert named[-1] == "content/b.md"


def test_a_fragment_names_a_story_by_number_or_heading() -> None:
    headings = ["", "The count", "Reactions"]
    assert anchor_of(SCHEME + "content/a.md#the-count", headings) == "#story-2"
    assert anchor_of(SCHEME + "content/a.md#story-3", headings) == "#story-3"
    assert anchor_of(SCHEME + "content/a.md#nowhere", headings) == ""
    assert anchor_of(SCHEME + "content/a.md", headings) == ""


def test_resolve_leads_each_marked_link_to_its_page_or_leaves_it_out() -> None:
    body = (
        f'<p><a title="x" href="{SCHEME}content/a.md">A</a> <a href="{SCHEME}content/b.md">B</a> '
        f"<code>href=&quot;{SCHEME}content/a.md&quot;</code></p>"
    )
    targets = {SCHEME + "content/a.md": 'articles/a/#story-1"'}
    resolved = resolve(body, targets, "../../")
    assert '<a title="x" href="../../articles/a/#story-1&quot;">A</a>' in resolved
    assert "</a> B <code>" in resolved and "<a>" not in resolved  # no article there: the link's text alone
    assert f"<code>href=&quot;{SCHEME}content/a.md&quot;</code>" in resolved  # text, not a link: left as it is


def test_a_link_left_out_is_its_text_as_sanitised_and_nothing_else() -> None:
    dead, live = f"{SCHEME}content/gone.md", f"{SCHEME}content/a.md"
    body = (
        f'<p><a title="a &gt; b" href="{dead}" hreflang="en"><em>Gone</em> &lt;script&gt;alert(1)&lt;/script&gt; '
        f'<abbr title="x">AB</abbr></a>, <a href="{live}">A</a>, <a href="{dead}"></a>'
        f'<a href="{dead}#x">x</a> <a href="https://example.org/">out</a></p>'
    )
    resolved = resolve(body, {live: "articles/a/"}, "../../")
    assert resolved == (
        '<p><em>Gone</em> &lt;script&gt;alert(1)&lt;/script&gt; <abbr title="x">AB</abbr>, '
        '<a href="../../articles/a/">A</a>, x <a href="https://example.org/">out</a></p>'
    )
    # No end tag (never so in what nh3 writes): the anchor stays, without an href, rather than a guess.
    assert resolve(f'<p><a title="t" href="{dead}">open', {}, "") == '<p><a title="t">open'


@pytest.mark.parametrize(
    ("url", "body", "line"),
    [
        ("c.md", "Intro.\n\nSee [c](c.md).\n", 8),
        ("c.md", "On c.md below.\n\nSee [c](c.md).\n", 8),  # where a link writes it, not a mention before
        ("c.md", "See [c][ref].\n\n[ref]: c.md\n", 8),  # a reference's definition
        ("c.md", 'Raw <a href="c.md">c</a>.\n', 6),
        ('{{< ref "c.md" >}}', 'One\n[c]({{< ref "c.md" >}})\n', 7),
        ("c.md", "Mentioned: c.md\n", 6),  # nowhere as a link's URL: where it is written at all
        ("c d.md", "See [c](c%20d.md).\n", None),  # not written as the link's href has it
    ],
)
def test_the_line_of_a_link_counts_from_the_first_line_of_the_body(url: str, body: str, line: int | None) -> None:
    assert line_of(url, body, 6) == line


def test_links_between_articles_lead_to_their_pages_in_pages_and_feeds(site: Path) -> None:
    result = build(site)
    page = (result.output / FIRST).read_text(encoding="utf-8")
    assert hrefs(page) == [
        "../../articles/vote-result/",
        "../../articles/vote-result/#story-2",
        "../../articles/vote-result/",
        "../../articles/vote-result/",
        "../../articles/vote-result/",
        "../../articles/ferry-timetable/",
    ]
    assert 'rel="noopener' not in page.split('<div class="story"', 1)[1].split("</div>", 1)[0]  # a link of the site
    back = (result.output / "articles/vote-result/index.html").read_text(encoding="utf-8")
    assert 'href="../../articles/harbour-vote-called/">the call</a>' in back
    feed = (result.output / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/d/articles/vote-result/#story-2" in feed
    assert not any(SCHEME.encode() in data for data in tree(result.output).values())
    assert result.diagnostics.warnings == []
    assert check_site(result.output, "https://example.org/d/") == []


def test_a_link_to_an_article_not_on_the_site_is_left_out_with_a_warning(site: Path) -> None:
    (site / "content/2025/result.md").write_text(RESULT.replace("date:", "draft: true\ndate:"), encoding="utf-8")
    result = build(site)
    page = (result.output / FIRST).read_text(encoding="utf-8")
    assert "See the result, the count, Pelican's,\nHugo's, relref and <a href=" in page  # their text alone
    assert hrefs(page) == ["../../articles/ferry-timetable/"]
    why = "no article of the site is read from that file (not there, a draft, a future article, or a duplicate of one)"
    assert result.diagnostics.warnings == [
        f"content/news/first.md:{line}: link to {named}: {why}: left out"
        for line, named in (  # each way of naming it once, as its links do, at the first line it is on
            (7, "content/2025/result.md"),
            (8, "content/2025/result"),
            (8, "content/news/2025/result.md or content/2025/result.md"),
        )
    ]
    assert "<a>" not in (result.output / "feed.xml").read_text(encoding="utf-8")
    assert check_site(result.output, "https://example.org/d/") == []
    # Built with its drafts, the site has the article again.
    assert "../../articles/vote-result/#story-2" in hrefs((build(site, drafts=True).output / FIRST).read_text("utf-8"))
    with pytest.raises(StrictFailure):
        build(site, strict=True)


def test_an_image_naming_an_article_is_left_out(site: Path) -> None:
    (site / "content/news/first.md").write_text(LINKS + "\n![The result](../2025/result.md)\n", encoding="utf-8")
    result = build(site)
    assert "<p>The result</p>" in (result.output / FIRST).read_text(encoding="utf-8")
    assert any("link to '../2025/result.md' names an article, not an image" in w for w in result.diagnostics.warnings)


def retitle_target(site: Path) -> None:
    path = site / "content/2025/result.md"
    path.write_text(path.read_text(encoding="utf-8").replace("slug: vote-result", "slug: harbour-result"), "utf-8")


def rename_story(site: Path) -> None:
    path = site / "content/2025/result.md"
    text = path.read_text(encoding="utf-8").replace("## The count", "## Tally\n\nFirst.\n\n## The count")
    path.write_text(text, encoding="utf-8")


def edit_target_text(site: Path) -> None:
    path = site / "content/2025/result.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Nine for", "Ten for"), encoding="utf-8")


def delete_target(site: Path) -> None:
    (site / "content/2025/result.md").unlink()


def add_target_back(site: Path) -> None:
    (site / "content/2025/result.md").write_text(RESULT, encoding="utf-8")


def move_bundle(site: Path) -> None:
    (site / "content/2025/ferry/index.md").rename(site / "content/2025/ferry.md")


@pytest.mark.parametrize(
    "changes",
    [
        [retitle_target],
        [rename_story],
        [edit_target_text],
        [delete_target],
        [delete_target, add_target_back],
        [move_bundle],
    ],
    ids=["target slug", "target stories", "target text", "target deleted", "target back", "bundle moved"],
)
def test_a_rebuild_after_the_linked_article_changes_equals_a_clean_build(
    site: Path, tmp_path: Path, changes: list[Callable[[Path], None]]
) -> None:
    build(site)
    for change in changes:
        change(site)
        result = build(site)
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    assert tree(result.output) == tree(build(clean).output)
    assert result.diagnostics.warnings == build(clean).diagnostics.warnings


def test_pelicans_links_to_tag_category_author_and_index_pages_lead_there(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        {
            "content/a.md": "---\ntitle: Ferry fares\ndate: 2025-05-01\ntags: [Harbour, Transport]\n"
            "author: Mira Okafor\n---\n\nText.\n",
            "content/b.md": "---\ntitle: Tram fares\ndate: 2025-05-02\n---\n\nSee [h]({tag}harbour), "
            "[t]({category}Transport), [m]({author}Mira%20Okafor), [home]({index}) and [gone](|tag|nowhere).\n",
        },
    )
    result = build_site(BuildOptions(site=site, jobs=1))
    page = (result.output / "articles/tram-fares/index.html").read_text(encoding="utf-8")
    for link in (
        '<a href="../../tags/harbour/">h</a>',
        '<a href="../../tags/transport/">t</a>',
        '<a href="../../authors/mira-okafor/">m</a>',
        '<a href="../../">home</a>',
        "</a> and gone.</p>",
    ):
        assert link in page
    assert result.diagnostics.warnings == [
        "content/b.md:6: link to the tag page of 'nowhere': the site has no such page: left out"
    ]
    assert "https://example.org/tags/harbour/" in (result.output / "feed.xml").read_text(encoding="utf-8")
    assert check_site(result.output, "https://example.org/") == []


TARGET = "---\ntitle: Other\ndate: 2026-01-03\n---\n\nBody of b.\n\n## The vote\n\nNine for.\n"
LINKING = """---
title: D
date: 2026-01-04
---

Intro.

See [dupe](c.md), [its vote](c.md#the-vote), [Pelican's]({filename}c.md),
[Hugo's]({{< ref "c.md" >}}) and [Jekyll's]({% link c.md %}).

Not [again](nothere.md#x),

nor [missing](nothere.md).
"""
D_PAGE = "articles/d/index.html"


def duplicate_site(folder: Path) -> Path:
    """b.md and c.md, its copy (left out), and d.md linking to c.md in every way, and twice to a missing file."""
    return site_with(folder, {"content/b.md": TARGET, "content/c.md": TARGET, "content/d.md": LINKING})


def test_a_link_to_a_file_left_out_as_a_duplicate_leads_to_the_article_kept(tmp_path: Path) -> None:
    result = build(duplicate_site(tmp_path))
    page = (result.output / D_PAGE).read_text(encoding="utf-8")
    kept = "../../articles/other/"
    assert hrefs(page) == [kept, kept + "#story-2", kept, kept, kept]
    assert "Not again,</p>" in page and "nor missing.</p>" in page  # no anchor without href
    feed = (result.output / "feed.xml").read_text(encoding="utf-8")
    assert 'See <a href="https://example.org/articles/other/">dupe</a>' in feed
    assert "Not again,</p>" in feed and "nor missing.</p>" in feed and "<a>" not in feed
    assert result.diagnostics.warnings == [
        "content/c.md: duplicate of content/b.md: skipped",
        f"content/d.md:11: link to content/nothere.md: {NO_ARTICLE}: left out",  # the first of its two lines
    ]
    assert check_site(result.output, "https://example.org/") == []


def test_a_link_to_a_copy_of_a_copy_leads_to_the_article_kept_in_the_end(tmp_path: Path) -> None:
    """c.md has b.md's bytes (build.deduplicate), b.md a.md's text under another date (enrich.site.drop_same_text)."""
    site = duplicate_site(tmp_path)
    (site / "content/a.md").write_text(TARGET.replace("2026-01-03", "2026-01-02"), encoding="utf-8")
    (site / "content/d.md").write_text(LINKING.replace("[dupe](c.md)", "[dupe](b.md)"), encoding="utf-8")
    result = build(site)
    kept = "../../articles/other/"
    assert hrefs((result.output / D_PAGE).read_text(encoding="utf-8")) == [kept, kept + "#story-2", kept, kept, kept]
    assert [w for w in result.diagnostics.warnings if ": link to " in w] == [
        f"content/d.md:11: link to content/nothere.md: {NO_ARTICLE}: left out"
    ]
    assert len(list((result.output / "articles").iterdir())) == 2  # a.md's and d.md's pages


def test_a_link_to_a_copy_of_a_draft_leads_nowhere(tmp_path: Path) -> None:
    site = duplicate_site(tmp_path)
    draft = TARGET.replace("date:", "draft: true\ndate:")
    (site / "content/b.md").write_text(draft, encoding="utf-8")
    (site / "content/c.md").write_text(draft, encoding="utf-8")
    result = build(site)
    assert hrefs((result.output / D_PAGE).read_text(encoding="utf-8")) == []
    assert f"content/d.md:8: link to content/c.md: {NO_ARTICLE}: left out" in result.diagnostics.warnings


def edit_copy(site: Path) -> None:
    """c.md says something else: an article of its own, which the links lead to."""
    (site / "content/c.md").write_text(TARGET.replace("Other", "Another").replace("Nine", "Ten"), encoding="utf-8")


def delete_copy(site: Path) -> None:
    (site / "content/c.md").unlink()


def copy_back(site: Path) -> None:
    (site / "content/c.md").write_text(TARGET, encoding="utf-8")


def copy_another(site: Path) -> None:
    """c.md a copy of a.md now: the same articles on the site, the links to c.md leading to another of them."""
    (site / "content/c.md").write_text((site / "content/a.md").read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.parametrize(
    "changes",
    [[edit_copy], [edit_copy, copy_back], [delete_copy], [delete_copy, copy_back], [copy_another]],
    ids=["copy edited", "copy again", "copy deleted", "copy back", "copy of another"],
)
def test_a_rebuild_after_the_duplicate_changes_equals_a_clean_build(
    tmp_path: Path, changes: list[Callable[[Path], None]]
) -> None:
    site = duplicate_site(tmp_path)
    (site / "content/a.md").write_text("---\ntitle: X\ndate: 2026-01-02\n---\n\n## The vote\n\nX.\n", "utf-8")
    before = (build(site).output / D_PAGE).read_bytes()
    for change in changes:
        change(site)
        result = build(site)
        assert not result.unchanged
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    assert tree(result.output) == tree(build(clean).output)
    assert result.diagnostics.warnings == build(clean).diagnostics.warnings
    if changes[-1] != copy_back:
        assert (result.output / D_PAGE).read_bytes() != before  # the links lead elsewhere
