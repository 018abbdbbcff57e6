"""The renderer's fast paths write what Jinja and markupsafe would: escaping, dates, globals, overridden partials."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import markupsafe
import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.render import escape_output, html_datetime, make_environment


@pytest.mark.parametrize(
    "value",
    ["", "plain", "<b>&'\"</b>", "é ü — “q”", markupsafe.Markup("<i>safe</i>"), 3, 2.5, None, True, ["<x>"]],
)
def test_escape_output_writes_what_markupsafe_escape_does(value: object) -> None:
    assert escape_output(value) == str(markupsafe.escape(value))


def test_templates_escape_as_jinja_does(sample_site: Path) -> None:
    env = make_environment(load_config(sample_site))
    template = env.from_string(
        "{{ text }}|{{ safe }}|{{ number }}|{% set held %}<p>{{ text }}</p>{% endset %}{{ held }}|"
        "{% macro m(v) %}[{{ v }}]{% endmacro %}{{ m(text) }}|{{ text | e }}|{% filter upper %}{{ text }}{% endfilter %}"
    )
    page = template.render(text="<a href='x'>&</a>", safe=markupsafe.Markup("<br>"), number=7)
    quoted = "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
    assert page == f"{quoted}|<br>|7|<p>{quoted}</p>|[{quoted}]|{quoted}|{quoted.upper()}"


def test_template_globals_are_the_environments(sample_site: Path) -> None:
    env = make_environment(load_config(sample_site))
    assert env.from_string("{{ generator }} {{ range(3) | list }}").render() == f"{env.globals['generator']} [0, 1, 2]"
    assert env.from_string("{{ only_here }}", globals={"only_here": "x"}).render() == "x"
    assert "only_here" not in env.globals


def test_dates_equal_as_instants_are_written_as_each_is() -> None:
    paris = datetime(2026, 3, 1, 13, 0, tzinfo=ZoneInfo("Europe/Paris"))
    utc = paris.astimezone(UTC)
    assert paris == utc
    assert html_datetime(paris) == "2026-03-01T13:00:00+01:00"
    assert html_datetime(utc) == "2026-03-01T12:00:00+00:00"
    two = datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert html_datetime(two) == "2026-03-01T14:00:00+02:00"
    first = datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris"))  # the hour the clocks go back
    second = first.replace(fold=1)
    assert first == second
    assert (html_datetime(first), html_datetime(second)) == ("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00")
    assert html_datetime(datetime(2026, 1, 2, 3, 4, 5, 678901)) == "2026-01-02T03:04:05.678"
    assert html_datetime(date(2026, 1, 2)) == "2026-01-02"


def test_a_sites_story_card_replaces_the_built_in_one(sample_site: Path) -> None:
    (sample_site / "templates" / "partials").mkdir(parents=True)
    card = "<p class='mine'>{{ story.heading }} &amp; {{ story.article.headline }}</p>\n"
    (sample_site / "templates" / "partials" / "story_card.html").write_text(card, encoding="utf-8")
    output = build_site(BuildOptions(site=sample_site, jobs=1)).output
    topics = sorted((output / "topics").glob("*/index.html"))
    assert topics
    page = topics[0].read_text("utf-8")
    assert "<p class='mine'>" in page and 'class="story-card"' not in page
