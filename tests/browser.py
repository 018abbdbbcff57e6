"""Real-browser test support: a loopback HTTP server and headless Debian Chromium.

Browser tests are skipped, with the reason printed, only where Chromium or
Playwright is missing; `make test` installs both (Debian's chromium package,
PyPI's playwright driving it — no browser download).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium binary to drive: $CHROMIUM, else Debian's."""
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``), shared by the session."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): browser test not run")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements/dev.txt): browser test not run")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page whose requests to any host but 127.0.0.1 are aborted and recorded.

    ``page.outside_requests`` lists the URLs that tried to leave the machine;
    ``page.console_errors`` and ``page.dialogs`` collect what a test may assert on.
    """
    context = chromium.new_context()
    browser_page = context.new_page()
    outside: list[str] = []
    console_errors: list[str] = []
    dialogs: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    browser_page.route("**/*", route)
    browser_page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    browser_page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    browser_page.on("dialog", on_dialog)
    browser_page.outside_requests = outside
    browser_page.console_errors = console_errors
    browser_page.dialogs = dialogs
    try:
        yield browser_page
    finally:
        context.close()
