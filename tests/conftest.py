"""Shared fixtures: the repository's sample site and a scratch copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "000_545537a60ee26914.txt"


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the shipped sample site (site.yaml, content, seeds, data), safe to modify."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "seeds", site / "seeds")
    shutil.copytree(REPO / "data", site / "data")
    (site / "templates").mkdir()
    return site


@pytest.fixture
def empty_site(tmp_path: Path) -> Path:
    """A minimal valid site with no articles yet."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Test Digest\nbase_url: https://example.org/\n", encoding="utf-8")
    return site


def site_with(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A small site in ``folder/site`` (no search index: quicker) holding ``files``, by site path."""
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    for name, data in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return site


pytest_plugins = ["browser"]
