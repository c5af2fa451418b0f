"""The scorecards an engine call produced, shown one after another, then the summary.

Cards wait in a queue because one call can close a question, a stage and the session at once.
Titles carry the time used, in the words ``sessions show`` prints; a retried question's card
opens with the change against the previous attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from interview_sim.engine import Event, Graded, SessionDone, StageDone
from interview_sim.engine.timing import SessionTime, duration_text
from interview_sim.models import Grade, PlannedQuestion
from interview_sim.tui.present import STAGE_LABELS


@dataclass(frozen=True)
class Card:
    """One scorecard to show; ``question_id`` is set when it may be answered again."""

    title: str
    grades: list[Grade]
    question_id: str | None = None
    preface: str | None = None


AttemptSummary = Callable[[str], str | None]
"""The change against the previous attempt at a question, if there was one."""


@dataclass
class ScorecardQueue:
    """Scorecards waiting to be shown, the one on screen, then whether the session has ended."""

    pending: list[Card] = field(default_factory=list)
    session_done: bool = False
    shown: Card | None = None

    def add(
        self,
        events: list[Event],
        time: SessionTime,
        plan: list[PlannedQuestion],
        *,
        per_question: bool,
        attempt_summary: AttemptSummary,
    ) -> None:
        """Per question (a card for each grade) or per stage (one card when it closes)."""
        retried = any(p.retry_of is not None for p in plan)
        for event in events:
            if isinstance(event, Graded) and per_question:
                qid = event.grade.question_id
                clock = time.stage(event.grade.stage)
                used = clock.question_seconds.get(qid, 0.0) if clock else 0.0
                title = f"Scorecard · time used {duration_text(used)}"
                summary = attempt_summary(qid) if retried else None
                preface = f"**{summary}**" if summary is not None else None
                self.pending.append(Card(title, [event.grade], qid, preface))
            elif isinstance(event, StageDone) and not per_question:
                title = f"{STAGE_LABELS[event.stage]} scorecard"
                stage_clock = time.stage(event.stage)
                if stage_clock is not None:
                    title += (
                        f" · time used {duration_text(stage_clock.time_used_seconds)}"
                        f" of {duration_text(stage_clock.budget_seconds)}"
                    )
                if event.result.not_reached:
                    title += f" · {len(event.result.not_reached)} not reached (not graded)"
                self.pending.append(Card(title, event.result.grades))
            elif isinstance(event, SessionDone):
                self.session_done = True

    def close_shown(self) -> Card | None:
        """The card just dismissed, if any; none is on screen afterwards."""
        shown, self.shown = self.shown, None
        return shown

    def take(self) -> Card | None:
        """The next card to show, now on screen; None when none is waiting."""
        if not self.pending:
            return None
        self.shown = self.pending.pop(0)
        return self.shown
