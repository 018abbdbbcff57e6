"""Forked render helpers write their own share of the pages: what stops one stops the build, and nothing stale stays."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import broadsheet.process as process
from broadsheet.build import BuildOptions, build_site
from broadsheet.errors import BroadsheetError
from test_incremental import sixty_articles, tree


def failing_in_helpers(monkeypatch: pytest.MonkeyPatch, fail: Any) -> None:
    """Make ``render_page`` call ``fail()`` in forked helpers only; this process renders as usual."""
    building = os.getpid()
    render_page = process.render_page

    def render(*args: Any) -> bytes:
        if os.getpid() != building:
            fail()
        return render_page(*args)

    monkeypatch.setattr(process, "render_page", render)


def template_error() -> None:
    raise BroadsheetError("template error: 'x' is undefined", "article.html", 7)


def killed() -> None:
    os._exit(3)


def bug() -> None:
    raise ZeroDivisionError("a bug in a helper")


@pytest.mark.parametrize(
    ("fail", "expected", "message"),
    [
        (template_error, BroadsheetError, "article.html:7: template error"),
        (killed, BroadsheetError, "render helper stopped unexpectedly (exit status 3)"),
        (bug, RuntimeError, "ZeroDivisionError: a bug in a helper"),
    ],
    ids=["template-error", "killed", "bug"],
)
def test_a_failing_helper_fails_the_build_and_the_next_build_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: Any, expected: type[Exception], message: str
) -> None:
    site = sixty_articles(tmp_path)
    output = tmp_path / "public"
    first = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert first.rendered > process.PARALLEL_THRESHOLD  # enough pages for helpers
    (site / "content" / "a3.md").write_text("---\ntitle: Article three\ndate: 2025-01-04\n---\n\nText.\n", "utf-8")
    build_site(BuildOptions(site=site, output=output, jobs=2))  # the shadow now holds the first build's files
    live = tree(output)
    # Every page changes: this process writes its share into the shadow before the helpers' failure shows.
    (site / "templates").mkdir()
    base = Path(__file__).resolve().parents[1] / "templates" / "base.html"
    (site / "templates" / "base.html").write_text(base.read_text("utf-8") + "<!-- edited -->\n", "utf-8")
    failing_in_helpers(monkeypatch, fail)
    with pytest.raises(expected, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_site(BuildOptions(site=site, output=output, jobs=2))
    assert tree(output) == live  # the live site is untouched
    monkeypatch.undo()
    shutil.rmtree(site / "templates")  # back to the first build's pages: the shadow's new bytes must not stay
    edited = site / "content" / "a7.md"
    edited.write_text(edited.read_text("utf-8").replace("about the council", "about the harbour"), "utf-8")
    rebuilt = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert 0 < rebuilt.rendered < rebuilt.pages
    shutil.rmtree(site / ".cache")
    clean = build_site(BuildOptions(site=site, output=tmp_path / "clean", jobs=1)).output
    assert tree(output) == tree(clean)


def test_helpers_write_their_share_and_only_changed_bytes(tmp_path: Path) -> None:
    site = sixty_articles(tmp_path)
    output = tmp_path / "public"
    first = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert first.files > first.pages > process.PARALLEL_THRESHOLD
    # A new template fingerprint re-renders every page; the bytes are the same, so the shadow (one
    # generation behind, after this second build's swap) is brought up to date and nothing else.
    (site / "templates").mkdir()
    (site / "templates" / "unused.html").write_text("not used by any page\n", encoding="utf-8")
    second = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert second.rendered == second.pages and second.files > second.pages  # the shadow was empty: every file
    (site / "templates" / "unused.html").write_text("still not used\n", encoding="utf-8")
    third = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert third.rendered == third.pages and third.files == 0  # same bytes as the shadow holds: none written
    shutil.rmtree(site / ".cache")
    clean = build_site(BuildOptions(site=site, output=tmp_path / "clean", jobs=1)).output
    assert tree(output) == tree(clean)
