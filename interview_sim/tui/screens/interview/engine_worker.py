"""Worker plumbing: the engine runs in one thread worker at a time, and what the screen shows
afterwards is read back from the committed rows, never assumed.

A screen that drives the engine subclasses ``EngineWorkerScreen``: it calls ``start`` with an
engine call and gets ``apply`` with the session as stored once the call returns. A failure
re-reads the session and tries once to move on, because an answer may be committed even when
grading it failed; if even that fails, the screen closes. Anything already submitted is saved.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from textual import on, work
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from interview_sim.engine import Event, FollowUpChunk, FollowUpStarted, StreamEvent
from interview_sim.engine.engine import Position
from interview_sim.engine.timing import SessionTime
from interview_sim.models import PlannedQuestion, Turn
from interview_sim.tui.context import AppContext
from interview_sim.tui.screens.interview.stream import LiveFollowUpText
from interview_sim.tui.worker_failures import ReportsWorkerFailures

ENGINE_GROUP = "engine"

EngineAction = Callable[[threading.Event], Iterable[StreamEvent]]
"""One engine call, run in a worker thread; setting the event stops a streamed follow-up."""


@dataclass(frozen=True)
class Progress:
    """The session as the repository holds it after an engine action, read in the worker."""

    events: list[Event]
    turns: list[Turn]
    position: Position | None
    time: SessionTime
    plan: list[PlannedQuestion]


class EngineWorkerScreen(ReportsWorkerFailures, Screen[None]):
    """One engine call at a time; the screen is ``-busy`` (editors read-only) while it runs."""

    apply: Callable[[Progress], Awaitable[None]]
    """Show the session as stored after an engine call: the subclass's own coroutine method
    (``InterviewScreen.apply``); a screen without one fails on its first engine call."""

    def __init__(self, context: AppContext, session_id: int) -> None:
        super().__init__()
        self.context = context
        self.session_id = session_id
        self._cancel = threading.Event()
        self._rereading = False

    @property
    def busy(self) -> bool:
        return self.has_class("-busy")

    def _set_busy(self, busy: bool) -> None:
        self.lock_editors(busy)
        self.set_class(busy, "-busy")
        self.refresh_bindings()

    def lock_editors(self, locked: bool) -> None:
        """Make the screen's editors read-only while the engine works; subclasses say which."""

    async def engine_failed(self) -> None:
        """Undo what the screen showed while the failed call ran (a live follow-up, say)."""

    def start(self, action: EngineAction) -> None:
        if self.busy:
            self.notify("Still working on the last action…", severity="warning")
            return
        self._set_busy(True)
        self._cancel = threading.Event()
        self._perform(action, self._cancel)

    def advance(self) -> None:
        """Ask the engine for whatever comes next (the question, a follow-up, a scorecard)."""
        engine, sid = self.context.services.engine, self.session_id
        self.start(lambda cancel: engine.advance_stream(sid, cancel))

    def cancel_engine(self) -> None:
        """Stop a streamed follow-up mid-sentence; what was said is kept."""
        self._cancel.set()

    @work(thread=True, exclusive=True, group=ENGINE_GROUP, exit_on_error=False)
    def _perform(self, action: EngineAction, cancel: threading.Event) -> Progress:
        engine, repo = self.context.services.engine, self.context.services.repo
        events: list[Event] = []
        for item in action(cancel):
            if isinstance(item, FollowUpStarted | FollowUpChunk):
                self.post_message(LiveFollowUpText(item))
            else:
                events.append(item)
        summary = repo.get_session(self.session_id)
        return Progress(
            events=events,
            turns=repo.turns(self.session_id),
            position=engine.position(self.session_id),
            time=engine.time(self.session_id, live=True),
            plan=summary.plan if summary else [],
        )

    @on(Worker.StateChanged)
    async def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != ENGINE_GROUP:
            return
        if worker.state == WorkerState.SUCCESS and isinstance(worker.result, Progress):
            self._set_busy(False)
            self._rereading = False
            await self.apply(worker.result)
        elif worker.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._set_busy(False)
            await self.engine_failed()
            self.notify(
                f"{worker.error or 'cancelled'}. Anything already submitted is saved.",
                title="That did not work",
                severity="error",
                timeout=8,
            )
            if self._rereading:  # even reading the session failed: it cannot go on here
                self.app.pop_screen()
                return
            # Re-read the stored state and try once more to move on: the answer may be
            # committed even though grading failed.
            self._rereading = True
            self.advance()
