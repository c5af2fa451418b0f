"""Answering a question again after its scorecard: a new attempt, stored as such, with deltas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.engine import InterviewEngine
from interview_sim.engine.engine import EngineError
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.progress.compute import compute_progress
from interview_sim.store import Repository, open_database
from tests.test_engine_time import Wall, _engine

WEAK = "Leakage is bad."
STRONG = (
    "Data leakage is when information that would not be available at prediction time, such as"
    " future data or the label itself, gets into training, so offline metrics look far better"
    " than production. Typical causes are fitting preprocessing on the full dataset, random"
    " splits on time series, duplicated users across splits and target leakage through features"
    " computed after the outcome. I prevent it with time-based splits, fitting transforms only"
    " on the training fold inside a pipeline, grouping by user, and auditing features for"
    " availability at serving time; a suspiciously high validation score is a red flag."
)
PLAN = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]


def _graded(engine: InterviewEngine, answer: str, plan: list[PlannedQuestion]) -> int:
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    engine.submit_answer(sid, answer)
    return sid


def test_a_retry_is_a_new_attempt_compared_criterion_by_criterion(
    catalog: Catalog, repo: Repository
) -> None:
    engine = _engine(catalog, repo, Wall())
    first = _graded(engine, WEAK, PLAN)
    [before] = repo.grades(first)

    again = engine.retry(first, "data_leakage")
    engine.advance(again)
    engine.submit_answer(again, STRONG)

    assert again != first
    [planned] = repo.get_session(again).plan  # type: ignore[union-attr]
    assert planned.retry_of == first and planned.question_id == "data_leakage"
    assert repo.grades(first) == [before]  # the first attempt is kept as it was
    [comparison] = engine.attempts(again)
    [after] = repo.grades(again)
    assert comparison.previous_session == first
    assert (comparison.previous_total, comparison.total) == (before.total, after.total)
    levels = {s.criterion: s.level for s in after.scores}
    old = {s.criterion: s.level for s in before.scores}
    assert {d.criterion: d.change for d in comparison.deltas} == {
        c: levels[c] - old[c] for c in levels
    }
    assert after.total > before.total
    assert "Against your previous attempt" in comparison.summary()
    names = [c.name for c in catalog.rubrics[after.rubric_id].criteria]
    assert all(f"{name} " in comparison.summary() for name in names)  # names, not ids
    assert "practical_judgement" not in comparison.summary()
    assert engine.attempts(first) == []


def test_spaced_repetition_reads_the_latest_attempt(catalog: Catalog, repo: Repository) -> None:
    wall = Wall()
    engine = _engine(catalog, repo, wall)
    first = _graded(engine, WEAK, PLAN)
    wall.wait(minutes=5)
    again = engine.retry(first, "data_leakage")
    engine.advance(again)
    engine.submit_answer(again, STRONG)

    report = compute_progress(repo, catalog)
    [question] = [q for q in report.questions if q.question_id == "data_leakage"]
    assert question.attempts == 2
    assert question.latest == repo.grades(again)[0].total


def test_only_a_graded_question_can_be_retried(catalog: Catalog, repo: Repository) -> None:
    engine = _engine(catalog, repo, Wall())
    sid = engine.start(SessionMode.DRILL, PLAN)
    engine.advance(sid)
    with pytest.raises(EngineError, match="no scorecard"):
        engine.retry(sid, "data_leakage")


def test_sessions_show_reports_the_attempt_deltas(
    tmp_path: Path, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "attempts.db"
    engine = _engine(catalog, Repository(open_database(str(db))), Wall())
    first = _graded(engine, WEAK, PLAN)
    again = engine.retry(first, "data_leakage")
    engine.advance(again)
    engine.submit_answer(again, STRONG)

    assert main(["--db", str(db), "sessions", "show", str(again), "--json"]) == 0
    [attempt] = json.loads(capsys.readouterr().out)["attempts"]
    assert attempt["previous_session"] == first and attempt["deltas"]
    assert main(["--db", str(db), "sessions", "show", str(again)]) == 0
    assert f"data_leakage: Against your previous attempt (session {first})" in (
        capsys.readouterr().out
    )
