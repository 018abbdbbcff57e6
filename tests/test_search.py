"""Full-text search: Pagefind indexes article bodies as the last build step, reproducibly."""

from __future__ import annotations

import filecmp
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.errors import BroadsheetError
from broadsheet.output import MARKER
from broadsheet.search import pagefind_binary

needs_pagefind = pytest.mark.skipif(pagefind_binary() is None, reason="pagefind[extended] is not installed")


def fragments(output: Path) -> list[dict[str, Any]]:
    """The indexed pages as Pagefind stores them (gzip'd JSON after a signature)."""
    found = []
    for file in sorted((output / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(file.read_bytes())
        found.append(json.loads(data[data.index(b"{") :]))
    return found


def tree(folder: Path) -> dict[str, bytes]:
    """Every site file's bytes (not the marker, which names the build generation)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MARKER)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def set_search(site: Path, on: bool) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nsearch: {'true' if on else 'false'}\n", "utf-8")


@needs_pagefind
def test_index_holds_every_article_body_with_its_metadata(sample_site: Path) -> None:
    output = build_site(BuildOptions(site=sample_site)).output
    articles = sorted(p.parent.name for p in (output / "articles").glob("*/index.html"))
    pages = fragments(output)
    assert sorted(page["url"].strip("/").removeprefix("articles/") for page in pages) == articles
    seed = next(page for page in pages if "prisoner" in page["meta"]["title"])
    assert seed["meta"]["source"] == "euromaidanpress.com"
    assert seed["meta"]["date"] == "16 May 2025"
    assert "Read the full story" not in seed["content"]  # the article footer is not indexed
    assert "AI-generated" not in seed["content"]  # nor the byline: results show source and date apart
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(articles)


@needs_pagefind
def test_two_builds_write_byte_identical_sites_and_indexes(sample_site: Path, tmp_path: Path) -> None:
    first = build_site(BuildOptions(site=sample_site, output=tmp_path / "one")).output
    second = build_site(BuildOptions(site=sample_site, output=tmp_path / "two")).output
    assert (first / "pagefind" / "pagefind-entry.json").is_file()
    left, right = tree(first), tree(second)
    assert sorted(left) == sorted(right)
    assert [name for name in left if left[name] != right[name]] == []
    assert filecmp.cmp(first / "pagefind" / "pagefind.js", second / "pagefind" / "pagefind.js", shallow=False)


def test_search_page_and_header_form_work_without_javascript(sample_site: Path) -> None:
    output = build_site(BuildOptions(site=sample_site)).output
    search_page = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert '<form class="search-form" role="search" action="../search/" method="get"' in search_page
    assert "<noscript>" in search_page and "Search needs JavaScript" in search_page
    for target in ("topics/", "archive/"):
        assert f'href="../{target}"' in search_page
        assert (output / target / "index.html").is_file()
    assert 'class="site-search"' not in search_page  # no second search box on the search page
    front = (output / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="search/" method="get">' in front
    assert 'name="q"' in front
    assert (output / "static" / "search.js").is_file()


def test_search_off_writes_no_index_page_or_box(sample_site: Path) -> None:
    set_search(sample_site, False)
    output = build_site(BuildOptions(site=sample_site)).output
    assert not (output / "pagefind").exists()
    assert not (output / "search").exists()
    assert "site-search" not in (output / "index.html").read_text(encoding="utf-8")


def test_missing_pagefind_warns_and_still_builds(sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("broadsheet.search.pagefind_binary", lambda: None)
    result = build_site(BuildOptions(site=sample_site))
    assert any("Pagefind is not installed" in w for w in result.diagnostics.warnings)
    assert (result.output / "search" / "index.html").is_file()
    assert not (result.output / "pagefind").exists()


@needs_pagefind
def test_failing_pagefind_fails_the_build_and_keeps_the_last_site(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = build_site(BuildOptions(site=sample_site)).output
    before = tree(output)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    article = sample_site / "content" / "2025-05-15-glacier-survey.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph, so the index must be rebuilt.\n")
    with pytest.raises(BroadsheetError, match="search indexing failed: Pagefind exited with status 1"):
        build_site(BuildOptions(site=sample_site))
    assert tree(output) == before


@needs_pagefind
def test_a_deleted_article_leaves_the_index_even_while_the_shadow_still_holds_its_page(
    sample_site: Path, tmp_path: Path
) -> None:
    build_site(BuildOptions(site=sample_site))
    deleted = sample_site / "content" / "2025-05-15-glacier-survey.md"
    deleted.unlink()
    build_site(BuildOptions(site=sample_site))  # the shadow (the first build's site) still has its page
    other = sample_site / "content" / "2025-05-12-lantern-trams.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nThe trams ran late.\n", encoding="utf-8")
    output = build_site(BuildOptions(site=sample_site)).output
    assert not any("glacier" in page["url"] for page in fragments(output))
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean")).output
    assert tree(output) == tree(clean)


@needs_pagefind
def test_a_rebuild_after_an_edit_reindexes(sample_site: Path) -> None:
    build_site(BuildOptions(site=sample_site))
    article = sample_site / "content" / "2025-05-15-glacier-survey.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nThe team left by zeppelin.\n", encoding="utf-8")
    output = build_site(BuildOptions(site=sample_site)).output
    assert [page["url"] for page in fragments(output) if "zeppelin" in page["content"]] == [
        "/articles/sample-survey-team-maps-the-retreat-of-the-fictional-vesna-glacier/"
    ]


def test_pagefind_does_not_outlive_a_killed_build(tmp_path: Path) -> None:
    """A SIGKILLed build must not leave Pagefind writing into the folder the next build uses."""
    import os
    import signal
    import subprocess
    import sys
    import time

    marker = tmp_path / "pagefind.pid"
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 60\n")
    fake.chmod(0o755)
    script = "from pathlib import Path; from broadsheet.errors import Diagnostics; from broadsheet.search import index_search; index_search(Path('.'), Diagnostics())"
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=tmp_path, env={**os.environ, "PAGEFIND_BINARY_PATH": str(fake)}
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text().strip():
            assert time.monotonic() < deadline, "the fake Pagefind never started"
            time.sleep(0.05)
        child = int(marker.read_text())
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and "Z" not in Path(f"/proc/{child}/stat").read_text().split()[2]:
            assert time.monotonic() < deadline, "Pagefind outlived the build that started it"
            time.sleep(0.05)
    finally:
        parent.kill()
