"""The date filters: ``human_date``/``human_datetime`` read as ``strftime`` writes them; ``iso`` is valid HTML.

They keep each month's words once per process (``strftime`` is 3 µs a call, and
every story card shows a date): the words must be the same as before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.render import html_datetime, human_date, human_datetime

KYIV = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, 0, 0),
        datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
        datetime(2024, 2, 29, 7, 5, tzinfo=KYIV),
        datetime(2026, 11, 25, 18, 30, tzinfo=UTC),
        datetime(9999, 12, 31, 12, 0),
    ],
)
def test_a_date_and_time_read_as_strftime_writes_them(value: datetime) -> None:
    assert human_date(value) == f"{value.day} {value:%B %Y}"
    assert human_date(value.date()) == f"{value.day} {value:%B %Y}"
    assert human_datetime(value) == f"{value.day} {value:%B %Y, %H:%M}"


def test_every_month_of_a_year_and_its_days_in_any_order() -> None:
    start = datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    values = [start + timedelta(hours=6 * n, minutes=n % 60) for n in range(1460)]  # through all of 2025
    for value in reversed(values):
        assert human_date(value) == f"{value.day} {value:%B %Y}"
        assert human_datetime(value) == f"{value.day} {value:%B %Y, %H:%M}"
    assert {human_date(v).split(" ", 1)[1] for v in values} == {f"{month} 2025" for month in MONTHS}


MONTHS = [date(2025, m, 1).strftime("%B") for m in range(1, 13)]


def test_html_datetime_keeps_at_most_milliseconds() -> None:
    """HTML's datetime attribute takes one to three digits of a fraction; front matter may give six."""
    kyiv = timezone(timedelta(hours=3))
    assert html_datetime(datetime(2025, 5, 16, 9, 30, 0, 123456, tzinfo=kyiv)) == "2025-05-16T09:30:00.123+03:00"
    assert html_datetime(datetime(2025, 5, 16, 9, 30, tzinfo=kyiv)) == "2025-05-16T09:30:00+03:00"
    assert html_datetime(date(2025, 5, 16)) == "2025-05-16"


def test_a_date_with_microseconds_is_a_valid_time_element(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n")
    (site / "content" / "a.md").write_text(
        "---\ntitle: Fine time\ndate: 2025-05-16T09:30:00.123456+05:30\n---\nText.\n"
    )
    build_site(BuildOptions(site=site))
    page = (site / "output" / "articles" / "fine-time" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-05-16T09:30:00.123+05:30"' in page
    assert ".123456" not in page.split("</head>", 1)[1]  # the body's time elements; meta tags may say more
