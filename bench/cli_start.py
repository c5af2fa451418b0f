"""What a command costs before it does anything: ``interview-sim --help`` and ``run-code`` on a
20-case problem, each against a bare ``python -c pass`` started the same way in the same run.

Every run is a fresh interpreter (``python -m interview_sim``), so the figures include Python's
own start-up, every import the command pulls in, loading the problem, and for ``run-code`` the
sandboxed child process. The ratio of medians is what the targets are about.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench.measure import Row, run_process, side_by_side

RUNS = 9
CASES = 20
HELP_TARGET = 4.0
RUN_CODE_TARGET = 6.0

_PROBLEM = """\
stage: coding
questions:
  - id: bench_add
    title: Add two numbers
    prompt: Write `add(a, b)` returning their sum.
    difficulty: easy
    tags: [bench]
    rubric: coding
    hints: [Use +.]
    follow_ups:
      - {text: What is the complexity?, criterion: complexity}
    model_answer: Return a + b; O(1) time and space.
    key_points:
      - {text: Return the sum, criterion: problem_solving}
    function: add
    starter_code: |
      def add(a: int, b: int) -> int:
          pass
    examples:
{examples}
    tests:
      - {name: zero, args: [0, 0], expected: 0}
    reference_solution: |
      def add(a, b):
          return a + b
    complexity: {time: O(1), space: O(1)}
"""
_SOLUTION = "def add(a, b):\n    return a + b\n"
FLOOR = "import interview_sim.sandbox, interview_sim.banks.loader"
"""What ``run-code`` cannot skip as the code stands: the sandbox's request and report and the
bank's question are pydantic models, so pydantic and ``interview_sim.models`` load with them."""


def _write_problem(folder: Path) -> tuple[Path, Path]:
    examples = "\n".join(f"      - {{args: [{i}, {i}], expected: {2 * i}}}" for i in range(CASES))
    problem = folder / "bench_add.yaml"
    problem.write_text(_PROBLEM.replace("{examples}", examples), encoding="utf-8")
    solution = folder / "add.py"
    solution.write_text(_SOLUTION, encoding="utf-8")
    return problem, solution


def measure(runs: int = RUNS) -> dict[str, float]:
    python = sys.executable
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        problem, solution = _write_problem(folder)
        env = {**os.environ, "XDG_CONFIG_HOME": str(folder), "XDG_CACHE_HOME": str(folder)}
        options = {"cwd": folder, "env": env}
        tool = [python, "-m", "interview_sim"]
        run_code = [*tool, "run-code", "--problem", str(problem), "--code", str(solution)]
        return side_by_side(
            {
                "bare": lambda: run_process([python, "-c", "pass"], **options),
                "help": lambda: run_process([*tool, "--help"], **options),
                "run_code": lambda: run_process(run_code, **options),
                "floor": lambda: run_process([python, "-c", FLOOR], **options),
            },
            runs,
        )


def run() -> list[Row]:
    r = measure()
    help_ratio, run_ratio = r["help"] / r["bare"], r["run_code"] / r["bare"]
    bare = f"{r['bare'] * 1000:.0f} ms"
    return [
        Row(
            "`interview-sim --help` vs `python -c pass`",
            f"{help_ratio:.1f}x ({r['help'] * 1000:.0f} ms vs {bare})",
            f"<= {HELP_TARGET:.0f}x",
            help_ratio <= HELP_TARGET,
        ),
        Row(
            f"`interview-sim run-code`, {CASES} cases, vs `python -c pass`",
            f"{run_ratio:.1f}x ({r['run_code'] * 1000:.0f} ms vs {bare})",
            f"<= {RUN_CODE_TARGET:.0f}x",
            run_ratio <= RUN_CODE_TARGET,
        ),
        Row(
            "`run-code`'s floor: importing the sandbox and bank models (pydantic), no run,"
            " vs `python -c pass`",
            f"{r['floor'] / r['bare']:.1f}x ({r['floor'] * 1000:.0f} ms)",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.value} (target {row.target})")
