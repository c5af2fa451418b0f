"""The hiring-committee packet for a session: what a debrief would write up after a loop.

The overall recommendation is not an average: it comes from explicit rules, evaluated in order,
and the packet names the rule that fired, so the user can see why one bad stage sank the loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from interview_sim.banks import Catalog
from interview_sim.models import (
    CriterionScore,
    Grade,
    HireSignal,
    SessionSummary,
    Stage,
    StageResult,
)
from interview_sim.progress.weak_areas import criterion_label

SIGNAL_ORDER = list(HireSignal)
"""Weakest first: strong_no_hire … strong_hire."""
STRENGTH_LEVEL = 3
GAP_LEVEL = 2


class PacketRule(BaseModel):
    id: str
    text: str


RULE_INCOMPLETE = PacketRule(
    id="incomplete", text="A planned stage has no grade yet, so there is no recommendation."
)
RULE_VETO = PacketRule(id="veto", text="One strong no hire vetoes the loop: no hire.")
RULE_TWO_NO_HIRES = PacketRule(
    id="two_no_hires", text="Two or more stages at no hire or below: no hire."
)
RULE_ONE_NO_HIRE = PacketRule(
    id="one_no_hire", text="Exactly one stage at no hire: lean no hire at best."
)
RULE_STRONG = PacketRule(
    id="strong", text="Two or more strong hires and no stage below hire: strong hire."
)
RULE_MEDIAN = PacketRule(id="median", text="Otherwise the lower median of the stage signals.")


class StageSignal(BaseModel):
    stage: Stage
    signal: HireSignal | None
    average: float | None
    questions: int


class EvidenceItem(BaseModel):
    """A strength or gap, pointing at the question and the words (or missed points) behind it."""

    stage: Stage
    question_id: str
    criterion: str
    criterion_name: str
    level: int
    evidence: list[str] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)
    rationale: str = ""


class HiringPacket(BaseModel):
    session_id: int
    stages: list[StageSignal]
    recommendation: HireSignal | None
    rule: PacketRule
    strengths: list[EvidenceItem]
    gaps: list[EvidenceItem]
    next_steps: list[str]


def recommend(signals: list[HireSignal | None]) -> tuple[HireSignal | None, PacketRule]:
    """Apply the rules in the order of the ``RULE_*`` constants; the first that fits decides."""
    if not signals or any(s is None for s in signals):
        return None, RULE_INCOMPLETE
    ranks = sorted(SIGNAL_ORDER.index(s) for s in signals if s is not None)
    no_hire = SIGNAL_ORDER.index(HireSignal.NO_HIRE)
    hire = SIGNAL_ORDER.index(HireSignal.HIRE)
    if ranks[0] == 0:
        return HireSignal.NO_HIRE, RULE_VETO
    at_or_below_no_hire = sum(1 for r in ranks if r <= no_hire)
    if at_or_below_no_hire >= 2:
        return HireSignal.NO_HIRE, RULE_TWO_NO_HIRES
    if at_or_below_no_hire == 1:
        return HireSignal.LEAN_NO_HIRE, RULE_ONE_NO_HIRE
    strong = sum(1 for r in ranks if r == len(SIGNAL_ORDER) - 1)
    if strong >= 2 and ranks[0] >= hire:
        return HireSignal.STRONG_HIRE, RULE_STRONG
    return SIGNAL_ORDER[ranks[(len(ranks) - 1) // 2]], RULE_MEDIAN


def session_recommendation(
    planned: Iterable[Stage], signals: Mapping[Stage, HireSignal]
) -> tuple[HireSignal | None, PacketRule]:
    """The session's recommendation: :func:`recommend` over each planned stage's signal.

    Every place that shows a session's verdict (the engine summary, History, ``sessions
    list|show``, the summary screen and reports) calls this, so a session never has two verdicts.
    A planned stage missing from ``signals`` (not graded yet) means no recommendation.
    """
    return recommend([signals.get(stage) for stage in dict.fromkeys(planned)])


def _weight(catalog: Catalog, grade: Grade, score: CriterionScore) -> float:
    rubric = catalog.rubrics.get(grade.rubric_id)
    if rubric is None:
        return 1.0
    return next((c.weight for c in rubric.criteria if c.id == score.criterion), 1.0)


def _items(catalog: Catalog, grades: list[Grade], *, strengths: bool) -> list[EvidenceItem]:
    """Best (or worst) three, at most one per stage and criterion, each with its evidence."""
    order = list(Stage)
    candidates = []
    for position, grade in enumerate(grades):
        for score in grade.scores:
            if strengths and (score.level < STRENGTH_LEVEL or not score.evidence):
                continue
            if not strengths and score.level > GAP_LEVEL:
                continue
            level_key = -score.level if strengths else score.level
            key = (level_key, -_weight(catalog, grade, score), order.index(grade.stage), position)
            candidates.append((key, grade, score))
    candidates.sort(key=lambda c: c[0])
    picked: list[EvidenceItem] = []
    used: set[tuple[Stage, str]] = set()
    for _, grade, score in candidates:
        if (grade.stage, score.criterion) in used:
            continue
        used.add((grade.stage, score.criterion))
        picked.append(
            EvidenceItem(
                stage=grade.stage,
                question_id=grade.question_id,
                criterion=score.criterion,
                criterion_name=criterion_label(catalog, grade.stage, score.criterion),
                level=score.level,
                evidence=score.evidence,
                missed=[] if strengths else score.missed,
                rationale=score.rationale,
            )
        )
        if len(picked) == 3:
            break
    return picked


def _level_three(catalog: Catalog, gap: EvidenceItem) -> str:
    """What to aim for when the scorer listed no missed point: the rubric's level 3 anchor."""
    for rubric in catalog.rubrics.values():
        if rubric.stage == gap.stage:
            for criterion in rubric.criteria:
                if criterion.id == gap.criterion:
                    return f"aim for level 3, {criterion.levels[3]}"
    return "aim for the rubric's level 3"


