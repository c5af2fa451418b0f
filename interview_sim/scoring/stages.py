"""Per-stage criterion estimates: how each rubric criterion is read from the answer's signals.

Every estimate is a continuous level in 0..4 with the sentences that support it. Key-point
coverage carries most of the weight everywhere; the stage signals (STAR parts, phases, measured
test results, explanation cues) refine it. The blend weights are few, generic and fixed; they are
not fitted to any question.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_sim.models import (
    BehavioralQuestion,
    CodeOutcome,
    CodingQuestion,
    MlDepthQuestion,
    Rubric,
    SystemDesignQuestion,
)
from interview_sim.scoring.claims import ClaimAnalysis
from interview_sim.scoring.coverage import PointMatch, weighted_credit
from interview_sim.scoring.misconceptions import StatementHit
from interview_sim.scoring.signals import (
    Communication,
    StarPart,
    cue_sentences,
    phase_coverage,
    star_signals,
)
from interview_sim.scoring.story import StoryReading
from interview_sim.scoring.text import Sentence, plain_lowercase, terms

EVIDENCE_PER_CRITERION = 3
MISCONCEPTION_PENALTY = 1.0
"""Levels lost on correctness for each misconception stated as fact; one caps correctness at
level 2 ("mostly correct with one notable error"), two or more at level 1."""
REFUTATION_BONUS = 0.5
"""Levels gained (once) for correcting a misconception unprompted in an otherwise good answer."""

_APPROACH = re.compile(
    r"\b(brute[- ]force|naive|alternative|instead|versus|vs\.?|trade-?offs?|compare|better than|"
    r"rather than|would also work|another approach|optimi[sz]e)\b"
)
_EDGE = re.compile(r"\b(edge case|empty|test|tests|duplicate|negative|zero|single|invalid|none)\b")
_STDLIB = re.compile(
    r"\b(collections|heapq|bisect|itertools|functools|deque|counter|defaultdict|dict|set|heap|"
    r"stack|queue|sorted|key=)\b"
)
REFERENCE_CUE_SHARE = 0.25
"""Share of the usual cue weight kept when the model answer is a short definition."""
HYPOTHETICAL_SHARE = 0.4
"""From this share of "I would / I usually" sentences on, the answer is not a concrete story."""
_TRADE = re.compile(r"\b(trade-?offs?|versus|vs\.?|at the cost|cheaper|faster but|instead of)\b")


@dataclass
class Estimate:
    value: float
    evidence: list[Sentence] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measured: bool = False
    """Read from the submitted code or its test results, not the prose, so the prose
    substance guards do not scale it."""


@dataclass(frozen=True)
class Signals:
    """Everything the estimators read, computed once per grade."""

    sentences: Sequence[Sentence]
    clauses: Sequence[Sentence]
    """The answer's clauses that are not echoes of the prompt."""
    matches: Sequence[PointMatch]
    statements: Sequence[StatementHit]
    communication: Communication
    code: str
    code_outcome: CodeOutcome | None
    story: StoryReading | None = None
    """Conduct, substance and fit of a behavioral story."""
    expects_explanation: bool = True
    """The model answer explains (why, how, at what cost), so the answer is held to that."""

    def matches_for(self, criterion: str) -> list[PointMatch]:
        own = [m for m in self.matches if m.point.criterion == criterion]
        return own or list(self.matches)

    def overall(self) -> Estimate:
        """Coverage of all the question's key points, whatever criterion they belong to."""
        return self._estimate(list(self.matches))

    def coverage(self, criterion: str) -> Estimate:
        """Level 0..4 from the weighted credit of the criterion's key points (or all points)."""
        return self._estimate(self.matches_for(criterion))

    def explained(self, criterion: str) -> Estimate:
        """Level 0..4 from the key points the answer explains (says why or how), not names."""
        return self._estimate(self.matches_for(criterion), explained=True)

    def _estimate(self, matches: list[PointMatch], explained: bool = False) -> Estimate:
        credit = weighted_credit(matches, explained=explained)
        covered = sorted(
            (m for m in matches if m.evidence is not None and m.credit >= 0.5),
            key=lambda m: m.evidence.start if m.evidence else 0,
        )
        if explained:
            covered = [m for m in covered if m.explained_credit >= 0.5]
        evidence = _unique([m.evidence for m in covered if m.evidence is not None])
        missed = [m.point.text for m in matches if m.credit < 0.5]
        if explained:
            note = f"{len(covered)}/{len(matches)} key points explained ({credit:.0%})"
            missed = []
        else:
            note = f"{len(matches) - len(missed)}/{len(matches)} key points covered ({credit:.0%})"
        return Estimate(4 * credit, evidence, missed, [note] if matches else [])


