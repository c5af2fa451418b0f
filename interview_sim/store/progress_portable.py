"""The progress aggregates in portable SQL (PostgreSQL, or a SQLite file several candidates
share), as SQLAlchemy Core statements on a ``Connection``.

Every aggregate is a plain GROUP BY (or a window function) filtered by candidate, and only
ranking and answer timing happen in Python, over the few rows those aggregates return. Core, not
the ORM: the statements name the columns they read (``store.tables``), so ``interview-sim
progress`` runs them without importing SQLAlchemy's ORM, and the repository runs the very same
ones on its session's connection. A test runs them next to the SQLite statements on the same
history and requires identical results.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, exists, func, select, true

from interview_sim.models import Stage
from interview_sim.store import tables as t
from interview_sim.store.records import (
    CriterionAggregate,
    ProgressData,
    QuestionAggregate,
    RecentGrade,
    ScorePoint,
    StageAggregate,
)

_NEWEST = (t.sessions.c.started_at.desc(), t.sessions.c.id.desc())


def as_utc(value: datetime) -> datetime:
    """SQLite drops tzinfo; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _mine(candidate: str | None) -> ColumnElement[bool]:
    """Sessions of one candidate, or every session for None."""
    return t.sessions.c.candidate == candidate if candidate is not None else true()


def _of(candidate: str | None, session_id: Any) -> ColumnElement[bool]:
    """Rows (grades, turns) of that candidate's sessions."""
    if candidate is None:
        return true()
    mine = select(t.sessions.c.id).where(t.sessions.c.candidate == candidate)
    return session_id.in_(mine)  # type: ignore[no-any-return]


def session_count(conn: Connection, candidate: str | None = None) -> int:
    query = select(func.count()).select_from(t.sessions).where(_mine(candidate))
    return int(conn.execute(query).scalar_one())


def _stage_aggregates(
    conn: Connection, timing_sessions: int, candidate: str | None
) -> list[StageAggregate]:
    counts = {
        (stage, kind): n
        for stage, kind, n in conn.execute(
            select(t.turns.c.stage, t.turns.c.kind, func.count())
            .where(
                t.turns.c.kind.in_(("answer", "hint", "skip")), _of(candidate, t.turns.c.session_id)
            )
            .group_by(t.turns.c.stage, t.turns.c.kind)
        )
    }
    times = _answer_times(conn, timing_sessions, candidate)
    # Best and average over the sessions' means, as ``progress_sqlite._STAGES`` says why.
    per_session = (
        select(
            t.grades.c.stage,
            func.count().label("n"),
            func.avg(t.grades.c.total).label("mean"),
        )
        .where(_of(candidate, t.grades.c.session_id))
        .group_by(t.grades.c.session_id, t.grades.c.stage)
        .subquery()
    )
    stages = (
        select(
            per_session.c.stage,
            func.sum(per_session.c.n),
            func.count(),
            func.avg(per_session.c.mean),
            func.max(per_session.c.mean),
        )
        .group_by(per_session.c.stage)
        .order_by(per_session.c.stage)
    )
    return [StageAggregate.of(tuple(row), counts, times) for row in conn.execute(stages)]


def _answer_times(
    conn: Connection, sessions: int, candidate: str | None
) -> dict[str, tuple[int, float]]:
    """An answer is timed from the question, follow-up or hint just before it in its session."""
    newest = (
        select(t.sessions.c.id).where(_mine(candidate)).order_by(*_NEWEST).limit(sessions)
    ).scalar_subquery()
    turns = (
        select(t.turns.c.session_id, t.turns.c.stage, t.turns.c.kind, t.turns.c.created_at)
        .where(t.turns.c.session_id.in_(newest))
        .order_by(t.turns.c.session_id, t.turns.c.created_at, t.turns.c.id)
    )
    times: dict[str, tuple[int, float]] = {}
    previous: tuple[int, str, datetime] | None = None
    for sid, stage, kind, created in conn.execute(turns):
        at = as_utc(created)
        if stage not in times:
            times[stage] = (0, 0.0)
        if (
            kind == "answer"
            and previous is not None
            and previous[0] == sid
            and previous[1] in ("question", "follow_up", "hint")
        ):
            n, total = times[stage]
            times[stage] = (n + 1, total + (at - previous[2]).total_seconds())
        previous = (sid, kind, at)
    return times


