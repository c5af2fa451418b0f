"""Settings: LLM endpoint and model, timers and questions per stage, saved to the config file.

The API key is deliberately not editable here: it stays in the environment
(``OPENAI_API_KEY``) and is never written to disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from interview_sim.config import (
    FOLLOW_UPS_RANGE,
    MINUTES_RANGE,
    QUESTIONS_RANGE,
    LLMSettings,
    Settings,
)
from interview_sim.config_writer import ConfigWriteError, changed, save_config
from interview_sim.llm.checks import Check, Status
from interview_sim.models import LOOP_ORDER, Stage
from interview_sim.services import SetupError
from interview_sim.tui.context import AppContext
from interview_sim.tui.present import STAGE_LABELS, short_path
from interview_sim.tui.worker_failures import ReportsWorkerFailures

_STAGE_MAPPINGS = frozenset({"minutes_per_stage", "questions_per_stage"})
"""Settings keyed by stage: written whole, since a partial mapping would drop the others."""


def _stage_value(settings: Settings, key: str, stage: Stage) -> int:
    """The stage's value in effect: the setting, or the built-in default for a stage it lacks."""
    current: dict[Stage, int] = getattr(settings, key)
    if stage in current:
        return current[stage]
    default: dict[Stage, int] = Settings.model_fields[key].get_default(call_default_factory=True)
    return default[stage]


def key_state(llm: LLMSettings) -> str:
    """What the API key means here, by the rule the app runs by (``LLMSettings.configured``):
    without a key, an endpoint still switches the LLM on and is called without one (local
    servers need none, and ``--local-model`` sends none); only with neither is the app offline."""
    if llm.api_key is not None:
        return "set"
    if llm.configured:
        return "not sent: this endpoint is called without one"
    return "not set (offline mode)"


def _save_place(path: Path) -> str:
    """Where the form writes: said as a promise until the file exists."""
    return f"{'Saved' if path.exists() else 'Will be saved'} to {short_path(path)}"