def _practice_question(catalog: Catalog, gap: EvidenceItem, exclude: set[str]) -> str | None:
    """A question of the gap's stage, not in this session, with a follow-up on its criterion."""
    for question in catalog.by_stage(gap.stage):
        if question.id not in exclude and any(
            f.criterion == gap.criterion for f in question.follow_ups
        ):
            return question.id
    return None


def _next_steps(
    catalog: Catalog,
    packet_gaps: list[EvidenceItem],
    rule: PacketRule,
    stages: list[StageSignal],
    asked: set[str],
) -> list[str]:
    steps = []
    if rule in (RULE_VETO, RULE_TWO_NO_HIRES, RULE_ONE_NO_HIRE):
        worst = min(
            (s for s in stages if s.signal is not None),
            key=lambda s: (SIGNAL_ORDER.index(s.signal) if s.signal else 0, s.average or 0.0),
        )
        steps.append(f"Retake the {worst.stage.value} stage first: it decided this loop.")
    if rule == RULE_INCOMPLETE:
        missing = [s.stage.value for s in stages if s.signal is None]
        steps.append(f"Finish the loop ({', '.join(missing)}) to get a recommendation.")
    for gap in packet_gaps:
        focus = gap.missed[0] if gap.missed else _level_three(catalog, gap)
        step = f"Practise {gap.criterion_name} ({gap.stage.value}): {focus.rstrip('.')}."
        suggestion = _practice_question(catalog, gap, asked)
        if suggestion:
            step += f" Try question {suggestion}."
        steps.append(step)
    if not packet_gaps and rule not in (RULE_INCOMPLETE,):
        steps.append("No gaps at level 2 or below: practise harder questions to stretch.")
    return steps


def build_packet(summary: SessionSummary, grades: list[Grade], catalog: Catalog) -> HiringPacket:
    """``summary`` with its stage results (``InterviewEngine.summary``) and the session's grades."""
    results: dict[Stage, StageResult] = {r.stage: r for r in summary.results}
    planned = list(dict.fromkeys(p.stage for p in summary.plan))
    stages = [
        StageSignal(
            stage=stage,
            signal=results[stage].hire_signal if stage in results else None,
            average=results[stage].average if stage in results else None,
            questions=len(results[stage].grades) if stage in results else 0,
        )
        for stage in planned
    ]
    recommendation, rule = session_recommendation(
        planned, {r.stage: r.hire_signal for r in summary.results}
    )
    gaps = _items(catalog, grades, strengths=False)
    asked = {p.question_id for p in summary.plan}
    return HiringPacket(
        session_id=summary.id,
        stages=stages,
        recommendation=recommendation,
        rule=rule,
        strengths=_items(catalog, grades, strengths=True),
        gaps=gaps,
        next_steps=_next_steps(catalog, gaps, rule, stages, asked),
    )
