"""Choose which questions a session asks: a full loop or a one-stage drill.

The recommended drill (what to practise next, from the history) is a progress rule:
``interview_sim.progress.drill``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

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


def plan_questions(catalog: Catalog, stage: Stage, ids: Sequence[str]) -> list[PlannedQuestion]:
    """Exactly ``ids``, in that order, for a scripted practice session that must be repeatable.

    Every id must be a question of ``stage``, given once: a PlanError names the first that is not.
    """
    if not ids:
        raise PlanError("no question ids given")
    for index, question_id in enumerate(ids):
        question = catalog.questions.get(question_id)
        if question is None:
            raise PlanError(f"no question {question_id!r} in the banks (see `banks list`)")
        if question.stage != stage:
            raise PlanError(
                f"question {question_id!r} is a {question.stage.value} question, not {stage.value}"
            )
        if question_id in ids[:index]:
            raise PlanError(f"question {question_id!r} is given twice")
    return [PlannedQuestion(stage=stage, question_id=question_id) for question_id in ids]


def plan_loop(
    catalog: Catalog, per_stage: Mapping[Stage, int], recently_seen: Collection[str] = ()
) -> list[PlannedQuestion]:
    return [
        planned
        for stage in LOOP_ORDER
        for planned in plan_drill(catalog, stage, per_stage[stage], recently_seen=recently_seen)
    ]
