"""A/B interleaving: which tool runs when.

Tools alternate run by run (A B C, then B C A, ...), so a burst of load from
other work on the machine hits every tool about equally, and no tool always
runs first after a cool-down or always right after another's disk writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def rotation(items: Sequence[T], round_number: int) -> list[T]:
    """``items`` rotated left by ``round_number`` places."""
    if not items:
        return []
    shift = round_number % len(items)
    return [*items[shift:], *items[:shift]]


def interleaved(items: Sequence[T], rounds: int) -> Iterator[tuple[int, T]]:
    """(round, item) for every item in every round, each round in its rotated order."""
    for number in range(rounds):
        for item in rotation(items, number):
            yield number, item
