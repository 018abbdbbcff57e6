"""Old addresses of an article (Hugo's aliases, Jekyll's redirect_from) lead to its page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, BuildResult, build_site
from broadsheet.check import check_site
from broadsheet.urls import redirect

FRONT = "---\ntitle: {title}\ndate: 2025-05-0{day}\n{extra}---\n\nThe council met on Tuesday about {title}.\n"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/2019/05/old-title/", "2019/05/old-title/"),
        ("2019/05/old-title", "2019/05/old-title/"),  # a folder page, with or without its slashes
        ("/old.html", "old.html"),
        ("/posts/old.HTM?x=1#top", "posts/old.HTM"),
        ("/café/", "café/"),
    ],
)
def test_an_old_address_is_a_page_of_the_site(address: str, expected: str) -> None:
    assert redirect(address) == (expected, "")


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("https://old.example.org/a/", "is an address of another site"),
        ("//old.example.org/a/", "is an address of another site"),
        ("javascript:alert(1)", "is an address of another site"),
        ("/", "is not a path inside the site"),
        ("/a/../../etc/", "is not a path inside the site"),
        ("/.git/config", "is not a path inside the site"),
        ("/a\\b/", "is not a path inside the site"),
        ("/a\nb/", "is not a path inside the site"),
        ("/old.html/x/", "names a page inside a page"),
        ("/articles/other/", "is a place of the site's own pages"),
        ("/Topics/x/", "is a place of the site's own pages"),  # one name on macOS's disks
        ("/feed.xml", "is a place of the site's own pages"),
        ("/" + "x" * 300 + "/", "longer than 255 bytes"),
    ],
)
def test_an_address_that_is_not_a_free_place_of_the_site_is_refused(address: str, why: str) -> None:
    path, reason = redirect(address)
    assert path == "" and why in reason


def write(site: Path, name: str, title: str, day: int, extra: str = "") -> None:
    (site / "content" / name).write_text(FRONT.format(title=title, day=day, extra=extra), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Old news\nbase_url: https://example.org/n/\nsearch: false\n", "utf-8")
    write(site, "hugo.md", "Harbour vote", 1, "aliases: [/2019/05/harbour-vote/, /old/vote.html]\n")
    write(site, "jekyll.md", "Tram plan", 2, "redirect_from: /trams/plan/\nurl: https://old.example.org/trams\n")
    write(site, "permalink.md", "Ferry times", 3, "permalink: /ferry/times.html\n")
    write(site, "pattern.md", "Bridge works", 4, "permalink: /:year/:title/\n")
    return site


def build(site: Path) -> BuildResult:
    return build_site(BuildOptions(site=site, jobs=1))


def test_each_old_address_has_a_page_leading_to_the_article(site: Path) -> None:
    result = build(site)
    out = result.output
    page = (out / "2019/05/harbour-vote/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../../articles/harbour-vote/">' in page
    assert '<link rel="canonical" href="https://example.org/n/articles/harbour-vote/">' in page
    assert '<a href="../../../articles/harbour-vote/">Harbour vote</a>' in page
    assert 'content="0; url=../articles/harbour-vote/"' in (out / "old/vote.html").read_text(encoding="utf-8")
    assert 'url=../../articles/tram-plan/"' in (out / "trams/plan/index.html").read_text(encoding="utf-8")
    assert 'url=../articles/ferry-times/"' in (out / "ferry/times.html").read_text(encoding="utf-8")
    assert not (out / "2025").exists()  # a permalink pattern is no address: kept with the other keys
    assert "old/vote.html" not in (out / "sitemap.xml").read_text(encoding="utf-8")  # not pages of their own
    assert result.diagnostics.warnings == []
    assert check_site(out, "https://example.org/n/") == []


def test_an_address_refused_or_taken_is_named_with_its_line(site: Path) -> None:
    write(site, "zzz.md", "Late claim", 5, "aliases: [/old/vote.html, /articles/x/, 'https://old.example.org/a']\n")
    result = build(site)
    assert result.diagnostics.warnings == [
        "content/zzz.md:4: aliases '/articles/x/' is a place of the site's own pages: ignored",
        "content/zzz.md:4: aliases 'https://old.example.org/a' is an address of another site, not a path of this "
        "one: ignored",
        "content/zzz.md: old address /old/vote.html is already content/hugo.md's: ignored",
    ]
    assert "harbour-vote" in (result.output / "old/vote.html").read_text(encoding="utf-8")


def test_a_rebuild_after_old_addresses_change_equals_a_clean_build(site: Path, tmp_path: Path) -> None:
    build(site)
    write(site, "hugo.md", "Harbour vote result", 1, "aliases: [/2019/05/harbour-vote/]\n")  # new slug, one gone
    (site / "content/jekyll.md").unlink()
    result = build(site)
    assert not (result.output / "old").exists() and not (result.output / "trams").exists()
    assert "articles/harbour-vote-result/" in (result.output / "2019/05/harbour-vote/index.html").read_text("utf-8")
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    fresh = build(clean).output
    assert {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()} == {
        p.relative_to(result.output): p.read_bytes() for p in result.output.rglob("*") if p.is_file()
    }


def test_the_places_an_old_address_may_not_take_are_every_one_the_site_writes(sample_site: Path) -> None:
    """urls.SITE_FOLDERS and SITE_FILES must grow with the site: a new section would otherwise be claimable."""
    from broadsheet.urls import SITE_FILES, SITE_FOLDERS

    (sample_site / "content/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    post = sample_site / "content/2025-05-14-floating-library.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n![A photo](photo.png)\n", encoding="utf-8")
    output = build(sample_site).output
    written = {entry.name for entry in output.iterdir() if not entry.name.startswith(".")}
    assert "media" in written and "pagefind" in written  # the site's every kind of output is here
    assert written <= SITE_FOLDERS | SITE_FILES
