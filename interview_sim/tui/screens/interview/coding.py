"""Coding mode: the workspace (problem, editor, results) in place of the chat.

A new coding question opens the workspace with the starter code, or with the code last
submitted when the session is resumed; once code is submitted the interviewer asks about it in
the chat. The problem pane takes the keyboard focus on request, so a statement or example
longer than the pane can be read with the arrows and page keys.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, TextArea

from interview_sim.engine import InterviewEngine
from interview_sim.engine.engine import Position
from interview_sim.models import CodingQuestion, TurnKind
from interview_sim.tui.screens.interview.engine_worker import EngineAction
from interview_sim.tui.widgets import CodingWorkspace

CHAT_MODE = "chat-mode"
CODING_MODE = "coding-mode"
PROBLEM = "#problem-scroll"


def is_coding(position: Position | None) -> bool:
    return position is not None and isinstance(position.question, CodingQuestion)


def kept_code(position: Position) -> str | None:
    """The code last submitted for the question, else its starter; None for other questions."""
    question = position.question
    if not isinstance(question, CodingQuestion):
        return None
    submitted = [t.text for t in position.turns if t.kind == TurnKind.CODE_RUN]
    return submitted[-1] if submitted else question.starter_code


def submit_code(
    engine: InterviewEngine, session_id: int, code: str, *, stage_over: bool
) -> EngineAction:
    """Run the hidden tests; when the stage is over, close it without a follow-up."""
    if stage_over:
        return lambda cancel: [
            *engine.submit_code(session_id, code, cancel, follow_up=False),
            *engine.end_stage(session_id),
        ]
    return lambda cancel: engine.submit_code(session_id, code, cancel)


class CodingMode:
    """Which view is up, and which coding question's code is in the editor."""

    def __init__(self, screen: Screen[None]) -> None:
        self._screen = screen
        self._code_for: str | None = None

    @property
    def workspace(self) -> CodingWorkspace:
        return self._screen.query_one(CodingWorkspace)

    @property
    def active(self) -> bool:
        return self._screen.query_one("#modes", ContentSwitcher).current == CODING_MODE

    def set(self, mode: str) -> None:
        self._screen.query_one("#modes", ContentSwitcher).current = mode
        target = "#code" if mode == CODING_MODE else "#answer"
        self._screen.query_one(target, TextArea).focus()
        self._screen.refresh_bindings()

    def toggle(self) -> None:
        self.set(CHAT_MODE if self.active else CODING_MODE)

    async def show(self, position: Position) -> None:
        """A new coding question opens the workspace; any other question shows the chat."""
        question = position.question
        if not isinstance(question, CodingQuestion):
            self.set(CHAT_MODE)
            return
        if self._code_for == question.id:
            return
        self._code_for = question.id
        code = kept_code(position)
        await self.workspace.show_question(question, code)
        submitted = any(t.kind == TurnKind.CODE_RUN for t in position.turns)
        self.set(CHAT_MODE if submitted else CODING_MODE)

    def unsubmitted(self, position: Position | None) -> str:
        """Code edited since the starter or the last submission; empty when there is none."""
        kept = kept_code(position) if position is not None else None
        if kept is None:
            return ""
        code = self.workspace.code
        return "" if code.strip() == kept.strip() else code

    def toggle_problem(self) -> None:
        """Focus the problem pane (arrows, page keys, home and end scroll it), or go back to
        the editor when it has the focus already."""
        problem = self._screen.query_one(PROBLEM, VerticalScroll)
        if self.active and problem.has_focus:
            self._screen.query_one("#code", TextArea).focus()
            return
        if not self.active:
            self.set(CODING_MODE)
        problem.focus()
