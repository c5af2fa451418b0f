"""Many processes share one database, writing and reading at once: no lock error, no lost row."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from interview_sim.store import open_database
from tests.reliability.support import cli, cli_env, query
from tests.store.pg_server import db_url, pg_server

__all__ = ["db_url", "pg_server"]


def test_two_writers_and_a_reader(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    answers = "\n".join(f"answer {i} on leakage, drift and PR-AUC" for i in range(60)) + "\n"
    writers = [
        subprocess.Popen(
            cli(db, "run", "--loop", "--count", "2"),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for _ in range(2)
    ]
    readers: list[subprocess.CompletedProcess[str]] = []
    for proc in writers:
        assert proc.stdin is not None
        proc.stdin.write(answers)
        proc.stdin.close()
    while any(p.poll() is None for p in writers):
        readers.append(
            subprocess.run(
                cli(db, "sessions", "list", "--json"),
                capture_output=True,
                text=True,
                env=cli_env(),
                timeout=120,
            )
        )
    errors = [p.stderr.read() if p.stderr else "" for p in writers]
    for proc, err in zip(writers, errors, strict=True):
        assert proc.wait(timeout=300) == 0, err
        assert "locked" not in err
    for result in readers:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
    assert query(db, "SELECT status FROM sessions ORDER BY id") == [("completed",), ("completed",)]
    per_session = query(db, "SELECT session_id, count(*) FROM grades GROUP BY session_id")
    assert per_session == [(1, 8), (2, 8)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


WRITER = """
import sys, time
from interview_sim.models import PlannedQuestion, SessionMode, Stage, Turn, TurnKind
from interview_sim.store import Repository, open_database
url, who, start, count = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
time.sleep(max(0.0, start - time.time()))
repo = Repository(open_database(url), candidate=who)
plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="metrics_a")]
session = repo.create_session(SessionMode.DRILL, plan)
for n in range(count):
    repo.add_turn(Turn(session_id=session.id, stage=Stage.ML_DEPTH, question_id="metrics_a",
                       kind=TurnKind.ANSWER, text=f"{who} answer {n}"))
    if n == 0:
        repo.start_stage(session.id, Stage.ML_DEPTH, 60)
repo.finish_stage(session.id, Stage.ML_DEPTH)
repo.finish_session(session.id)
"""

PROCESSES = 20
ANSWERS = 25


def test_twenty_candidates_write_at_once_and_nothing_is_lost(db_url: str) -> None:
    """Every process opens the (new) database at the same moment, then commits its answers
    one by one: a first-open race or a busy lock would lose a writer or a row."""
    start = time.time() + 4.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, f"cand{i:02d}", str(start), str(ANSWERS)],
            env=cli_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    errors = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * PROCESSES, "\n".join(errors)
    assert not any("locked" in e for e in errors)
    engine = open_database(db_url)
    with engine.connect() as conn:
        per = conn.execute(
            text(
                "SELECT s.candidate, s.status, COUNT(t.id) FROM sessions s"
                " JOIN turns t ON t.session_id = s.id GROUP BY s.candidate, s.status"
                " ORDER BY s.candidate"
            )
        ).all()
        texts = set(conn.execute(text("SELECT text FROM turns")).scalars())
    assert [tuple(r) for r in per] == [
        (f"cand{i:02d}", "completed", ANSWERS) for i in range(PROCESSES)
    ]
    assert texts == {f"cand{i:02d} answer {n}" for i in range(PROCESSES) for n in range(ANSWERS)}
