"""Shared helpers: medians of repeated runs and the result rows every benchmark returns.

These machines are noisy, so each benchmark reports medians of several runs and, where it can,
ratios measured side by side in one run rather than absolute times.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table."""

    name: str
    value: str
    target: str = ""
    met: bool | None = None


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], repeats: int = 5) -> float:
    return statistics.median(timed(action) for _ in range(repeats))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
