"""``broadsheet serve`` in a real browser: an edited content file reloads the open page; a broken
build shows an overlay over the last good page, which goes away once the build is fixed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions
from broadsheet.serve import DevServer

pytestmark = pytest.mark.browser

WAIT_MS = 30_000  # upper bound for a file-system event, a rebuild and a reload; not a performance check
ARTICLE = "2025-05-14-floating-library.md"


@pytest.fixture
def watched(sample_site: Path) -> Iterator[DevServer]:
    """A dev server on a free loopback port, its watcher running."""
    server = DevServer(BuildOptions(site=sample_site), port=0, log=lambda line: None)
    stop = threading.Event()
    watcher = threading.Thread(target=server.watch, args=(stop,), daemon=True)
    try:
        server.start()
        watcher.start()
        yield server
    finally:
        stop.set()
        watcher.join()
        server.close()


def article_url(server: DevServer) -> str:
    slug = next(p.name for p in (server.live.output / "articles").iterdir() if "floating-library" in p.name)
    return f"{server.url}articles/{slug}/"


def connected(page: Any) -> None:
    """Wait until the page's live-reload event stream is open (so no change can slip past it)."""
    page.wait_for_function("window.broadsheetLiveReload && window.broadsheetLiveReload.readyState === EventSource.OPEN")


def test_live_reload_picks_up_an_edited_content_file(watched: DevServer, sample_site: Path, page: Any) -> None:
    page.goto(article_url(watched))
    connected(page)
    headline = page.locator("main h1")
    assert headline.inner_text() == "Sample: Port Alder opens a floating library in its old ferry terminal"
    source = sample_site / "content" / ARTICLE
    assert "Volunteers spent eight months" in page.locator("main").inner_text()
    source.write_text(source.read_text(encoding="utf-8").replace("spent eight months", "spent nine months", 1))
    page.wait_for_function(
        "document.querySelector('main').textContent.includes('Volunteers spent nine months')", timeout=WAIT_MS
    )
    assert headline.inner_text() == "Sample: Port Alder opens a floating library in its old ferry terminal"
    assert page.console_errors == [] and page.outside_requests == []


def test_a_failed_build_shows_an_overlay_and_keeps_the_last_good_page(
    watched: DevServer, sample_site: Path, page: Any
) -> None:
    page.goto(watched.url)
    connected(page)
    config = sample_site / "site.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "page_size: many\n", encoding="utf-8")
    overlay = page.locator("#broadsheet-build-error[role=alert]")
    overlay.wait_for(timeout=WAIT_MS)
    assert overlay.inner_text().startswith("Build failed; showing the last good site.\nerror: ")
    assert "site.yaml" in overlay.inner_text()
    assert page.locator("main h1").inner_text() == "Broadsheet Sample Digest"  # the last good page stays
    config.write_text(good.replace("Broadsheet Sample Digest", "Fixed Digest"), encoding="utf-8")
    page.wait_for_function("document.querySelector('main h1').textContent === 'Fixed Digest'", timeout=WAIT_MS)
    assert overlay.count() == 0
    assert page.outside_requests == []
