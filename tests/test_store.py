from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import (
    PlannedQuestion,
    SessionMode,
    Stage,
    Turn,
    TurnKind,
)
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository, open_database
from interview_sim.store.migrations import SCHEMA_VERSION, upgrade


def test_v1_database_upgrades_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert upgrade(conn, target=1) == 1
    engine.dispose()
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO sessions (id, mode, status, plan, started_at) VALUES"
        " (1, 'drill', 'in_progress', '[]', '2026-01-01 10:00:00')"
    )
    raw.execute(
        "INSERT INTO turns (session_id, stage, question_id, kind, text, created_at) VALUES"
        " (1, 'ml_depth', 'q', 'answer', 'kept answer', '2026-01-01 10:01:00')"
    )
    raw.commit()
    raw.close()

    repo = Repository(open_database(str(path)))
    turns = repo.turns(1)
    assert [t.text for t in turns] == ["kept answer"]
    assert turns[0].status == "complete"
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION


def test_wal_mode_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    repo = Repository(open_database(str(path)))
    session = repo.create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="q")]
    )
    stored = repo.add_turn(
        Turn(
            session_id=session.id,
            stage=Stage.ML_DEPTH,
            question_id="q",
            kind=TurnKind.ANSWER,
            text="hi",
        )
    )
    assert stored.id is not None
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    loaded = repo.get_session(session.id)
    assert loaded is not None and loaded.plan[0].question_id == "q"
    assert loaded.started_at.tzinfo is not None


def test_sqlalchemy_url_accepted(tmp_path: Path) -> None:
    repo = Repository(open_database(f"sqlite:///{tmp_path / 'url.db'}"))
    assert repo.list_sessions() == []


def test_a_capped_score_reads_back_with_its_reason(repo: Repository, catalog: Catalog) -> None:
    """Revision 0010: a scorecard read back from history still says why a cap held it."""
    question = catalog.questions["imbalanced_pr_auc"]
    grade = OfflineRubricScorer().grade(
        QuestionContext.single_answer(
            question, catalog.rubric_for(question), "PR-AUC, because negatives dominate."
        )
    )
    assert any(s.capped for s in grade.scores)
    plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id=question.id)]
    session = repo.create_session(SessionMode.DRILL, plan)
    repo.add_grade(session.id, grade)
    assert repo.grades(session.id) == [grade]