def _points(conn: Connection, window: int, candidate: str | None) -> list[ScorePoint]:
    per = conn.execute(
        select(
            t.grades.c.stage,
            t.grades.c.session_id,
            func.min(t.grades.c.created_at),
            func.avg(t.grades.c.total),
        )
        .where(_of(candidate, t.grades.c.session_id))
        .group_by(t.grades.c.stage, t.grades.c.session_id)
    ).all()
    by_stage: dict[str, list[tuple[datetime, int, float]]] = defaultdict(list)
    for stage, sid, first, level in per:
        by_stage[stage].append((as_utc(first), sid, float(level)))
    recent = {
        (stage, sid): level
        for stage, rows in by_stage.items()
        for first, sid, level in sorted(rows, reverse=True)[:window]
    }
    if not recent:
        return []
    sids = {sid for _, sid in recent}
    started = {
        sid: at
        for sid, at in conn.execute(
            select(t.sessions.c.id, t.sessions.c.started_at).where(t.sessions.c.id.in_(sids))
        )
    }
    criteria = conn.execute(
        select(
            t.grades.c.stage,
            t.grades.c.session_id,
            t.criterion_scores.c.criterion,
            func.avg(t.criterion_scores.c.level),
        )
        .join(t.criterion_scores, t.criterion_scores.c.grade_id == t.grades.c.id)
        .where(t.grades.c.session_id.in_(sids))
        .group_by(t.grades.c.stage, t.grades.c.session_id, t.criterion_scores.c.criterion)
    ).all()
    points = [
        ScorePoint(
            session_id=sid,
            started_at=as_utc(started[sid]),
            stage=Stage(stage),
            criterion=None,
            level=level,
        )
        for (stage, sid), level in recent.items()
    ]
    points += [
        ScorePoint(
            session_id=sid,
            started_at=as_utc(started[sid]),
            stage=Stage(stage),
            criterion=criterion,
            level=float(level),
        )
        for stage, sid, criterion, level in criteria
        if (stage, sid) in recent
    ]
    # As the SQLite query: by stage, criterion (stage-level points first), start, session.
    return sorted(
        points,
        key=lambda p: (
            p.stage.value,
            p.criterion is not None,
            p.criterion or "",
            p.started_at,
            p.session_id,
        ),
    )


def _questions(conn: Connection, candidate: str | None) -> list[QuestionAggregate]:
    grouped = conn.execute(
        select(
            t.grades.c.question_id,
            func.max(t.grades.c.stage),
            func.count(),
            func.avg(t.grades.c.total),
            func.max(t.grades.c.total),
            func.max(t.grades.c.created_at),
        )
        .where(_of(candidate, t.grades.c.session_id))
        .group_by(t.grades.c.question_id)
        .order_by(t.grades.c.question_id)
    ).all()
    latest: dict[str, float] = {}
    for qid, total in conn.execute(
        select(t.grades.c.question_id, t.grades.c.total)
        .where(_of(candidate, t.grades.c.session_id))
        .order_by(t.grades.c.created_at, t.grades.c.id)
    ):
        latest[qid] = total
    return [
        QuestionAggregate(
            question_id=qid,
            stage=Stage(stage),
            attempts=attempts,
            average=float(average),
            best=best,
            latest=latest[qid],
            last_seen=as_utc(last_seen),
        )
        for qid, stage, attempts, average, best, last_seen in grouped
    ]


def _recent_grades(conn: Connection, sessions: int, candidate: str | None) -> list[RecentGrade]:
    graded = exists().where(t.grades.c.session_id == t.sessions.c.id)
    newest = conn.execute(
        select(t.sessions.c.id, t.sessions.c.started_at)
        .where(graded, _mine(candidate))
        .order_by(*_NEWEST)
        .limit(sessions)
    ).all()
    rank = {sid: (n, as_utc(at)) for n, (sid, at) in enumerate(newest)}
    if not rank:
        return []
    rows = conn.execute(
        select(
            t.grades.c.id,
            t.grades.c.session_id,
            t.grades.c.stage,
            t.grades.c.question_id,
            t.grades.c.total,
            t.criterion_scores.c.criterion,
            t.criterion_scores.c.level,
        )
        .select_from(t.grades)
        .outerjoin(t.criterion_scores, t.criterion_scores.c.grade_id == t.grades.c.id)
        .where(t.grades.c.session_id.in_(rank))
        .order_by(t.grades.c.id, t.criterion_scores.c.id)
    ).all()
    grades = RecentGrade.grouped(
        (gid, sid, *rank[sid], stage, question_id, total, criterion, level)
        for gid, sid, stage, question_id, total, criterion, level in rows
    )
    return sorted(grades, key=lambda r: r.session_rank)


def progress_data(
    conn: Connection,
    window: int,
    recent_sessions: int,
    timing_sessions: int,
    candidate: str | None = None,
) -> ProgressData:
    """``candidate`` None: every session in the database."""
    # Session means, as ``progress_sqlite._CRITERIA`` reads them from revision 0011's sums.
    per_session = (
        select(
            t.grades.c.stage,
            t.criterion_scores.c.criterion,
            func.count().label("n"),
            func.avg(t.criterion_scores.c.level).label("mean"),
        )
        .join(t.criterion_scores, t.criterion_scores.c.grade_id == t.grades.c.id)
        .where(_of(candidate, t.grades.c.session_id))
        .group_by(t.grades.c.session_id, t.grades.c.stage, t.criterion_scores.c.criterion)
        .subquery()
    )
    criteria = conn.execute(
        select(
            per_session.c.stage,
            per_session.c.criterion,
            func.sum(per_session.c.n),
            func.avg(per_session.c.mean),
            func.max(per_session.c.mean),
        )
        .group_by(per_session.c.stage, per_session.c.criterion)
        .order_by(per_session.c.stage, per_session.c.criterion)
    ).all()
    return ProgressData(
        sessions=session_count(conn, candidate),
        stages=_stage_aggregates(conn, timing_sessions, candidate),
        criteria=[
            CriterionAggregate(
                stage=Stage(stage),
                criterion=criterion,
                samples=int(n),
                average=float(average),
                best=float(best),
            )
            for stage, criterion, n, average, best in criteria
        ],
        points=_points(conn, window, candidate),
        questions=_questions(conn, candidate),
        recent=_recent_grades(conn, recent_sessions, candidate),
    )
