"""Each past session's score and hiring signal, from aggregated rows rather than its grades.

``engine.summary`` reads a session's grades one session at a time; a history of thousands of
sessions needs the same figures from one aggregate query (:meth:`Repository.session_scores`).
The rules are the engine's: a stage's signal comes from the rubric of its first grade applied to
the stage's mean total, the session's signal is the packet's recommendation over its planned
stages (:func:`~interview_sim.progress.packet.session_recommendation`), and its score is
:func:`~interview_sim.models.session_score` of its stage means, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interview_sim.banks import Catalog
from interview_sim.models import HireSignal, SessionMode, SessionStatus, Stage, session_score
from interview_sim.progress.packet import session_recommendation
from interview_sim.store.history import SessionScores, StageScore


@dataclass(frozen=True)
class SessionOutcome:
    id: int
    mode: SessionMode
    status: SessionStatus
    started_at: datetime
    planned: list[Stage]
    stage_averages: dict[Stage, float]
    """Graded stages only, each mean rounded to 3 places as a stage result is."""
    score: float | None
    signal: HireSignal | None
    """The session's recommendation; None until every planned stage has a grade."""


def _signal(score: StageScore, catalog: Catalog) -> HireSignal | None:
    rubric = catalog.rubrics.get(score.rubric_id) or next(
        (r for r in catalog.rubrics.values() if r.stage == score.stage), None
    )
    return rubric.signal_for(score.average) if rubric else None


def session_outcome(row: SessionScores, catalog: Catalog) -> SessionOutcome:
    averages = {s.stage: round(s.average, 3) for s in row.scores}
    signals = {s.stage: sig for s in row.scores if (sig := _signal(s, catalog)) is not None}
    return SessionOutcome(
        id=row.id,
        mode=row.mode,
        status=row.status,
        started_at=row.started_at,
        planned=row.planned,
        stage_averages=averages,
        score=session_score(averages.values()),
        signal=session_recommendation(row.planned, signals)[0],
    )


def session_outcomes(rows: list[SessionScores], catalog: Catalog) -> list[SessionOutcome]:
    return [session_outcome(r, catalog) for r in rows]
