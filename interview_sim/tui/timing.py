"""Countdowns for the current question and stage, derived from committed rows.

Deadlines come from when the stage and the question were stored, not from when the screen
opened, so a resumed session shows the time that is really left. The clock is injected so
tests and snapshots can freeze it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from interview_sim.engine.engine import Position
from interview_sim.models import StageRecord, TurnKind, utcnow

Clock = Callable[[], datetime]
"""Returns the current time (timezone-aware UTC); ``utcnow`` in the real app."""

LOW_FRACTION = 0.25
CRITICAL_FRACTION = 0.1


@dataclass(frozen=True)
class Countdown:
    """A deadline and its full budget, so the colour can follow the fraction left."""

    deadline: datetime
    budget_seconds: float

    def remaining(self, now: datetime) -> float:
        return (self.deadline - now).total_seconds()

    def level(self, now: datetime) -> str:
        """``ok``, ``low``, ``critical`` or ``over``: the class the header colours by."""
        left = self.remaining(now)
        if left <= 0:
            return "over"
        fraction = left / self.budget_seconds if self.budget_seconds else 0.0
        if fraction <= CRITICAL_FRACTION:
            return "critical"
        if fraction <= LOW_FRACTION:
            return "low"
        return "ok"


@dataclass(frozen=True)
class Deadlines:
    question: Countdown | None
    stage: Countdown | None


def deadlines(position: Position, stages: list[StageRecord], questions_in_stage: int) -> Deadlines:
    """The stage budget is shared evenly between the stage's questions."""
    record = next((r for r in stages if r.stage == position.planned.stage), None)
    if record is None:
        return Deadlines(None, None)
    stage = Countdown(
        record.started_at + timedelta(seconds=record.budget_seconds), record.budget_seconds
    )
    asked = next((t for t in position.turns if t.kind == TurnKind.QUESTION), None)
    if asked is None:
        return Deadlines(None, stage)
    share = record.budget_seconds / max(questions_in_stage, 1)
    return Deadlines(Countdown(asked.created_at + timedelta(seconds=share), share), stage)


__all__ = ["Clock", "Countdown", "Deadlines", "deadlines", "utcnow"]
