"""Wrong claims lower every criterion they touch, and cap the answer as a whole."""

from __future__ import annotations

from interview_sim.models import Rubric
from interview_sim.scoring.claims import ClaimAnalysis
from interview_sim.scoring.stages.common import Estimate, Signals, closest_criterion

CONTRADICTION_PENALTY = 1.5
"""Levels lost on correctness (and on the reversed point's own criterion) per reversed claim."""
WRONG_CLAIM_SPILL = 0.75
"""Levels lost on depth and practical judgement per wrong claim: a wrong core claim cannot
earn depth."""
WRONG_ANSWER_CAPS = {1: 1.5, 2: 1.25, 3: 1.0}
"""The highest level any criterion keeps with one, two, three or more wrong claims (or, in a
story, red-flag conduct): one confidently wrong core claim is at best halfway between "partly
right" and "mostly right with one notable error" everywhere, since the same words cannot earn
depth or structure while the claim is wrong. From 2.0 at scorer 2.1: one detected wrong claim
left fluent wrong answers level with plain mediocre ones."""
_CORRECTNESS = ("correctness",)
_SPILL = ("depth", "practical_judgement", "problem_solving", "trade_offs", "communication")


def apply_wrong_claims(
    estimates: dict[str, Estimate], analysis: ClaimAnalysis, signals: Signals, rubric: Rubric
) -> int:
    """Lower every criterion a reversed, denied or misconceived claim touches; return the count.

    Misconceptions have already lowered correctness (``misconception_adjust``); here they and
    the contradictions also lower the criteria that would otherwise credit the same words.
    """
    criteria = {c.id for c in rubric.criteria}
    for criterion in criteria:
        estimates.setdefault(criterion, signals.coverage(criterion))
    asserted = [h for h in signals.statements if h.asserted]
    for contradiction in analysis.contradictions:
        point = contradiction.point
        own = point.criterion if point is not None and point.criterion else None
        own = own or closest_criterion(contradiction.claim, signals)
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
        # Correctness is capped even where the sandbox measured it (coding); for prose the
        # whole-answer cap below is the lower one with a single wrong claim.
        cap = 2.0 if wrong == 1 else 1.0
        estimates["correctness"].value = min(estimates["correctness"].value, cap)
    if wrong >= 1:
        # A wrong core claim caps the answer as a whole, not only the criteria it touches;
        # what the sandbox measured (tests passed, speed) stands whatever the prose claims.
        cap = WRONG_ANSWER_CAPS[min(wrong, max(WRONG_ANSWER_CAPS))]
        for estimate in estimates.values():
            if not estimate.measured:
                estimate.cap(cap, f"{wrong} wrong claim(s), quoted under Missed")
    return wrong
