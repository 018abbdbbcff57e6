"""The one exception type users see, and the collector for warnings.

Every user mistake (bad config, unreadable article, template error) becomes a
``BroadsheetError`` carrying the file and, where known, the line, so the CLI
can print it on one line without a traceback.
"""

from __future__ import annotations

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
