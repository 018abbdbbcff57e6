"""The plain-text loader on the seed article, field by field, and on other shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.config import load_config, parse_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file
from broadsheet.model import Article
from conftest import SEED

REPO = SEED.parents[1]


@pytest.fixture(scope="module")
def seed() -> Article:
    config = load_config(REPO)
    diagnostics = Diagnostics()
    article = load_file(SEED, config, diagnostics)
    assert diagnostics.problems == 0, diagnostics
    return article


def test_headline_is_first_line_without_trailing_no_break_space(seed: Article) -> None:
    raw_first_line = SEED.read_text(encoding="utf-8").split("\n")[0]
    assert raw_first_line.endswith(" \u00a0")
    assert seed.headline == (
        "Russia and Ukraine agree on the largest ever prisoner exchange–but peace negotiations "
        "in Istanbul stall due to Putin’s “outrageous demands”"
    )


def test_byline_ai_marks_ai_generated(seed: Article) -> None:
    assert seed.authors == ("AI",)
    assert seed.ai_generated is True


def test_four_sections_with_headings_in_order(seed: Article) -> None:
    assert [s.heading for s in seed.sections] == [
        "Ukraine-Russia Talks Stall Over Demands for Ceasefire",
        "Prisoner Swap Agreement Reached",
        "Ceasefire Proposal Delayed",
        "Diplomatic Friction Escalates",
    ]


def test_eight_paragraphs_two_per_section(seed: Article) -> None:
    assert [len(s.paragraphs) for s in seed.sections] == [2, 2, 2, 2]
    assert seed.sections[1].paragraphs[0].startswith("Despite the stalemate on ceasefire terms")
    assert seed.sections[3].paragraphs[1].endswith("finding a peaceful solution to the conflict.")


def test_source_attribution(seed: Article) -> None:
    assert seed.source is not None
    assert seed.source.name == "euromaidanpress.com"
    assert seed.source.domain == "euromaidanpress.com"
    assert seed.source.url == "https://euromaidanpress.com/"


def test_boilerplate_and_attribution_not_in_body(seed: Article) -> None:
    texts = [p for s in seed.sections for p in s.paragraphs]
    assert not any("Share This Article" in p or "Read More" in p for p in texts)
    assert not any(p in ("AI", "By AI") for p in texts)


def test_sidecar_sets_date_and_tags(seed: Article) -> None:
    assert seed.published.isoformat() == "2025-05-16T19:00:00+03:00"
    assert seed.tags == ("Ukraine", "Russia", "Istanbul talks")
    assert seed.provenance.path == "seeds/000_545537a60ee26914.txt"
    assert len(seed.provenance.sha256) == 64


def _site(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\ntimezone: UTC\n", encoding="utf-8")
    return tmp_path


def _load(tmp_path: Path, text: str | bytes, name: str = "a.txt") -> tuple[Article, Diagnostics]:
    site = _site(tmp_path)
    path = site / "seeds" / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    diagnostics = Diagnostics()
    return load_file(path, load_config(site), diagnostics), diagnostics


def test_undated_article_warns_once_and_uses_default_date(tmp_path: Path) -> None:
    article, diagnostics = _load(tmp_path, "Headline\n\nBody text here.\n")
    assert article.published.isoformat() == "1970-01-01T00:00:00+00:00"
    assert article.dated is False
    assert len(diagnostics.warnings) == 1
    assert "seeds/a.txt" in diagnostics.warnings[0] and "default_date" in diagnostics.warnings[0]


def test_by_now_sentence_is_not_a_byline(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, "Headline\n\nBy now, the talks had stalled for a week.\n\nMore text.\n")
    assert article.authors == ()
    assert article.sections[0].paragraphs[0] == "By now, the talks had stalled for a week."


def test_named_byline_photo_credit_dateline_and_junk(tmp_path: Path) -> None:
    text = (
        "Floods close the &amp; old bridge\n\nBy Jane Doe and Omar Ali\nPhoto: Example Agency\n\n"
        "RIVERTON, May 3 — Water rose overnight.\n\n**Clean-up**\n\nCrews worked all day.\n\n"
        "Subscribe to our newsletter for daily updates\n\nWe use cookies to improve your experience.\n\n"
        "Read more at https://news.example.org/floods\n\nShare this:\n"
    )
    article, _ = _load(tmp_path, text)
    assert article.headline == "Floods close the & old bridge"
    assert article.authors == ("Jane Doe", "Omar Ali")
    assert article.ai_generated is False
    assert article.extra["credits"] == ["Photo: Example Agency"]
    assert [s.heading for s in article.sections] == ["", "Clean-up"]
    assert article.sections[0].paragraphs == ("RIVERTON, May 3 — Water rose overnight.",)
    assert article.sections[1].paragraphs == ("Crews worked all day.",)
    assert article.source is not None and article.source.domain == "news.example.org"


def test_latin1_file_is_read_with_a_warning(tmp_path: Path) -> None:
    article, diagnostics = _load(tmp_path, "Caf\xe9 reopens\n\nThe caf\xe9 is open.\n".encode("latin-1"))
    assert article.headline == "Café reopens"
    assert any("not valid UTF-8" in w and "seeds/a.txt:1" in w for w in diagnostics.warnings)


def test_crlf_and_bom(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, b"\xef\xbb\xbfTitle line\r\n\r\n**Part**\r\n\r\nText.\r\n")
    assert article.headline == "Title line"
    assert article.sections[0].heading == "Part"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x00\x01binary", "binary file"),
        (b"Headline only\n", "no body"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(BroadsheetError) as caught:
        _load(tmp_path, content)
    assert message in str(caught.value)
    assert str(caught.value).startswith("seeds/a.txt")


def test_config_parse_keeps_topic_order() -> None:
    config = parse_config((REPO / "site.yaml").read_text(encoding="utf-8"), REPO, REPO / "site.yaml")
    assert [t.name for t in config.topics][:4] == ["talks", "prisoner swap", "ceasefire demands", "diplomatic friction"]
