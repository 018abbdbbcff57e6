"""What every sub-command shares: the ``--site`` option and diagnostics output."""

from __future__ import annotations

import argparse
import sys

from ..errors import Diagnostics


def report(diagnostics: Diagnostics) -> None:
    """Print warnings and skipped-file errors, one line each, to stderr."""
    for warning in diagnostics.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in diagnostics.errors:
        print(f"error: {error}", file=sys.stderr)


def site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=".", metavar="DIR", help="the site folder, holding site.yaml (default: .)")
