"""``run --stage S --question ID`` (repeatable) runs exactly those questions, every time.

A scripted practice session must be plannable: the same command twice gives the same plan,
whatever the history says, and a wrong id is one line, not a traceback. Global options are
accepted after the subcommand too (``run --db x.db ...``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from interview_sim.cli.main import main
from interview_sim.store import Repository, open_database

QUESTIONS = ["kv_cache", "adam_vs_sgd"]
"""Not in the bank's id order, so a plan in the given order is not an accident."""


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    script = {qid: ["An answer.", "More.", "And more."] for qid in QUESTIONS}
    path.write_text(yaml.safe_dump(script), encoding="utf-8")
    return path


def test_the_same_questions_in_the_same_order_every_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "run.db"
    picks = [arg for qid in QUESTIONS for arg in ("--question", qid)]
    answers = _answers(tmp_path)
    for _ in range(2):
        # Global options after the subcommand, as a script would write them.
        argv = ["run", "--db", str(db), "--offline", "--stage", "ml_depth", *picks]
        assert main([*argv, "--answers", str(answers), "--json"]) == 0
    capsys.readouterr()
    repo = Repository(open_database(str(db)))
    for session_id in (1, 2):
        session = repo.get_session(session_id)
        assert session is not None
        assert [p.question_id for p in session.plan] == QUESTIONS
    assert main(["sessions", "list", "--db", str(db), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--stage", "ml_depth", "--question", "no_such_q"], "no question 'no_such_q'"),
        (["--stage", "coding", "--question", "kv_cache"], "is a ml_depth question, not coding"),
        (
            ["--stage", "ml_depth", "--question", "kv_cache", "--question", "kv_cache"],
            "'kv_cache' is given twice",
        ),
        (["--loop", "--question", "kv_cache"], "--question needs --stage"),
        (
            ["--stage", "ml_depth", "--question", "kv_cache", "--count", "2"],
            "drop --count, --tag, --difficulty",
        ),
    ],
)
def test_a_wrong_pick_is_one_line_and_starts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    db = tmp_path / "run.db"
    assert main(["--db", str(db), "run", "--offline", *extra]) != 0
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert Repository(open_database(str(db))).list_sessions() == []


def test_resume_without_an_id_continues_the_session_home_offers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "run.db"
    assert main(["--db", str(db), "resume", "--offline"]) == 2
    assert "no unfinished session" in capsys.readouterr().err
    short = tmp_path / "short.yaml"
    short.write_text(yaml.safe_dump({"kv_cache": ["An answer."]}), encoding="utf-8")
    picks = ["--stage", "ml_depth", "--question", "kv_cache", "--question", "adam_vs_sgd"]
    # A scripted run that runs out of answers stays unfinished, like the one Home would offer.
    main(["--db", str(db), "run", "--offline", *picks, "--answers", str(short)])
    capsys.readouterr()
    assert main(["--db", str(db), "resume", "--offline", "--answers", str(_answers(tmp_path))]) == 0
    assert capsys.readouterr().out.startswith("resuming session 1")
    session = Repository(open_database(str(db))).get_session(1)
    assert session is not None and session.status.value == "completed"
