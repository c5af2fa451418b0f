"""The recommended drill: which questions to practise next, from the history of grades.

It reads progress (weak areas, each question's latest grade and last attempt), so it lives in
``progress`` beside them; the engine only runs the plan it produces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from interview_sim.banks import Catalog
from interview_sim.models import LOOP_ORDER, AnyQuestion
from interview_sim.progress.models import (
    MASTERED_TOTAL,
    DrillItem,
    QuestionProgress,
    RecommendedDrill,
    WeakArea,
)

SPACING_DAYS = (1, 3, 7, 14, 30)
"""Days before a weakly answered question comes back, by how often it has been attempted."""
WEAK_TOTAL = 2.25
"""A latest grade total below this (lean hire on every shipped rubric) marks a weak answer."""
REASON_AREAS = 3
"""A targeted item's reason names at most this many of the weak areas it covers."""


def spacing_interval(attempts: int) -> timedelta:
    return timedelta(days=SPACING_DAYS[min(max(attempts, 1), len(SPACING_DAYS)) - 1])


def plan_recommended_drill(
    catalog: Catalog,
    weak_areas: Sequence[WeakArea],
    history: Sequence[QuestionProgress],
    *,
    now: datetime,
    count: int = 3,
) -> RecommendedDrill:
    """Up to ``count`` questions: weak answers that are due again first, then weak areas.

    A question whose latest total is 4/4 is never suggested, not even as a variant.

    Spacing rule: a question whose latest total is below ``WEAK_TOTAL`` is held back until
    ``spacing_interval(attempts)`` has passed since it was last seen. When due, it returns as a
    variant (an unplanned question of the same stage sharing the most tags) or, only when the
    bank has no such alternative, as itself with the follow-ups to press on.
    """
    seen = {q.question_id: q for q in history}
    weak = [q for q in history if q.latest < WEAK_TOTAL and q.question_id in catalog.questions]
    # Weak answers wait for their interval; mastered ones (latest 4/4) are never practice.
    blocked = {q.question_id for q in weak} | {
        q.question_id for q in history if q.latest >= MASTERED_TOTAL
    }
    due = sorted(
        (q for q in weak if now - q.last_seen >= spacing_interval(q.attempts)),
        key=lambda q: (q.latest, q.last_seen, q.question_id),
    )
    weak_criteria = {a.key for a in weak_areas if a.kind == "criterion"}
    items: list[DrillItem] = []
    for record in due[:count]:
        items.append(_revisit(catalog, record, seen, blocked, items, weak_criteria))
    taken = blocked | {i.question_id for i in items}
    for question, matched in _targeted(catalog, weak_areas, seen, taken, count - len(items)):
        items.append(
            DrillItem(
                stage=question.stage,
                question_id=question.id,
                title=question.title,
                kind="targeted",
                reason="targets " + ", ".join(matched),
            )
        )
    taken |= {i.question_id for i in items}
    for question in _fresh(catalog, seen, taken)[: count - len(items)]:
        items.append(
            DrillItem(
                stage=question.stage,
                question_id=question.id,
                title=question.title,
                kind="fresh",
                reason="not practised yet",
            )
        )
    return RecommendedDrill(items=items)


def _seen_key(question_id: str, seen: Mapping[str, QuestionProgress]) -> tuple[bool, datetime]:
    """Unseen questions first, then the least recently seen."""
    record = seen.get(question_id)
    return (record is not None, record.last_seen if record else datetime.min)


def _revisit(
    catalog: Catalog,
    record: QuestionProgress,
    seen: Mapping[str, QuestionProgress],
    blocked: set[str],
    chosen: Sequence[DrillItem],
    weak_criteria: set[str],
) -> DrillItem:
    question = catalog.questions[record.question_id]
    taken = blocked | {i.question_id for i in chosen}
    tags = set(question.tags)
    variants = [
        q for q in catalog.by_stage(question.stage) if q.id not in taken and tags & set(q.tags)
    ]
    why = (
        f'"{question.title}" scored {record.latest:.2f}/4 on {record.last_seen:%Y-%m-%d};'
        f" due again after {spacing_interval(record.attempts).days} day(s)"
    )
    if variants:
        best = min(variants, key=lambda q: (-len(tags & set(q.tags)), _seen_key(q.id, seen), q.id))
        return DrillItem(
            stage=best.stage,
            question_id=best.id,
            title=best.title,
            kind="variant",
            reason=f"variant: {why}",
            revisits=record.question_id,
        )
    pressing = sorted(
        question.follow_ups,
        key=lambda f: f"{question.stage.value}/{f.criterion}" not in weak_criteria,
    )
    return DrillItem(
        stage=question.stage,
        question_id=question.id,
        title=question.title,
        kind="follow_ups",
        reason=f"no variant in the bank, asked again with its follow-ups: {why}",
        revisits=record.question_id,
        follow_ups=[f.text for f in pressing],
    )


def _targeted(
    catalog: Catalog,
    weak_areas: Sequence[WeakArea],
    seen: Mapping[str, QuestionProgress],
    taken: set[str],
    count: int,
) -> list[tuple[AnyQuestion, list[str]]]:
    """Pick questions greedily by how much weakness they address.

    A question scores ``4 - level`` for each weak area it matches (a tag it carries, or a
    criterion of its stage, doubled when its follow-ups or key points aim at that criterion).
    Each pick halves the gaps it covered, so the drill spreads over several weak areas.
    """
    gaps = {a.key: 4 - a.weighted_level for a in weak_areas}
    pool = [q for q in catalog.questions.values() if q.id not in taken]
    picked: list[tuple[AnyQuestion, list[str]]] = []
    while pool and len(picked) < count:
        scored = []
        for question in pool:
            aimed = {f.criterion for f in question.follow_ups}
            aimed |= {k.criterion for k in question.key_points if k.criterion}
            score = 0.0
            matched: list[WeakArea] = []
            for area in weak_areas:
                if area.kind == "tag" and area.key in question.tags:
                    score += gaps[area.key]
                    matched.append(area)
                elif area.kind == "criterion" and area.stage == question.stage:
                    criterion = area.key.split("/", 1)[1]
                    score += gaps[area.key] * (2 if criterion in aimed else 1)
                    matched.append(area)
            if score > 0:
                scored.append((score, question, matched))
        if not scored:
            break
        _, best, matched = min(scored, key=lambda t: (-t[0], _seen_key(t[1].id, seen), t[1].id))
        for area in matched:
            gaps[area.key] /= 2
        pool.remove(best)
        picked.append((best, [a.label for a in matched[:REASON_AREAS]]))
    return picked


def _fresh(
    catalog: Catalog, seen: Mapping[str, QuestionProgress], taken: set[str]
) -> list[AnyQuestion]:
    """Unseen questions, one stage at a time in loop order, so a fresh drill spans stages."""
    per_stage = [
        [q for q in catalog.by_stage(stage) if q.id not in seen and q.id not in taken]
        for stage in LOOP_ORDER
    ]
    rounds = max((len(p) for p in per_stage), default=0)
    return [p[i] for i in range(rounds) for p in per_stage if i < len(p)]
