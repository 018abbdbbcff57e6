"""``broadsheet check [OUTPUT]``: offline checks of a built site, one line per problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..config import base_url, load_config
from .common import site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "check", help="check a built site offline: links, fragments, feeds, alt text, sitemap, titles"
    )
    parser.add_argument(
        "output", nargs="?", metavar="OUTPUT", help="the built site (default: paths.output of the site)"
    )
    site_argument(parser)
    parser.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="the site's base URL (default: from index.html's canonical link)",
    )
    parser.set_defaults(func=run)


def _base_url(text: str) -> str:
    """Checked as ``base_url`` in site.yaml is: any other text would make every link look broken."""
    try:
        return base_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from ..check import check_site  # imported when used: every `broadsheet build` starts faster

    base_url: str | None = args.base_url
    if args.output:
        folder = Path(args.output)
    else:
        config = load_config(Path(args.site))
        folder = config.paths.output
        base_url = base_url or config.base_url
    problems = check_site(folder, base_url)
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in folder.rglob("*.html"))
    verdict = f"{len(problems)} problem(s)" if problems else "no problems"
    print(f"checked {folder} ({pages} pages): {verdict}", file=sys.stderr)
    return 1 if problems else 0
