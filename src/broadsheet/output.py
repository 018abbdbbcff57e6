"""Staged, all-or-nothing output.

A build writes into a fresh folder beside ``output/`` and swaps it in only
when everything succeeded, so an interrupted or failed build leaves the
previous site intact. A folder that broadsheet did not write is never
replaced: it might be the user's own files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType

from . import urls
from .errors import BroadsheetError

MARKER = ".broadsheet-output"


def check_output_folder(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that holds, or is, something the user owns."""
    for folder in protected:
        if output == folder or folder.is_relative_to(output):
            raise BroadsheetError(f"refusing to build into {output}: it contains {folder.name}/, which is your content")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise BroadsheetError(
            f"refusing to replace {output}: it was not written by broadsheet (no {MARKER} file); "
            "choose another --output"
        )


class StagedOutput:
    """Write files under a staging folder, then swap it for ``output`` on success."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.stage = output.with_name(f".{output.name}.staging-{os.getpid()}")
        self.written = 0

    def __enter__(self) -> StagedOutput:
        _remove_leftovers(self.output)
        self.stage.mkdir(parents=True)
        (self.stage / MARKER).write_text("Written by broadsheet; the whole folder is replaced on every build.\n")
        return self

    def write(self, path: str, data: bytes) -> None:
        """Write ``data`` to the site path ``path`` (a page path or a file name)."""
        target = self.stage / urls.output_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written += 1

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            return
        old = self.output.with_name(f".{self.output.name}.old-{os.getpid()}")
        if self.output.exists():
            os.replace(self.output, old)
        os.replace(self.stage, self.output)
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Delete staging/old folders that a killed build left behind."""
    if not output.parent.is_dir():
        output.parent.mkdir(parents=True, exist_ok=True)
        return
    for leftover in output.parent.glob(f".{output.name}.*-*"):
        if leftover.is_dir() and (leftover / MARKER).exists():
            if not output.exists() and ".old-" in leftover.name:
                os.replace(leftover, output)  # a swap was interrupted: restore the last good site
            else:
                shutil.rmtree(leftover, ignore_errors=True)