def _unique(sentences: Sequence[Sentence]) -> list[Sentence]:
    return list(dict.fromkeys(sentences))


def _blend(
    base: Estimate, value: float, extra: Sequence[Sentence] = (), note: str = ""
) -> Estimate:
    evidence = _unique([*base.evidence, *extra])
    return Estimate(value, evidence, base.missed, [*base.notes, note] if note else base.notes)


def _share(count: int, enough: int) -> float:
    return min(1.0, count / enough)


def _misconception_adjust(estimate: Estimate, signals: Signals) -> Estimate:
    asserted = [h for h in signals.statements if h.asserted]
    refuted = [h for h in signals.statements if not h.asserted]
    value = estimate.value
    if asserted:
        value = min(
            value - MISCONCEPTION_PENALTY * len(asserted), 2.0 if len(asserted) == 1 else 1.0
        )
        estimate.notes.append(f"states {len(asserted)} misconception(s)")
        estimate.missed.extend(f"stated as fact: {h.statement}" for h in asserted)
    elif refuted and value >= 2.0:
        value += REFUTATION_BONUS
        estimate.notes.append("corrects a common misconception")
    evidence = _unique([*estimate.evidence, *(h.sentence for h in asserted + refuted)])
    return Estimate(value, evidence, estimate.missed, estimate.notes, estimate.measured)


def ml_depth(question: MlDepthQuestion, signals: Signals) -> dict[str, Estimate]:
    """Coverage of the key points, refined by explanation and practice cues.

    The cues weigh as much as the model answer asks for them: a long model answer that explains
    and weighs costs sets the bar for depth and practice; a one-line reference definition asks
    for the definition, so there the cues barely count (reference-answer mode).
    """
    causal = cue_sentences(signals.sentences, "causal")
    practice = cue_sentences(signals.sentences, "practice")
    cue = 1.0 if signals.expects_explanation else REFERENCE_CUE_SHARE
    correctness = signals.coverage("correctness")
    correctness.value = min(4.0, correctness.value * 1.1)
    depth = signals.explained("depth")
    practical = signals.explained("practical_judgement")
    clarity = signals.coverage("clarity")
    return {
        "correctness": _misconception_adjust(correctness, signals),
        "depth": _blend(
            depth,
            depth.value * (1 - 0.2 * cue) + 4 * 0.2 * cue * _share(len(causal), 3),
            causal[:1],
            f"{len(causal)} explaining sentence(s)",
        ),
        "practical_judgement": _blend(
            practical,
            practical.value * (1 - 0.25 * cue) + 4 * 0.25 * cue * _share(len(practice), 3),
            practice[:1],
            f"{len(practice)} practical sentence(s)",
        ),
        "clarity": _blend(
            clarity,
            clarity.value * (1 - 0.4 * cue) + 4 * 0.4 * cue * signals.communication.structure,
        ),
    }


