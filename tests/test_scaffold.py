"""``broadsheet new`` and ``broadsheet init``: files that load and build, never an overwrite."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.cli import main
from broadsheet.config import load_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file
from broadsheet.scaffold import init_site, new_article

NOW = datetime(2025, 5, 17, 22, 30, 5, 123, tzinfo=UTC)  # already 18 May in Kyiv (UTC+3)


def test_new_writes_a_draft_dated_in_the_site_time_zone(sample_site: Path) -> None:
    config = load_config(sample_site)  # timezone: Europe/Kyiv
    path = new_article(config, "  Council backs   tram plan: what's next? ", NOW)
    assert path == sample_site / "content" / "2025-05-18-council-backs-tram-plan-what-s-next.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 'Council backs tram plan: what''s next?'\ndate: 2025-05-18T01:30:05+03:00\n")
    assert '\nauthors: []\ntags: []\nsummary: ""\ndraft: true\n---\n' in text
    diagnostics = Diagnostics()
    article = load_file(path, config, diagnostics)
    assert diagnostics.problems == 0
    assert article.headline == "Council backs tram plan: what's next?"
    assert article.published == NOW.replace(microsecond=0)
    assert article.draft is True
    assert article.authors == () and article.tags == () and article.summary == ""


def test_new_drafts_stay_out_of_a_normal_build_and_show_with_drafts(sample_site: Path) -> None:
    config = load_config(sample_site)
    path = new_article(config, "A draft about the tram plan", NOW)
    slug = path.stem.removeprefix("2025-05-18-")
    normal = build_site(BuildOptions(site=sample_site, future=True))
    assert normal.diagnostics.problems == 0
    assert not (normal.output / "articles" / slug).exists()
    drafts = build_site(BuildOptions(site=sample_site, drafts=True, future=True))
    assert (drafts.output / "articles" / slug / "index.html").is_file()


def test_new_refuses_to_overwrite(sample_site: Path) -> None:
    config = load_config(sample_site)
    path = new_article(config, "Same headline", NOW)
    path.write_text("my edits", encoding="utf-8")
    with pytest.raises(BroadsheetError, match="already exists: not overwritten") as caught:
        new_article(config, "Same headline", NOW)
    assert caught.value.path == str(path)
    assert path.read_text(encoding="utf-8") == "my edits"


def test_new_numbers_a_headline_that_gives_no_file_name(sample_site: Path) -> None:
    """A headline with no letters or digits names its file "article": the next such one takes the next number."""
    config = load_config(sample_site)
    first = new_article(config, "🎉🎉", NOW)
    first.write_text("my edits", encoding="utf-8")
    second = new_article(config, "🎉🎉", NOW)
    third = new_article(config, "!!! ???", NOW)
    assert [p.name for p in (first, second, third)] == [
        "2025-05-18-article.md",
        "2025-05-18-article-2.md",
        "2025-05-18-article-3.md",
    ]
    assert first.read_text(encoding="utf-8") == "my edits"  # never overwritten
    for path, headline in ((second, "🎉🎉"), (third, "!!! ???")):
        diagnostics = Diagnostics()
        assert load_file(path, config, diagnostics).headline == headline
        assert diagnostics.problems == 0


def test_new_refuses_when_every_numbered_name_is_taken_or_the_folder_is_wrong(
    sample_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = load_config(sample_site)
    content = sample_site / "content"
    taken = [content / "2025-05-18-article.md"] + [content / f"2025-05-18-article-{n}.md" for n in range(2, 1000)]
    for path in taken:
        path.write_text("taken", encoding="utf-8")
    with pytest.raises(BroadsheetError, match=r"no free file name: .*-article\.md to .*-article-999\.md all exist"):
        new_article(config, "🎉", NOW)
    assert {path.read_text(encoding="utf-8") for path in taken} == {"taken"}

    shutil.rmtree(content)
    content.write_text("not a folder", encoding="utf-8")  # an error that is no taken name: refused at once
    assert main(["new", "🎉", "--site", str(sample_site)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {content}") and err.count("\n") == 1, err
    assert content.read_text(encoding="utf-8") == "not a folder"


def test_new_rejects_an_empty_headline(sample_site: Path) -> None:
    with pytest.raises(BroadsheetError, match="headline is empty"):
        new_article(load_config(sample_site), " \n ", NOW)


def test_new_cli_prints_the_path_and_fails_in_one_line(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Harbour museum extends hours", "--site", str(sample_site)]) == 0
    written = list((sample_site / "content").glob("*-harbour-museum-extends-hours.md"))
    assert len(written) == 1 and str(written[0]) in capsys.readouterr().out
    assert main(["new", "Harbour museum extends hours", "--site", str(sample_site)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not overwritten" in err and err.count("\n") == 1


def test_init_scaffolds_a_site_that_builds_at_once(tmp_path: Path) -> None:
    site = tmp_path / "port-alder-news"
    created = init_site(site, NOW, timezone="Europe/Kyiv")
    assert (site / "site.yaml").is_file()
    assert sorted(p.name for p in (site / "content").iterdir()) == ["2025-05-18-welcome.md"]
    assert (site / "seeds").is_dir() and list((site / "seeds").iterdir()) == []
    assert (site / "templates").is_dir() and list((site / "templates").iterdir()) == []
    assert set(created) >= {site / "site.yaml", site / "seeds", site / "templates"}
    config = load_config(site)
    assert config.title == "Port Alder News"
    assert config.timezone == "Europe/Kyiv"
    result = build_site(BuildOptions(site=site, now=NOW))
    assert result.diagnostics.problems == 0
    assert result.articles == 1
    front = (result.output / "index.html").read_text(encoding="utf-8")
    assert "Welcome to Port Alder News" in front
    assert (result.output / "topics" / "site-news" / "index.html").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_init_gitignore_covers_everything_a_build_writes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    created = init_site(site, NOW)
    build_site(BuildOptions(site=site, now=NOW))
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    status = subprocess.run(
        ["git", "-C", str(site), "status", "--porcelain", "--untracked-files=all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    untracked = {line.removeprefix("?? ") for line in status.splitlines()}
    made = {str(path.relative_to(site)) for path in created if path.is_file()}
    assert untracked == made  # the output, its shadow and lock and the cache are all ignored


def test_init_options_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "x"
    argv = ["init", str(site), "--title", "Yes: a 'quoted' #title", "--base-url", "https://news.example.org/sub"]
    assert main(argv) == 0
    assert "created" in capsys.readouterr().out
    config = load_config(site)
    assert config.title == "Yes: a 'quoted' #title"
    assert config.base_url == "https://news.example.org/sub/"
    assert build_site(BuildOptions(site=site)).articles == 1


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BroadsheetError, match="not empty"):
        init_site(tmp_path, NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_validates_before_writing_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "new"
    assert main(["init", str(site), "--timezone", "Mars/Olympus"]) == 1
    assert "unknown time zone" in capsys.readouterr().err
    assert not site.exists()
    assert main(["init", str(site), "--base-url", "ftp://example.org/"]) == 1
    assert not site.exists()
