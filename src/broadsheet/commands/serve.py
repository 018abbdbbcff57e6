"""``broadsheet serve``: build, serve on loopback, rebuild and reload on every change."""

from __future__ import annotations

import argparse
import contextlib
import functools
import ipaddress
from pathlib import Path
from typing import Any

from ..build import BuildOptions
from .common import selection, selection_arguments, site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help="build, serve the site locally, rebuild and reload pages on every change"
    )
    site_argument(parser)
    parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 picks a free one)"
    )
    parser.add_argument(
        "--host", type=_host, default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine)"
    )
    selection_arguments(parser)
    parser.set_defaults(func=run)


def _port(text: str) -> int:
    """A TCP port: out of range, the socket layer raises OverflowError, not the OSError ``DevServer`` reports."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 0 (any free port) to 65535, not {port}")
    return port


def _host(text: str) -> str:
    """An address to listen on. An empty one (``--host "$HOST"`` with HOST unset) would mean every network."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give an address (127.0.0.1, or 0.0.0.0 for every network)")
    return text


def run(args: argparse.Namespace) -> int:
    from ..serve import DevServer  # imported when used (with watchfiles): every `broadsheet build` starts faster

    options = selection(args, BuildOptions(site=Path(args.site)))
    say = functools.partial(print, flush=True)  # a long-running command: every line shows at once, even piped
    # Ctrl+C stops serving, not an error: from the first moment, since a reader may press it
    # as soon as the "serving" line shows, before the watch loop has started.
    with DevServer(options, args.host, args.port, log=say) as server, contextlib.suppress(KeyboardInterrupt):
        server.start()
        if not _is_loopback(args.host):
            say(f"note: listening on {args.host}: other machines can read this site")
        say(f"serving {server.live.output} at {server.url} — watching for changes, Ctrl+C to stop")
        server.watch()
    print("stopped")
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
