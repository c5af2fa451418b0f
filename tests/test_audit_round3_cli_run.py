"""``run --answers``: the transcript holds only what was asked while answers remained.

After a question's last scripted answer the interviewer used to ask one more follow-up (stored,
printed and, with an LLM, paid for) that nobody answered, though the README says follow-ups are
asked while answers remain. Code given for a question that takes none stopped the run after
the session had started; it is refused first, as other answers-file problems are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interview_sim.cli.main import main
from interview_sim.models import TurnKind
from interview_sim.store import Repository
from interview_sim.store.db import open_database

ML = ["data_leakage", "concept_drift"]


def _run(tmp_path: Path, answers: object, *args: str) -> int:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers))
    return main(["--db", str(tmp_path / "s.db"), "run", *args, "--answers", str(path)])


def _repo(tmp_path: Path) -> Repository:
    return Repository(open_database(str(tmp_path / "s.db")))


def test_no_follow_up_is_asked_after_a_questions_last_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        "data_leakage": [
            "Leakage is information available in training but not at prediction time.",
            "I would split by time and compute features point in time.",
        ],
        "concept_drift": ["Concept drift is a change in P(y|x) over time."],
    }
    args = ["--stage", "ml_depth", *(a for q in ML for a in ("--question", q))]
    assert _run(tmp_path, answers, *args) == 0
    out = capsys.readouterr().out
    assert out.count("follow-up:") == 1  # between the two answers to data_leakage only
    assert "1 question)" not in out and "(drill, 2 questions)" in out

    repo = _repo(tmp_path)
    [session] = repo.list_sessions()
    turns = repo.turns(session.id)
    for question_id in ML:
        own = [t for t in turns if t.question_id == question_id]
        assert own[-1].kind == TurnKind.ANSWER, [t.kind for t in own]
        follow_ups = sum(t.kind == TurnKind.FOLLOW_UP for t in own)
        assert follow_ups == len(answers[question_id]) - 1
    assert len(repo.grades(session.id)) == 2


def test_a_last_code_answer_is_graded_without_an_unanswered_follow_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = "def group_anagrams(queries):\n    return [[q] for q in queries]\n"  # fails tests
    answers = {"anagram_query_groups": [{"code": code}]}
    args = ["--stage", "coding", "--question", "anagram_query_groups"]
    assert _run(tmp_path, answers, *args) == 0
    out = capsys.readouterr().out
    assert "code submitted:" in out and "follow-up:" not in out and "grade " in out
    repo = _repo(tmp_path)
    [session] = repo.list_sessions()
    assert [t.kind for t in repo.turns(session.id)] == [TurnKind.QUESTION, TurnKind.CODE_RUN]
    [grade] = repo.grades(session.id)
    assert not grade.skipped


def test_code_for_a_question_that_takes_none_is_refused_before_a_session_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [[{"code": "def f():\n    return 1\n"}]]
    assert _run(tmp_path, answers, "--stage", "ml_depth", "--count", "1") == 2
    err = capsys.readouterr().err.strip()
    assert "[0]: code can only answer a coding question" in err
    assert "no session was started" in err and "Traceback" not in err
    assert _repo(tmp_path).list_sessions() == []
