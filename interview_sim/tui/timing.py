"""Countdowns for the current question and stage, read from the engine's clock.

Time used is an engine fact (``engine.timing``): the sum of the stretches the candidate was
actually in a question. The screen only adds the seconds since the engine's reading while the
question's stretch is running, so a break, a scorecard or a closed app never eats the budget.
The clock is injected so tests and snapshots can freeze it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from interview_sim.engine.engine import Position
from interview_sim.engine.timing import SessionTime
from interview_sim.models import TurnKind, utcnow

Clock = Callable[[], datetime]
"""Returns the current time (timezone-aware UTC); ``utcnow`` in the real app."""

LOW_FRACTION = 0.25
CRITICAL_FRACTION = 0.1


@dataclass(frozen=True)
class Countdown:
    """A budget, the time used by ``as_of``, and whether the clock still runs after that."""

    budget_seconds: float
    used_seconds: float
    as_of: datetime | None = None
    """When ``used_seconds`` was read, if the clock is running; None when it is paused."""

    def remaining(self, now: datetime) -> float:
        running = (now - self.as_of).total_seconds() if self.as_of is not None else 0.0
        return self.budget_seconds - self.used_seconds - max(0.0, running)

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


def countdowns(position: Position, time: SessionTime) -> Deadlines:
    """The stage budget is shared evenly between the stage's questions; a question's share
    is cut to what the stage has left (``StageTime.question_budget``)."""
    stage = time.stage(position.planned.stage)
    if stage is None:
        return Deadlines(None, None)
    running = time.as_of if time.running == position.question.id else None
    stage_clock = Countdown(stage.budget_seconds, stage.time_used_seconds, running)
    if not any(t.kind == TurnKind.QUESTION for t in position.turns):
        return Deadlines(None, stage_clock)
    used = stage.question_seconds.get(position.question.id, 0.0)
    budget = stage.question_budget(position.question.id)
    return Deadlines(Countdown(budget, used, running), stage_clock)


__all__ = ["Clock", "Countdown", "Deadlines", "countdowns", "utcnow"]