def coding(question: CodingQuestion, signals: Signals) -> dict[str, Estimate]:
    text = " ".join(plain_lowercase(s.text) for s in signals.sentences)
    outcome = signals.code_outcome
    edge = [s for s in signals.sentences if _EDGE.search(plain_lowercase(s.text))]
    approach = [s for s in signals.sentences if _APPROACH.search(plain_lowercase(s.text))]
    big_o = cue_sentences(signals.sentences, "big_o")

    solving = signals.coverage("problem_solving")
    solving = _blend(
        solving, solving.value * 0.75 + 4 * 0.25 * _share(len(approach), 2), approach[:1]
    )
    if outcome is not None and outcome.total > 0 and outcome.passed == outcome.total:
        # Passing every hidden test is evidence of a workable approach, explained or not.
        floor = 3.0 if outcome.performance != "too_slow" else 2.0
        if solving.value < floor:
            solving.value = floor
            solving.measured = True
            solving.notes.append(
                f"all {outcome.total} hidden tests passed: a workable approach"
                + ("" if approach else ", though the approach was not explained")
            )

    correctness = signals.coverage("correctness")
    text_value = correctness.value * 0.8 + 4 * 0.2 * _share(len(edge), 2)
    if outcome is not None and outcome.total > 0:
        rate = outcome.passed / outcome.total
        measured = 0.0 if rate < 0.4 else 1.0 if rate < 0.8 else 2.0 if rate < 1 else 3.0
        if rate == 1 and text_value >= 2.0:
            measured = 4.0
        note = f"tests passed {outcome.passed}/{outcome.total}"
        correctness = _blend(correctness, measured, edge[:1], note)
        correctness.measured = True
    else:
        correctness = _blend(correctness, text_value, edge[:1], "no test results: judged on prose")
    correctness = _misconception_adjust(correctness, signals)

    complexity = signals.coverage("complexity")
    value = complexity.value * 0.7 + 4 * 0.3 * _share(len(big_o), 1)
    if outcome is not None and outcome.performance == "too_slow":
        value = min(value, 1.0)
        complexity.notes.append("performance test too slow")
    elif outcome is not None and outcome.performance == "passed":
        value = max(value, 2.0)
        complexity.notes.append("performance test passed")
    complexity = _blend(complexity, value, big_o[:1])

    overall = signals.overall()
    quality = _code_quality(signals.code)
    if quality is None:
        stdlib = _share(len(_STDLIB.findall(text)), 2)
        quality_value = 1.0 + 2.0 * weighted_credit(signals.matches) + stdlib
        quality_note = "no code submitted: judged from the described structures"
    else:
        quality_value, quality_note = quality
    code_quality = Estimate(quality_value, [], [], [quality_note], measured=quality is not None)

    comm = signals.communication
    communication = _blend(
        overall,
        overall.value * 0.5 + 4 * 0.25 * comm.structure + 4 * 0.25 * _share(len(approach), 2),
        note=f"{comm.sentences} sentence(s)",
    )
    if not big_o:
        communication.notes.append("complexity never stated")
        complexity.notes.append("complexity never stated: judged from the measurement only")
    if comm.words < 10:
        communication.value = min(communication.value, 1.0)
        communication.notes.append("the approach was not explained")
    return {
        "problem_solving": solving,
        "correctness": correctness,
        "complexity": complexity,
        "code_quality": code_quality,
        "communication": communication,
    }


_CONVENTIONAL_NAMES = frozenset({"i", "j", "k", "n", "_"})
_BLOCKS = (ast.For, ast.While, ast.If, ast.With, ast.Try)


def _code_quality(code: str) -> tuple[float, str] | None:
    """Readability from the code itself: descriptive names, standard-library use, nesting.

    The code is parsed with ``ast`` (never executed) to find the names it binds.
    """
    if not code.strip():
        return None
    try:
        tree = ast.parse(code)
        depth = _nesting(tree)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return 1.0, "the submitted code does not parse"
    names = [
        node.arg if isinstance(node, ast.arg) else node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.arg)
        or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store))
    ]
    chosen = [n for n in names if n not in _CONVENTIONAL_NAMES]
    descriptive = sum(len(n) >= 3 for n in chosen) / len(chosen) if chosen else 1.0
    stdlib = bool(_STDLIB.search(code.lower()))
    value = 1.0 + 2.0 * descriptive + (1.0 if stdlib else 0.0) - (1.0 if depth > 3 else 0.0)
    return value, f"{descriptive:.0%} descriptive names, nesting depth {depth}"


