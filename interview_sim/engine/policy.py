"""Offline interviewer: asks the banked follow-up aimed at the criterion with least evidence."""

from __future__ import annotations

from interview_sim.grading import QuestionContext, Scorer
from interview_sim.models import FollowUp, TurnKind


class BankedFollowUpPolicy:
    """Deterministic, so a resumed session asks exactly what the interrupted one would have."""

    name = "banked"

    def __init__(self, scorer: Scorer) -> None:
        self._scorer = scorer

    def next_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUp | None:
        asked = {t.text for t in ctx.turns if t.kind == TurnKind.FOLLOW_UP}
        if len(asked) >= limit:
            return None
        remaining = [f for f in ctx.question.follow_ups if f.text not in asked]
        if not remaining:
            return None
        levels = {s.criterion: s.level for s in self._scorer.grade(ctx).scores}
        weakest = min(remaining, key=lambda f: levels.get(f.criterion, 0))
        return weakest
