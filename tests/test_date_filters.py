"""The ``human_date`` and ``human_datetime`` filters read as ``strftime`` writes them, whatever the year.

They keep each month's words once per process (``strftime`` is 3 µs a call, and
every story card shows a date): the words must be the same as before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from broadsheet.render import human_date, human_datetime

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
