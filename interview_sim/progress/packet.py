"""The hiring-committee packet for a session: what a debrief would write up after a loop.

The overall recommendation is not an average: it comes from explicit rules, evaluated in order,
and the packet names the rule that fired, so the user can see why one bad stage sank the loop.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from interview_sim.banks import Catalog
from interview_sim.models import (
    AnyQuestion,
    CriterionScore,
    Grade,
    HireSignal,
    SessionMode,
    SessionSummary,
    Stage,
    StageResult,
)
from interview_sim.progress.compute import ProgressSource
from interview_sim.progress.models import MASTERED_TOTAL
from interview_sim.progress.weak_areas import criterion_label
from interview_sim.scoring.text import terms

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
RULE_SINGLE_STAGE = PacketRule(
    id="single_stage", text="One stage was planned: the recommendation is its own signal."
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
RULE_MEDIAN = PacketRule(
    id="median", text="The lower median of the stage signals: no stage vetoes or caps it."
)


class UnreachedQuestion(BaseModel):
    """A planned question its stage ended before showing: never seen, so never graded."""

    question_id: str
    title: str


class StageSignal(BaseModel):
    stage: Stage
    signal: HireSignal | None
    average: float | None
    questions: int
    """Graded questions; the ones the stage never reached are in ``not_reached``."""
    not_reached: list[UnreachedQuestion] = Field(default_factory=list)
    """From the engine's stage result (``StageResult.not_reached``), the one home of the rule
    that ``run``, ``sessions show`` and the stage scorecard read too."""


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
    if len(signals) == 1:
        # The committee rules weigh stages against each other; a one-stage drill has no others,
        # and softening its no hire to "lean no hire" would say something the grade does not.
        return signals[0], RULE_SINGLE_STAGE
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


TAG_WEIGHT = 3
"""One shared tag outweighs a few shared words: the topic matters more than the wording."""

_MEASURED_PASS = re.compile(
    r"performance test passed|all \d+ hidden tests passed|tests passed (\d+)/\1\b"
)
"""The offline scorer's notes for a measurement the code passed (``scoring/stages/coding.py``)."""


def _measured_pass(gap: EvidenceItem) -> str | None:
    """What the code already passed, when the rationale says so: the gap is in the words."""
    found = _MEASURED_PASS.search(gap.rationale)
    return found.group(0) if found else None


_MEASURED_FAIL = re.compile(r"tests passed (\d+)/(\d+)\b|performance test too slow")
"""The offline scorer's notes for a measurement the code failed (``scoring/stages/coding.py``)."""


def _measured_failure(gap: EvidenceItem) -> str | None:
    """What the last submission failed, when the rationale says so: the gap is in the code
    first, whatever key point the scorer also found missing."""
    for found in _MEASURED_FAIL.finditer(gap.rationale):
        if found.group(1) is None:
            return "the performance test found it too slow"
        if found.group(1) != found.group(2):
            return f"it passed {found.group(1)} of {found.group(2)} tests"
    return None


def _practice_question(
    catalog: Catalog, gap: EvidenceItem, exclude: Collection[str], mastered: Collection[str]
) -> AnyQuestion | None:
    """A question of the gap's stage on the same topic, aimed at the gap's criterion.

    Topic: tags shared with the question the gap came from, and words of the missed points
    found in the candidate question's key points. A question on another topic is never
    suggested just because it has a follow-up on the same criterion (an A/B-testing gap is
    not practised with an optimiser question). Questions in this session and questions whose
    latest grade is 4/4 are left out.
    """
    source = catalog.questions.get(gap.question_id)
    tags = set(source.tags) if source else set()
    wanted = terms(" ".join(gap.missed))
    ranked = []
    for question in catalog.by_stage(gap.stage):
        if question.id in exclude or question.id in mastered or question.id == gap.question_id:
            continue
        shared = len(tags & set(question.tags))
        said = frozenset().union(*(terms(k.text) for k in question.key_points))
        overlap = len(wanted & said)
        if not shared and overlap < 2:
            continue
        aims = any(f.criterion == gap.criterion for f in question.follow_ups) or any(
            k.criterion == gap.criterion for k in question.key_points
        )
        ranked.append((-(TAG_WEIGHT * shared + min(overlap, 3)), not aims, question.id, question))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def _next_steps(
    catalog: Catalog,
    packet_gaps: list[EvidenceItem],
    rule: PacketRule,
    stages: list[StageSignal],
    asked: set[str],
    mastered: Collection[str],
    skipped: Sequence[Grade] = (),
    mode: SessionMode = SessionMode.LOOP,
) -> list[str]:
    steps = []
    kind = "loop" if mode == SessionMode.LOOP else "drill"
    worst = _deciding_stage(rule, stages)
    if worst is not None:
        own = [g for g in packet_gaps if g.stage == worst.stage]
        why = (
            f" (weakest: {own[0].criterion_name}, level {own[0].level})"
            if own
            else " (no criterion at level 2 or below: its mean comes from skipped or"
            " unanswered questions)"
        )
        deciders = _deciding_stages(rule, stages)
        decided = (
            f"it decided this {kind}"
            if len(deciders) < 2
            else f"of {_and(s.stage.value for s in deciders)}, which decided this {kind}"
            " together, it is the weakest"
        )
        steps.append(f"Retake the {worst.stage.value} stage first: {decided}{why}.")
    if rule == RULE_INCOMPLETE:
        missing = [s.stage.value for s in stages if s.signal is None]
        steps.append(f"Finish the {kind} ({', '.join(missing)}) to get a recommendation.")
    for gap in packet_gaps:
        focus = gap.missed[0] if gap.missed else _level_three(catalog, gap)
        passed = _measured_pass(gap)
        failed = _measured_failure(gap) if gap.stage == Stage.CODING else None
        if passed:
            focus = f"the code already passed ({passed}); say it in words: {focus}"
        elif failed:
            focus = f"fix the code first ({failed} in your last submission); then: {focus}"
        step = f"Practise {gap.criterion_name} ({gap.stage.value}): {focus.rstrip('.')}."
        suggestion = _practice_question(catalog, gap, asked, mastered)
        if suggestion:
            step += f' Try "{suggestion.title}".'
        steps.append(step)
    if skipped:
        titles = ", ".join(f'"{_title(catalog, g.question_id)}"' for g in skipped)
        steps.append(
            f"Answer what you skipped ({titles}): a skipped question measures nothing and counts"
            " 0 in its stage's mean."
        )
    elif not packet_gaps and rule not in (RULE_INCOMPLETE,):
        steps.append("No gaps at level 2 or below: practise harder questions to stretch.")
    return steps


