"""Offline interviewer: asks the banked follow-up aimed at what the answer lacks.

A follow-up whose substance the candidate has already said is not asked (an interviewer who
asks about what you just explained was not listening); of the rest, the one on the criterion
with the least evidence comes first, and between equals the one the answers cover least.
"""

from __future__ import annotations

from interview_sim.grading import QuestionContext, Scorer
from interview_sim.models import FollowUp, TurnKind
from interview_sim.scoring.text import terms

COVERED_FRACTION = 0.6
"""A follow-up is already answered when this share of its own terms is in the answers."""
MIN_OWN_TERMS = 2
"""Below this many terms of its own, a follow-up is too generic to call covered."""


def own_terms(follow_up: FollowUp, prompt: str) -> frozenset[str]:
    """What the follow-up asks about beyond the question itself."""
    return terms(follow_up.text) - terms(prompt)


def coverage(follow_up: FollowUp, prompt: str, answers: list[str]) -> float:
    """Share of the follow-up's own terms the candidate has already used (0 when generic)."""
    own = own_terms(follow_up, prompt)
    if len(own) < MIN_OWN_TERMS:
        return 0.0
    said = frozenset().union(*(terms(a) for a in answers)) if answers else frozenset()
    return len(own & said) / len(own)


class BankedFollowUpPolicy:
    """Deterministic, so a resumed session asks exactly what the interrupted one would have."""

    name = "banked"

    def __init__(self, scorer: Scorer) -> None:
        self._scorer = scorer

    def next_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUp | None:
        asked = {t.text for t in ctx.turns if t.kind == TurnKind.FOLLOW_UP}
        if len(asked) >= limit:
            return None
        answers = [t.text for t in ctx.turns if t.kind == TurnKind.ANSWER]
        prompt = ctx.question.prompt
        remaining = [
            (f, coverage(f, prompt, answers))
            for f in ctx.question.follow_ups
            if f.text not in asked
        ]
        open_ = [(f, c) for f, c in remaining if c < COVERED_FRACTION]
        if not open_:
            return None
        levels = {s.criterion: s.level for s in self._scorer.grade(ctx).scores}
        weakest, _ = min(open_, key=lambda fc: (levels.get(fc[0].criterion, 0), fc[1]))
        return weakest
