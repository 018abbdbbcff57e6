"""The ``broadsheet`` command line: parse arguments, run, print one-line errors.

No traceback reaches the user for their own mistakes: a ``BroadsheetError``
prints as ``error: FILE:LINE: message`` with exit status 1; usage errors
exit 2. Each sub-command lives in its own module under ``commands/``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .commands import COMMANDS
from .errors import BroadsheetError

Command = Callable[[argparse.Namespace], int]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Build a static news digest from articles and feeds."
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, keep: list[object] | None = None) -> int:
    """Run one command; ``keep`` receives what a command leaves for the caller to free (or not: ``run``)."""
    args = make_parser().parse_args(argv)
    args.keep = keep if keep is not None else []
    func: Command = args.func
    try:
        return func(args)
    except BroadsheetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # The system refused (a folder that cannot be made, a full disk, a read-only mount): the place the
        # user chose, not a bug in broadsheet; it names the file, as every other error does.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The ``broadsheet`` program: ``main``, then exit without tearing the heap down.

    Every file is written and closed by then, and the worker pools are shut
    down; freeing a large site's millions of objects one by one at exit
    would only add time (0.2 s after a 10,000-article build, and as much
    again had the build freed its records on return: the build command
    leaves its result in ``kept``). Tests call ``main`` and keep their process.
    """
    kept: list[object] = []
    code = main(keep=kept)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
