"""One call for what the history screen and ``run --recommended`` need: progress and a drill."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from interview_sim.banks import Catalog
from interview_sim.models import utcnow
from interview_sim.progress.compute import ProgressSource, compute_progress
from interview_sim.progress.drill import plan_recommended_drill
from interview_sim.progress.models import ProgressReport, RecommendedDrill

DRILL_SIZE = 3


class Review(BaseModel):
    progress: ProgressReport
    drill: RecommendedDrill


def review(
    repo: ProgressSource,
    catalog: Catalog,
    *,
    now: datetime | None = None,
    count: int = DRILL_SIZE,
) -> Review:
    """The progress model and the recommended drill planned from it, at the same ``now``."""
    at = now or utcnow()
    progress = compute_progress(repo, catalog, now=at)
    drill = plan_recommended_drill(
        catalog, progress.weak_areas, progress.questions, now=at, count=count
    )
    return Review(progress=progress, drill=drill)
