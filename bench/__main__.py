"""Run every benchmark and print one Markdown table: ``python -m bench`` (or ``make bench``)."""

from __future__ import annotations

import importlib
import os
import platform
import sys
from collections.abc import Callable

from bench.measure import Row

BENCHMARKS = (
    "cold_start",
    "cli_start",
    "grading_speed",
    "grade_command",
    "scorer_agreement",
    "adversarial",
    "sandbox_overhead",
    "history_screen",
    "history",
    "write_latency",
    "scripted_loop",
    "llm_tokens",
)


def _machine() -> str:
    """With the load average: on a shared machine it says how far absolute times stretched."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {load} (1, 5, 15 min) at the end"
    )


def main(names: list[str]) -> int:
    rows: list[Row] = []
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        measure: Callable[[], list[Row]] = module.run
        print(f"running {name}...", file=sys.stderr, flush=True)
        rows.extend(measure())
    print(f"Machine: {_machine()}\n")
    print("| benchmark | measured | target | met |")
    print("|---|---|---|---|")
    for row in rows:
        met = "" if row.met is None else ("yes" if row.met else "**no**")
        print(f"| {row.name} | {row.value} | {row.target} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
