"""Kill a scripted loop at 30 seeded random points and resume each time: nothing is lost."""

from __future__ import annotations

import random
import signal
import subprocess
from pathlib import Path

import pytest

from tests.reliability.support import cli, cli_env, query

KILLS = 30
SEED = 20261124


def _started(db: Path) -> bool:
    return db.exists() and bool(query(db, "SELECT name FROM sqlite_master WHERE name='sessions'"))


def _answers(db: Path) -> list[str]:
    if not _started(db):
        return []
    return [str(r[0]) for r in query(db, "SELECT text FROM turns WHERE kind='answer' ORDER BY id")]


def _acknowledged_then_kill(
    args: list[str], lines: list[str], acks: int, rng: random.Random
) -> list[str]:
    """Feed answers one at a time, wait for ``acks`` "answer stored" lines, then SIGKILL.

    Returns the answers the app acknowledged before dying: each must be in the database.
    """
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    acknowledged: list[str] = []
    try:
        for line in lines:
            if len(acknowledged) >= acks:
                break
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            for out in proc.stdout:
                if "(answer stored" in out:
                    acknowledged.append(line)
                    break
            else:
                break  # the session finished
        if rng.random() < 0.5 and len(acknowledged) < len(lines):
            # Sometimes die mid-write: the next answer is in flight when the signal lands.
            proc.stdin.write(lines[len(acknowledged)] + "\n")
            proc.stdin.flush()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    return acknowledged


@pytest.mark.slow  # thirty kills and resumes of the CLI: about three minutes
def test_thirty_kills_lose_no_submitted_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "sessions.db"
    counter = iter(range(10_000))

    def batch() -> list[str]:
        return [
            f"answer {next(counter)}: I would check leakage, drift and calibration, then monitor"
            " precision at the operating threshold."
            for _ in range(12)
        ]

    acknowledged: list[str] = []
    for _ in range(KILLS):
        started = _started(db) and query(db, "SELECT id FROM sessions") == [(1,)]
        args = cli(db, "resume", "1") if started else cli(db, "run", "--loop", "--count", "4")
        acknowledged += _acknowledged_then_kill(args, batch(), rng.randint(0, 2), rng)
        stored = _answers(db)
        assert len(stored) == len(set(stored)), "an answer was stored twice"
        assert set(acknowledged) <= set(stored), "an acknowledged answer was lost"
        if _started(db):
            assert query(db, "PRAGMA integrity_check") == [("ok",)]

    assert len(acknowledged) >= KILLS // 2, (
        "too few answers got through to make the test meaningful"
    )
    assert query(db, "SELECT status FROM sessions WHERE id=1") == [("in_progress",)]

    finish = subprocess.run(
        cli(db, "resume", "1"),
        input="\n".join(a for _ in range(10) for a in batch()) + "\n",
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=300,
    )
    assert finish.returncode == 0, finish.stderr
    assert query(db, "SELECT status FROM sessions WHERE id=1") == [("completed",)]
    stored = _answers(db)
    assert len(stored) == len(set(stored))
    assert set(acknowledged) <= set(stored)
    asked = query(db, "SELECT question_id, text FROM turns WHERE kind IN ('question','follow_up')")
    assert len(asked) == len(set(asked)), "a question or follow-up was asked twice"
    graded = query(db, "SELECT question_id FROM grades")
    assert len(graded) == len(set(graded)) == 16
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
