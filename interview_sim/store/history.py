"""Aggregate SQL for the history list and the progress model.

Progress over thousands of sessions must not load every turn and score into Python, so each
figure is a GROUP BY or a window function, and only the last few points per series come back.
Every query is served by the covering indexes of schema version 4, so none reads the wide rows
(answer text, grade JSON, evidence). They use SQLite's ``julianday`` and ``json_array_length``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import DateTime, Float, Integer, String, text
from sqlalchemy.orm import Session

from interview_sim.models import SessionMode, SessionStatus, Stage
from interview_sim.store.records import (
    CriterionAggregate,
    ProgressData,
    QuestionAggregate,
    RecentGrade,
    ScorePoint,
    SessionListing,
    StageAggregate,
)


def _portable(s: Session) -> bool:
    """Not SQLite: ``history_portable`` computes the same models in portable SQL."""
    return s.get_bind().dialect.name != "sqlite"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
        'average', (SELECT ROUND(AVG(total), 3) FROM grades g WHERE g.session_id = s.id),
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


_STAGES = text(
    """
    SELECT stage, COUNT(*) AS graded, COUNT(DISTINCT session_id) AS sessions,
           AVG(total) AS average, MAX(total) AS best
    FROM grades GROUP BY stage
    """
).columns(stage=String, graded=Integer, sessions=Integer, average=Float, best=Float)

_TURN_COUNTS = text(
    """
    SELECT stage, kind, COUNT(*) AS n FROM turns
    WHERE kind IN ('answer', 'hint', 'skip') GROUP BY stage, kind
    """
).columns(stage=String, kind=String, n=Integer)

# An answer's time is measured from the turn before it in the same session: the question,
# follow-up or hint it replies to. An answer right after another answer is not timed. Only the
# newest sessions count: pace is about how the user answers now.
_ANSWER_TIMES = text(
    """
    SELECT stage, COUNT(secs) AS timed, COALESCE(SUM(secs), 0) AS seconds
    FROM (
        SELECT stage,
               CASE WHEN kind = 'answer' AND LAG(kind) OVER w IN ('question', 'follow_up', 'hint')
                    THEN (julianday(created_at) - julianday(LAG(created_at) OVER w)) * 86400.0
               END AS secs
        FROM turns
        WHERE session_id IN (
            SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT :sessions
        )
        WINDOW w AS (PARTITION BY session_id ORDER BY created_at, id)
    )
    GROUP BY stage
    """
).columns(stage=String, timed=Integer, seconds=Float)

_CRITERIA = text(
    """
    SELECT g.stage, c.criterion, COUNT(*) AS samples, AVG(c.level) AS average,
           MAX(c.level) AS best
    FROM grades g CROSS JOIN criterion_scores c ON c.grade_id = g.id
    GROUP BY g.stage, c.criterion
    """
).columns(stage=String, criterion=String, samples=Integer, average=Float, best=Integer)

# The newest ``window`` sessions of each stage (ordered by their first grade there), then the
# per-session means of the stage's totals and of each criterion within just those sessions.
_POINTS = text(
    """
    WITH per AS (
        SELECT stage, session_id, MIN(created_at) AS first, AVG(total) AS level
        FROM grades GROUP BY stage, session_id
    ),
    recent AS (
        SELECT * FROM (
            SELECT per.*, ROW_NUMBER() OVER (
                PARTITION BY stage ORDER BY first DESC, session_id DESC
            ) AS rn
            FROM per
        ) WHERE rn <= :window
    )
    SELECT r.session_id AS sid, s.started_at AS at, r.stage, NULL AS criterion, r.level
    FROM recent r JOIN sessions s ON s.id = r.session_id
    UNION ALL
    SELECT r.session_id, s.started_at, r.stage, c.criterion, AVG(c.level)
    FROM recent r
    JOIN sessions s ON s.id = r.session_id
    JOIN grades g ON g.session_id = r.session_id AND g.stage = r.stage
    JOIN criterion_scores c ON c.grade_id = g.id
    GROUP BY r.stage, r.session_id, c.criterion
    ORDER BY 3, 4, 2, 1
    """
).columns(sid=Integer, at=DateTime, stage=String, criterion=String, level=Float)

_QUESTIONS = text(
    """
    SELECT q.*, (
        SELECT total FROM grades g WHERE g.question_id = q.qid
        ORDER BY g.created_at DESC LIMIT 1
    ) AS latest
    FROM (
        SELECT question_id AS qid, MAX(stage) AS stage, COUNT(*) AS attempts,
               AVG(total) AS average, MAX(total) AS best, MAX(created_at) AS last_seen
        FROM grades GROUP BY question_id
    ) q
    ORDER BY q.qid
    """
).columns(
    qid=String,
    stage=String,
    attempts=Integer,
    average=Float,
    best=Float,
    latest=Float,
    last_seen=DateTime,
)

_RECENT = text(
    """
    WITH recent AS (
        SELECT s.id AS sid, s.started_at AS at
        FROM sessions s
        WHERE EXISTS (SELECT 1 FROM grades g WHERE g.session_id = s.id)
        ORDER BY s.started_at DESC, s.id DESC
        LIMIT :sessions
    ),
    ranked AS (
        SELECT sid, at, ROW_NUMBER() OVER (ORDER BY at DESC, sid DESC) - 1 AS rank FROM recent
    )
    SELECT r.sid, r.at, r.rank, g.id AS gid, g.stage, g.question_id, g.total,
           c.criterion, c.level
    FROM ranked r
    JOIN grades g ON g.session_id = r.sid
    LEFT JOIN criterion_scores c ON c.grade_id = g.id
    ORDER BY r.rank, g.id, c.id
    """
).columns(
    sid=Integer,
    at=DateTime,
    rank=Integer,
    gid=Integer,
    stage=String,
    question_id=String,
    total=Float,
    criterion=String,
    level=Integer,
)


def _stage_aggregates(s: Session, timing_sessions: int) -> list[StageAggregate]:
    counts = {(r.stage, r.kind): r.n for r in s.execute(_TURN_COUNTS)}
    times = {r.stage: r for r in s.execute(_ANSWER_TIMES, {"sessions": timing_sessions})}
    found = []
    for r in s.execute(_STAGES):
        t = times.get(r.stage)
        found.append(
            StageAggregate(
                stage=Stage(r.stage),
                graded=r.graded,
                sessions=r.sessions,
                average=r.average,
                best=r.best,
                hints_used=counts.get((r.stage, "hint"), 0),
                skipped=counts.get((r.stage, "skip"), 0),
                answers=counts.get((r.stage, "answer"), 0),
                timed_answers=t.timed if t else 0,
                answer_seconds=t.seconds if t else 0.0,
            )
        )
    return found


def _recent_grades(s: Session, sessions: int) -> list[RecentGrade]:
    grades: dict[int, RecentGrade] = {}
    for r in s.execute(_RECENT, {"sessions": sessions}):
        grade = grades.get(r.gid)
        if grade is None:
            grade = grades[r.gid] = RecentGrade(
                session_id=r.sid,
                session_rank=r.rank,
                started_at=_aware(r.at),
                stage=Stage(r.stage),
                question_id=r.question_id,
                total=r.total,
                levels={},
            )
        if r.criterion is not None:
            grade.levels[r.criterion] = r.level
    return list(grades.values())


def progress_data(
    s: Session, window: int, recent_sessions: int, timing_sessions: int
) -> ProgressData:
    """Aggregates for the progress model: whole-history figures plus the recent points."""
    if _portable(s):
        from interview_sim.store import history_portable

        return history_portable.progress_data(s, window, recent_sessions, timing_sessions)
    return ProgressData(
        sessions=int(s.execute(text("SELECT COUNT(*) FROM sessions")).scalar_one()),
        stages=_stage_aggregates(s, timing_sessions),
        criteria=[
            CriterionAggregate(
                stage=Stage(r.stage),
                criterion=r.criterion,
                samples=r.samples,
                average=r.average,
                best=r.best,
            )
            for r in s.execute(_CRITERIA)
        ],
        points=[
            ScorePoint(
                session_id=r.sid,
                started_at=_aware(r.at),
                stage=Stage(r.stage),
                criterion=r.criterion,
                level=r.level,
            )
            for r in s.execute(_POINTS, {"window": window})
        ],
        questions=[
            QuestionAggregate(
                question_id=r.qid,
                stage=Stage(r.stage),
                attempts=r.attempts,
                average=r.average,
                best=r.best,
                latest=r.latest,
                last_seen=_aware(r.last_seen),
            )
            for r in s.execute(_QUESTIONS)
        ],
        recent=_recent_grades(s, recent_sessions),
    )


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
