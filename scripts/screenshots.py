"""Screenshots of the sample site for the README: front page and an article, desktop and phone.

Builds the repository's sample site into a temporary folder, serves it on
127.0.0.1 with ``broadsheet serve``'s server, and photographs it in headless
Debian Chromium (Playwright). Run ``make screenshots`` (or
``.venv/bin/python scripts/screenshots.py [OUT_DIR]``); the PNGs land in
``docs/screenshots/``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the browser settings the tests use

from playwright.sync_api import sync_playwright  # noqa: E402

from broadsheet.build import BuildOptions  # noqa: E402
from broadsheet.serve import DevServer  # noqa: E402
from browser import CHROMIUM_FLAGS, chromium_path  # noqa: E402

ARTICLE = "articles/russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange-but-peace/"
SHOTS = [  # file name, site path, viewport, color scheme
    ("front-desktop.png", "", {"width": 1200, "height": 860}, "light"),
    ("article-desktop.png", ARTICLE, {"width": 1200, "height": 860}, "light"),
    ("front-phone.png", "", {"width": 375, "height": 740}, "light"),
    ("article-phone.png", ARTICLE, {"width": 375, "height": 740}, "dark"),
]
MAX_BYTES = 300_000


def sample_copy(folder: Path) -> Path:
    """The sample site, copied so its own ``output/`` is left alone."""
    site = folder / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, site / name)
    return site


def main(out: Path) -> int:
    browser_binary = chromium_path()
    if browser_binary is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        server = DevServer(BuildOptions(site=sample_copy(Path(tmp))), port=0, log=lambda line: None)
        browser = playwright.chromium.launch(executable_path=browser_binary, args=CHROMIUM_FLAGS)
        try:
            server.start()
            for name, path, viewport, scheme in SHOTS:
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                response = page.goto(server.url + path)
                if response is None or response.status != 200:
                    raise SystemExit(f"{server.url + path} did not load")
                target = out / name
                page.screenshot(path=str(target))
                context.close()
                size = target.stat().st_size
                print(f"wrote {target} ({size // 1000} kB)")
                if size > MAX_BYTES:
                    raise SystemExit(f"{target} is larger than {MAX_BYTES // 1000} kB")
        finally:
            browser.close()
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"))