def _nesting(node: ast.AST, depth: int = 0) -> int:
    deeper = depth + isinstance(node, _BLOCKS)
    return max([deeper, *(_nesting(child, deeper) for child in ast.iter_child_nodes(node))])


def system_design(question: SystemDesignQuestion, signals: Signals) -> dict[str, Estimate]:
    phases = phase_coverage(question.phases, signals.sentences)
    phase_to_criterion = {
        "requirements": "requirements",
        "scale": "requirements",
        "data": "data_features",
        "features": "data_features",
        "modelling": "modelling",
        "training": "modelling",
        "serving": "serving",
        "monitoring": "monitoring",
        "iteration": "monitoring",
        "trade_offs": "trade_offs",
    }
    by_criterion: dict[str, list[float]] = {}
    evidence: dict[str, list[Sentence]] = {}
    for phase, share in phases.covered.items():
        criterion = phase_to_criterion.get(phase, "architecture")
        by_criterion.setdefault(criterion, []).append(share)
        if share >= 0.3 and phase in phases.evidence:
            evidence.setdefault(criterion, []).append(phases.evidence[phase])
    by_criterion.setdefault("architecture", []).extend(
        phases.covered.get(p, 0.0) for p in ("modelling", "serving")
    )
    estimates: dict[str, Estimate] = {}
    for criterion in (
        "requirements",
        "architecture",
        "data_features",
        "modelling",
        "serving",
        "monitoring",
        "trade_offs",
    ):
        base = signals.coverage(criterion)
        shares = by_criterion.get(criterion, [])
        phase_share = sum(shares) / len(shares) if shares else base.value / 4
        value = base.value * 0.6 + 4 * 0.4 * phase_share
        estimates[criterion] = _blend(base, value, evidence.get(criterion, [])[:1])
    numbers = [s for s in signals.sentences if re.search(r"\d", s.text)]
    req = estimates["requirements"]
    req.value = req.value * 0.85 + 4 * 0.15 * _share(len(numbers), 2)
    trade = [s for s in signals.sentences if _TRADE.search(plain_lowercase(s.text))]
    estimates["trade_offs"] = _blend(
        estimates["trade_offs"],
        estimates["trade_offs"].value * 0.8 + 4 * 0.2 * _share(len(trade), 2),
        trade[:1],
    )
    flags = [hit for hit in signals.statements if hit.asserted]
    for hit in flags:
        target = _closest_criterion(hit.statement, signals)
        if target in estimates:
            estimates[target].value -= RED_FLAG_PENALTY_DESIGN
            estimates[target].missed.append(f"red flag: {hit.statement}")
            estimates[target].evidence.append(hit.sentence)
    breadth = sum(phases.covered.values()) / len(phases.covered) if phases.covered else 0.0
    overall = signals.overall()
    order_note = (
        "requirements before architecture"
        if phases.requirements_first
        else "architecture before requirements"
    )
    estimates["communication"] = _blend(
        overall,
        4
        * (
            0.3 * min(1.0, breadth * 1.5)
            + 0.25 * phases.requirements_first
            + 0.2 * signals.communication.structure
            + 0.25 * weighted_credit(signals.matches)
        ),
        note=order_note,
    )
    return estimates


def _closest_criterion(statement: str, signals: Signals) -> str | None:
    wanted = terms(statement)
    best = max(
        signals.matches,
        key=lambda m: len(wanted & terms(" ".join([m.point.text, *m.point.alternatives]))),
        default=None,
    )
    return best.point.criterion if best is not None else None


