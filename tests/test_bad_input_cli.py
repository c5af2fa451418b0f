"""Bad values on the command line, in the config and in export files: one line naming the file and
the field, exit code 2, no traceback, and nothing stored changed."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from interview_sim.cli.main import _one_validation_line, main
from interview_sim.store.records import SessionDump
from interview_sim.store.revisions import default_candidate
from tests.cli_errors import one_error_line
from tests.reliability.support import cli_env


def _history(tmp_path: Path, *extra: str) -> Path:
    """A database holding one scripted session, and its answers file."""
    db = tmp_path / "sessions.db"
    answers = tmp_path / "answers.yaml"
    answers.write_text("- [a first answer about leakage]\n", encoding="utf-8")
    argv = ["--db", str(db), *extra, "run", "--stage", "ml_depth", "--count", "1"]
    assert main([*argv, "--answers", str(answers)]) == 0
    return db


def _rows(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "at least 1 character"),
        ("   ", "cannot be blank"),
        ("ana\nbob", "line breaks"),
        ("ana\x01", "control characters"),
        ("x" * 129, "at most 128 characters"),
    ],
)
def test_a_candidate_that_is_no_name_is_refused(
    value: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "sessions.db")
    assert main(["--db", db, "--candidate", value, "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert "candidate" in line and expected in line


def test_a_candidate_in_the_config_file_is_checked_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text('candidate: "ana\\tbob"\n', encoding="utf-8")
    assert main(["--config", str(config), "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert f"config file {config}: candidate:" in line and "control characters" in line


def test_spaces_around_a_candidate_do_not_make_a_second_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _history(tmp_path, "--candidate", " ana ")
    capsys.readouterr()
    assert main(["--db", str(db), "candidates", "--json"]) == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)] == ["ana"]
    assert main(["--db", str(db), "sessions", "list", "--candidate", "ana", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "99999999999999999999999"],
        ["sessions", "show", "99999999999999999999999"],
        ["sessions", "show", "0"],
        ["resume", "99999999999999999999999"],
        ["sessions", "list", "--limit", "99999999999999999999999"],
        ["sessions", "list", "--offset", "-1"],
        ["sessions", "list", "--offset", "99999999999999999999999"],
    ],
)
def test_numbers_no_database_can_hold_are_refused_before_it_is_asked(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _history(tmp_path)
    before = _rows(db)
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(db), *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "must be from" in err
    assert _rows(db) == before


def test_an_unknown_session_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _history(tmp_path)
    capsys.readouterr()
    for argv in (["report", "7"], ["sessions", "show", "7"]):
        assert main(["--db", str(db), *argv]) == 2
        assert one_error_line(capsys) == "interview-sim: no session 7"


def _export(tmp_path: Path, db: Path) -> dict[str, object]:
    dump = tmp_path / "dump.json"
    assert main(["--db", str(db), "export", "--json", "-o", str(dump)]) == 0
    data: dict[str, object] = json.loads(dump.read_text(encoding="utf-8"))
    return data


def _mangle(data: dict[str, object], where: str, value: object) -> dict[str, object]:
    sessions = data["sessions"]
    assert isinstance(sessions, list)
    sessions[0][where] = value
    return data


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json at all", "is not valid JSON (expected ident at line 1 column 2)"),
        (b'{"format": "interview-sim-sessions", "sessions": [', "is not valid JSON (EOF"),
        (b"\xff\xfe\x00", "is not valid JSON"),
        (b"[1, 2]", "is not an interview-sim export: (top level): Input should be an object"),
        (
            b'{"format": "interview-sim-sessions", "version": 7, "sessions": []}',
            "exported by a newer interview-sim (export version 7)",
        ),
        (
            b'{"format": "interview-sim-sessions", "exported_at": "2026-01-01T00:00:00Z",'
            b' "sessions": [{"uuid": "x"}]}',
            "is not an interview-sim export: sessions[0].uuid: String should match pattern",
        ),
    ],
)
def test_an_import_file_that_is_no_export_is_one_line(
    content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _history(tmp_path)
    before = _rows(db)
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    capsys.readouterr()

    assert main(["--db", str(db), "import", str(bad)]) == 2

    line = one_error_line(capsys)
    assert line.startswith(f"interview-sim: {bad} ") and expected in line, line
    assert _rows(db) == before


def test_an_export_with_wrong_shapes_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _history(tmp_path)
    data = _export(tmp_path, db)
    bad = tmp_path / "bad.json"
    for field, value, expected in (
        ("turns", "many", "sessions[0].turns: Input should be a valid array"),
        ("candidate", "ana\nbob", "sessions[0].candidate: a candidate name cannot hold"),
        ("mode", 5, "sessions[0].mode: Input should be"),
    ):
        bad.write_text(json.dumps(_mangle(json.loads(json.dumps(data)), field, value)))
        capsys.readouterr()
        assert main(["--db", str(tmp_path / "other.db"), "import", str(bad)]) == 2
        line = one_error_line(capsys)
        assert expected in line, line


def test_export_never_overwrites_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _history(tmp_path)
    before = _rows(db)
    capsys.readouterr()
    assert main(["--db", str(db), "export", "--json", "-o", str(db)]) == 2
    assert "it is the database; name another file" in one_error_line(capsys)
    assert _rows(db) == before


def test_a_failed_export_keeps_the_previous_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written beside the target and renamed: a write that fails leaves the old file whole."""
    db = _history(tmp_path)
    backup = tmp_path / "backup.json"
    backup.write_text("previous backup", encoding="utf-8")
    (tmp_path / ".backup.json.partial").mkdir()  # the partial file cannot be written
    capsys.readouterr()

    assert main(["--db", str(db), "export", "--json", "-o", str(backup)]) == 2

    assert f"cannot write {backup}" in one_error_line(capsys)
    assert backup.read_text(encoding="utf-8") == "previous backup"


