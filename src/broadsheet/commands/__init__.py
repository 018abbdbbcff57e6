"""One module per ``broadsheet`` sub-command, each with ``register(subparsers)``.

Adding a command is a new module here plus one entry in ``COMMANDS``.
"""

from __future__ import annotations

from . import build, check, ingest, init, new, serve, topics

COMMANDS = [build, check, ingest, init, new, serve, topics]
