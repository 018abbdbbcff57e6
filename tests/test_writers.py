"""Feed writers on hostile text: every feed stays well-formed and encodable."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from broadsheet.assemble import ATOM, JSON_FEED, RSS, Feed
from broadsheet.config import parse_config
from broadsheet.writers.atom import atom_feed
from broadsheet.writers.entries import FeedEntry
from broadsheet.writers.jsonfeed import json_feed
from broadsheet.writers.rss import rss_feed

CONFIG = parse_config("title: T\nbase_url: https://example.org/\n", Path("/site"), Path("/site/site.yaml"))
HOSTILE = "lone \ud800 surrogate, NUL \x00, bell \x07, ]]> and </script>"


def test_lone_surrogates_and_control_characters_never_break_a_feed() -> None:
    when = datetime(2025, 1, 2, tzinfo=UTC)
    entry = FeedEntry(
        "urn:uuid:1",
        HOSTILE,
        "https://example.org/a/",
        when,
        when,
        HOSTILE,
        f"<p>{HOSTILE}</p>",
        (HOSTILE,),
        (HOSTILE,),
        HOSTILE,
        "https://example.org/",
        "",
    )
    index: Any = SimpleNamespace(config=CONFIG)
    for writer, mime in ((rss_feed, RSS), (atom_feed, ATOM), (json_feed, JSON_FEED)):
        data = writer(index, Feed("feed", HOSTILE, HOSTILE, (0,), mime), lambda _key: entry)
        text = data.decode("utf-8")  # encodable: no lone surrogate left
        assert "\ud800" not in text and "\x00" not in text
        if mime == JSON_FEED:
            assert json.loads(text)["items"][0]["title"] == "lone  surrogate, NUL , bell , ]]> and </script>"
        else:
            ET.fromstring(data)  # well-formed XML
