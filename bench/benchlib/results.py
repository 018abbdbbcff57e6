"""The figures of one benchmark session, as the runner collects them and the report reads them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .measure import Run

FULL, NOOP, EDIT = "full", "no-op", "one-change"
SCENARIOS = (FULL, NOOP, EDIT)


@dataclass
class Cell:
    """The runs of one tool, one corpus size, one scenario; ``problem`` when it could not finish."""

    runs: list[Run] = field(default_factory=list)
    problem: str | None = None

    @property
    def walls(self) -> list[float]:
        return [run.wall for run in self.runs]

    @property
    def peak_kib(self) -> int:
        return max((run.peak_kib for run in self.runs), default=0)


@dataclass
class Measurements:
    """Everything one ``make bench`` measured."""

    cells: dict[tuple[str, int, str], Cell] = field(default_factory=dict)
    files: dict[tuple[str, int], int] = field(default_factory=dict)
    identical: dict[int, list[str]] = field(default_factory=dict)  # size → differences (empty: identical)
    notes: list[str] = field(default_factory=list)

    def cell(self, tool: str, size: int, scenario: str) -> Cell:
        return self.cells.setdefault((tool, size, scenario), Cell())

    def find(self, tool: str, size: int, scenario: str) -> Cell | None:
        return self.cells.get((tool, size, scenario))

    def sizes(self, tool: str) -> list[int]:
        return sorted({size for (name, size, _) in self.cells if name == tool})

    def to_json(self) -> dict[str, Any]:
        return {
            "cells": [
                {"tool": t, "size": n, "scenario": s, "problem": c.problem, "runs": [asdict(r) for r in c.runs]}
                for (t, n, s), c in self.cells.items()
            ],
            "files": [{"tool": t, "size": n, "files": count} for (t, n), count in self.files.items()],
            "identical": {str(n): diff for n, diff in self.identical.items()},
            "notes": self.notes,
        }