def behavioral(question: BehavioralQuestion, signals: Signals) -> dict[str, Estimate]:
    star = star_signals(signals.sentences)
    parts = star.parts
    present = [p for p in (StarPart.SITUATION, StarPart.ACTION, StarPart.RESULT) if parts[p]]
    structure_value = {0: 0.0, 1: 1.0, 2: 1.5, 3: 2.5}[len(present)]
    structure_value += 0.5 * star.in_order + 0.5 * (star.action_share >= 0.3)
    structure_value += 0.5 * bool(parts[StarPart.TASK] and parts[StarPart.REFLECTION])
    if star.hypothetical_share >= HYPOTHETICAL_SHARE:
        structure_value = min(structure_value, 1.0)
    named = ", ".join(p.value for p in StarPart if parts[p]) or "none"
    overall = signals.overall()
    star_structure = Estimate(
        structure_value * 0.8 + overall.value * 0.2,
        [parts[p][0] for p in StarPart if parts[p]][:EVIDENCE_PER_CRITERION],
        [
            f"no {p.value}"
            for p in (StarPart.SITUATION, StarPart.ACTION, StarPart.RESULT)
            if not parts[p]
        ],
        [f"STAR parts found: {named}"],
    )

    actions = parts[StarPart.ACTION]
    ownership_value = 0.5 + 1.5 * star.ownership + 2.0 * _share(star.strong_actions, 3)
    if star.blame:
        ownership_value -= 1.5
    ownership = Estimate(
        ownership_value * 0.8 + overall.value * 0.2,
        actions[:EVIDENCE_PER_CRITERION],
        [] if actions else ["no personal actions described"],
        [f'"I" {star.i_count} vs "we" {star.we_count} in the actions'],
    )

    results = parts[StarPart.RESULT]
    measured = [s for s in star.measured if s in results] or star.measured
    impact_value = 0.0 if not results else 1.5
    if results and measured:
        impact_value = 3.0
    if impact_value >= 3.0 and star.lasting:
        impact_value = 4.0
    impact = Estimate(
        impact_value * 0.75 + overall.value * 0.25,
        _unique([*measured[:2], *results[:1], *star.lasting[:1]])[:EVIDENCE_PER_CRITERION],
        [] if measured else ["no measured result (numbers, percentages, time, money)"],
        [f"{len(results)} result sentence(s), {len(star.measured)} with numbers"],
    )

    lessons = parts[StarPart.REFLECTION]
    lesson_words = max((len(s.stems) for s in lessons), default=0)
    reflection_value = 0.0 if not lessons else 1.0 if lesson_words < 4 else 2.0
    if lessons and star.applied_lesson:
        reflection_value += 1.0
    if lessons and star.shared_lesson:
        reflection_value += 1.0
    reflection = Estimate(
        reflection_value * 0.85 + overall.value * 0.15,
        lessons[:EVIDENCE_PER_CRITERION],
        [] if lessons else ["no lesson or what you would do differently"],
        ["lesson applied later" if star.applied_lesson else "lesson not shown applied"],
    )

    relevance = _blend(overall, min(4.0, overall.value * 1.2))
    estimates = {
        "star_structure": star_structure,
        "ownership": ownership,
        "impact": impact,
        "reflection": reflection,
        "relevance": relevance,
    }
    if signals.story is not None:
        _read_conduct(estimates, signals.story)
    return estimates


RED_FLAG_PENALTY = {"ownership": 1.5, "relevance": 1.0, "reflection": 0.75, "impact": 0.5}
"""Levels lost per red-flag clause: the conduct is the answer to the competency question."""
STORY_CAP = 1.0
"""The most a buzzword answer or a story about another competency earns on any criterion."""


