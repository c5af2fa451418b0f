"""The interview as a chat: questions, answers, hints and follow-ups, with both countdowns.

Every engine call runs in a thread worker (``engine_worker``), and what the screen shows
afterwards is read back from the committed rows, never assumed: an answer leaves the editor
only once the repository holds it, so a failure (or a crash) never loses typed text that was
not stored. This module wires the parts together and holds the candidate's actions.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, TextArea

from interview_sim.engine import CodeSubmitted, Notice
from interview_sim.engine.engine import Position
from interview_sim.models import SystemDesignQuestion, TurnKind, pending_follow_up
from interview_sim.tui import engine_actions as actions
from interview_sim.tui.context import AppContext
from interview_sim.tui.present import chat_entries, covered_phases
from interview_sim.tui.screens.interview.clock import TICK_SECONDS, QuestionClock
from interview_sim.tui.screens.interview.coding import (
    CHAT_MODE,
    CODING_MODE,
    CodingMode,
    is_coding,
    submit_code,
)
from interview_sim.tui.screens.interview.engine_worker import EngineWorkerScreen, Progress
from interview_sim.tui.screens.interview.footer import InterviewFooter
from interview_sim.tui.screens.interview.quit_guard import QuitGuard, leave_warning
from interview_sim.tui.screens.interview.scorecards import ScorecardQueue
from interview_sim.tui.screens.interview.status import StatusLine
from interview_sim.tui.screens.interview.stream import LiveFollowUp, LiveFollowUpText
from interview_sim.tui.screens.interview.time_up import TimeUpBanner, time_up_notice
from interview_sim.tui.screens.scorecard import AGAIN, ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from interview_sim.tui.widgets import ChatLog, CodingWorkspace, InterviewHeader, PhasePanel

END_STAGE_WARNING = (
    "Ending the stage grades what you have answered (and submits your draft); a question on"
    " screen with no answer is skipped and scores 0/4, and questions not yet shown are not"
    " reached. Press ctrl+l again to end the stage."
)

SKIP_WARNING = (
    "Skipping scores this question 0/4 in the stage average, which can pull the"
    " stage to Strong no hire (and that vetoes a loop). In progress it counts as"
    " skipped, not as a weak topic. Press ctrl+n again to skip."
)


class InterviewScreen(EngineWorkerScreen):
    CSS_PATH = Path(__file__).with_name("interview.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", id="interview.submit", tooltip="Commit the answer"),
        Binding("f5", "run", "Run", id="interview.run", tooltip="Run the examples; not graded"),
        Binding("f2", "toggle_code", "Code/Chat", id="interview.code", tooltip="Switch views"),
        Binding(
            "f4",
            "problem",
            "Problem",
            id="interview.problem",
            tooltip="Arrows and page keys scroll it; f4 again goes back",
        ),
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
            tooltip="Asks first; grades answered questions, skips the rest",
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
        super().__init__(context, session_id)
        self.position: Position | None = None
        self._shown_turns: set[int] = set()
        self._submitted: str | None = None
        self._stage_over = False
        self._cards = ScorecardQueue()
        self._clock = QuestionClock(context, session_id)
        self._live = LiveFollowUp(lambda: self.query_one(ChatLog))
        self._mode = CodingMode(self)
        self._quit_guard = QuitGuard()
        self._skip_asked_for: str | None = None
        self._end_stage_asked_for: str | None = None

    def compose(self) -> ComposeResult:
        yield InterviewHeader(id="interview-header")
        yield TimeUpBanner(id="time-up")
        with ContentSwitcher(initial=CHAT_MODE, id="modes"):
            with Horizontal(id=CHAT_MODE):
                with Vertical(id="conversation"):
                    yield ChatLog(id="chat")
                    yield StatusLine("", id="status-line")
                    yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
                panel = PhasePanel(id="phases")
                panel.display = False  # until a system design question is on screen
                yield panel
            yield CodingWorkspace(id=CODING_MODE)
        yield InterviewFooter()

    def on_mount(self) -> None:
        editor = self.query_one("#answer", TextArea)
        editor.border_title = "Your answer · Enter for a new line · ctrl+s submits"
        self.set_interval(TICK_SECONDS, self.tick)
        self.context.services.engine.clock = self.context.clock  # one clock for all the time
        self.query_one(StatusLine).say("Opening the session", "the question appears in a moment")
        self.advance()

    # -- engine results -----------------------------------------------------------------------

    def lock_editors(self, locked: bool) -> None:
        self.query_one("#answer", TextArea).read_only = locked
        self.query_one("#code", TextArea).read_only = locked

    @on(LiveFollowUpText)
    async def _live_text(self, message: LiveFollowUpText) -> None:
        await self._live.show(message.item)

    async def engine_failed(self) -> None:
        await self._live.finish()
        if self.position is None:  # it never opened: "opening" would no longer be true
            self.query_one(StatusLine).clear()

    async def apply(self, progress: Progress) -> None:
        await self._live.finish()
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
        submitted = None
        for event in progress.events:
            if isinstance(event, Notice):
                self.notify(event.message, severity="warning", timeout=8)
            elif isinstance(event, CodeSubmitted):
                submitted = event.report
                self._mode.workspace.show_report("Submission", event.report)
        await self._show_position(progress)
        if submitted is not None:  # on the line above the answer, not in a toast over it
            self._mode.set(CHAT_MODE)
            status = "f2 shows the report · " + submitted.summary()
            self.query_one(StatusLine).say("Submission", status)
        elif self._last_follow_up_pending():
            fix = " · f2 to submit a fix first" if is_coding(self.position) else ""
            self.query_one(StatusLine).say(
                "Last follow-up", f"your answer closes the question{fix}"
            )
        if new and new[-1].kind == TurnKind.CODE_RUN:
            await self._ask_open_follow_up_again()
        self._cards.add(
            progress.events,
            progress.time,
            progress.plan,
            per_question=self.context.settings.ui.scorecard == "question",
            attempt_summary=self._attempt_summary,
        )
        self._next_scorecard()

    def _last_follow_up_pending(self) -> bool:
        """A follow-up waits and no other may be asked after it (the follow-up limit): the
        answer to it grades the question, so the candidate is told before answering."""
        turns = self.position.turns if self.position else []
        if pending_follow_up(turns) is None:
            return False
        asked = {t.text for t in turns if t.kind == TurnKind.FOLLOW_UP}
        return len(asked) >= self.context.services.engine.follow_up_limit

    async def _show_position(self, progress: Progress) -> None:
        pos = progress.position
        previous = self.position
        self.position = pos
        self._clock.show(pos, progress.time)
        if pos is None:
            self.query_one(StatusLine).clear()
            return
        if previous is None or previous.planned.stage != pos.planned.stage:
            self._stage_over = False
        if previous is None or previous.question.id != pos.question.id:
            self.query_one(StatusLine).clear()
        self.query_one(InterviewHeader).show_position(pos.planned.stage, pos.index, pos.total)
        panel = self.query_one(PhasePanel)
        panel.display = isinstance(pos.question, SystemDesignQuestion)
        self._update_phases()
        await self._mode.show(pos)
        self.tick()

    @property
    def coding(self) -> bool:
        return self._mode.active

    # -- scorecards ---------------------------------------------------------------------------

    def _attempt_summary(self, question_id: str) -> str | None:
        attempts = self.context.services.engine.attempts(self.session_id)
        found = [c for c in attempts if c.question_id == question_id]
        return found[0].summary() if found else None

    def _next_scorecard(self, result: str | None = None) -> None:
        shown = self._cards.close_shown()
        if result == AGAIN and shown is not None and shown.question_id is not None:
            self._answer_again(shown.question_id)
            return
        card = self._cards.take()
        if card is not None:
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
        now = self._clock.beat()
        header = self.query_one(InterviewHeader)
        question_level, stage_level = header.show_time(self._clock.deadlines, now)
        if stage_level == "over":
            self._stage_over = True
        notice = time_up_notice(self.position, question_level, stage_level)
        banner = self.query_one(TimeUpBanner)
        if notice is not None:
            banner.warn(*notice)
        else:  # a banner raised for the previous question or stage no longer applies
            banner.clear()

    def _resume_clock(self) -> None:
        if self.position is None or self.busy or self._cards.pending:
            return
        self._clock.open(self.position)

    def on_screen_suspend(self) -> None:
        self._clock.pause(self.position)

    def on_screen_resume(self) -> None:
        self._resume_clock()

    def on_unmount(self) -> None:
        try:
            self.context.services.engine.pause_clock(self.session_id)
        except Exception:  # quitting: the last heartbeat bounds the stretch anyway
            return

    # -- actions ------------------------------------------------------------------------------

    def _draft(self) -> str:
        return self.query_one("#answer", TextArea).text.strip()

    def action_submit(self) -> None:
        if self.coding:
            self._submit_code()
            return
        text = self._draft()
        if not text:
            self.notify("Type an answer first.", severity="warning")
            return
        self._submitted = text
        self.query_one(TimeUpBanner).clear()
        self.query_one(StatusLine).clear()
        engine, sid = self.context.services.engine, self.session_id
        if self._stage_over:  # commit the answer, then close the stage without follow-ups
            self.start(lambda cancel: actions.end_stage(engine, sid, text))
        else:
            self.start(lambda cancel: engine.submit_answer_stream(sid, text, cancel))

    def action_hint(self) -> None:
        engine, sid = self.context.services.engine, self.session_id
        self.start(lambda cancel: actions.hint(engine, sid))

    async def _ask_open_follow_up_again(self) -> None:
        """Code shown last with a follow-up still open (a resubmission asks nothing new, or a
        session resumed there): the follow-up has scrolled away above the code, so it is put
        in front of the candidate again, since it is what the interview waits for."""
        turns = self.position.turns if self.position else []
        pending = pending_follow_up(turns)
        if pending is None:
            return
        # A follow-up about what a submission did ("your code did not pass ...") may no longer
        # hold for the code since submitted: say which submission it was asked about.
        later = [
            t for t in turns if t.kind == TurnKind.CODE_RUN and (t.id or 0) > (pending.id or 0)
        ]
        about = " (asked about an earlier submission)" if later else ""
        await self.query_one(ChatLog).add_note(
            f"**Follow-up, still open{about}: answer it below**\n\n{pending.text}"
        )

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
            self.notify(SKIP_WARNING, title="Skip this question?", severity="warning", timeout=8)
            return
        self._skip_asked_for = None
        engine, sid = self.context.services.engine, self.session_id
        self.start(lambda cancel: engine.skip(sid))

    def action_end_question(self) -> None:
        text = self._draft()
        engine, sid = self.context.services.engine, self.session_id
        self._submitted = text or None
        self.start(lambda cancel: actions.end_question(engine, sid, text))

    def action_end_stage(self) -> None:
        """Ask once, saying what ending costs; the second ctrl+l on the same question ends."""
        key = self.position.question.id if self.position is not None else ""
        if self._end_stage_asked_for != key:
            self._end_stage_asked_for = key
            self.notify(END_STAGE_WARNING, title="End this stage?", severity="warning", timeout=8)
            return
        self._end_stage_asked_for = None
        text = self._draft()
        engine, sid = self.context.services.engine, self.session_id
        self._submitted = text or None
        self.start(lambda cancel: actions.end_stage(engine, sid, text))

    def action_stop(self) -> None:
        workspace = self._mode.workspace
        if workspace.running:
            workspace.stop()
        else:
            self.cancel_engine()

    # -- coding -------------------------------------------------------------------------------

    def _submit_code(self) -> None:
        workspace = self._mode.workspace
        code = workspace.code
        if not code.strip():
            self.notify("Write some code first.", severity="warning")
            return
        workspace.show_running("Running the hidden and performance tests")
        self.query_one(TimeUpBanner).clear()
        self.query_one(StatusLine).clear()
        engine = self.context.services.engine
        self.start(submit_code(engine, self.session_id, code, stage_over=self._stage_over))

    def action_run(self) -> None:
        workspace = self._mode.workspace
        if self.busy or workspace.running:
            self.notify("Still running…", severity="warning")
            return
        engine, sid = self.context.services.engine, self.session_id
        workspace.run_examples(lambda code, cancel: engine.run_examples(sid, code, cancel))

    def action_toggle_code(self) -> None:
        self._mode.toggle()

    def action_problem(self) -> None:
        self._mode.toggle_problem()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Stop shows only while something runs; coding keys only for coding questions."""
        if action == "stop":
            return self.busy or self._mode.workspace.running
        if action == "problem":
            return is_coding(self.position)
        if action in {"run", "toggle_code"}:
            return is_coding(self.position) and (None if self.busy else True)
        if action in {"submit", "hint", "skip", "end_question", "end_stage"}:
            return None if self.busy else True
        return True

    # -- leaving ------------------------------------------------------------------------------

    def draft_at_risk(self, key: str = "ctrl+q") -> bool:
        """True (with a warning) the first time leaving would drop typed, unsubmitted work."""
        draft = self._draft() or self._mode.unsubmitted(self.position)
        if not self._quit_guard.at_risk(draft):
            return False
        self.notify(leave_warning(key), severity="warning")
        return True

    def action_leave(self) -> None:
        if self.busy:
            self.notify("Wait for the interviewer, or stop it with ctrl+g.", severity="warning")
            return
        if self.draft_at_risk("esc"):
            return
        self._clock.pause(self.position)
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
