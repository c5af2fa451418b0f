"""Build the progress model from the store's aggregates and the loaded banks."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Protocol

from interview_sim.banks import Catalog
from interview_sim.models import Stage, utcnow
from interview_sim.progress.models import (
    CriterionProgress,
    ProgressReport,
    QuestionProgress,
    StageProgress,
    TrendPoint,
)
from interview_sim.progress.trends import trend
from interview_sim.progress.weak_areas import criterion_label, weak_areas
from interview_sim.store.records import ProgressData

TREND_WINDOW = 10
"""Trends and "latest" use the newest this-many sessions of each series."""
RECENT_SESSIONS = 30
"""Weak areas read this many newest graded sessions; older ones weigh under 1/1000."""


class ProgressSource(Protocol):
    """Where the aggregates come from: the repository, or the light SQLite reader
    (``store.reader``) that ``interview-sim progress`` uses to skip SQLAlchemy."""

    def progress_data(
        self, window: int = ..., recent_sessions: int = ..., timing_sessions: int = ...
    ) -> ProgressData: ...


def compute_progress(
    repo: ProgressSource, catalog: Catalog, *, now: datetime | None = None
) -> ProgressReport:
    data = repo.progress_data(window=TREND_WINDOW, recent_sessions=RECENT_SESSIONS)
    return build_report(data, catalog, now=now or utcnow())


def build_report(data: ProgressData, catalog: Catalog, *, now: datetime) -> ProgressReport:
    series: dict[tuple[Stage, str | None], list[TrendPoint]] = defaultdict(list)
    for p in data.points:
        series[(p.stage, p.criterion)].append(
            TrendPoint(session_id=p.session_id, at=p.started_at, level=round(p.level, 3))
        )
    criteria: dict[Stage, list[CriterionProgress]] = defaultdict(list)
    for c in data.criteria:
        points = series[(c.stage, c.criterion)]
        criteria[c.stage].append(
            CriterionProgress(
                stage=c.stage,
                criterion=c.criterion,
                name=criterion_label(catalog, c.stage, c.criterion),
                samples=c.samples,
                latest=points[-1].level if points else None,
                best=round(c.best, 3),
                average=round(c.average, 3),
                trend=trend(points),
            )
        )
    order = list(Stage)
    stages = []
    for a in sorted(data.stages, key=lambda a: order.index(a.stage)):
        points = series[(a.stage, None)]
        stages.append(
            StageProgress(
                stage=a.stage,
                graded=a.graded,
                sessions=a.sessions,
                latest=points[-1].level if points else None,
                best=round(a.best, 3),
                average=round(a.average, 3),
                trend=trend(points),
                hints_used=a.hints_used,
                skipped=a.skipped,
                answers=a.answers,
                seconds_per_answer=(
                    round(a.answer_seconds / a.timed_answers, 1) if a.timed_answers else None
                ),
                criteria=sorted(criteria[a.stage], key=lambda c: c.criterion),
            )
        )
    questions = []
    for q in data.questions:
        known = catalog.questions.get(q.question_id)
        questions.append(
            QuestionProgress(
                question_id=q.question_id,
                stage=q.stage,
                title=known.title if known else None,
                tags=list(known.tags) if known else [],
                attempts=q.attempts,
                latest=round(q.latest, 3),
                best=round(q.best, 3),
                average=round(q.average, 3),
                last_seen=q.last_seen,
            )
        )
    return ProgressReport(
        generated_at=now,
        sessions=data.sessions,
        graded=sum(a.graded for a in data.stages),
        stages=stages,
        questions=questions,
        weak_areas=weak_areas(data.recent, catalog),
    )
