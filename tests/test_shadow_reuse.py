"""A shadow whose record was lost (``.cache/`` deleted) is reused rather than deleted file by file.

Deleting tens of thousands of files before writing as many again took longer
than a tenth of a large clean build; the reused shadow's files are taken to
hold unknown bytes, so each is rewritten or pruned and the site comes out
byte for byte as a clean build makes it, whatever the shadow held.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions, BuildResult, build_site
from broadsheet.errors import BroadsheetError
from broadsheet.output import MARKER
from test_incremental import sixty_articles, tree
from test_render_helpers import failing_in_helpers, template_error


def build(site: Path, output: Path) -> BuildResult:
    return build_site(BuildOptions(site=site, output=output, jobs=2))


def deleted_trees(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every folder ``shutil.rmtree`` is asked to delete from now on (it still deletes them)."""
    deleted: list[Path] = []
    rmtree: Callable[..., Any] = shutil.rmtree

    def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
        deleted.append(Path(path))
        return rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", spy)
    return deleted


def tamper(file: Path) -> None:
    """Other bytes in a file of the shadow, as a new file: the old one may be a hard link to the live site's."""
    file.unlink()
    file.write_text("not the site's bytes", "utf-8")


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def built_twice(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site built twice into ``public``: the shadow holds the first build's files. Returns site, output, shadow."""
    site = sixty_articles(tmp_path)
    output = tmp_path / "public"
    build(site, output)
    edited = site / "content" / "a3.md"
    edited.write_text(edited.read_text("utf-8").replace("the council", "the harbour"), "utf-8")
    build(site, output)
    shadow = output.with_name(".public.shadow")
    assert shadow.is_dir()
    return site, output, shadow


def test_a_shadow_whose_record_was_lost_is_reused_and_comes_out_as_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, output, shadow = built_twice(tmp_path)
    expected, expected_folders = tree(output), folders(output)
    assert MARKER in expected
    article = next(f for f in expected if f.startswith("articles/") and f.endswith("/index.html"))
    # What another version or configuration may have left: stale files and folders, a folder where a
    # file goes, a file where a folder goes, and a file whose bytes are not the site's.
    (shadow / "stale" / "deep").mkdir(parents=True)
    (shadow / "stale" / "deep" / "old.html").write_text("old", "utf-8")
    (shadow / "empty" / "nested").mkdir(parents=True)
    (shadow / "feed.xml").unlink()
    (shadow / "feed.xml").mkdir()
    (shadow / "feed.xml" / "inner.txt").write_text("in the way", "utf-8")
    shutil.rmtree(shadow / article.rsplit("/", 1)[0])
    (shadow / article.rsplit("/", 1)[0]).write_text("a file where a folder goes", "utf-8")
    tamper(shadow / "index.html")
    shutil.rmtree(site / ".cache")

    deleted = deleted_trees(monkeypatch)
    result = build(site, output)

    assert shadow not in deleted
    assert result.files == len(expected) - 1  # every file but the marker rewritten: no reused bytes trusted
    assert tree(output) == expected
    assert folders(output) == expected_folders  # stale and empty folders pruned
    # The live site of before is the shadow now, also unrecorded (the state was lost): reused again.
    edited = site / "content" / "a5.md"
    edited.write_text(edited.read_text("utf-8").replace("the council", "the museum"), "utf-8")
    build(site, output)
    assert shadow not in deleted
    shutil.rmtree(site / ".cache")
    clean = build(site, tmp_path / "clean").output
    assert tree(output) == tree(clean)
    assert folders(output) == folders(clean)


def test_a_shadow_holding_a_symlink_is_deleted_and_nothing_is_written_through_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, output, shadow = built_twice(tmp_path)
    expected = tree(output)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mine.txt").write_text("the user's", "utf-8")
    shutil.rmtree(shadow / "topics")
    (shadow / "topics").symlink_to(outside, target_is_directory=True)
    shutil.rmtree(site / ".cache")

    deleted = deleted_trees(monkeypatch)
    build(site, output)

    assert shadow in deleted
    assert tree(outside) == {"mine.txt": b"the user's"}
    assert tree(output) == expected


@pytest.mark.parametrize("record", ["lost", "kept"])
def test_a_shadow_that_is_a_symlink_is_removed_and_nothing_is_written_through_it(tmp_path: Path, record: str) -> None:
    site, output, shadow = built_twice(tmp_path)
    outside = tmp_path / "outside"
    shutil.move(shadow, outside)  # the shadow's own files and marker, now outside the site
    before = tree(outside)
    shadow.symlink_to(outside, target_is_directory=True)
    if record == "lost":
        shutil.rmtree(site / ".cache")
    edited = site / "content" / "a5.md"  # with the state kept, a build that is not a no-op
    edited.write_text(edited.read_text("utf-8").replace("the council", "the museum"), "utf-8")
    build(site, output)
    assert tree(outside) == before
    assert shadow.is_dir() and not shadow.is_symlink()
    shutil.rmtree(site / ".cache")
    assert tree(output) == tree(build(site, tmp_path / "clean").output)


def test_a_build_that_fails_over_a_reused_shadow_leaves_the_next_build_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, output, shadow = built_twice(tmp_path)
    live = tree(output)
    tamper(shadow / "index.html")
    shutil.rmtree(site / ".cache")
    (site / "templates").mkdir()
    base = Path(__file__).resolve().parents[1] / "templates" / "base.html"
    (site / "templates" / "base.html").write_text(base.read_text("utf-8") + "<!-- edited -->\n", "utf-8")
    failing_in_helpers(monkeypatch, template_error)
    with pytest.raises(BroadsheetError, match="template error"):
        build(site, output)
    assert tree(output) == live
    monkeypatch.undo()
    shutil.rmtree(site / "templates")  # back to the live site's pages: the shadow's unknown bytes must not stay
    build(site, output)
    shutil.rmtree(site / ".cache")
    clean = build(site, tmp_path / "clean").output
    assert tree(output) == tree(clean)


def test_a_lock_file_that_is_a_symlink_stops_the_build_with_one_line(tmp_path: Path) -> None:
    site = sixty_articles(tmp_path)
    elsewhere = tmp_path / "elsewhere" / "made-by-the-build"
    elsewhere.parent.mkdir()
    (tmp_path / ".public.lock").symlink_to(elsewhere)  # dangling: opening it to create would make the target
    with pytest.raises(
        BroadsheetError, match=r"\.public\.lock: cannot open this lock file: Too many levels of symbolic links"
    ):
        build(site, tmp_path / "public")
    assert not elsewhere.exists()
    assert not (tmp_path / "public").exists()


def test_a_shadow_that_cannot_be_deleted_stops_the_build_and_keeps_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, output, shadow = built_twice(tmp_path)
    live = tree(output)
    (shadow / "topics" / "evil").symlink_to(tmp_path, target_is_directory=True)  # not reusable: deleted
    shutil.rmtree(site / ".cache")

    def refuse(path: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", refuse)
    with pytest.raises(BroadsheetError, match=r"\.public\.shadow: cannot remove this old shadow folder"):
        build(site, output)
    assert tree(output) == live
