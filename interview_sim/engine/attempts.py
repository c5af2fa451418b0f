"""A question answered again after its scorecard: a new attempt, compared with the previous one.

A retry is its own session whose single planned question names the session it retries
(``PlannedQuestion.retry_of``), so the first attempt's transcript and grade stay as they were
and progress (spaced repetition included) reads the newest grade as the question's latest.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from interview_sim.models import Grade


class CriterionDelta(BaseModel):
    criterion: str
    name: str = ""
    """The rubric's name for it ("Practical judgement"); the id when the rubric is unknown."""
    before: int | None
    """None when the previous attempt measured nothing for it (it was skipped)."""
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def text(self) -> str:
        """``Correctness 1 -> 3 (+2)``."""
        before = "-" if self.before is None else str(self.before)
        after = "-" if self.after is None else str(self.after)
        change = self.change
        suffix = "" if change is None else f" ({change:+d})"
        return f"{self.name or self.criterion} {before} -> {after}{suffix}"


class AttemptComparison(BaseModel):
    """The latest attempt at a question against the one before it."""

    question_id: str
    previous_session: int
    previous_total: float
    total: float
    deltas: list[CriterionDelta]

    def summary(self) -> str:
        """One line for the scorecard and ``sessions show``."""
        parts = ", ".join(d.text() for d in self.deltas)
        return (
            f"Against your previous attempt (session {self.previous_session}):"
            f" {self.previous_total:.2f} -> {self.total:.2f}/4; {parts}"
        )


def compare(
    previous: Grade, latest: Grade, previous_session: int, names: Mapping[str, str] | None = None
) -> AttemptComparison:
    """Per criterion of either grade, in the latest grade's order, then any it lacks, each
    under the rubric's name for it (``names``: criterion id to name)."""
    names = names or {}
    before = {s.criterion: s.level for s in previous.scores}
    after = {s.criterion: s.level for s in latest.scores}
    order = [*after, *(c for c in before if c not in after)]
    return AttemptComparison(
        question_id=latest.question_id,
        previous_session=previous_session,
        previous_total=previous.total,
        total=latest.total,
        deltas=[
            CriterionDelta(
                criterion=c, name=names.get(c, c), before=before.get(c), after=after.get(c)
            )
            for c in order
        ],
    )
