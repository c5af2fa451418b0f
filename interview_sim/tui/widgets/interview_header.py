"""The interview's top bar: stage, question k/N and both countdowns."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from interview_sim.models import Stage
from interview_sim.tui.present import STAGE_LABELS
from interview_sim.tui.timing import Deadlines
from interview_sim.tui.widgets.countdown import CountdownLabel


class InterviewHeader(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static("", id="stage-name")
        yield Static("", id="question-progress")
        yield Static("", id="header-gap")
        yield CountdownLabel("Question", id="question-clock")
        yield CountdownLabel("Stage", id="stage-clock")

    def show_position(self, stage: Stage, index: int, total: int) -> None:
        self.query_one("#stage-name", Static).update(STAGE_LABELS[stage])
        self.query_one("#question-progress", Static).update(f"Question {index + 1}/{total}")

    def show_time(self, deadlines: Deadlines, now: datetime) -> tuple[str, str]:
        """Redraw both clocks; returns their levels (question, stage)."""
        question = self.query_one("#question-clock", CountdownLabel).show(deadlines.question, now)
        stage = self.query_one("#stage-clock", CountdownLabel).show(deadlines.stage, now)
        return question, stage
