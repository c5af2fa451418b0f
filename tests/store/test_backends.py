"""The repository on both backends: every write is read back the same way."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect

from interview_sim.models import (
    CodeRunRecord,
    PlannedQuestion,
    SessionMode,
    SessionStatus,
    Stage,
    Turn,
    TurnKind,
)
from interview_sim.store import Repository, open_database

PLAN = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="metrics_a")]


def test_round_trip_on_each_backend(db_url: str) -> None:
    repo = Repository(open_database(db_url))
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    session = repo.create_session(SessionMode.DRILL, PLAN, started_at=at)
    repo.start_stage(session.id, Stage.ML_DEPTH, 1800, at=at)
    turn = repo.add_turn(
        Turn(
            session_id=session.id,
            stage=Stage.ML_DEPTH,
            question_id="metrics_a",
            kind=TurnKind.ANSWER,
            text="PR-AUC for imbalance ✓",
            created_at=at,
        )
    )
    run = repo.add_code_run(
        CodeRunRecord(
            session_id=session.id,
            question_id="metrics_a",
            hidden=True,
            code="def f(): return 1",
            report={"passed": 3},
            created_at=at,
        )
    )
    repo.finish_stage(session.id, Stage.ML_DEPTH, at=at)
    repo.finish_session(session.id, at=at)

    assert turn.id is not None and run.id is not None
    loaded = repo.get_session(session.id)
    assert loaded is not None and loaded.status is SessionStatus.COMPLETED
    assert loaded.started_at == at and loaded.plan == PLAN
    assert [t.text for t in repo.turns(session.id)] == ["PR-AUC for imbalance ✓"]
    assert repo.turns(session.id)[0].created_at == at
    assert repo.code_runs(session.id, hidden=True)[0].report == {"passed": 3}
    assert repo.stages(session.id)[0].finished_at == at
    assert [s.id for s in repo.list_sessions()] == [session.id]


def test_reopening_is_a_no_op(db_url: str) -> None:
    engine = open_database(db_url)
    repo = Repository(engine)
    repo.create_session(SessionMode.DRILL, PLAN)
    with engine.connect() as conn:
        before = sorted(inspect(conn).get_table_names())
    engine.dispose()
    again = open_database(db_url)
    assert len(Repository(again).list_sessions()) == 1
    with again.connect() as conn:
        assert sorted(inspect(conn).get_table_names()) == before
