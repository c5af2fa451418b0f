"""The interview as a chat: questions, answers, hints and follow-ups, with both countdowns.

Every engine call runs in a thread worker, and what the screen shows afterwards is read back
from the committed rows, never assumed: an answer leaves the editor only once the repository
holds it, so a failure (or a crash) never loses typed text that was not stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Markdown, Static, TextArea
from textual.widgets.markdown import MarkdownStream
from textual.worker import Worker, WorkerState

from interview_sim.engine import (
    CodeSubmitted,
    Event,
    FollowUpChunk,
    FollowUpStarted,
    Graded,
    Notice,
    SessionDone,
    StageDone,
    StreamEvent,
)
from interview_sim.engine.engine import Position, pending_follow_up
from interview_sim.engine.timing import SessionTime, duration_text
from interview_sim.models import (
    CodingQuestion,
    Grade,
    PlannedQuestion,
    SystemDesignQuestion,
    Turn,
    TurnKind,
)
from interview_sim.tui import engine_actions as actions
from interview_sim.tui.context import AppContext
from interview_sim.tui.present import STAGE_LABELS, ChatEntry, chat_entries, covered_phases
from interview_sim.tui.screens.scorecard import AGAIN, ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from interview_sim.tui.timing import Deadlines, countdowns
from interview_sim.tui.widgets import (
    ChatBubble,
    ChatLog,
    CodingWorkspace,
    InterviewHeader,
    PhasePanel,
)

TICK_SECONDS = 1.0
BEAT_SECONDS = 15.0
"""How often the engine hears the candidate is still in the question: a crash loses at most
this much time (the engine treats a stretch unheard of for 90 s as ended)."""
CHAT_MODE = "chat-mode"
CODING_MODE = "coding-mode"

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


@dataclass(frozen=True)
class Card:
    """One scorecard to show; ``question_id`` is set when it may be answered again."""

    title: str
    grades: list[Grade]
    question_id: str | None = None
    preface: str | None = None


@dataclass
class Scorecards:
    """Scorecards waiting to be shown, then whether the session has ended."""

    pending: list[Card] = field(default_factory=list)
    session_done: bool = False
    shown: Card | None = None


@dataclass
class LiveFollowUp:
    """A follow-up being streamed: shown as it arrives, replaced by the committed turn."""

    bubble: ChatBubble
    stream: MarkdownStream


class InterviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="interview.submit", tooltip="Commit the answer"),
        Binding("f5", "run", "Run examples", id="interview.run", tooltip="Not graded"),
        Binding("f2", "toggle_code", "Code/Chat", id="interview.code", tooltip="Switch views"),
        Binding("ctrl+t", "hint", "Hint", id="interview.hint", tooltip="Costs score"),
        Binding("ctrl+r", "repeat", "Repeat", id="interview.repeat", tooltip="Show it again"),
        Binding("ctrl+n", "skip", "Skip", id="interview.skip", tooltip="Asks first; scores zero"),
        Binding(
            "ctrl+f",
            "end_question",
            "Done",
            id="interview.end_question",
            tooltip="Grade what you have said; no more follow-ups",
        ),
        Binding(
            "ctrl+l",
            "end_stage",
            "End stage",
            id="interview.end_stage",
            tooltip="Grade answered questions, skip the rest of the stage",
        ),
        Binding(
            "ctrl+g",
            "stop",
            "Stop",
            id="interview.stop",
            tooltip="Stop the interviewer mid-sentence (what was said is kept) or a code run",
        ),
        Binding("escape", "leave", "Home", id="interview.home", tooltip="Resume later"),
    ]

    def __init__(self, context: AppContext, session_id: int) -> None:
        super().__init__()
        self.context = context
        self.session_id = session_id
        self.position: Position | None = None
        self._deadlines = Deadlines(None, None)
        self._shown_turns: set[int] = set()
        self._submitted: str | None = None
        self._warned: set[str] = set()
        self._stage_over = False
        self._cards = Scorecards()
        self._cancel = threading.Event()
        self._live: LiveFollowUp | None = None
        self._quit_warned_for: str | None = None
        self._rereading = False
        self._code_for: str | None = None
        """The coding question whose code is in the editor."""
        self._beaten: datetime | None = None
        self._skip_asked_for: str | None = None

    def compose(self) -> ComposeResult:
        yield InterviewHeader(id="interview-header")
        yield Static("", id="time-up")
        with ContentSwitcher(initial=CHAT_MODE, id="modes"):
            with Horizontal(id=CHAT_MODE):
                with Vertical(id="conversation"):
                    yield ChatLog(id="chat")
                    yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
                yield PhasePanel(id="phases")
            yield CodingWorkspace(id=CODING_MODE)
        yield Footer()

    def on_mount(self) -> None:
        editor = self.query_one("#answer", TextArea)
        editor.border_title = "Your answer · Enter for a new line · ctrl+s submits"
        self.set_interval(TICK_SECONDS, self.tick)
        engine, sid = self.context.services.engine, self.session_id
        engine.clock = self.context.clock  # one clock for the countdowns and the stored time
        self._start(lambda cancel: engine.advance_stream(sid, cancel))

    # -- engine calls -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.has_class("-busy")

    def _set_busy(self, busy: bool) -> None:
        self.query_one("#answer", TextArea).read_only = busy
        self.query_one("#code", TextArea).read_only = busy
        self.set_class(busy, "-busy")
        self.refresh_bindings()

    def _start(self, action: EngineAction) -> None:
        if self.busy:
            self.notify("Still working on the last action…", severity="warning")
            return
        self._set_busy(True)
        self._cancel = threading.Event()
        self._perform(action, self._cancel)

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _perform(self, action: EngineAction, cancel: threading.Event) -> Progress:
        engine, repo = self.context.services.engine, self.context.services.repo
        events: list[Event] = []
        for item in action(cancel):
            if isinstance(item, FollowUpStarted | FollowUpChunk):
                self.post_message(self.LiveFollowUpText(item))
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

    class LiveFollowUpText(Message):
        """Posted from the worker thread; handled in order, before the worker's result."""

        def __init__(self, item: FollowUpStarted | FollowUpChunk) -> None:
            super().__init__()
            self.item = item

    @on(LiveFollowUpText)
    async def _live_text(self, message: LiveFollowUpText) -> None:
        if isinstance(message.item, FollowUpStarted):
            await self._live_finished()
            bubble = ChatBubble(ChatEntry("interviewer", "Interviewer · follow-up (live)", ""))
            await self.query_one(ChatLog).mount(bubble)
            self._live = LiveFollowUp(bubble, Markdown.get_stream(bubble.query_one(Markdown)))
        elif self._live is not None:
            await self._live.stream.write(message.item.text)
            self.query_one(ChatLog).scroll_end(animate=False)

    async def _live_finished(self) -> None:
        """The committed turn replaces the live bubble, so nothing is shown twice."""
        if self._live is not None:
            live, self._live = self._live, None
            await live.stream.stop()
            await live.bubble.remove()

    @on(Worker.StateChanged)
    async def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "engine":
            return
        if worker.state == WorkerState.SUCCESS and isinstance(worker.result, Progress):
            self._set_busy(False)
            self._rereading = False
            await self._apply(worker.result)
        elif worker.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._set_busy(False)
            await self._live_finished()
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
            engine, sid = self.context.services.engine, self.session_id
            self._start(lambda cancel: engine.advance_stream(sid, cancel))

    async def _apply(self, progress: Progress) -> None:
        await self._live_finished()
        new = [t for t in progress.turns if t.id not in self._shown_turns]
        self._shown_turns.update(t.id for t in new if t.id is not None)
        await self.query_one(ChatLog).add_entries(chat_entries(new, self.context.services.catalog))
        if self.coding:  # the chat is hidden behind the editor: show hints where the eyes are
            for turn in new:
                if turn.kind == TurnKind.HINT:
                    self.notify(turn.text, title="Hint", timeout=15)
        stored = {t.text for t in new if t.kind == TurnKind.ANSWER}
        if self._submitted is not None and self._submitted in stored:
            self.query_one("#answer", TextArea).clear()
            self._submitted = None
        submitted = False
        for event in progress.events:
            if isinstance(event, Notice):
                self.notify(event.message, severity="warning", timeout=8)
            elif isinstance(event, CodeSubmitted):
                submitted = True
                self.query_one(CodingWorkspace).show_report("Submission", event.report)
                self.notify(event.report.summary(), title="Submission")
        await self._show_position(progress)
        if submitted:
            self._set_mode(CHAT_MODE)
        self._queue_scorecards(progress.events, progress.time, progress.plan)
        self._next_scorecard()

    async def _show_position(self, progress: Progress) -> None:
        pos = progress.position
        previous = self.position
        self.position = pos
        if pos is None:
            self._deadlines = Deadlines(None, None)
            return
        if previous is None or previous.planned.stage != pos.planned.stage:
            self._stage_over = False
        self._deadlines = countdowns(pos, progress.time)
        self.query_one(InterviewHeader).show_position(pos.planned.stage, pos.index, pos.total)
        panel = self.query_one(PhasePanel)
        panel.display = isinstance(pos.question, SystemDesignQuestion)
        self._update_phases()
        await self._show_coding(pos)
        self.tick()

    async def _show_coding(self, pos: Position) -> None:
        """A new coding question opens the workspace with the starter (or last submitted) code."""
        question = pos.question
        if not isinstance(question, CodingQuestion):
            self._set_mode(CHAT_MODE)
            return
        if self._code_for == question.id:
            return
        self._code_for = question.id
        submitted = [t.text for t in pos.turns if t.kind == TurnKind.CODE_RUN]
        code = submitted[-1] if submitted else question.starter_code
        await self.query_one(CodingWorkspace).show_question(question, code)
        self._set_mode(CHAT_MODE if submitted else CODING_MODE)

    def _set_mode(self, mode: str) -> None:
        self.query_one("#modes", ContentSwitcher).current = mode
        target = "#code" if mode == CODING_MODE else "#answer"
        self.query_one(target, TextArea).focus()
        self.refresh_bindings()

    @property
    def coding(self) -> bool:
        return self.query_one("#modes", ContentSwitcher).current == CODING_MODE

    # -- scorecards ---------------------------------------------------------------------------

    def _queue_scorecards(
        self, events: list[Event], time: SessionTime, plan: list[PlannedQuestion]
    ) -> None:
        """Titles carry the time used, in the words ``sessions show`` prints; a retried
        question's card opens with the change against the previous attempt."""
        per_question = self.context.settings.ui.scorecard == "question"
        retried = any(p.retry_of is not None for p in plan)
        for event in events:
            if isinstance(event, Graded) and per_question:
                qid = event.grade.question_id
                clock = time.stage(event.grade.stage)
                used = clock.question_seconds.get(qid, 0.0) if clock else 0.0
                title = f"Scorecard · time used {duration_text(used)}"
                preface = None
                if retried:
                    engine = self.context.services.engine
                    found = [c for c in engine.attempts(self.session_id) if c.question_id == qid]
                    preface = f"**{found[0].summary()}**" if found else None
                self._cards.pending.append(Card(title, [event.grade], qid, preface))
            elif isinstance(event, StageDone) and not per_question:
                title = f"{STAGE_LABELS[event.stage]} scorecard"
                clock = time.stage(event.stage)
                if clock is not None:
                    title += (
                        f" · time used {duration_text(clock.time_used_seconds)}"
                        f" of {duration_text(clock.budget_seconds)}"
                    )
                if event.result.not_reached:
                    title += f" · {len(event.result.not_reached)} not reached (not graded)"
                self._cards.pending.append(Card(title, event.result.grades))
            elif isinstance(event, SessionDone):
                self._cards.session_done = True

    def _next_scorecard(self, result: str | None = None) -> None:
        shown, self._cards.shown = self._cards.shown, None
        if result == AGAIN and shown is not None and shown.question_id is not None:
            self._answer_again(shown.question_id)
            return
        if self._cards.pending:
            card = self._cards.pending.pop(0)
            self._cards.shown = card
            turns = self.context.services.repo.turns(self.session_id)
            screen = ScorecardScreen(
                self.context,
                card.title,
                card.grades,
                turns,
                again=card.question_id is not None,
                preface=card.preface,
            )
            self.app.push_screen(screen, self._next_scorecard)
        elif self._cards.session_done:
            self._cards.session_done = False
            self.app.switch_screen(SummaryScreen(self.context, self.session_id))
        else:
            self._resume_clock()
            if not self.coding:
                self.query_one("#answer", TextArea).focus()

    def _answer_again(self, question_id: str) -> None:
        """A new attempt at the question just graded, in its own session; this session stays
        as it is (resumable from home if it was not finished)."""
        new_id = self.context.services.engine.retry(self.session_id, question_id)
        if not self._cards.session_done:
            self.notify("This interview is saved; resume it from home after the retry.")
        self.app.switch_screen(InterviewScreen(self.context, new_id))

    # -- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Redraw the countdowns; on expiry ask the candidate to wrap up (nothing is dropped)."""
        if self.position is None:
            return
        now: datetime = self.context.clock()
        if self._beaten is None or (now - self._beaten).total_seconds() >= BEAT_SECONDS:
            self._beaten = now
            self.context.services.engine.beat_clock(self.session_id)
        question_level, stage_level = self.query_one(InterviewHeader).show_time(
            self._deadlines, now
        )
        key = self.position.question.id
        if stage_level == "over":
            self._stage_over = True
            self._time_up(
                f"stage:{self.position.planned.stage.value}",
                "Stage time is up. Wrap up: ctrl+s submits your answer and closes the stage.",
            )
        elif question_level == "over":
            self._time_up(
                f"question:{key}",
                "Time is up for this question. Wrap up and submit; your answer is kept.",
            )

    def _resume_clock(self) -> None:
        """The candidate is back in the question: the engine's clock runs again."""
        if self.position is None or self.busy or self._cards.pending:
            return
        engine = self.context.services.engine
        engine.open_clock(self.session_id)
        self._beaten = self.context.clock()
        self._reread_clock()

    def _pause_clock(self) -> None:
        """A scorecard, another screen or leaving: the time until the candidate is back is
        not theirs to spend."""
        self.context.services.engine.pause_clock(self.session_id)
        self._reread_clock()

    def _reread_clock(self) -> None:
        if self.position is not None:
            time = self.context.services.engine.time(self.session_id, live=True)
            self._deadlines = countdowns(self.position, time)

    def on_screen_suspend(self) -> None:
        self._pause_clock()

    def on_screen_resume(self) -> None:
        self._resume_clock()

    def on_unmount(self) -> None:
        try:
            self.context.services.engine.pause_clock(self.session_id)
        except Exception:  # quitting: the last heartbeat bounds the stretch anyway
            return

    def _time_up(self, key: str, message: str) -> None:
        banner = self.query_one("#time-up", Static)
        banner.update(message)
        banner.add_class("-visible")
        if key not in self._warned:
            self._warned.add(key)
            self.app.bell()

    def _clear_time_up(self) -> None:
        self.query_one("#time-up", Static).remove_class("-visible")

    # -- actions ------------------------------------------------------------------------------

    def _draft(self) -> str:
        return self.query_one("#answer", TextArea).text.strip()

    def _unsubmitted_code(self) -> str:
        """Code edited since the starter or the last submission; empty when there is none."""
        pos = self.position
        if pos is None or not isinstance(pos.question, CodingQuestion):
            return ""
        code = self.query_one(CodingWorkspace).code
        submitted = [t.text for t in pos.turns if t.kind == TurnKind.CODE_RUN]
        kept = submitted[-1] if submitted else pos.question.starter_code
        return "" if code.strip() == kept.strip() else code

    def action_submit(self) -> None:
        if self.coding:
            self._submit_code()
            return
        text = self._draft()
        if not text:
            self.notify("Type an answer first.", severity="warning")
            return
        self._submitted = text
        self._clear_time_up()
        engine, sid = self.context.services.engine, self.session_id
        if self._stage_over:  # commit the answer, then close the stage without follow-ups
            self._start(lambda cancel: actions.end_stage(engine, sid, text))
        else:
            self._start(lambda cancel: engine.submit_answer_stream(sid, text, cancel))

    def action_hint(self) -> None:
        engine, sid = self.context.services.engine, self.session_id
        self._start(lambda cancel: actions.hint(engine, sid))

    async def action_repeat(self) -> None:
        """Show again what is being asked: the pending follow-up, else the question."""
        if self.position is None:
            return
        pending = pending_follow_up(self.position.turns)
        if pending is not None:
            await self.query_one(ChatLog).add_note(f"**Follow-up**\n\n{pending.text}")
            return
        question = self.position.question
        await self.query_one(ChatLog).add_note(f"**{question.title}**\n\n{question.prompt}")

    def action_skip(self) -> None:
        """Ask once, saying what a skip costs; the second ctrl+n on the same question skips."""
        if self._draft():
            self.notify(
                "You have typed an answer: submit it (ctrl+s), or clear the editor to skip.",
                severity="warning",
            )
            return
        if self.position is None:
            return
        key = self.position.question.id
        if self._skip_asked_for != key:
            self._skip_asked_for = key
            self.notify(
                "Skipping scores this question 0/4 in the stage average, which can pull the"
                " stage to Strong no hire (and that vetoes a loop). In progress it counts as"
                " skipped, not as a weak topic. Press ctrl+n again to skip.",
                title="Skip this question?",
                severity="warning",
                timeout=8,
            )
            return
        self._skip_asked_for = None
        engine, sid = self.context.services.engine, self.session_id
        self._start(lambda cancel: engine.skip(sid))

    def action_end_question(self) -> None:
        text = self._draft()
        engine, sid = self.context.services.engine, self.session_id
        self._submitted = text or None
        self._start(lambda cancel: actions.end_question(engine, sid, text))

    def action_end_stage(self) -> None:
        text = self._draft()
        engine, sid = self.context.services.engine, self.session_id
        self._submitted = text or None
        self._start(lambda cancel: actions.end_stage(engine, sid, text))

    # -- coding ---------------------------------------------------------------------------

    def _submit_code(self) -> None:
        code = self.query_one(CodingWorkspace).code
        if not code.strip():
            self.notify("Write some code first.", severity="warning")
            return
        engine, sid = self.context.services.engine, self.session_id
        self.query_one(CodingWorkspace).show_running("Running the hidden and performance tests")
        self._clear_time_up()
        if self._stage_over:
            self._start(
                lambda cancel: [
                    *engine.submit_code(sid, code, cancel, follow_up=False),
                    *engine.end_stage(sid),
                ]
            )
        else:
            self._start(lambda cancel: engine.submit_code(sid, code, cancel))

    def action_run(self) -> None:
        workspace = self.query_one(CodingWorkspace)
        if self.busy or workspace.running:
            self.notify("Still running…", severity="warning")
            return
        engine, sid = self.context.services.engine, self.session_id
        workspace.run_examples(lambda code, cancel: engine.run_examples(sid, code, cancel))

    def action_toggle_code(self) -> None:
        self._set_mode(CHAT_MODE if self.coding else CODING_MODE)

    def action_stop(self) -> None:
        workspace = self.query_one(CodingWorkspace)
        if workspace.running:
            workspace.stop()
        else:
            self._cancel.set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stop shows only while something runs; coding keys only for coding questions."""
        is_coding = self.position is not None and isinstance(self.position.question, CodingQuestion)
        if action == "stop":
            return self.busy or self.query_one(CodingWorkspace).running
        if action in {"run", "toggle_code"}:
            return is_coding and (None if self.busy else True)
        if action in {"submit", "hint", "skip", "end_question", "end_stage"}:
            return None if self.busy else True
        return True

    def draft_at_risk(self, key: str = "ctrl+q") -> bool:
        """True (with a warning) the first time leaving would drop typed, unsubmitted work."""
        draft = self._draft() or self._unsubmitted_code()
        if not draft or draft == self._quit_warned_for:
            return False
        self._quit_warned_for = draft
        self.notify(
            f"You have unsubmitted work. Submit it with ctrl+s, or press {key} again to leave "
            "without it.",
            severity="warning",
        )
        return True

    def action_leave(self) -> None:
        if self.busy:
            self.notify("Wait for the interviewer, or stop it with ctrl+g.", severity="warning")
            return
        if self.draft_at_risk("esc"):
            return
        self._pause_clock()
        self.app.pop_screen()

    # -- live phase coverage ------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _draft_changed(self) -> None:
        self._update_phases()

    def _update_phases(self) -> None:
        pos = self.position
        if pos is None or not isinstance(pos.question, SystemDesignQuestion):
            return
        said = [t.text for t in pos.turns if t.kind == TurnKind.ANSWER]
        self.query_one(PhasePanel).show(covered_phases(pos.question, [*said, self._draft()]))
