"""Choose which questions a session asks: a full loop or a one-stage drill.

The recommended drill (what to practise next, from the history) is a progress rule:
``interview_sim.progress.drill``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from interview_sim.banks import Catalog
from interview_sim.models import LOOP_ORDER, Difficulty, PlannedQuestion, Stage


class PlanError(Exception):
    """The banks cannot supply the requested plan."""


def plan_drill(
    catalog: Catalog,
    stage: Stage,
    count: int,
    *,
    difficulty: Difficulty | None = None,
    tags: frozenset[str] = frozenset(),
    recently_seen: Collection[str] = (),
) -> list[PlannedQuestion]:
    """Questions not seen recently come first; ties keep the bank's stable id order."""
    pool = catalog.by_stage(stage, difficulty, tags)
    if not pool:
        raise PlanError(f"no {stage.value} questions match the filters")
    ranked = sorted(pool, key=lambda q: (q.id in recently_seen, q.id))
    return [PlannedQuestion(stage=stage, question_id=q.id) for q in ranked[:count]]


def plan_loop(
    catalog: Catalog, per_stage: Mapping[Stage, int], recently_seen: Collection[str] = ()
) -> list[PlannedQuestion]:
    return [
        planned
        for stage in LOOP_ORDER
        for planned in plan_drill(catalog, stage, per_stage[stage], recently_seen=recently_seen)
    ]
