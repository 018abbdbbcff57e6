"""Which files under ``content/`` and ``seeds/`` a build reads, and what it says of those it does not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import inputs

NOW = datetime(2025, 6, 1, tzinfo=UTC)
POST = "---\ntitle: {title}\ndate: 2025-05-16\n---\nThe river rose overnight.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n")
    return site


def _write(site: Path, relpath: str, text: str) -> None:
    path = site / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _read(site: Path) -> tuple[list[str], list[str]]:
    diagnostics = Diagnostics()
    return list(inputs(load_config(site), diagnostics)), diagnostics.warnings


def test_jekyll_posts_and_drafts_folders_are_read_other_underscore_names_are_not(site: Path) -> None:
    _write(site, "content/_posts/2025-05-16-river.md", POST.format(title="River rises"))
    _write(site, "content/_drafts/tram.md", POST.format(title="Tram plan"))
    _write(site, "content/_layouts/post.md", POST.format(title="A layout, not an article"))
    _write(site, "content/_index.md", POST.format(title="A Hugo section page"))
    _write(site, "content/_posts/_partial.md", POST.format(title="Still skipped"))
    read, warnings = _read(site)
    assert read == ["content/_drafts/tram.md", "content/_posts/2025-05-16-river.md"]
    assert warnings == []


def test_what_is_in_drafts_is_a_draft(site: Path) -> None:
    _write(site, "content/_posts/2025-05-16-river.md", POST.format(title="River rises"))
    _write(site, "content/_drafts/tram.md", POST.format(title="Tram plan"))
    plain = build_site(BuildOptions(site=site, now=NOW))
    assert plain.articles == 1
    assert (site / "output" / "articles" / "river-rises" / "index.html").is_file()
    assert not (site / "output" / "articles" / "tram-plan").exists()
    with_drafts = build_site(BuildOptions(site=site, now=NOW, drafts=True))
    assert with_drafts.articles == 2
    assert (site / "output" / "articles" / "tram-plan" / "index.html").is_file()


@pytest.mark.parametrize("suffix", [".mkd", ".mkdn", ".mdown", ".mkdown"])
def test_jekylls_other_markdown_extensions_are_read(site: Path, suffix: str) -> None:
    _write(site, f"content/post{suffix}", POST.format(title="Other extension"))
    read, _ = _read(site)
    assert read == [f"content/post{suffix}"]
    result = build_site(BuildOptions(site=site, now=NOW))
    assert result.articles == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("post.rst", "reStructuredText is not read; convert it to Markdown"),
        ("feed.xml", "a feed is not read from content/: list it under 'feeds:' in site.yaml and run broadsheet ingest"),
    ],
)
def test_files_a_user_may_take_for_articles_are_named_not_passed_over(site: Path, name: str, reason: str) -> None:
    _write(site, f"content/{name}", "<rss/>")
    _write(site, "content/photo.jpg", "not text")  # images beside articles are expected: no word of them
    _write(site, "content/post.yaml", "date: 2025-05-16\n")  # a sidecar without its article: no word either
    read, warnings = _read(site)
    assert read == []
    assert warnings == [f"content/{name}: {reason}: skipped"]


def test_a_content_folder_that_is_the_site_folder_itself_is_read(tmp_path: Path) -> None:
    # Site paths are "post.md", not "./post.md" (the build looked them up under the other name and crashed).
    site = tmp_path / "site"
    (site / "notes").mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: T\nbase_url: https://example.org/\nsearch: false\n"
        f"paths: {{content: ., cache: {tmp_path}/cache, output: {tmp_path}/out}}\n",
        encoding="utf-8",
    )
    (site / "post.md").write_text("---\ntitle: A post\ndate: 2025-01-01\n---\n\nSome text.\n", encoding="utf-8")
    (site / "notes/second.md").write_text("---\ntitle: Second\ndate: 2025-01-02\n---\n\nMore text.\n", "utf-8")
    (site / "notes/second.yaml").write_text("tags: [harbour]\n", encoding="utf-8")  # a sidecar name, listed
    # The site's other folders are not content, though they lie in it: no template or data file is an article.
    for other in ("templates/page.html", "templates/partials/notes.md", "data/notes.md", "seeds/wire.txt"):
        (site / other).parent.mkdir(parents=True, exist_ok=True)
        (site / other).write_text("Not an article of the content folder.\n", encoding="utf-8")
    sidecars: set[str] = set()
    diagnostics = Diagnostics()
    found = list(inputs(load_config(site), diagnostics, sidecars))
    assert found == ["notes/second.md", "post.md", "seeds/wire.txt"] and diagnostics.warnings == []
    assert "notes/second.md" in sidecars and "post.md" not in sidecars
    (site / "seeds/wire.txt").unlink()
    result = build_site(BuildOptions(site=site, jobs=1))
    assert result.articles == 2 and (tmp_path / "out/articles/second/index.html").is_file()
