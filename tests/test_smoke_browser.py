"""The sample site opens in a real browser with no errors and no request leaving the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions, build_site
from browser import serve_directory


@pytest.mark.browser
def test_front_page_loads_cleanly(sample_site: Path, page: Any) -> None:
    result = build_site(BuildOptions(site=sample_site))
    with serve_directory(result.output) as base:
        response = page.goto(base)
        assert response is not None and response.status == 200
        assert page.title() == "Broadsheet Sample Digest"
        assert page.locator("h2 a", has_text="Prisoner swap").count() == 1
    assert page.console_errors == []
    assert page.outside_requests == []
