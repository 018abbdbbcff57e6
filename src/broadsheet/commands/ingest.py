"""``broadsheet ingest``: fetch the feeds of ``site.yaml`` into ``content/feeds/``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..config import FETCH_TIMEOUT
from .common import report, site_argument


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("must be more than 0 and at most 600 seconds")
    return value


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "ingest", help="fetch the feeds listed in site.yaml into content/feeds/"
    )
    site_argument(parser)
    parser.add_argument(
        "--feed", action="append", default=[], metavar="NAME", help="only this feed (its name in site.yaml; repeatable)"
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=FETCH_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a feed after this long (default: {FETCH_TIMEOUT:g})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit status 1 when any feed failed; the others are still ingested."""
    from ..ingest import IngestOptions, ingest  # here: other commands need not load it

    options = IngestOptions(site=Path(args.site), feeds=tuple(args.feed), timeout=args.timeout)
    result = ingest(options, progress=print)
    report(result.diagnostics)
    print(result.summary())
    return 1 if result.failed else 0
