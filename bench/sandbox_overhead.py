"""Sandbox overhead: one run of a trivial solution with 20 cases vs a bare ``python -c pass``.

They are timed in alternation in one process, so machine load hits them alike, and the result
is a ratio of medians, not an absolute time. The sandboxed run is the real thing at the
strongest isolation level this machine offers (bubblewrap where it works): a fresh interpreter
in its own namespaces, 20 calls over the pipe, every verdict decided by the parent. The target
compares it with ``python -c pass``; a second ratio compares it with the floor, an interpreter
started as the sandbox starts its own (``-I -S``, scrubbed environment) with no sandbox at all.
``python -m bench.sandbox_overhead [--all]`` prints it (``--all``: both isolation levels);
``measure()`` returns it as a dict.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import Row, timed
from interview_sim.sandbox import CaseSpec, RunRequest, run_code
from interview_sim.sandbox.isolation import PYTHON_FLAGS, level_for, popen_options, scrubbed_env
from interview_sim.sandbox.models import IsolationLevel

CASES = 20
REPEATS = 9
TRIVIAL = "def add(a, b):\n    return a + b\n"


def _request() -> RunRequest:
    cases = [
        CaseSpec(name=f"case_{i}", kind="hidden", args=[i, i], expected=2 * i) for i in range(CASES)
    ]
    return RunRequest(code=TRIVIAL, function="add", cases=cases)


def _bare(folder: Path) -> None:
    subprocess.run([sys.executable, "-c", "pass"], cwd=folder, check=True)


def _floor(folder: Path) -> None:
    command = [sys.executable, *PYTHON_FLAGS, "-c", "pass"]
    subprocess.run(
        command, cwd=folder, env=scrubbed_env(str(folder)), check=True, **popen_options()
    )


def measure(repeats: int = REPEATS, level: IsolationLevel | None = None) -> dict[str, Any]:
    """Median seconds of each, side by side, and their ratio."""
    level = level or level_for()
    request = _request()
    run_code(request, level=level)  # the first run probes bwrap and compiles the harness
    bare: list[float] = []
    floor: list[float] = []
    sandboxed: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            bare.append(timed(lambda: _bare(Path(folder))))
            floor.append(timed(lambda: _floor(Path(folder))))
            start = time.perf_counter()
            report = run_code(request, level=level)
            sandboxed.append(time.perf_counter() - start)
            if report.passed != CASES:
                raise RuntimeError(f"the trivial solution failed: {report.summary()}")
    bare_median = statistics.median(bare)
    floor_median = statistics.median(floor)
    run_median = statistics.median(sandboxed)
    return {
        "level": level,
        "cases": CASES,
        "repeats": repeats,
        "bare_python_seconds": round(bare_median, 4),
        "isolated_python_seconds": round(floor_median, 4),
        "sandbox_run_seconds": round(run_median, 4),
        "ratio": round(run_median / bare_median, 2),
        "ratio_to_isolated": round(run_median / floor_median, 2),
    }


def run() -> list[Row]:
    """Rows for ``python -m bench``."""
    result = measure()
    return [
        Row(
            f"sandbox run ({result['level']}), {CASES} cases vs bare `python -c pass`",
            f"{result['ratio']}x ({result['sandbox_run_seconds'] * 1000:.0f} ms vs"
            f" {result['bare_python_seconds'] * 1000:.0f} ms)",
            "<= 3x",
            float(result["ratio"]) <= 3,
        )
    ]


if __name__ == "__main__":
    levels: tuple[IsolationLevel | None, ...] = (None,)
    if "--all" in sys.argv:
        levels = ("bubblewrap", "fallback-in-process")
    for name in levels:
        outcome = measure(level=name)
        for key, value in outcome.items():
            print(f"{key}: {value}")
