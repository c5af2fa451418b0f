"""The stage clocks of a session as ``sessions show`` reports them, in JSON and in text.

Both read ``InterviewEngine.time``, the same reading the TUI's countdowns start from, so the
terminal and the app never disagree about how long a stage took.
"""

from __future__ import annotations

from pydantic import BaseModel

from interview_sim.engine import InterviewEngine
from interview_sim.engine.timing import duration_text
from interview_sim.models import Stage


class StageClock(BaseModel):
    """One stage's clock in ``sessions show --json``."""

    stage: Stage
    time_used_seconds: float
    """Only while the candidate was in one of its questions: breaks and scorecards excluded."""
    budget_seconds: int
    question_seconds: dict[str, float]
    not_reached: list[str]
    """Questions never shown because the stage ended first: not graded."""

    def line(self) -> str:
        """``ml_depth: time used 12:30 of 30:00``, plus what was not reached."""
        text = (
            f"{self.stage.value}: time used {duration_text(self.time_used_seconds)}"
            f" of {duration_text(self.budget_seconds)}"
        )
        if self.not_reached:
            text += f"; not reached: {', '.join(self.not_reached)}"
        return text


def stage_clocks(engine: InterviewEngine, session_id: int) -> list[StageClock]:
    """Per stage of the plan, in plan order."""
    summary = engine.summary(session_id)
    unreached = {r.stage: r.not_reached for r in summary.results}
    return [
        StageClock(
            stage=t.stage,
            time_used_seconds=round(t.time_used_seconds, 1),
            budget_seconds=t.budget_seconds,
            question_seconds={q: round(s, 1) for q, s in t.question_seconds.items()},
            not_reached=unreached.get(t.stage, []),
        )
        for t in engine.time(session_id).stages
    ]
