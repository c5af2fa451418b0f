"""What a user does, on SQLite and on PostgreSQL: a scripted loop, reviews, export/import, and
kills mid-session followed by a resume that loses nothing."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from interview_sim.cli.main import main
from interview_sim.store import open_database
from tests.conftest import FIXTURES
from tests.reliability.support import cli_env
from tests.reliability.test_kill import _acknowledged_then_kill


@pytest.mark.slow  # a scripted loop, report and export/import through the CLI
def test_scripted_loop_reviews_and_transfer(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = FIXTURES / "loop_answers.yaml"
    assert main(["--db", db_url, "run", "--loop", "--answers", str(answers), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["session"]["status"] == "completed"
    graded = len(out["grades"])

    assert main(["--db", db_url, "sessions", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["graded"] == graded and listed["status"] == "completed"
    assert main(["--db", db_url, "progress", "--json"]) == 0
    progress = json.loads(capsys.readouterr().out)
    assert progress["recommended_drill"]["items"]
    assert main(["--db", db_url, "report", "1"]) == 0
    report = capsys.readouterr().out
    assert "behavioral" in report.lower() and "coding" in report.lower()
    dump = tmp_path / "dump.json"
    assert main(["--db", db_url, "export", "--json", "-o", str(dump)]) == 0
    copy = str(tmp_path / "copy.db")
    assert main(["--db", copy, "import", str(dump)]) == 0
    assert main(["--db", db_url, "import", str(dump)]) == 0
    assert "skipped 1" in capsys.readouterr().out
    assert main(["--db", copy, "sessions", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["graded"] == graded


def _answers(url: str) -> list[str]:
    engine = open_database(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT text FROM turns WHERE kind='answer' ORDER BY id"))
            return [str(r[0]) for r in rows]
    finally:
        engine.dispose()


@pytest.mark.slow  # kills and resumes the CLI repeatedly: one to two minutes per backend
def test_kills_and_resume_lose_no_answer(db_url: str) -> None:
    rng = random.Random(7)
    counter = iter(range(1000))

    def batch() -> list[str]:
        return [f"answer {next(counter)}: leakage, drift and calibration" for _ in range(8)]

    base = [sys.executable, "-m", "interview_sim", "--db", db_url]
    acknowledged = _acknowledged_then_kill(
        [*base, "run", "--loop", "--count", "2"], batch(), 2, rng
    )
    for _ in range(4):
        acknowledged += _acknowledged_then_kill([*base, "resume", "1"], batch(), 1, rng)
        stored = _answers(db_url)
        assert len(stored) == len(set(stored)), "an answer was stored twice"
        assert set(acknowledged) <= set(stored), "an acknowledged answer was lost"
    assert len(acknowledged) >= 4
    finish = subprocess.run(
        [*base, "resume", "1"],
        input="\n".join(a for _ in range(6) for a in batch()) + "\n",
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=300,
    )
    assert finish.returncode == 0, finish.stderr
    stored = _answers(db_url)
    assert len(stored) == len(set(stored)) and set(acknowledged) <= set(stored)
    engine = open_database(db_url)
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM sessions WHERE id = 1")).scalar()
        graded = conn.execute(text("SELECT question_id FROM grades")).scalars().all()
    engine.dispose()
    assert status == "completed"
    assert len(graded) == len(set(graded)) == 8
