"""The ``broadsheet`` command line: parse arguments, run, print one-line errors.

No traceback reaches the user for their own mistakes: a ``BroadsheetError``
prints as ``error: FILE:LINE: message`` and the exit status is 1; a usage
error exits 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .build import BuildOptions, StrictFailure, build_site
from .errors import BroadsheetError, Diagnostics

Command = Callable[[argparse.Namespace], int]


def report(diagnostics: Diagnostics) -> None:
    for warning in diagnostics.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in diagnostics.errors:
        print(f"error: {error}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        site=Path(args.site),
        output=Path(args.output) if args.output else None,
        strict=args.strict,
        drafts=args.drafts,
        future=args.future,
    )
    try:
        result = build_site(options)
    except StrictFailure as failure:
        report(failure.diagnostics)
        raise
    report(result.diagnostics)
    if result.diagnostics.errors:
        print(f"note: {len(result.diagnostics.errors)} input file(s) skipped (see errors above)", file=sys.stderr)
    print(result.summary())
    return 0


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=".", metavar="DIR", help="the site folder, holding site.yaml (default: .)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Build a static news digest from articles and feeds."
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    build = commands.add_parser("build", help="build the site into the output folder")
    _site_argument(build)
    build.add_argument("--output", metavar="DIR", help="write here instead of paths.output from site.yaml")
    build.add_argument("--strict", action="store_true", help="fail on any warning or unreadable input")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft")
    build.add_argument("--future", action="store_true", help="include articles dated in the future")
    build.set_defaults(func=cmd_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    func: Command = args.func
    try:
        return func(args)
    except BroadsheetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