@pytest.mark.parametrize(
    ("content", "run", "expected"),
    [
        (
            "balanced_brackets: [an answer]\n",
            ["--stage", "ml_depth", "--count", "1"],
            "; its ids are balanced_brackets (coding): ask them with --stage STAGE --question ID",
        ),
        (
            "adam_vs_sgd: [an answer]\n",
            ["--stage", "ml_depth", "--question", "active_learning"],
            "answers none of the questions this run asks (active_learning)",
        ),
        (
            # The stage fits, but the planner picks one question and the file answers another.
            "kv_cache: [an answer]\n",
            ["--stage", "ml_depth", "--count", "1", "--tag", "evaluation"],
            "answers none of the questions this run asks (",
        ),
        ("no_such_question: [an answer]\n", ["--loop"], "unknown question id 'no_such_question'"),
    ],
)
def test_an_answers_file_that_answers_nothing_here_starts_no_session(
    content: str, run: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Otherwise the session starts, gets no answer and is left in progress."""
    db = _history(tmp_path)
    before = _rows(db)
    answers = tmp_path / "by_id.yaml"
    answers.write_text(content, encoding="utf-8")
    capsys.readouterr()

    assert main(["--db", str(db), "run", *run, "--answers", str(answers)]) == 2

    line = one_error_line(capsys)
    assert line.startswith(f"interview-sim: {answers}: ") and expected in line, line
    assert _rows(db) == before


def test_an_answers_file_for_this_stage_runs(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    answers = tmp_path / "by_id.yaml"
    answers.write_text("adam_vs_sgd: [momentum and adaptive steps]\n", encoding="utf-8")
    run = ["run", "--stage", "ml_depth", "--question", "adam_vs_sgd", "--answers", str(answers)]
    assert main(["--db", str(db), *run]) == 0


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_a_report_never_overwrites_the_database(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report 1 -o sessions.db`` used to replace the whole history with one report."""
    db = _history(tmp_path)
    target = Path(f"{db}{suffix}")
    target.touch()
    before = _rows(db)
    capsys.readouterr()
    assert main(["--db", str(db), "report", "1", "-o", str(target)]) == 2
    assert "it is the database; name another file" in one_error_line(capsys)
    assert _rows(db) == before


def test_grade_never_writes_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = tmp_path / "answers.jsonl"
    content = '{"id": 1, "question_id": "adam_vs_sgd", "answer": "momentum"}\n'
    lines.write_text(content, encoding="utf-8")
    argv = ["grade", "--input", str(lines), "--output", str(lines)]
    assert main(["--db", str(tmp_path / "s.db"), *argv]) == 2
    assert f"it is the input {lines}" in one_error_line(capsys)
    assert lines.read_text(encoding="utf-8") == content


def test_a_narrow_terminal_encoding_shows_stored_answers_without_a_crash(tmp_path: Path) -> None:
    """``PYTHONIOENCODING=ascii`` (or a legacy code page) cannot show 'é' or '—': it prints
    '?' in their place instead of ending the report with ``UnicodeEncodeError``."""
    db = tmp_path / "sessions.db"
    answers = tmp_path / "answers.yaml"
    answers.write_text("- ['café — a caché of answers']\n", encoding="utf-8")
    run = ["run", "--stage", "ml_depth", "--count", "1", "--answers", str(answers)]
    assert main(["--db", str(db), *run]) == 0
    env = {**cli_env(), "PYTHONIOENCODING": "ascii", "HOME": os.environ["HOME"]}
    for argv in (["report", "1"], ["sessions", "show", "1"]):
        done = subprocess.run(
            [sys.executable, "-m", "interview_sim", "--db", str(db), *argv],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        assert b"caf? ? a cach? of answers" in done.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"- [unclosed\n", "invalid YAML at line 2, column 1: expected ',' or ']'"),
        (b"\x00\x01", "invalid YAML: unacceptable character #x0000"),
    ],
)
def test_an_answers_file_that_is_not_yaml_says_what_is_wrong(
    content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes(content)
    db = tmp_path / "sessions.db"
    argv = ["--db", str(db), "run", "--stage", "ml_depth", "--answers", str(answers)]
    assert main(argv) == 2
    line = one_error_line(capsys)
    assert f"answers file {answers}: {expected}" in line, line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "adam_vs_sgd:\n",
            "adam_vs_sgd: an answer is text or a mapping with code or code_file,"
            " not an empty value",
        ),
        (
            "adam_vs_sgd: [true]\n",
            "adam_vs_sgd[0]: an answer is text or a mapping with code or"
            " code_file, not true (a yes/no value)",
        ),
        ("5\n", "not a number"),
    ],
)
def test_an_answer_of_the_wrong_kind_is_named_in_yaml_words(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(content, encoding="utf-8")
    db = tmp_path / "sessions.db"
    assert main(["--db", str(db), "run", "--stage", "ml_depth", "--answers", str(answers)]) == 2
    line = one_error_line(capsys)
    assert f"{answers}: " in line and expected in line, line
    assert "NoneType" not in line and "bool" not in line


def test_importing_someone_elses_sessions_says_whose_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They keep the candidate they were exported with; the importer's own list stays empty."""
    db = _history(tmp_path, "--candidate", "ana")
    dump = tmp_path / "ana.json"
    assert main(["--db", str(db), "--candidate", "ana", "export", "--json", "-o", str(dump)]) == 0
    capsys.readouterr()
    other = str(tmp_path / "coach.db")
    assert main(["--db", other, "--candidate", "coach", "import", str(dump)]) == 0
    assert capsys.readouterr().out.strip() == (
        "imported 1 session(s); skipped 0 already present"
        " (sessions of ana: list them with --candidate NAME)"
    )
    assert main(["--db", other, "--candidate", "ana", "sessions", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.parametrize("user", [" ana ", "a\nb", "\t"])
def test_an_odd_os_user_name_gives_a_listable_default_candidate(
    user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, user)
    assert default_candidate() == ("ana" if user.strip() == "ana" else "me")


def test_a_stray_validation_error_is_still_one_line() -> None:
    """The last resort for a pydantic error no command turned into its own message."""
    with pytest.raises(ValidationError) as raised:
        SessionDump.model_validate({"format": "x", "sessions": "many"})
    line = _one_validation_line(raised.value)
    assert "\n" not in line
    assert line.startswith("invalid SessionDump: format: Input should be 'interview-sim-sessions'")
    assert line.endswith("(and 2 more problem(s))")


def test_an_empty_list_on_a_shared_database_says_whose_sessions_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Most often a name typed differently ('anna' for 'ana')."""
    db = _history(tmp_path, "--candidate", "ana")
    capsys.readouterr()
    assert main(["--db", str(db), "sessions", "list", "--candidate", "anna"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "no sessions for candidate 'anna'; this database has sessions of ana (--candidate NAME)"
    )
    assert main(["--db", str(tmp_path / "new.db"), "sessions", "list"]) == 0
    assert capsys.readouterr().err == ""


def test_an_answers_file_may_come_on_stdin(tmp_path: Path) -> None:
    """``--answers -``, as ``grade --input -``: it used to look for a file named '-'."""
    db = tmp_path / "sessions.db"
    run = ["run", "--stage", "ml_depth", "--question", "adam_vs_sgd", "--answers", "-", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "interview_sim", "--db", str(db), *run],
        input=b"adam_vs_sgd: [momentum and adaptive steps]\n",
        capture_output=True,
        env={**cli_env(), "HOME": os.environ["HOME"]},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["session"]["status"] == "completed"
