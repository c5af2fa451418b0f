"""The history and progress read models in portable SQL, for PostgreSQL (and any non-SQLite).

``history`` builds each read model in one SQLite statement with SQLite's JSON functions and
``julianday``; PostgreSQL has neither in that form. Here every aggregate is a plain GROUP BY
(or a window function) over the ORM tables, and only ranking, page assembly and answer timing
happen in Python, over the few rows those aggregates return. A test runs both versions on the
same history and requires identical results, so the two cannot drift apart silently.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from interview_sim.models import SessionMode, SessionStatus, Stage
from interview_sim.store.history import SessionScores, StageScore
from interview_sim.store.orm import CriterionScoreRow, GradeRow, SessionRow, TurnRow, as_utc
from interview_sim.store.records import (
    CriterionAggregate,
    ProgressData,
    QuestionAggregate,
    RecentGrade,
    ScorePoint,
    SessionListing,
    StageAggregate,
)

_STAGE_RANK = {stage.value: rank for rank, stage in enumerate(Stage)}
_NEWEST = (SessionRow.started_at.desc(), SessionRow.id.desc())


def _round3(value: float) -> float:
    """SQLite's ROUND(x, 3): half away from zero on the exact binary value."""
    return float(Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def _mine(candidate: str | None) -> ColumnElement[bool]:
    """Sessions of one candidate, or every session for None."""
    return SessionRow.candidate == candidate if candidate is not None else true()


def _of(candidate: str | None, session_id: Any) -> ColumnElement[bool]:
    """Rows (grades, turns) of that candidate's sessions."""
    if candidate is None:
        return true()
    mine = select(SessionRow.id).where(SessionRow.candidate == candidate)
    return session_id.in_(mine)  # type: ignore[no-any-return]


def _page(query: Select[Any], limit: int | None, offset: int) -> Select[Any]:
    query = query.order_by(*_NEWEST).offset(offset)
    return query.limit(limit) if limit is not None else query


def session_listing(
    s: Session, limit: int | None, offset: int, candidate: str | None = None
) -> list[SessionListing]:
    query = select(SessionRow).where(_mine(candidate))
    rows = s.execute(_page(query, limit, offset)).scalars().all()
    ids = [r.id for r in rows]
    per: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    if ids:
        grouped = (
            select(GradeRow.session_id, GradeRow.stage, func.count(), func.sum(GradeRow.total))
            .where(GradeRow.session_id.in_(ids))
            .group_by(GradeRow.session_id, GradeRow.stage)
        )
        for sid, stage, n, total in s.execute(grouped):
            per[sid][stage] = (n, total)
    listings = []
    for r in rows:
        stages = per[r.id]
        graded = sum(n for n, _ in stages.values())
        total = sum(t for _, t in stages.values())
        listings.append(
            SessionListing(
                id=r.id,
                uuid=r.uuid,
                mode=SessionMode(r.mode),
                status=SessionStatus(r.status),
                started_at=as_utc(r.started_at),
                finished_at=as_utc(r.finished_at) if r.finished_at else None,
                planned=len(r.plan),
                graded=graded,
                average=_round3(total / graded) if graded else None,
                stages=[Stage(x) for x in sorted(stages, key=_STAGE_RANK.__getitem__)],
            )
        )
    return listings


def _in_plan_order(
    stages: list[tuple[str, float, int, int]], planned: list[str]
) -> list[tuple[str, float, int, int]]:
    """As the SQLite query orders them: a stage missing from the plan (NULL position) first."""
    return sorted(stages, key=lambda e: (planned.index(e[0]) if e[0] in planned else -1, e[0]))


def session_scores(
    s: Session, limit: int | None, offset: int, candidate: str | None = None
) -> list[SessionScores]:
    query = select(SessionRow).where(_mine(candidate))
    rows = s.execute(_page(query, limit, offset)).scalars().all()
    ids = [r.id for r in rows]
    per: dict[int, list[tuple[str, float, int, int]]] = defaultdict(list)
    rubric: dict[int, str] = {}
    if ids:
        grouped = (
            select(
                GradeRow.session_id,
                GradeRow.stage,
                func.avg(GradeRow.total),
                func.count(),
                func.min(GradeRow.id),
            )
            .where(GradeRow.session_id.in_(ids))
            .group_by(GradeRow.session_id, GradeRow.stage)
        )
        for sid, stage, average, n, first in s.execute(grouped):
            per[sid].append((stage, float(average), n, first))
        firsts = [first for stages in per.values() for *_, first in stages]
        rubric = {
            gid: rubric_id
            for gid, rubric_id in s.execute(
                select(GradeRow.id, GradeRow.rubric_id).where(GradeRow.id.in_(firsts))
            )
        }
    found = []
    for r in rows:
        planned: list[str] = []
        for item in r.plan:
            if item["stage"] not in planned:
                planned.append(item["stage"])

        found.append(
            SessionScores(
                id=r.id,
                mode=SessionMode(r.mode),
                status=SessionStatus(r.status),
                started_at=as_utc(r.started_at),
                planned=[Stage(p) for p in planned],
                scores=[
                    StageScore(
                        stage=Stage(stage), average=average, graded=n, rubric_id=rubric[first]
                    )
                    for stage, average, n, first in _in_plan_order(per[r.id], planned)
                ],
            )
        )
    return found


def session_count(s: Session, candidate: str | None = None) -> int:
    query = select(func.count()).select_from(SessionRow).where(_mine(candidate))
    return int(s.execute(query).scalar_one())


def _stage_aggregates(
    s: Session, timing_sessions: int, candidate: str | None
) -> list[StageAggregate]:
    counts = {
        (stage, kind): n
        for stage, kind, n in s.execute(
            select(TurnRow.stage, TurnRow.kind, func.count())
            .where(TurnRow.kind.in_(("answer", "hint", "skip")), _of(candidate, TurnRow.session_id))
            .group_by(TurnRow.stage, TurnRow.kind)
        )
    }
    times = _answer_times(s, timing_sessions, candidate)
    stages = (
        select(
            GradeRow.stage,
            func.count(),
            func.count(GradeRow.session_id.distinct()),
            func.avg(GradeRow.total),
            func.max(GradeRow.total),
        )
        .where(_of(candidate, GradeRow.session_id))
        .group_by(GradeRow.stage)
        .order_by(GradeRow.stage)
    )
    found = []
    for stage, graded, sessions, average, best in s.execute(stages):
        timed, seconds = times.get(stage, (0, 0.0))
        found.append(
            StageAggregate(
                stage=Stage(stage),
                graded=graded,
                sessions=sessions,
                average=float(average),
                best=best,
                hints_used=counts.get((stage, "hint"), 0),
                skipped=counts.get((stage, "skip"), 0),
                answers=counts.get((stage, "answer"), 0),
                timed_answers=timed,
                answer_seconds=seconds,
            )
        )
    return found


def _answer_times(s: Session, sessions: int, candidate: str | None) -> dict[str, tuple[int, float]]:
    """An answer is timed from the question, follow-up or hint just before it in its session."""
    newest = (
        select(SessionRow.id).where(_mine(candidate)).order_by(*_NEWEST).limit(sessions)
    ).scalar_subquery()
    turns = (
        select(TurnRow.session_id, TurnRow.stage, TurnRow.kind, TurnRow.created_at)
        .where(TurnRow.session_id.in_(newest))
        .order_by(TurnRow.session_id, TurnRow.created_at, TurnRow.id)
    )
    times: dict[str, tuple[int, float]] = {}
    previous: tuple[int, str, datetime] | None = None
    for sid, stage, kind, created in s.execute(turns):
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


def _points(s: Session, window: int, candidate: str | None) -> list[ScorePoint]:
    per = s.execute(
        select(
            GradeRow.stage,
            GradeRow.session_id,
            func.min(GradeRow.created_at),
            func.avg(GradeRow.total),
        )
        .where(_of(candidate, GradeRow.session_id))
        .group_by(GradeRow.stage, GradeRow.session_id)
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
        for sid, at in s.execute(
            select(SessionRow.id, SessionRow.started_at).where(SessionRow.id.in_(sids))
        )
    }
    criteria = s.execute(
        select(
            GradeRow.stage,
            GradeRow.session_id,
            CriterionScoreRow.criterion,
            func.avg(CriterionScoreRow.level),
        )
        .join(CriterionScoreRow, CriterionScoreRow.grade_id == GradeRow.id)
        .where(GradeRow.session_id.in_(sids))
        .group_by(GradeRow.stage, GradeRow.session_id, CriterionScoreRow.criterion)
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


def _questions(s: Session, candidate: str | None) -> list[QuestionAggregate]:
    grouped = s.execute(
        select(
            GradeRow.question_id,
            func.max(GradeRow.stage),
            func.count(),
            func.avg(GradeRow.total),
            func.max(GradeRow.total),
            func.max(GradeRow.created_at),
        )
        .where(_of(candidate, GradeRow.session_id))
        .group_by(GradeRow.question_id)
        .order_by(GradeRow.question_id)
    ).all()
    latest: dict[str, float] = {}
    for qid, total in s.execute(
        select(GradeRow.question_id, GradeRow.total)
        .where(_of(candidate, GradeRow.session_id))
        .order_by(GradeRow.created_at, GradeRow.id)
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


def _recent_grades(s: Session, sessions: int, candidate: str | None) -> list[RecentGrade]:
    graded = select(GradeRow.id).where(GradeRow.session_id == SessionRow.id).exists()
    newest = s.execute(
        select(SessionRow.id, SessionRow.started_at)
        .where(graded, _mine(candidate))
        .order_by(*_NEWEST)
        .limit(sessions)
    ).all()
    rank = {sid: (n, as_utc(at)) for n, (sid, at) in enumerate(newest)}
    if not rank:
        return []
    rows = s.execute(
        select(GradeRow, CriterionScoreRow.criterion, CriterionScoreRow.level)
        .outerjoin(CriterionScoreRow, CriterionScoreRow.grade_id == GradeRow.id)
        .where(GradeRow.session_id.in_(rank))
        .order_by(GradeRow.id, CriterionScoreRow.id)
    ).all()
    grades: dict[int, RecentGrade] = {}
    for g, criterion, level in rows:
        grade = grades.get(g.id)
        if grade is None:
            n, at = rank[g.session_id]
            grade = grades[g.id] = RecentGrade(
                session_id=g.session_id,
                session_rank=n,
                started_at=at,
                stage=Stage(g.stage),
                question_id=g.question_id,
                total=g.total,
                levels={},
            )
        if criterion is not None:
            grade.levels[criterion] = level
    return sorted(grades.values(), key=lambda r: r.session_rank)


def progress_data(
    s: Session,
    window: int,
    recent_sessions: int,
    timing_sessions: int,
    candidate: str | None = None,
) -> ProgressData:
    """``candidate`` None: every session in the database."""
    criteria = s.execute(
        select(
            GradeRow.stage,
            CriterionScoreRow.criterion,
            func.count(),
            func.avg(CriterionScoreRow.level),
            func.max(CriterionScoreRow.level),
        )
        .join(CriterionScoreRow, CriterionScoreRow.grade_id == GradeRow.id)
        .where(_of(candidate, GradeRow.session_id))
        .group_by(GradeRow.stage, CriterionScoreRow.criterion)
        .order_by(GradeRow.stage, CriterionScoreRow.criterion)
    ).all()
    return ProgressData(
        sessions=session_count(s, candidate),
        stages=_stage_aggregates(s, timing_sessions, candidate),
        criteria=[
            CriterionAggregate(
                stage=Stage(stage),
                criterion=criterion,
                samples=n,
                average=float(average),
                best=best,
            )
            for stage, criterion, n, average, best in criteria
        ],
        points=_points(s, window, candidate),
        questions=_questions(s, candidate),
        recent=_recent_grades(s, recent_sessions, candidate),
    )
