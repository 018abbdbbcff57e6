"""``broadsheet build``: build the site into the output folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..build import BuildFailure, BuildOptions, build_site
from .common import report, selection, selection_arguments, site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("build", help="build the site into the output folder")
    site_argument(parser)
    parser.add_argument("--output", metavar="DIR", help="write here instead of paths.output from site.yaml")
    parser.add_argument("--strict", action="store_true", help="fail on any warning or unreadable input")
    selection_arguments(parser)
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="worker processes for parsing and rendering (default: one per core)",
    )
    parser.set_defaults(func=run)


def _jobs(text: str) -> int:
    """A count of worker processes: 0 for one per core; a negative count is a mistake, not a default.

    Every job is a forked process, all started at once: a slip of the
    keyboard (``--jobs 10000``) must not fork ten thousand of them.
    """
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (one per core) or more, not {jobs}")
    most = max(64, 2 * (os.cpu_count() or 1))
    if jobs > most:
        raise argparse.ArgumentTypeError(f"at most {most} (more processes than cores only cost memory), not {jobs}")
    return jobs


def run(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    options = selection(args, BuildOptions(site=Path(args.site), output=output, strict=args.strict, jobs=args.jobs))
    try:
        result = build_site(options)
    except BuildFailure as failure:
        report(failure.diagnostics)
        raise
    args.keep.append(result)  # its records are freed by the caller, or never when the program exits
    report(result.diagnostics)
    print(result.summary())
    if result.diagnostics.errors:
        # The rest of the site is built and published, but a script running the build must notice.
        print(f"note: {len(result.diagnostics.errors)} input file(s) skipped (see errors above)", file=sys.stderr)
        return 1
    return 0