def _read_conduct(estimates: dict[str, Estimate], story: StoryReading) -> None:
    for flag in story.red_flags:
        for criterion, levels in RED_FLAG_PENALTY.items():
            estimate = estimates[criterion]
            estimate.value -= levels
            estimate.missed.append(f"red flag: {flag.label}")
            estimate.evidence.insert(0, flag.clause)
    if story.red_flags:
        estimates["ownership"].value = min(estimates["ownership"].value, 1.0)
        estimates["ownership"].notes.append(
            "conduct that counts against you: " + ", ".join(f.label for f in story.red_flags)
        )
    if story.buzzwords:
        for estimate in estimates.values():
            estimate.value = min(estimate.value, STORY_CAP)
        estimates["star_structure"].notes.append(
            f"{story.vague_share:.0%} of the answer is buzzwords with no concrete detail"
        )
    if story.off_topic:
        for estimate in estimates.values():
            estimate.value = min(estimate.value, STORY_CAP)
        estimates["relevance"].notes.append("the story barely touches what the question asks about")


CONTRADICTION_PENALTY = 1.5
"""Levels lost on correctness (and on the reversed point's own criterion) per reversed claim."""
WRONG_CLAIM_SPILL = 0.75
"""Levels lost on depth and practical judgement per wrong claim: a wrong core claim cannot
earn depth."""
RED_FLAG_PENALTY_DESIGN = 1.0
"""Levels a system-design red flag costs the criterion it belongs to (wrong claims then spill
over to the others through ``apply_wrong_claims``)."""
WRONG_ANSWER_CAPS = {1: 2.0, 2: 1.5, 3: 1.0}
"""The highest level any criterion keeps with one, two, three or more wrong claims: one wrong
core claim is at best "mostly right with one notable error" (level 2) everywhere, since the
same words cannot earn depth or structure while the claim is wrong."""
_CORRECTNESS = ("correctness",)
_SPILL = ("depth", "practical_judgement", "problem_solving", "trade_offs", "communication")


def apply_wrong_claims(
    estimates: dict[str, Estimate], analysis: ClaimAnalysis, signals: Signals, rubric: Rubric
) -> int:
    """Lower every criterion a reversed, denied or misconceived claim touches; return the count.

    Misconceptions have already lowered correctness (``_misconception_adjust``); here they and
    the contradictions also lower the criteria that would otherwise credit the same words.
    """
    criteria = {c.id for c in rubric.criteria}
    for criterion in criteria:
        estimates.setdefault(criterion, signals.coverage(criterion))
    asserted = [h for h in signals.statements if h.asserted]
    for contradiction in analysis.contradictions:
        point = contradiction.point
        own = point.criterion if point is not None and point.criterion else None
        own = own or _closest_criterion(contradiction.claim, signals)
        hit = ({own} if own else set()) | set(_CORRECTNESS)
        hit &= criteria
        for criterion in hit:
            estimate = estimates[criterion]
            estimate.value -= CONTRADICTION_PENALTY
            estimate.missed.append(f"contradicts: {contradiction.claim}")
            estimate.evidence.append(contradiction.clause)
            estimate.notes.append(f'reversed claim: "{contradiction.clause.text}"')
    wrong = len(analysis.contradictions) + len(asserted)
    if not wrong:
        return 0
    for criterion in set(_SPILL) & criteria:
        estimates[criterion].value -= WRONG_CLAIM_SPILL * wrong
        estimates[criterion].notes.append(f"{wrong} wrong claim(s) cannot earn credit here")
    if "correctness" in criteria:
        cap = 2.0 if wrong == 1 else 1.0
        estimates["correctness"].value = min(estimates["correctness"].value, cap)
    if wrong >= 1:
        # A wrong core claim caps the answer as a whole, not only the criteria it touches;
        # what the sandbox measured (tests passed, speed) stands whatever the prose claims.
        cap = WRONG_ANSWER_CAPS[min(wrong, max(WRONG_ANSWER_CAPS))]
        for estimate in estimates.values():
            if not estimate.measured:
                estimate.value = min(estimate.value, cap)
    return wrong
