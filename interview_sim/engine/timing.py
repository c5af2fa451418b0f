"""Time used per question and per stage, derived from the stored stretches of presence.

The clock counts only while the candidate is in a question: a stretch opens when the question
is shown, the interface's heartbeat extends it, and it closes when the candidate leaves, a
scorecard opens or the question is graded. A break, a closed app or the next day costs nothing.
A stretch a crashed process left open ends at its last heartbeat.

Every interface reads time from here (the TUI's countdowns, ``sessions show`` and its JSON), so
they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel

from interview_sim.models import PlannedQuestion, Stage, StageRecord
from interview_sim.store.records import TimeSpan

STALE_SECONDS = 90.0
"""An open stretch not seen for this long belongs to a process that is gone (a crash); the
interfaces beat far more often than this while the candidate is in the question."""

DEFAULT_STAGE_MINUTES = 30


class StageTime(BaseModel):
    """One stage's clock: time used against its budget, and each question's share."""

    stage: Stage
    time_used_seconds: float
    budget_seconds: int
    questions: int
    """Planned questions in the stage: the budget is shared evenly between them."""
    question_seconds: dict[str, float]
    """Time used per question id, for the questions the candidate has been in."""

    @property
    def question_budget_seconds(self) -> float:
        return self.budget_seconds / max(self.questions, 1)

    @property
    def remaining_seconds(self) -> float:
        return self.budget_seconds - self.time_used_seconds

    def question_budget(self, question_id: str) -> float:
        """A question's budget: its even share of the stage, but never more than it has used
        plus what the stage has left, so its countdown never promises time the stage does not
        have (a 15-minute share with 5 minutes left in the stage shows 5 minutes)."""
        used = self.question_seconds.get(question_id, 0.0)
        return min(self.question_budget_seconds, used + max(self.remaining_seconds, 0.0))


class SessionTime(BaseModel):
    """The clocks of a session as of ``as_of``; ``running`` names the question being timed."""

    as_of: datetime | None
    stages: list[StageTime]
    running: str | None = None
    """The question whose stretch is open and fresh at ``as_of``: its clock is ticking."""

    def stage(self, stage: Stage) -> StageTime | None:
        return next((s for s in self.stages if s.stage == stage), None)


def fresh(span: TimeSpan, at: datetime | None) -> bool:
    """True when an open stretch is still being beaten by a live process at ``at``."""
    if span.closed_at is not None or at is None:
        return False
    return (at - span.seen_at).total_seconds() <= STALE_SECONDS


def span_seconds(span: TimeSpan, at: datetime | None) -> float:
    """A closed stretch counts to its close; an open one to ``at`` while fresh, else to its
    last heartbeat (what a crashed process proved)."""
    if span.closed_at is not None:
        end = span.closed_at
    elif fresh(span, at):
        assert at is not None
        end = max(at, span.seen_at)
    else:
        end = span.seen_at
    return max(0.0, (end - span.opened_at).total_seconds())


def session_time(
    plan: list[PlannedQuestion],
    stages: list[StageRecord],
    spans: list[TimeSpan],
    stage_minutes: Mapping[Stage, int],
    at: datetime | None = None,
) -> SessionTime:
    """Per stage of the plan: time used (the sum of its stretches) and the budget.

    ``at`` is the live "now" for an interface that keeps the clock running; None reads only
    committed facts, as a report does.
    """
    budgets = {r.stage: r.budget_seconds for r in stages}
    result: list[StageTime] = []
    for stage in dict.fromkeys(p.stage for p in plan):
        per_question: dict[str, float] = {}
        for span in spans:
            if span.stage == stage:
                seconds = span_seconds(span, at)
                per_question[span.question_id] = per_question.get(span.question_id, 0.0) + seconds
        budget = budgets.get(stage, stage_minutes.get(stage, DEFAULT_STAGE_MINUTES) * 60)
        result.append(
            StageTime(
                stage=stage,
                time_used_seconds=round(sum(per_question.values()), 3),
                budget_seconds=budget,
                questions=sum(1 for p in plan if p.stage == stage),
                question_seconds={q: round(s, 3) for q, s in per_question.items()},
            )
        )
    running = next((s.question_id for s in spans if fresh(s, at)), None)
    return SessionTime(as_of=at, stages=result, running=running)


def duration_text(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``), the one way every interface writes a duration."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
