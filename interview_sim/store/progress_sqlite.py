"""The progress aggregates in SQLite's SQL, runnable without SQLAlchemy.

Progress over thousands of sessions must not load every turn and score into Python, so each
figure is a GROUP BY or a window function, and only the last few points per series come back.
The whole-history counts per turn kind, each stage's newest sessions (revision 0009) and each
session's level sums per criterion (revision 0011) are read from aggregates that SQLite
triggers keep; the rest is served by
the covering indexes of schema version 4, so no query reads the wide rows (answer text, grade
JSON, evidence). They use SQLite's ``julianday``.

The statements go through ``execute``, a plain ``(sql, parameters) -> rows`` callable, so the
repository runs them on its SQLAlchemy connection (where statement counters see them) and
``store.reader`` on a bare ``sqlite3`` connection: ``interview-sim progress`` then needs
neither SQLAlchemy nor its ORM, which cost more to import than the queries take to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from interview_sim.models import Stage
from interview_sim.store.records import (
    CriterionAggregate,
    ProgressData,
    QuestionAggregate,
    RecentGrade,
    ScorePoint,
    StageAggregate,
)

Execute = Callable[[str, Mapping[str, object]], Iterable[Sequence[Any]]]
"""Runs one statement with named (``:name``) parameters and returns its rows as tuples."""


def stored_time(value: str) -> datetime:
    """A stored timestamp (UTC, written without an offset, as SQLAlchemy writes SQLite's
    ``DATETIME``) as an aware datetime."""
    found = datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


_SESSIONS = "SELECT COUNT(*) FROM sessions"

# A stage's best and average are over its sessions' means, the kind of figure its latest is
# (the newest session's mean) and History's trend shows: the best single answer is not a
# session's level. One pass over the (session_id, stage, created_at, total) index, as before.
_STAGES = """
    SELECT stage, SUM(n) AS graded, COUNT(*) AS sessions, AVG(mean) AS average,
           MAX(mean) AS best
    FROM (
        SELECT session_id, stage, COUNT(*) AS n, AVG(total) AS mean
        FROM grades GROUP BY session_id, stage
    )
    GROUP BY stage
"""

_TURN_COUNTS = """
    SELECT stage, kind, n FROM turn_totals WHERE kind IN ('answer', 'hint', 'skip') AND n > 0
"""

# An answer's time is measured from the turn before it in the same session: the question,
# follow-up or hint it replies to. An answer right after another answer is not timed. Only the
# newest sessions count: pace is about how the user answers now.
_ANSWER_TIMES = """
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

# Each criterion's figures are session means, like its latest (a trend point): the best
# session's mean level and the mean over sessions, from the per-session sums revision 0011's
# triggers keep (integers, so each mean is exact), read in key order.
_CRITERIA = """
    SELECT stage, criterion, SUM(n) AS samples, AVG(CAST(total AS REAL) / n) AS average,
           MAX(CAST(total AS REAL) / n) AS best
    FROM criterion_sessions WHERE n > 0
    GROUP BY stage, criterion
    ORDER BY stage, criterion
"""

# The newest ``window`` sessions of each stage (ordered by their first grade there: one index
# range per stage in the triggers' ``stage_sessions``), then the per-session means of the stage's
# totals and of each criterion within just those sessions. Each mean reads the session's grades
# in the order of the (session_id, stage, created_at, total) index, as grouping every grade did,
# so the sums, and the means, are the same to the last bit.
_NEWEST_PER_STAGE = " UNION ALL ".join(
    f"""SELECT * FROM (
        SELECT stage, session_id FROM stage_sessions WHERE stage = '{stage.value}'
        ORDER BY first DESC, session_id DESC LIMIT :window
    )"""
    for stage in Stage
)
_POINTS = f"""
    WITH recent AS ({_NEWEST_PER_STAGE})
    SELECT r.session_id AS sid, s.started_at AS at, r.stage, NULL AS criterion, (
        SELECT AVG(total) FROM grades g WHERE g.session_id = r.session_id AND g.stage = r.stage
    ) AS level
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

_QUESTIONS = """
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

_RECENT = """
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


def _stage_aggregates(execute: Execute, timing_sessions: int) -> list[StageAggregate]:
    counts = {(stage, kind): n for stage, kind, n in execute(_TURN_COUNTS, {})}
    times = {
        stage: (timed, seconds)
        for stage, timed, seconds in execute(_ANSWER_TIMES, {"sessions": timing_sessions})
    }
    return [StageAggregate.of(tuple(row), counts, times) for row in execute(_STAGES, {})]


def _recent_grades(execute: Execute, sessions: int) -> list[RecentGrade]:
    return RecentGrade.grouped(
        (gid, sid, rank, stored_time(at), stage, question_id, total, criterion, level)
        for sid, at, rank, gid, stage, question_id, total, criterion, level in execute(
            _RECENT, {"sessions": sessions}
        )
    )


def read_progress(
    execute: Execute, window: int, recent_sessions: int, timing_sessions: int
) -> ProgressData:
    """Aggregates for the progress model: whole-history figures plus the recent points, over
    every session in the database (callers check it holds one candidate's)."""
    ((sessions,),) = execute(_SESSIONS, {})
    return ProgressData(
        sessions=int(sessions),
        stages=_stage_aggregates(execute, timing_sessions),
        criteria=[
            CriterionAggregate(
                stage=Stage(stage), criterion=criterion, samples=n, average=average, best=best
            )
            for stage, criterion, n, average, best in execute(_CRITERIA, {})
        ],
        points=[
            ScorePoint(
                session_id=sid,
                started_at=stored_time(at),
                stage=Stage(stage),
                criterion=criterion,
                level=level,
            )
            for sid, at, stage, criterion, level in execute(_POINTS, {"window": window})
        ],
        questions=[
            QuestionAggregate(
                question_id=qid,
                stage=Stage(stage),
                attempts=attempts,
                average=average,
                best=best,
                latest=latest,
                last_seen=stored_time(last_seen),
            )
            for qid, stage, attempts, average, best, last_seen, latest in execute(_QUESTIONS, {})
        ],
        recent=_recent_grades(execute, recent_sessions),
    )
