"""The loop summary, read like a hiring-committee packet, with the next drill one key away."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown

from interview_sim.engine.engine import EngineError
from interview_sim.engine.planner import PlanError
from interview_sim.progress.packet import mastered_questions
from interview_sim.tui.context import AppContext
from interview_sim.tui.messages import OpenInterview
from interview_sim.tui.present import weakest_stage
from interview_sim.tui.render import summary_markdown


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "drill", "Suggested drill", id="summary.drill"),
        Binding("escape", "home", "Home", id="summary.home"),
    ]

    def __init__(self, context: AppContext, session_id: int) -> None:
        super().__init__()
        self.context = context
        self.session_id = session_id
        self.summary = context.services.engine.summary(session_id)
        self.mastered = mastered_questions(context.services.repo)

    def compose(self) -> ComposeResult:
        yield Label("Session complete", classes="screen-title")
        with VerticalScroll(id="summary-scroll"):
            yield Markdown(
                summary_markdown(
                    self.summary,
                    self.context.services.catalog,
                    drill_key=True,
                    mastered=self.mastered,
                ),
                id="summary",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_drill(self) -> None:
        stage = weakest_stage(self.summary)
        if stage is None:
            self.notify("Nothing was graded, so there is no drill to suggest.")
            return
        count = self.context.settings.questions_per_stage.get(stage, 1)
        try:
            session_id = self.context.start_drill(stage, None, count)
        except (PlanError, EngineError) as exc:
            self.notify(str(exc), title="Cannot start the drill", severity="error")
            return
        self.post_message(OpenInterview(session_id))
