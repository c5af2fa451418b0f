"""Shared helpers: medians of repeated runs and the result rows every benchmark returns.

These machines are noisy, so each benchmark reports medians of several runs and, where it can,
ratios measured side by side in one run rather than absolute times.
"""

from __future__ import annotations

import statistics
import subprocess
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


def run_process(command: list[str], **options: object) -> float:
    """Wall seconds of one child process, which must succeed; its output is discarded."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **options)  # type: ignore[call-overload]
    return time.perf_counter() - start


def side_by_side(
    actions: dict[str, Callable[[], float]], runs: int, warmup: int = 1
) -> dict[str, float]:
    """Median seconds of each action, run in turn (a, b, a, b, ...) so load on a noisy machine
    falls on all of them alike. Each action returns the seconds it measured."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            samples[name].append(action())
    return {name: statistics.median(values) for name, values in samples.items()}
