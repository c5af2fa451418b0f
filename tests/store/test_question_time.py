"""Revision 0006 (question time): an 0005 database upgrades keeping its rows, on both backends,
and the stretches of presence round-trip through the repository."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.store import Repository, open_database
from interview_sim.store.schema import MIGRATIONS, VERSION_TABLE, migrate

AT = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)


def _migrations_up_to_0005(tmp_path: Path) -> Path:
    scripts = tmp_path / "migrations-0005"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    for later in (scripts / "versions").glob("r*.py"):
        if later.name >= "r0006":
            later.unlink()
    return scripts


def _url(db_url: str) -> str:
    return db_url if "://" in db_url else f"sqlite:///{db_url}"


def test_upgrade_from_0005_keeps_rows_and_adds_empty_question_time(
    db_url: str, tmp_path: Path
) -> None:
    engine = create_engine(_url(db_url))
    migrate(engine, db_url, candidate="ana", script_location=_migrations_up_to_0005(tmp_path))
    with engine.begin() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "0005"
        conn.execute(
            text(
                "INSERT INTO sessions (mode, status, plan, started_at, uuid, candidate)"
                " VALUES ('drill', 'in_progress', :plan, :at, :u, 'ana')"
            ),
            {
                "plan": '[{"stage": "ml_depth", "question_id": "data_leakage"}]',
                "at": AT,
                "u": "b" * 32,
            },
        )
        sid = conn.execute(text("SELECT id FROM sessions")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO stages (session_id, stage, budget_seconds, started_at)"
                " VALUES (:sid, 'ml_depth', 1800, :at)"
            ),
            {"sid": sid, "at": AT},
        )
        conn.execute(
            text(
                "INSERT INTO turns (session_id, stage, question_id, kind, text, status,"
                " created_at) VALUES (:sid, 'ml_depth', 'data_leakage', 'question', 'Q?',"
                " 'complete', :at)"
            ),
            {"sid": sid, "at": AT},
        )
    engine.dispose()

    repo = Repository(open_database(db_url, candidate="ana"), candidate="ana")

    with repo.engine.connect() as conn:
        head = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        assert head is not None and head >= "0006"
    [session] = repo.list_sessions()
    assert session.plan == [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    assert [t.text for t in repo.turns(session.id)] == ["Q?"]
    assert [s.budget_seconds for s in repo.stages(session.id)] == [1800]
    assert repo.time_spans(session.id) == []  # no time is invented for old sessions


def test_stretches_open_beat_and_close(db_url: str) -> None:
    repo = Repository(open_database(db_url))
    sid = repo.create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    ).id
    repo.open_time(sid, Stage.ML_DEPTH, "data_leakage", AT)
    repo.beat_time(sid, AT + timedelta(seconds=40))
    repo.close_time(sid)  # a crash: ends at the last heartbeat
    repo.open_time(sid, Stage.ML_DEPTH, "data_leakage", AT + timedelta(hours=5))
    repo.close_time(sid, AT + timedelta(hours=5, seconds=20))

    spans = repo.time_spans(sid)
    assert [(s.closed_at - s.opened_at).total_seconds() for s in spans if s.closed_at] == [
        40.0,
        20.0,
    ]
    assert all(s.stage == Stage.ML_DEPTH and s.question_id == "data_leakage" for s in spans)


def test_export_and_import_keep_the_time_spent(db_url: str, tmp_path: Path) -> None:
    source = Repository(open_database(str(tmp_path / "source.db")))
    sid = source.create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
    ).id
    source.open_time(sid, Stage.ML_DEPTH, "data_leakage", AT)
    source.close_time(sid, AT + timedelta(minutes=4))
    [archive] = source.export_sessions()
    assert [(s.opened_at, s.closed_at) for s in archive.question_time] == [
        (AT, AT + timedelta(minutes=4))
    ]

    target = Repository(open_database(db_url), candidate=source.candidate)
    assert target.import_sessions([archive]).imported == 1

    [session] = target.list_sessions()
    [span] = target.time_spans(session.id)
    assert (span.opened_at, span.closed_at) == (AT, AT + timedelta(minutes=4))
    assert span.question_id == "data_leakage" and span.stage == Stage.ML_DEPTH
