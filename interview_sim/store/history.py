"""Aggregate SQL for the history list (SQLite); the progress statements are elsewhere.

Each read is one statement (or a few) whatever the number of sessions, served by the covering
indexes of schema version 4, so none reads the wide rows (answer text, grade JSON, evidence).
They use SQLite's JSON functions. The progress statements live in ``progress_sqlite`` (run by
``engine_reader`` and, without SQLAlchemy, by ``reader``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import text
from sqlalchemy.orm import Session

from interview_sim.models import SessionMode, SessionStatus, Stage
from interview_sim.store.records import SessionListing


def _portable(s: Session) -> bool:
    """Not SQLite: ``history_portable`` computes the same models in portable SQL."""
    return s.get_bind().dialect.name != "sqlite"


_STAGE_ORDER = " ".join(f"WHEN '{stage.value}' THEN {rank}" for rank, stage in enumerate(Stage))

# SQLite writes the whole page as one JSON array and pydantic validates it in one call: on a
# 10,000-session history, building rows one by one in Python costs more than the query.
# Timestamps are stored as UTC without an offset, hence the appended ``Z``.
_LISTING = text(
    f"""
    SELECT json_group_array(json_object(
        'id', s.id, 'uuid', s.uuid, 'mode', s.mode, 'status', s.status,
        'started_at', s.started_at || 'Z', 'finished_at', s.finished_at || 'Z',
        'planned', json_array_length(s.plan),
        'graded', (SELECT COUNT(*) FROM grades g WHERE g.session_id = s.id),
        'stage_averages', json((
            SELECT json_group_object(stage, average) FROM (
                SELECT stage, AVG(total) AS average FROM grades g WHERE g.session_id = s.id
                GROUP BY stage
            )
        )),
        'stages', json((
            SELECT json_group_array(stage) FROM (
                SELECT DISTINCT stage FROM grades g WHERE g.session_id = s.id
                ORDER BY CASE stage {_STAGE_ORDER} END
            )
        ))
    ))
    FROM (
        SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset
    ) s
    """
)
_LISTINGS = TypeAdapter(list[SessionListing])


def session_listing(s: Session, limit: int | None, offset: int) -> list[SessionListing]:
    if _portable(s):
        from interview_sim.store import history_portable

        return history_portable.session_listing(s, limit, offset)
    params = {"limit": -1 if limit is None else limit, "offset": offset}
    return _LISTINGS.validate_json(s.execute(_LISTING, params).scalar_one())


class StageScore(BaseModel):
    """A session's mean grade total in one stage, and the rubric its first grade used."""

    stage: Stage
    average: float
    graded: int
    rubric_id: str


class SessionScores(BaseModel):
    """One history row as stored: the session, its planned stages and per-stage means."""

    id: int
    mode: SessionMode
    status: SessionStatus
    started_at: datetime
    planned: list[Stage]
    """Stages in plan order, each once."""
    scores: list[StageScore]
    """Graded stages only, in the order they were first graded (the plan's order)."""


# One statement for a whole page, whatever its length: SQLite builds each row's JSON and pydantic
# validates it row by row (one call for all 10,000 rows would hold the GIL for a quarter of a
# second and freeze the UI thread that waits for the first page). Per-stage means come from the
# (session_id, stage) index; the bare ``rubric_id`` next to ``MIN(id)`` is SQLite's documented
# "value from the row with the minimum", i.e. the rubric of the stage's first grade, as the
# engine's stage result uses.
_SESSION_SCORES = text(
    """
    SELECT json_object(
        'id', s.id, 'mode', s.mode, 'status', s.status, 'started_at', s.started_at || 'Z',
        'planned', json((
            SELECT json_group_array(stage) FROM (
                SELECT json_extract(value, '$.stage') AS stage FROM json_each(s.plan)
                GROUP BY 1 ORDER BY MIN(key)
            )
        )),
        'scores', json((
            SELECT json_group_array(json_object(
                'stage', stage, 'average', average, 'graded', graded, 'rubric_id', rubric_id
            ))
            FROM (
                SELECT g.stage, MIN(g.id) AS first, g.rubric_id, AVG(g.total) AS average,
                       COUNT(*) AS graded
                FROM grades g WHERE g.session_id = s.id
                GROUP BY g.stage ORDER BY first
            )
        ))
    )
    FROM (
        SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset
    ) s
    ORDER BY s.started_at DESC, s.id DESC
    """
)


def session_scores(s: Session, limit: int | None, offset: int) -> list[SessionScores]:
    """Sessions newest first with per-stage means: one query for any number of sessions."""
    if _portable(s):
        from interview_sim.store import history_portable

        return history_portable.session_scores(s, limit, offset)
    params = {"limit": -1 if limit is None else limit, "offset": offset}
    rows = s.execute(_SESSION_SCORES, params).scalars()
    return [SessionScores.model_validate_json(row) for row in rows]


_COUNT = text("SELECT COUNT(*) FROM sessions")


def session_count(s: Session) -> int:
    return int(s.execute(_COUNT).scalar_one())
