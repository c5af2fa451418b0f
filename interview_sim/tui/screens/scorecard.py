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

AGAIN = "again"
"""What the screen is dismissed with when the candidate chooses to answer the question again."""


class ScorecardScreen(Screen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape", "close", "Continue", id="scorecard.continue"),
        Binding("m", "reveal", "Model answer", id="scorecard.reveal", tooltip="Show or hide"),
        Binding(
            "a",
            "again",
            "Answer again",
            id="scorecard.again",
            tooltip="A new attempt at this question, compared with this one",
        ),
    ]

    def __init__(
        self,
        context: AppContext,
        title: str,
        grades: list[Grade],
        turns: list[Turn],
        *,
        again: bool = False,
        preface: str | None = None,
    ) -> None:
        """``again`` offers a new attempt (one question's card in a live interview);
        ``preface`` is Markdown shown above the card, such as the change since the last try."""
        super().__init__()
        self.context = context
        self.title_text = title
        self.grades = grades
        self.turns = turns
        self.revealed = False
        self.again = again
        self.preface = preface

    def compose(self) -> ComposeResult:
        yield Label(self.title_text, id="scorecard-title", classes="screen-title")
        with VerticalScroll(id="scorecard-scroll"):
            yield Markdown(self._markdown(), id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scorecard-scroll").focus()

    def _markdown(self) -> str:
        catalog = self.context.services.catalog
        card = scorecard_markdown(self.grades, catalog, self.turns, reveal=self.revealed)
        return f"{self.preface}\n\n{card}" if self.preface else card

    async def action_reveal(self) -> None:
        self.revealed = not self.revealed
        await self.query_one("#scorecard", Markdown).update(self._markdown())

    def action_close(self) -> None:
        self.dismiss(None)

    def action_again(self) -> None:
        self.dismiss(AGAIN)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.again if action == "again" else True
