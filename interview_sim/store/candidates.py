"""Who has sessions in a shared database: the coach's overview, one row per candidate."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from interview_sim.store.orm import SessionRow, as_utc
from interview_sim.store.records import CandidateSummary


def candidate_summaries(s: Session) -> list[CandidateSummary]:
    in_progress = func.sum(case((SessionRow.status == "in_progress", 1), else_=0))
    query = (
        select(
            SessionRow.candidate,
            func.count(),
            in_progress,
            func.max(SessionRow.started_at),
        )
        .group_by(SessionRow.candidate)
        .order_by(SessionRow.candidate)
    )
    return [
        CandidateSummary(
            name=name, sessions=n, in_progress=int(open_ or 0), last_started=as_utc(last)
        )
        for name, n, open_, last in s.execute(query)
    ]
