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
from tests.cli_errors import one_error_line
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


@pytest.mark.slow  # kills the CLI mid-session and resumes it, three times
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


# Bad input: each case is one line on stderr naming the file and what is wrong, exit code 2.


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"db: [unclosed\n", "invalid YAML at line 2"),
        (b"- db\n- sessions.db\n", "top level must be a mapping"),
        (b"db: caf\xe9.db\n", "line 1 is not UTF-8 (byte 0xe9)"),
        (b"follow_up_limit: lots\n", "follow_up_limit: Input should be a valid integer"),
        (b"llm:\n  timeout: soon\n", "llm.timeout: Input should be a valid number"),
        (
            b"minutes_per_stage:\n  coding: -5\n",
            "minutes_per_stage.coding: Input should be greater",
        ),
        (b"ui:\n  keys:\n    interview.submit: ctrl++\n", "ui.keys: interview.submit: 'ctrl++'"),
        (b"ui:\n  keys:\n    submit now: ctrl+j\n", "'submit now' is not a binding id"),
    ],
)
def test_bad_config_file_is_one_line_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    config = tmp_path / "config.yaml"
    config.write_bytes(content)
    assert main(["--config", str(config), "--db", str(tmp_path / "s.db"), "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert f"config file {config}" in line and expected in line
    assert not (tmp_path / "s.db").exists()


def test_valid_key_bindings_and_minutes_are_accepted(tmp_path: Path) -> None:
    from interview_sim.config import load_settings

    config = tmp_path / "config.yaml"
    config.write_text(
        "minutes_per_stage:\n  coding: 5\nui:\n  keys:\n    interview.submit: ctrl+j,f2\n"
        "    app.help: question_mark\n    interview.hint: h\n"
    )
    settings = load_settings(config)
    assert settings.ui.keys["interview.submit"] == "ctrl+j,f2"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"metrics_a": [{"code": 5}]}, "metrics_a[0].code: Input should be a valid string"),
        ({"metrics_a": [{"code": "x", "run_examples": "maybe"}]}, "metrics_a[0].run_examples"),
        ({"metrics_a": [{"cod": "x"}]}, "metrics_a[0].cod: Extra inputs are not permitted"),
        ([["fine"], [["nested"]]], "[1][0]: an answer is text or a mapping"),
        ({"metrics_a": [{"code": "x", "code_file": "y.py"}]}, "give exactly one of code"),
        ("just text", "answers must be a list"),
    ],
)
def test_answers_file_with_wrong_types_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], answers: object, expected: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    db = tmp_path / "s.db"
    assert main(["--db", str(db), "run", "--stage", "ml_depth", "--answers", str(path)]) == 2
    line = one_error_line(capsys)
    assert str(path) in line and expected in line
    assert sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_unknown_question_id_fails_before_a_session_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("no_such_question:\n  - an answer\n")
    db = tmp_path / "s.db"
    assert main(["--db", str(db), "run", "--stage", "ml_depth", "--answers", str(path)]) == 2
    line = one_error_line(capsys)
    assert "unknown question id 'no_such_question'" in line and str(path) in line
    assert sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_huge_code_file_is_refused_with_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from interview_sim.sandbox.models import MAX_CODE_CHARS

    code = tmp_path / "huge.py"
    with code.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    path = tmp_path / "answers.yaml"
    path.write_text("- - code_file: huge.py\n")
    db = tmp_path / "s.db"
    assert main(["--db", str(db), "run", "--stage", "coding", "--answers", str(path)]) == 2
    line = one_error_line(capsys)
    assert f"code file too large (limit {MAX_CODE_CHARS} characters)" in line
    assert str(code) in line
    assert sqlite3.connect(db).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_non_utf8_answer_on_stdin_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = subprocess.run(
        [sys.executable, "-m", "interview_sim", "--db", str(db), "run", "--stage", "ml_depth"],
        input=b"caf\xe9 au lait\n",
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert "stdin line 1 is not UTF-8 (byte 3)" in err
    turns = sqlite3.connect(db).execute("SELECT count(*) FROM turns WHERE kind='answer'")
    assert turns.fetchone()[0] == 0


def test_grade_reports_a_non_utf8_line_and_grades_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = {"question": "Why PR-AUC?", "reference_answer": "imbalance; precision and recall"}
    lines = [
        json.dumps({"id": 1, **good, "answer": "precision and recall under imbalance"}).encode(),
        b'{"id": 2, "question": "q", "reference_answer": "r", "answer": "caf\xe9"}',
        json.dumps({"id": 3, **good, "answer": "recall"}).encode(),
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["grade", "--input", str(source)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == [1, 3]
    assert "Traceback" not in captured.err
    assert captured.err.strip() == "line 2: not UTF-8 (byte 0xe9 at column 67); line skipped"


def test_run_code_with_a_huge_code_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from interview_sim.sandbox.models import MAX_CODE_CHARS

    code = tmp_path / "huge.py"
    with code.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    problem = FIXTURES / "sandbox" / "bank" / "square_sum.yaml"
    assert main(["run-code", "--problem", str(problem), "--code", str(code)]) == 2
    line = one_error_line(capsys)
    assert f"code file too large (limit {MAX_CODE_CHARS} characters): {code}" in line


def test_grade_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """grade freezes the long-lived heap for speed; a caller in the same process gets it back."""
    import gc

    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "question_id": "kv_cache", "answer": "It caches keys and values."})
        + "\n",
        encoding="utf-8",
    )
    before = gc.get_threshold()
    assert main(["grade", "--input", str(source), "--output", str(tmp_path / "out.jsonl")]) == 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
