"""The built sample site, and a site of messy inputs, pass the external checkers in ../shared/tools.

These are the reference checkers (Nu HTML Checker, feed rules, links/orphans/sitemap). The project
never needs them; when they are missing the tests are skipped and say why. The messy site
(tests/fixtures/messy: raw HTML, refused URLs, microsecond dates, relative links, Pelican, Hugo
and Jekyll front matter, wire copy with stray bytes) is also checked by ``broadsheet check``,
which always runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site

TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "site-checkers"


def _require(tool: str) -> Path:
    path = TOOLS / tool
    if not path.exists():
        pytest.skip(f"{path} not present: external checker not run")
    if not (CACHE / "venv").is_dir():
        pytest.skip(f"site checkers not installed ({TOOLS / 'setup.sh'} not run): external checker not run")
    return path


MESSY = Path(__file__).resolve().parent / "fixtures" / "messy"


@pytest.fixture(scope="module", params=["sample", "messy"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import REPO

    folder = tmp_path_factory.mktemp("checked")
    site = REPO
    if request.param == "messy":  # a copy: a build writes its cache into the site folder
        site = Path(shutil.copytree(MESSY, folder / "messy"))
    output = folder / "output"
    result = build_site(BuildOptions(site=site, output=output))
    assert not result.diagnostics.errors  # every messy file is read: what is checked is all of it
    return output


def test_broadsheet_check_finds_no_problem(built: Path) -> None:
    from broadsheet.cli import main

    assert main(["check", str(built)]) == 0


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.checkers
def test_nu_html_checker_reports_no_errors(built: Path) -> None:
    tool = _require("check_html.sh")
    result = _run(["bash", str(tool), str(built)])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.checkers
def test_feeds_pass_the_feed_checker(built: Path) -> None:
    tool = _require("check_feed.py")
    result = _run([sys.executable, str(tool), str(built)])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.checkers
def test_no_broken_links_orphans_or_pages_missing_from_the_sitemap(built: Path) -> None:
    tool = _require("check_links.py")
    result = _run([sys.executable, str(tool), str(built)])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.checkers
def test_pages_at_old_addresses_pass_the_nu_html_checker(tmp_path: Path) -> None:
    """A page at an article's old address (Hugo's aliases) is valid HTML too.

    The sample sites give none: a page that leads on at once is, by design,
    linked from nowhere and left out of the sitemap, which the link checker
    reports as an orphan, and axe cannot examine a page that leaves.
    """
    tool = _require("check_html.sh")
    from conftest import site_with

    moved = "---\ntitle: Moved <here> & there\ndate: 2025-05-01\naliases: [/2019/old/, /old.html]\n---\n\nText.\n"
    site = site_with(tmp_path, {"content/moved.md": moved})
    output = build_site(BuildOptions(site=site, jobs=1)).output
    pages = tmp_path / "redirects"  # the redirect pages alone: the rest is checked with the sample sites
    (pages / "2019/old").mkdir(parents=True)
    shutil.copy(output / "2019/old/index.html", pages / "2019/old/index.html")
    shutil.copy(output / "old.html", pages / "old.html")
    result = _run(["bash", str(tool), str(pages)])
    assert result.returncode == 0 and "0 error(s) in 0 of 2 file(s)" in result.stdout, result.stdout[-4000:]
