"""Rank the criteria and tags where the user is weakest, recent sessions counting more.

A grade from the newest graded session weighs 1, and the weight halves every
``HALF_LIFE_SESSIONS`` sessions further back, so an old weakness that has since been fixed fades
out while a fresh one shows at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from interview_sim.banks import Catalog
from interview_sim.models import Stage
from interview_sim.progress.models import WeakArea
from interview_sim.store.records import RecentGrade

HALF_LIFE_SESSIONS = 3.0
WEAK_LEVEL = 2.5
"""An area whose weighted level is below this (between lean no hire and lean hire) is weak."""


def recency_weight(session_rank: int) -> float:
    return float(0.5 ** (session_rank / HALF_LIFE_SESSIONS))


def criterion_label(catalog: Catalog, stage: Stage, criterion: str) -> str:
    """The rubric's name for a criterion, or its id when no loaded rubric knows it."""
    for rubric in catalog.rubrics.values():
        if rubric.stage == stage:
            for c in rubric.criteria:
                if c.id == criterion:
                    return c.name
    return criterion


class _Mean:
    def __init__(self) -> None:
        self.weighted = 0.0
        self.weights = 0.0
        self.samples = 0

    def add(self, value: float, weight: float) -> None:
        self.weighted += value * weight
        self.weights += weight
        self.samples += 1

    @property
    def value(self) -> float:
        return self.weighted / self.weights


def rank_areas(recent: Iterable[RecentGrade], catalog: Catalog) -> list[WeakArea]:
    """Every criterion and tag seen in ``recent``, weakest first."""
    criteria: dict[tuple[Stage, str], _Mean] = defaultdict(_Mean)
    tags: dict[str, _Mean] = defaultdict(_Mean)
    for grade in recent:
        if not grade.levels:
            # A skipped question measured no criterion: it shows as skipped in progress, and
            # says nothing about its topics either (a 0 there would read as a weakness).
            continue
        weight = recency_weight(grade.session_rank)
        for criterion, level in grade.levels.items():
            criteria[(grade.stage, criterion)].add(level, weight)
        question = catalog.questions.get(grade.question_id)
        for tag in question.tags if question else ():
            tags[tag].add(grade.total, weight)
    areas = [
        WeakArea(
            kind="criterion",
            stage=stage,
            key=f"{stage.value}/{criterion}",
            label=f"{stage.value}: {criterion_label(catalog, stage, criterion)}",
            weighted_level=round(mean.value, 3),
            samples=mean.samples,
        )
        for (stage, criterion), mean in criteria.items()
    ]
    areas += [
        WeakArea(
            kind="tag",
            stage=None,
            key=tag,
            label=f"topic: {tag}",
            weighted_level=round(mean.value, 3),
            samples=mean.samples,
        )
        for tag, mean in tags.items()
    ]
    return sorted(areas, key=lambda a: (a.weighted_level, -a.samples, a.kind, a.key))


def weak_areas(recent: Iterable[RecentGrade], catalog: Catalog) -> list[WeakArea]:
    """The ranked areas below ``WEAK_LEVEL``."""
    return [a for a in rank_areas(recent, catalog) if a.weighted_level < WEAK_LEVEL]
