"""The coding workspace: the problem beside a Python editor, with a results pane below.

Example runs happen here, in a worker, through a runner the screen passes in (the engine's
``run_examples``); submissions go through the screen, because they move the interview on.
F8 (F6 and F7 belong to the editor) opens a field for the candidate's own arguments: Enter runs
them on the code and on the bank's reference solution, each in its own sandbox, and shows the
two outputs side by side. Those runs are practice, not answers, so they are not stored.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Markdown, Static, TextArea
from textual.worker import Worker, WorkerState

from interview_sim.models import CodingQuestion
from interview_sim.sandbox import InputsReport, InputsRequest, inputs_for, run_inputs
from interview_sim.sandbox.models import RunReport
from interview_sim.tui.present import report_lines
from interview_sim.tui.worker_failures import ReportsWorkerFailures

_VERDICT_STYLES = {"pass": "bold green", "fail": "bold red", "error": "bold red"}


ExampleRunner = Callable[[str, threading.Event], RunReport]
"""Runs the examples for some code; setting the event stops the run."""
"""Runs the visible examples against the code; stores the run, never grades it."""


class CodingWorkspace(ReportsWorkerFailures, Horizontal):
    DEFAULT_CSS = """
    CodingWorkspace #custom-input {
        height: 3;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f8",
            "custom_input",
            "Try input",
            show=False,
            id="coding.custom-input",
            tooltip="Run your own arguments beside the reference solution",
        )
    ]
    running: reactive[bool] = reactive(False)
    _cancel_run = threading.Event()
    """Set to stop the example run in progress; replaced for every run."""
    _question: CodingQuestion | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problem-scroll"):
            yield Markdown("", id="problem")
        with Vertical(id="code-side"):
            yield TextArea.code_editor("", language="python", id="code")
            with Vertical(id="results"):
                yield Static("Run the examples with F5; ctrl+s submits.", id="run-status")
                yield Input(
                    placeholder="your arguments as JSON, e.g. [[2, 7], 9]; Enter runs them",
                    id="custom-input",
                )
                yield DataTable(id="cases", cursor_type="row", show_cursor=False)

    def on_mount(self) -> None:
        self.query_one("#code", TextArea).border_title = "solution.py"
        self.query_one("#results", Vertical).border_title = "Results"
        table = self.query_one("#cases", DataTable)
        table.add_columns("Case", "Verdict", "Expected", "Actual", "Input")
        table.display = False
        self.query_one("#custom-input", Input).display = False

    async def show_question(self, question: CodingQuestion, code: str | None) -> None:
        """Load the problem; the editor keeps its text unless nothing was typed for it yet."""
        self._question = question
        body = f"# {question.title}\n\n{question.prompt}"
        await self.query_one("#problem", Markdown).update(body)
        editor = self.query_one("#code", TextArea)
        if code is not None:
            editor.load_text(code)

    @property
    def code(self) -> str:
        return self.query_one("#code", TextArea).text

    def show_running(self, what: str) -> None:
        self.query_one("#run-status", Static).update(f"{what}… (ctrl+g stops the run)")

    def show_message(self, text: str) -> None:
        self.query_one("#run-status", Static).update(Content(text))

    def show_report(self, title: str, report: RunReport) -> None:
        """Per-case verdicts with expected and actual values, and the error line."""
        status = self.query_one("#run-status", Static)
        status.update(Content.assemble((title, "bold"), "\n", "\n".join(report_lines(report))))
        table = self.query_one("#cases", DataTable)
        table.clear()
        for case in report.cases:
            actual = case.actual or (case.exception.describe() if case.exception else "")
            table.add_row(
                Text(case.name),
                Text(case.verdict, style=_VERDICT_STYLES.get(case.verdict, "bold yellow")),
                Text(case.expected or ""),
                Text(actual),
                Text(case.input),
            )
        table.display = bool(report.cases)

    def run_examples(self, runner: ExampleRunner) -> None:
        self.show_running("Running the examples")
        self.running = True
        self._cancel_run = threading.Event()
        self._run(runner, self.code, self._cancel_run)

    def stop(self) -> None:
        """Kill the running example run (its whole process group) and stop waiting for it."""
        self._cancel_run.set()
        self.workers.cancel_group(self, "sandbox")
        self.workers.cancel_group(self, "custom-input")

    def action_custom_input(self) -> None:
        field = self.query_one("#custom-input", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#custom-input")
    def _custom_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._question is None or self.running:
            return
        try:
            args = json.loads(event.value)
        except json.JSONDecodeError as exc:
            self.show_message(f"Not JSON: {exc}. Write the arguments as a list, e.g. [1, 2].")
            return
        if not isinstance(args, list):
            self.show_message("Write the arguments as a JSON list, e.g. [[2, 7, 11, 15], 9].")
            return
        request = inputs_for(self._question, self.code, [args])
        self.show_running("Running your input and the reference solution")
        self.running = True
        self._cancel_run = threading.Event()
        self._run_custom(request, self._cancel_run)

    @work(thread=True, exclusive=True, group="custom-input", exit_on_error=False)
    def _run_custom(self, request: InputsRequest, cancel: threading.Event) -> InputsReport:
        return run_inputs(request, cancel=cancel)

    def show_inputs(self, report: InputsReport) -> None:
        """Each input with the candidate's output beside the reference's."""
        lines: list[Any] = [("Your input", "bold")]
        for result in report.results:
            verdict = ("-", "bold yellow")
            if result.same is not None:
                verdict = ("same", "bold green") if result.same else ("different", "bold red")
            lines += ["\n", result.input, "  ", verdict]
            lines += ["\n  yours:     ", result.candidate.describe()]
            if result.candidate.stdout:
                lines += ["\n  printed:   ", result.candidate.stdout.rstrip()[:500]]
            lines += ["\n  reference: ", result.reference.describe()]
        if report.message:
            lines += ["\n", report.message]
        self.query_one("#run-status", Static).update(Content.assemble(*lines))

    @work(thread=True, exclusive=True, group="sandbox", exit_on_error=False)
    def _run(self, runner: ExampleRunner, code: str, cancel: threading.Event) -> RunReport:
        return runner(code, cancel)

    @on(Worker.StateChanged)
    def _run_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("sandbox", "custom-input") or not worker.is_finished:
            return
        self.running = False
        if worker.state == WorkerState.SUCCESS and isinstance(worker.result, InputsReport):
            self.show_inputs(worker.result)
        elif worker.state == WorkerState.SUCCESS and isinstance(worker.result, RunReport):
            self.show_report("Examples", worker.result)
        elif worker.state == WorkerState.CANCELLED:
            self.show_message("Stopped waiting; that run's result is discarded.")
        else:
            self.show_message(f"The run failed: {worker.error}")

    def watch_running(self) -> None:
        self.screen.refresh_bindings()
