"""``interview-sim grade`` on 1,000 answers, as a user runs it: a fresh interpreter reading a
JSONL file and writing one, with its start-up, the banks and the embedding model included.

Answers are the golden set's (about 100 words each, cycled to 1,000) against their banked
questions. The rate is answers per second of the command's CPU time (one core; the grader is
single-threaded), with wall time next to it; peak memory is the child's maximum resident set
size from ``wait4``. A one-answer run shows how much of the peak is fixed cost.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Row
from interview_sim.banks.golden import load_golden

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
ANSWERS = 1_000
RUNS = 3
TARGET = 200.0


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    peak_mib: float


def _write_answers(path: Path, count: int) -> None:
    lines = [
        json.dumps(
            {"id": f"{item.question_id}/{n}", "question_id": item.question_id, "answer": a.text}
        )
        for item in load_golden(GOLDEN)
        for n, a in enumerate(item.answers)
    ]
    path.write_text("\n".join(lines[i % len(lines)] for i in range(count)) + "\n", "utf-8")


def _grade(source: Path, folder: Path) -> Run:
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder), "XDG_CACHE_HOME": str(folder)}
    command = [sys.executable, "-m", "interview_sim", "grade", "--input", str(source)]
    command += ["--output", str(folder / "out.jsonl")]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=folder, env=env, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"grade exited with {child.returncode}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


_MODEL_LOAD = """
import time
from interview_sim.scoring.semantic import SemanticModel
model = SemanticModel()
start = time.process_time()
model.similarities(["probe"], [["probe"]])
print(time.process_time() - start)
"""


def _model_load_cpu(folder: Path) -> float:
    """CPU seconds of the embedding model's first use in a fresh interpreter: reading the
    packaged model's files (its tokenizer from the cache after the first run)."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder), "XDG_CACHE_HOME": str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", _MODEL_LOAD], cwd=folder, env=env, capture_output=True, text=True
    )
    return float(done.stdout.strip())


def measure(runs: int = RUNS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        many, one = folder / "answers.jsonl", folder / "one.jsonl"
        _write_answers(many, ANSWERS)
        _write_answers(one, 1)
        _grade(one, folder)  # the catalog cache, as after a first run
        batch = [_grade(many, folder) for _ in range(runs)]
        single = [_grade(one, folder) for _ in range(runs)]
        model_cpu = statistics.median(_model_load_cpu(folder) for _ in range(runs))
    return {
        "rate_cpu": ANSWERS / statistics.median(r.cpu_s for r in batch),
        "rate_wall": ANSWERS / statistics.median(r.wall_s for r in batch),
        "peak_mib": statistics.median(r.peak_mib for r in batch),
        "one_wall_s": statistics.median(r.wall_s for r in single),
        "one_cpu_s": statistics.median(r.cpu_s for r in single),
        "model_cpu_s": model_cpu,
        "one_peak_mib": statistics.median(r.peak_mib for r in single),
    }


def run() -> list[Row]:
    r = measure()
    return [
        Row(
            f"`interview-sim grade`, {ANSWERS:,} answers, whole command (one core)",
            f"{r['rate_cpu']:.0f}/s ({r['rate_wall']:.0f}/s wall)",
            f">= {TARGET:.0f}/s",
            r["rate_cpu"] >= TARGET,
        ),
        Row(f"`interview-sim grade`, {ANSWERS:,} answers, peak memory", f"{r['peak_mib']:.0f} MiB"),
        Row(
            "`interview-sim grade`, one answer: wall time, CPU time, peak memory",
            f"{r['one_wall_s']:.2f} s, {r['one_cpu_s']:.2f} s, {r['one_peak_mib']:.0f} MiB",
        ),
        Row(
            "of which the embedding model's first load (CPU, its tokenizer)",
            f"{r['model_cpu_s']:.2f} s",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.value} (target {row.target})")
