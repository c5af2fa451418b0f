"""The history and progress read models in portable SQL, for PostgreSQL (and any non-SQLite).

``history`` builds each read model in one SQLite statement with SQLite's JSON functions and
``julianday``; PostgreSQL has neither in that form. Here every aggregate is a plain GROUP BY
(or a window function) over the ORM tables, and only ranking, page assembly and answer timing
happen in Python, over the few rows those aggregates return. The progress aggregates live in
``progress_portable`` (Core statements). A test runs both versions on the same history and
requires identical results, so the two cannot drift apart silently.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from interview_sim.models import SessionMode, SessionStatus, Stage
from interview_sim.store import progress_portable
from interview_sim.store.history import SessionScores, StageScore
from interview_sim.store.orm import GradeRow, SessionRow, as_utc
from interview_sim.store.records import (
    SessionListing,
)

_STAGE_RANK = {stage.value: rank for rank, stage in enumerate(Stage)}
_NEWEST = (SessionRow.started_at.desc(), SessionRow.id.desc())


def _mine(candidate: str | None) -> ColumnElement[bool]:
    """Sessions of one candidate, or every session for None."""
    return SessionRow.candidate == candidate if candidate is not None else true()


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
            select(GradeRow.session_id, GradeRow.stage, func.count(), func.avg(GradeRow.total))
            .where(GradeRow.session_id.in_(ids))
            .group_by(GradeRow.session_id, GradeRow.stage)
        )
        for sid, stage, n, average in s.execute(grouped):
            per[sid][stage] = (n, float(average))
    listings = []
    for r in rows:
        stages = per[r.id]
        graded = sum(n for n, _ in stages.values())
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
                stages=[Stage(x) for x in sorted(stages, key=_STAGE_RANK.__getitem__)],
                stage_averages={Stage(x): average for x, (_, average) in stages.items()},
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
    return progress_portable.session_count(s.connection(), candidate)
