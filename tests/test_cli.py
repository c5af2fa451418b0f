from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from tests.conftest import FIXTURES, ROOT

ANSWERS = FIXTURES / "loop_answers.yaml"


def test_headless_full_loop_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "loop.db"
    assert main(["--db", str(db), "run", "--loop", "--answers", str(ANSWERS), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    stages = {g["stage"] for g in out["grades"]}
    assert stages == {"coding", "system_design", "ml_depth", "behavioral"}
    assert len(out["grades"]) == len(out["session"]["plan"])
    assert out["session"]["status"] == "completed"
    answers = sqlite3.connect(db).execute("SELECT count(*) FROM turns WHERE kind='answer'")
    assert answers.fetchone()[0] >= len(out["grades"])


def test_user_errors_exit_nonzero_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["resume", "999"]) == 2
    assert main(["run", "--stage", "coding", "--answers", str(tmp_path / "none.yaml")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "no session 999" in err


def test_drill_filters_by_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "t.db")
    argv = ["--db", db, "run", "--stage", "ml_depth", "--tag", "no-such-tag", "--json"]
    assert main(argv) == 2
    assert "no ml_depth questions match" in capsys.readouterr().err


def test_config_show_masks_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-very-secret")
    monkeypatch.setenv("INTERVIEW_SIM_DB", "other.db")
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert "sk-test-very-secret" not in out
    assert json.loads(out)["db"] == "other.db"


def test_config_file_then_env_then_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("db: from-file.db\nfollow_up_limit: 5\n")
    monkeypatch.setenv("INTERVIEW_SIM_FOLLOW_UP_LIMIT", "3")
    assert main(["--config", str(config), "--db", "flag.db", "config", "show"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["db"] == "flag.db"
    assert data["follow_up_limit"] == 3


def _answer_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM turns WHERE kind='answer'").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("k", [1, 2, 4])
def test_sigkill_after_k_answers_then_resume(tmp_path: Path, k: int) -> None:
    """Answers arrive on stdin one by one; the process is killed once k are committed."""
    db = tmp_path / "crash.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interview_sim",
            "--db",
            str(db),
            "run",
            "--stage",
            "ml_depth",
            "--count",
            "3",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert proc.stdin is not None
    sent = [f"answer number {i} about leakage, drift and calibration" for i in range(k)]
    for line in sent:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
    deadline = time.monotonic() + 30
    while _answer_count(db) < k and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    stored = [r[0] for r in con.execute("SELECT text FROM turns WHERE kind='answer' ORDER BY id")]
    con.close()
    assert stored == sent

    more = [f"resumed answer {i}" for i in range(10)]
    result = subprocess.run(
        [sys.executable, "-m", "interview_sim", "--db", str(db), "resume", "1"],
        input="\n".join(more) + "\n",
        capture_output=True,
        env=env,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(db)
    texts = [r[0] for r in con.execute("SELECT text FROM turns WHERE kind='answer' ORDER BY id")]
    status = con.execute("SELECT status FROM sessions WHERE id=1").fetchone()[0]
    assert texts[:k] == sent
    assert texts[k] == "resumed answer 0"
    assert status == "completed"
