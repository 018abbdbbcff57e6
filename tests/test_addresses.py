"""A source address reads the same in every loader: plain-text attribution lines and front matter.

Both loaders take an outlet's address from users (``Read more at …``,
``source: …``, ``source_url: …``): one rule decides what becomes a link, what
is refused with a warning and what is a name, so a site's plain-text and
Markdown articles never disagree about the same address.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.model import Article

SITE_YAML = "title: T\nbase_url: https://example.org/\ntimezone: UTC\nsearch: false\n"
# What a warning says of an address, without its "file:line: key" (each loader names the key its own way).
PROBLEM = re.compile(r"(?:has credentials|is not) .*$")
BODY = "The harbour council approved the budget on Monday.\n"


def _load(site: Path, relpath: str, text: str) -> tuple[Article, Diagnostics]:
    path = site / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if path.suffix == ".txt":
        path.with_suffix(".yaml").write_text("date: 2025-05-12\n", encoding="utf-8")
    diagnostics = Diagnostics()
    return load_file(path, load_config(site), diagnostics), diagnostics


def _read_by_each_loader(tmp_path: Path, address: str) -> dict[str, tuple[str, str, str, list[str]]]:
    """(source name, source URL, original URL, warnings without their file:line) as each loader reads ``address``."""
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    files = {
        "plain text": ("seeds/a.txt", f"Harbour budget\n\n{BODY}\nRead more at {address}\n"),
        "front matter source": (
            "content/a.md",
            f"---\ntitle: Harbour budget\ndate: 2025-05-12\nsource: {address}\n---\n{BODY}",
        ),
        "front matter source_url": (
            "content/b.md",
            f"---\ntitle: Harbour budget\ndate: 2025-05-12\nsource_url: {address}\n---\n{BODY}",
        ),
    }
    read = {}
    for loader, (relpath, text) in files.items():
        article, diagnostics = _load(tmp_path, relpath, text)
        source = article.source
        warnings = [PROBLEM.search(w).group() for w in diagnostics.warnings]  # type: ignore[union-attr]
        read[loader] = (source.name if source else "", source.url if source else "", article.original_url, warnings)
    return read


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # An article's URL: the outlet, and the article as the original.
        (
            "https://news.example.com/story",
            ("news.example.com", "https://news.example.com/", "https://news.example.com/story", []),
        ),
        # A bare domain with a path is an article URL too, fetched over https.
        (
            "news.example.com/story",
            ("news.example.com", "https://news.example.com/", "https://news.example.com/story", []),
        ),
        # Credentials never reach a page (invalid HTML, a leak): left out of the link, with a warning.
        (
            "https://user:pass@news.example.com/story",
            (
                "news.example.com",
                "https://news.example.com/",
                "https://news.example.com/story",
                ["has credentials (user:password@): left out of the link"],
            ),
        ),
        # A scheme-relative URL is the https page.
        (
            "//news.example.com/story",
            ("news.example.com", "https://news.example.com/", "https://news.example.com/story", []),
        ),
        # Not an address a browser can open: refused, with a warning, in every loader.
        ("http://news.example.com:port/story", ("", "", "", ["is not a valid http(s) URL: ignored"])),
        ("ftp://files.example.com/story", ("", "", "", ["is not http(s): ignored"])),
    ],
)
def test_an_address_reads_the_same_in_every_loader(
    tmp_path: Path, address: str, expected: tuple[str, str, str, list[str]]
) -> None:
    read = _read_by_each_loader(tmp_path, address)
    assert read == dict.fromkeys(read, expected)


def test_a_number_is_no_domain_in_any_loader(tmp_path: Path) -> None:
    """``3.14`` has dots, not a top-level domain: never ``https://3.14/``."""
    read = _read_by_each_loader(tmp_path, "3.14")
    assert all("https://" not in name + url + original for name, url, original, _ in read.values()), read
