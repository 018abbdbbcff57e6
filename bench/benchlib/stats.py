"""Medians and spreads of repeated runs: what every cell of the table is made of."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """Median of a series with its extremes; ``n`` says how many runs it rests on."""

    median: float
    low: float
    high: float
    n: int


def spread(values: Sequence[float]) -> Spread:
    """The median, min and max of ``values`` (at least one value)."""
    if not values:
        raise ValueError("spread() needs at least one value")
    return Spread(statistics.median(values), min(values), max(values), len(values))


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> Spread:
    """Median of run-by-run ratios of two interleaved series.

    Noise on a shared machine moves both tools of one round together, so the
    ratio within a round is steadier than the ratio of the two medians.
    """
    if len(numerators) != len(denominators):
        raise ValueError("paired series must have the same length")
    return spread([a / b for a, b in zip(numerators, denominators, strict=True) if b > 0])


def seconds(value: float) -> str:
    """A duration with about three significant digits (0.412 s, 4.12 s, 41.2 s, 412 s)."""
    if value < 1:
        return f"{value:.3f} s"
    if value < 10:
        return f"{value:.2f} s"
    if value < 100:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def spread_text(values: Spread) -> str:
    """``median [min–max]``, or the bare value when there was one run."""
    if values.n == 1:
        return f"{seconds(values.median)} (1 run)"
    return f"{seconds(values.median)} [{seconds(values.low).removesuffix(' s')}–{seconds(values.high)}]"


def megabytes(kib: int) -> str:
    """KiB (what the kernel reports) as MiB for the table."""
    return f"{kib / 1024:.0f} MB"