class SettingsScreen(ReportsWorkerFailures, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Write the config file"),
        Binding("ctrl+t", "test_connection", "Test connection", id="settings.test"),
        Binding("escape", "back", "Back", id="settings.back"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self._shown: dict[str, Any] = {}
        """The values as first shown, so only edited keys are written."""

    def on_mount(self) -> None:
        try:
            self._shown = self._updates()
        except ValueError:  # a value outside this form's ranges: saving writes every field
            self._shown = {}

    def compose(self) -> ComposeResult:
        settings = self.context.settings
        yield Label("Settings", classes="screen-title")
        with VerticalScroll(id="settings-form"):
            yield Static(_save_place(self.context.config_path), classes="dim", id="save-place")
            yield Label("LLM", classes="section-title")
            with Grid(classes="form-grid"):
                yield Label("Endpoint (base URL)")
                yield Input(
                    settings.llm.base_url or "",
                    placeholder="empty: api.openai.com when OPENAI_API_KEY is set",
                    compact=True,
                    id="llm-base-url",
                )
                yield Label("Model")
                yield Input(settings.llm.model, compact=True, id="llm-model")
                yield Label("API key")
                yield Static(key_state(settings.llm), id="llm-key-state")
            yield Static("The API key is read from OPENAI_API_KEY and never saved.", classes="dim")
            yield Label("Stages", classes="section-title")
            with Grid(classes="stage-grid"):
                yield Label("")
                yield Label("Minutes", classes="dim")
                yield Label("Questions", classes="dim")
                for stage in LOOP_ORDER:
                    yield Label(STAGE_LABELS[stage])
                    yield Input(
                        str(_stage_value(settings, "minutes_per_stage", stage)),
                        type="integer",
                        compact=True,
                        id=f"minutes-{stage.value}",
                    )
                    yield Input(
                        str(_stage_value(settings, "questions_per_stage", stage)),
                        type="integer",
                        compact=True,
                        id=f"questions-{stage.value}",
                    )
            yield Label("Interview", classes="section-title")
            with Grid(classes="form-grid"):
                yield Label("Follow-ups per question")
                yield Input(
                    str(settings.follow_up_limit), type="integer", compact=True, id="follow-ups"
                )
                yield Label("Show scorecards")
                yield Select(
                    [("after each question", "question"), ("at the end of each stage", "stage")],
                    value=settings.ui.scorecard,
                    allow_blank=False,
                    compact=True,
                    id="scorecard-timing",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="settings-save")
                yield Button("Test connection", id="settings-test")
            yield Static("", id="test-results")
        yield Footer()

    def _number(self, widget_id: str, bounds: tuple[int, int]) -> int:
        """A whole number within ``bounds``: the ranges ``Settings`` itself enforces."""
        low, high = bounds
        raw = self.query_one(f"#{widget_id}", Input).value.strip()
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ValueError(f"{widget_id.replace('-', ' ')} must be a number from {low} to {high}")
        return int(raw)

    def _updates(self) -> dict[str, Any]:
        """The edited values as JSON-ready config keys; ValueError names the bad field."""
        base_url = self.query_one("#llm-base-url", Input).value.strip() or None
        model = self.query_one("#llm-model", Input).value.strip()
        if not model:
            raise ValueError("the model name cannot be empty")
        scorecard = self.query_one("#scorecard-timing", Select).value
        return {
            "llm": {"base_url": base_url, "model": model},
            "minutes_per_stage": {
                s.value: self._number(f"minutes-{s.value}", MINUTES_RANGE) for s in LOOP_ORDER
            },
            "questions_per_stage": {
                s.value: self._number(f"questions-{s.value}", QUESTIONS_RANGE) for s in LOOP_ORDER
            },
            "follow_up_limit": self._number("follow-ups", FOLLOW_UPS_RANGE),
            "ui": {"scorecard": str(scorecard)},
        }

    @on(Input.Changed, "#llm-base-url")
    def _base_url_edited(self, event: Input.Changed) -> None:
        """Clearing the endpoint without a key means offline; the key line says so as typed."""
        typed = self.context.settings.llm.model_copy(
            update={"base_url": event.value.strip() or None}
        )
        self.query_one("#llm-key-state", Static).update(key_state(typed))

    @on(Button.Pressed, "#settings-save")
    def action_save(self) -> None:
        try:
            updates = self._updates()
            current = self.context.settings
            merged = current.model_validate(
                {
                    **current.model_dump(),
                    **updates,
                    "llm": {**current.llm.model_dump(), **updates["llm"]},
                    "ui": {**current.ui.model_dump(), **updates["ui"]},
                }
            )
            edits = changed(updates, self._shown)
            if not edits:
                self.notify("Nothing changed.", title="Settings")
                return
            for key in _STAGE_MAPPINGS & edits.keys():
                # A per-stage mapping in the file replaces the defaults as a whole, so one edited
                # stage is saved with every other stage's value as shown, never on its own.
                edits[key] = updates[key]
            save_config(self.context.config_path, edits)
            self._shown = updates
            self.context.reopen(merged)
        except (ValueError, ConfigWriteError, SetupError) as exc:  # ValidationError is a ValueError
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.query_one("#save-place", Static).update(_save_place(self.context.config_path))
        self.notify(f"Saved to {short_path(self.context.config_path)}", title="Settings")

    @on(Button.Pressed, "#settings-test")
    def action_test_connection(self) -> None:
        """Checks the endpoint as typed (saved or not), in a worker: it may take seconds."""
        try:
            llm = self.context.settings.llm.model_copy(update=self._updates()["llm"])
        except ValueError as exc:
            self.notify(str(exc), title="Cannot test", severity="error")
            return
        results = self.query_one("#test-results", Static)
        results.update("Checking the endpoint…")
        results.display = True
        self._show_results()
        self._run_checks(llm)

    def _show_results(self) -> None:
        """The results sit last, below the buttons and under the fold of a 36-row terminal:
        scroll to the end once they are laid out (``scroll_end`` waits for the new height), so a
        test's verdict is never off screen."""
        self.query_one("#settings-form", VerticalScroll).scroll_end(animate=False)

    @work(thread=True, exclusive=True, group="llm-test", exit_on_error=False)
    def _run_checks(self, llm: LLMSettings) -> list[Check]:
        from interview_sim.llm.doctor import run_checks  # openai loads only when it is needed

        return run_checks(llm)

    @on(Worker.StateChanged)
    def _checked(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "llm-test":
            return
        results = self.query_one("#test-results", Static)
        if event.worker.state == WorkerState.SUCCESS and isinstance(event.worker.result, list):
            checks: list[Check] = event.worker.result
            styles = {Status.OK: "$success", Status.WARN: "$warning", Status.FAIL: "$error"}
            parts: list[str | tuple[str, str]] = []
            for check in checks:
                parts += [(f"{check.status.value:<4}", styles[check.status]), "  "]
                parts.append(f"{check.name}: {check.message}\n")
                if check.fix:
                    parts.append(f"      fix: {check.fix}\n")
            results.update(Content.assemble(*parts))
        elif event.worker.state == WorkerState.ERROR:
            results.update(Content.assemble(("fail", "$error"), f"  {event.worker.error}"))
        else:
            return
        self._show_results()

    def action_back(self) -> None:
        self.app.pop_screen()