def _title(catalog: Catalog, question_id: str) -> str:
    """A question's title, or its id once removed from the banks."""
    question = catalog.questions.get(question_id)
    return question.title if question is not None else question_id


def _deciding_stage(rule: PacketRule, stages: list[StageSignal]) -> StageSignal | None:
    """The stage whose signal decided a no-hire loop (worst signal, then lowest mean)."""
    if rule not in (RULE_VETO, RULE_TWO_NO_HIRES, RULE_ONE_NO_HIRE):
        return None
    return min(
        (s for s in stages if s.signal is not None),
        key=lambda s: (SIGNAL_ORDER.index(s.signal) if s.signal else 0, s.average or 0.0),
        default=None,
    )


def _and(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _deciding_stages(rule: PacketRule, stages: list[StageSignal]) -> list[StageSignal]:
    """Every stage the fired rule counted: the strong no hires of a veto, the stages at no
    hire or below of the no-hire rules. More than one means no single stage decided."""
    if rule == RULE_VETO:
        worst = [HireSignal.STRONG_NO_HIRE]
    elif rule in (RULE_TWO_NO_HIRES, RULE_ONE_NO_HIRE):
        worst = [HireSignal.STRONG_NO_HIRE, HireSignal.NO_HIRE]
    else:
        return []
    return [s for s in stages if s.signal in worst]


def _with_deciding_gap(
    catalog: Catalog, gaps: list[EvidenceItem], grades: list[Grade], deciding: StageSignal | None
) -> list[EvidenceItem]:
    """The worst three gaps, one of them the deciding stage's own worst when it has one: advice
    to retake a stage must come with what to fix there."""
    if deciding is None or any(g.stage == deciding.stage for g in gaps):
        return gaps
    own = _items(catalog, [g for g in grades if g.stage == deciding.stage], strengths=False)
    return [*own[:1], *gaps][:3] if own else gaps


def mastered_questions(repo: ProgressSource) -> frozenset[str]:
    """Questions whose latest grade (the latest attempt) is 4/4: next steps never suggest them."""
    data = repo.progress_data(window=1, recent_sessions=1, timing_sessions=1)
    return frozenset(q.question_id for q in data.questions if q.latest >= MASTERED_TOTAL)


def _unreached(catalog: Catalog, result: StageResult) -> list[UnreachedQuestion]:
    """Titles for the views; a question since removed from the banks keeps its id."""
    found = []
    for question_id in result.not_reached:
        question = catalog.questions.get(question_id)
        found.append(
            UnreachedQuestion(
                question_id=question_id, title=question.title if question else question_id
            )
        )
    return found


def build_packet(
    summary: SessionSummary,
    grades: list[Grade],
    catalog: Catalog,
    *,
    mastered: Collection[str] = (),
) -> HiringPacket:
    """``summary`` with its stage results (``InterviewEngine.summary``) and the session's grades;
    ``mastered`` (:func:`mastered_questions`) are never suggested as practice."""
    results: dict[Stage, StageResult] = {r.stage: r for r in summary.results}
    planned = list(dict.fromkeys(p.stage for p in summary.plan))
    stages = [
        StageSignal(
            stage=stage,
            signal=results[stage].hire_signal if stage in results else None,
            average=results[stage].average if stage in results else None,
            questions=len(results[stage].grades) if stage in results else 0,
            not_reached=_unreached(catalog, results[stage]) if stage in results else [],
        )
        for stage in planned
    ]
    recommendation, rule = session_recommendation(
        planned, {r.stage: r.hire_signal for r in summary.results}
    )
    gaps = _with_deciding_gap(
        catalog, _items(catalog, grades, strengths=False), grades, _deciding_stage(rule, stages)
    )
    asked = {p.question_id for p in summary.plan}
    return HiringPacket(
        session_id=summary.id,
        stages=stages,
        recommendation=recommendation,
        rule=rule,
        strengths=_items(catalog, grades, strengths=True),
        gaps=gaps,
        next_steps=_next_steps(
            catalog,
            gaps,
            rule,
            stages,
            asked,
            mastered,
            [g for g in grades if g.skipped],
            summary.mode,
        ),
    )
