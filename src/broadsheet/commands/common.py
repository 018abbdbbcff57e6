"""What every sub-command shares: the ``--site`` option and diagnostics output."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from ..build import BuildOptions
from ..errors import Diagnostics


def report(diagnostics: Diagnostics) -> None:
    """Print warnings and skipped-file errors, one line each, to stderr."""
    for warning in diagnostics.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in diagnostics.errors:
        print(f"error: {error}", file=sys.stderr)


def site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=".", metavar="DIR", help="the site folder, holding site.yaml (default: .)")


def selection_arguments(parser: argparse.ArgumentParser) -> None:
    """Which articles a build takes besides those published now: ``build``, ``serve`` and ``topics`` alike."""
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft")
    parser.add_argument("--future", action="store_true", help="include articles dated in the future")
    parser.add_argument("--expired", action="store_true", help="include articles past their expiryDate")


def selection(args: argparse.Namespace, options: BuildOptions) -> BuildOptions:
    """``options`` with the articles ``selection_arguments`` chose to take."""
    return replace(options, drafts=args.drafts, future=args.future, expired=args.expired)
