"""Choose a drill: the stage, an optional difficulty and how many questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from interview_sim.models import LOOP_ORDER, Difficulty, Stage
from interview_sim.tui.present import STAGE_LABELS

MAX_QUESTIONS = 20


@dataclass(frozen=True)
class DrillChoice:
    stage: Stage
    difficulty: Difficulty | None
    count: int


class DrillDialog(ModalScreen[DrillChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="drill.cancel"),
        Binding("ctrl+s", "start", "Start", id="drill.start"),
    ]

    def __init__(self, default_counts: dict[Stage, int]) -> None:
        super().__init__()
        self._counts = default_counts

    def compose(self) -> ComposeResult:
        with Vertical(id="drill-dialog", classes="dialog"):
            yield Label("Drill a stage", classes="dialog-title")
            with Grid(classes="dialog-grid"):
                yield Label("Stage")
                yield Select(
                    [(STAGE_LABELS[s], s) for s in LOOP_ORDER],
                    value=Stage.ML_DEPTH,
                    allow_blank=False,
                    compact=True,
                    id="drill-stage",
                )
                yield Label("Difficulty")
                yield Select(
                    [("Any", "any"), *((d.value.title(), d.value) for d in Difficulty)],
                    value="any",
                    allow_blank=False,
                    compact=True,
                    id="drill-difficulty",
                )
                yield Label("Questions")
                yield Input(
                    str(self._counts.get(Stage.ML_DEPTH, 2)),
                    type="integer",
                    compact=True,
                    id="drill-count",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", variant="primary", id="drill-start")
                yield Button("Cancel", id="drill-cancel")

    @on(Select.Changed, "#drill-stage")
    def _stage_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, Stage):
            self.query_one("#drill-count", Input).value = str(self._counts.get(event.value, 1))

    @on(Button.Pressed, "#drill-start")
    @on(Input.Submitted, "#drill-count")
    def action_start(self) -> None:
        stage = self.query_one("#drill-stage", Select).value
        difficulty = self.query_one("#drill-difficulty", Select).value
        raw = self.query_one("#drill-count", Input).value
        count = int(raw) if raw.strip().isdigit() else 0
        if not 1 <= count <= MAX_QUESTIONS:
            self.notify(f"Questions must be 1 to {MAX_QUESTIONS}", severity="error")
            return
        assert isinstance(stage, Stage)
        chosen = None if difficulty == "any" else Difficulty(str(difficulty))
        self.dismiss(DrillChoice(stage, chosen, count))

    @on(Button.Pressed, "#drill-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
