"""``broadsheet init DIR``: scaffold a new site that builds at once."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..scaffold import init_site


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "init", help="create a new site: site.yaml, content/, seeds/, templates/"
    )
    parser.add_argument("folder", metavar="DIR", help="the new site's folder (created; must be empty if it exists)")
    parser.add_argument("--title", default="", help="the site's title (default: from the folder name)")
    parser.add_argument("--base-url", default="", help="where it will be published (default: https://example.org/)")
    parser.add_argument("--timezone", default="UTC", help="time zone of the site's dates, e.g. Europe/Kyiv")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    created = init_site(folder, datetime.now(UTC), args.title, args.base_url, args.timezone)
    for path in created:
        print(f"created {path}{'/' if path.is_dir() else ''}")
    print(f"next: cd {folder} && broadsheet serve")
    return 0
