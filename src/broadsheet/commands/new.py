"""``broadsheet new "Headline"``: start a draft article in ``content/``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..config import load_config
from ..scaffold import new_article
from .common import site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "new", help="write a draft article content/DATE-SLUG.md with front matter"
    )
    parser.add_argument("headline", help="the article's headline (quote it)")
    site_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(Path(args.site))
    path = new_article(config, args.headline, datetime.now(UTC))
    print(f"wrote {path} (a draft: preview it with broadsheet serve --drafts)")
    return 0
