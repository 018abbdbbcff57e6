"""The one exception type users see, and the collector for warnings.

Every user mistake (bad config, unreadable article, template error) becomes a
``BroadsheetError`` carrying the file and, where known, the line, so the CLI
can print it on one line without a traceback.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path


class BroadsheetError(Exception):
    """A problem with the user's input or environment, located where possible."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[type[BroadsheetError], tuple[str, str | None, int | None]]:
        # Keep path and line when an error crosses a process boundary.
        return (BroadsheetError, (self.message, self.path, self.line))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def located(self, path: Path | str, line: int | None = None) -> BroadsheetError:
        """Return a copy naming ``path`` (keeping a line already known)."""
        return BroadsheetError(self.message, path, self.line if self.line is not None else line)


def decode_utf8(data: bytes, path: Path | str) -> str:
    """The text of a file the user writes (settings, templates): UTF-8, a BOM allowed.

    Anything else is an error naming the line and the first byte that is not
    UTF-8, rather than Python's codec message with a byte offset.
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02X}): save it as UTF-8"
        raise BroadsheetError(message, path, line) from None


@dataclass
class Diagnostics:
    """Warnings and recoverable errors gathered during one run.

    Loaders report here instead of printing, so a build can go on past a bad
    file, and ``--strict`` can turn every recorded problem into a failure.
    """

    warnings: list[str] = field(default_factory=list)
    errors: list[BroadsheetError] = field(default_factory=list)

    def warn(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        self.warnings.append(str(BroadsheetError(message, path, line)))

    def error(self, error: BroadsheetError) -> None:
        self.errors.append(error)

    def extend(self, other: Diagnostics) -> None:
        self.warnings.extend(other.warnings)
        self.errors.extend(other.errors)

    @property
    def problems(self) -> int:
        return len(self.warnings) + len(self.errors)
