"""Sandbox overhead: one run of a trivial solution with 20 cases vs a bare ``python -c pass``.

The bare interpreter is started the same way the sandbox starts its child (same ``unshare``
prefix where available, same flags, scrubbed env, new session), and the two are timed in
alternation, so machine load hits both alike. The result is a ratio of medians, not an absolute
time. ``python -m bench.sandbox_overhead`` prints it; ``measure()`` returns it as a dict.
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
from interview_sim.sandbox.isolation import (
    PYTHON_FLAGS,
    popen_options,
    scrubbed_env,
    unshare_prefix,
)

CASES = 20
REPEATS = 7
TRIVIAL = "def add(a, b):\n    return a + b\n"


def _request() -> RunRequest:
    cases = [
        CaseSpec(name=f"case_{i}", kind="hidden", args=[i, i], expected=2 * i) for i in range(CASES)
    ]
    return RunRequest(code=TRIVIAL, function="add", cases=cases)


def _bare(folder: Path) -> None:
    command = [*unshare_prefix(), sys.executable, *PYTHON_FLAGS, "-c", "pass"]
    subprocess.run(command, cwd=folder, env=scrubbed_env(folder), check=True, **popen_options())


def measure(repeats: int = REPEATS) -> dict[str, Any]:
    """Median seconds of each, side by side, and their ratio."""
    request = _request()
    bare: list[float] = []
    sandboxed: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            bare.append(timed(lambda: _bare(Path(folder))))
            start = time.perf_counter()
            report = run_code(request)
            sandboxed.append(time.perf_counter() - start)
            if report.passed != CASES:
                raise RuntimeError(f"the trivial solution failed: {report.summary()}")
    bare_median = statistics.median(bare)
    run_median = statistics.median(sandboxed)
    return {
        "cases": CASES,
        "repeats": repeats,
        "bare_python_seconds": round(bare_median, 4),
        "sandbox_run_seconds": round(run_median, 4),
        "ratio": round(run_median / bare_median, 2),
        "network_namespace": bool(unshare_prefix()),
    }


def run() -> list[Row]:
    """Rows for ``python -m bench``."""
    result = measure()
    return [
        Row(
            f"sandbox run, {CASES} cases vs bare `python -c pass`",
            f"{result['ratio']}x ({result['sandbox_run_seconds'] * 1000:.0f} ms vs"
            f" {result['bare_python_seconds'] * 1000:.0f} ms)",
            "<= 3x",
            float(result["ratio"]) <= 3,
        )
    ]


if __name__ == "__main__":
    outcome = measure()
    for key, value in outcome.items():
        print(f"{key}: {value}")
