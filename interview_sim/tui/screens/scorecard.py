"""A scorecard: per-criterion level with its anchor, quoted evidence, misses and the signal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown

from interview_sim.models import Grade, Turn
from interview_sim.tui.context import AppContext
from interview_sim.tui.render import scorecard_markdown


class ScorecardScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Continue", id="scorecard.continue"),
        Binding("m", "reveal", "Model answer", id="scorecard.reveal", tooltip="Show or hide"),
    ]

    def __init__(
        self, context: AppContext, title: str, grades: list[Grade], turns: list[Turn]
    ) -> None:
        super().__init__()
        self.context = context
        self.title_text = title
        self.grades = grades
        self.turns = turns
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, id="scorecard-title", classes="screen-title")
        with VerticalScroll(id="scorecard-scroll"):
            yield Markdown(self._markdown(), id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scorecard-scroll").focus()

    def _markdown(self) -> str:
        catalog = self.context.services.catalog
        return scorecard_markdown(self.grades, catalog, self.turns, reveal=self.revealed)

    async def action_reveal(self) -> None:
        self.revealed = not self.revealed
        await self.query_one("#scorecard", Markdown).update(self._markdown())

    def action_close(self) -> None:
        self.dismiss(None)
