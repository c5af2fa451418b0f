"""Run a stored session question by question.

The engine keeps no state of its own beyond the session id: where the interview stands is
derived from the committed turns and grades every time. That is what makes resume exact: a
process killed at any point restarts from the last committed row.

Streaming (for the TUI): ``submit_answer_stream(session_id, text, cancel=None)`` and
``advance_stream(session_id, cancel=None)`` are generators of ``StreamEvent``s. They yield the
same events as ``submit_answer``/``advance`` and, while the interviewer streams a follow-up, its
live text; cancelling, closing and failed streams are handled in ``engine.streaming``. Run them
in a worker thread. ``advance`` and ``submit_answer`` run the same code and drop the live text.
A grade that fell back to the offline scorer is preceded by a ``Notice`` with its reason.

Coding questions (blocking; run them in a worker thread too): ``run_examples(session_id, code)``
runs the visible examples in the sandbox and stores the run; ``submit_code(session_id, code)``
runs the hidden and performance tests, commits the run with a ``code_run`` turn, then asks about
what was measured (see ``engine.coding``). The grade reads the latest submission's outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from datetime import datetime

from interview_sim.banks import Catalog
from interview_sim.engine.attempts import AttemptComparison, compare
from interview_sim.engine.coding import (
    CodeRunner,
    latest_outcome,
    measured_follow_up,
    stored_report,
    submission_opens_follow_up,
)
from interview_sim.engine.events import (
    AnswerStored,
    CodeSubmitted,
    Event,
    FollowUpAsked,
    Graded,
    Notice,
    QuestionAsked,
    SessionDone,
    StageDone,
    StreamEvent,
)
from interview_sim.engine.hints import follow_up_hint, question_hint
from interview_sim.engine.streaming import ask_follow_up, prepend, settled
from interview_sim.engine.timing import SessionTime, session_time
from interview_sim.grading import (
    InterviewerPolicy,
    QuestionContext,
    Scorer,
)
from interview_sim.models import (
    AnyQuestion,
    CodeRunRecord,
    CodingQuestion,
    FollowUp,
    Grade,
    PlannedQuestion,
    Rubric,
    SessionMode,
    SessionOrigin,
    SessionStatus,
    SessionSummary,
    Stage,
    StageResult,
    Turn,
    TurnKind,
    TurnStatus,
    pending_follow_up,
    utcnow,
)
from interview_sim.progress.packet import session_recommendation
from interview_sim.sandbox import (
    RunCancelled,
    RunReport,
    RunRequest,
    SandboxError,
    request_for,
    run_code,
)
from interview_sim.store import Repository
from interview_sim.store.records import TimeSpan


class EngineError(Exception):
    """An action that makes no sense in the session's current state."""


@dataclass(frozen=True)
class Position:
    index: int
    total: int
    planned: PlannedQuestion
    question: AnyQuestion
    turns: list[Turn]


class InterviewEngine:
    def __init__(
        self,
        catalog: Catalog,
        repo: Repository,
        scorer: Scorer,
        policy: InterviewerPolicy,
        *,
        follow_up_limit: int = 2,
        stage_minutes: Mapping[Stage, int] | None = None,
        code_runner: CodeRunner = run_code,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``clock`` times the candidate's presence; the TUI passes its own so tests move it."""
        self.catalog = catalog
        self.repo = repo
        self.scorer = scorer
        self.policy = policy
        self.follow_up_limit = follow_up_limit
        self.stage_minutes = dict(stage_minutes or {})
        self.code_runner = code_runner
        self.clock = clock
        self._own_spans: set[int] = set()
        """Stretches of presence this engine opened: only these can be carried on, because
        only this process is known to be alive and showing their question."""

    def start(
        self,
        mode: SessionMode,
        plan: list[PlannedQuestion],
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
    ) -> int:
        missing = [p.question_id for p in plan if p.question_id not in self.catalog.questions]
        if missing:
            raise EngineError(f"unknown question ids: {', '.join(missing)}")
        return self.repo.create_session(mode, plan, origin=origin).id

    def position(self, session_id: int) -> Position | None:
        """The question the session is on, or None when every planned question is graded."""
        summary = self.repo.get_session(session_id)
        if summary is None:
            raise EngineError(f"no session {session_id}")
        graded = {g.question_id for g in self.repo.grades(session_id)}
        turns = self.repo.turns(session_id)
        closed = {r.stage for r in self.repo.stages(session_id) if r.finished_at is not None}
        asked = {t.question_id for t in turns if t.kind == TurnKind.QUESTION}
        for index, planned in enumerate(summary.plan):
            if planned.stage in closed and planned.question_id not in asked:
                continue  # not reached before its stage ended: never shown, never graded
            if planned.question_id not in graded:
                question = self.catalog.questions.get(planned.question_id)
                if question is None:
                    raise EngineError(
                        f"session {session_id} uses question '{planned.question_id}',"
                        " which is no longer in the banks"
                    )
                own = [t for t in turns if t.question_id == planned.question_id]
                return Position(
                    index, len(summary.plan), planned, as_planned(question, planned), own
                )
        return None

    def context(self, position: Position) -> QuestionContext:
        rubric = self.catalog.rubric_for(position.question)
        outcome = None
        if isinstance(position.question, CodingQuestion) and position.turns:
            submissions = self.repo.code_runs(
                position.turns[0].session_id, position.question.id, hidden=True
            )
            outcome = latest_outcome(submissions)
        return QuestionContext(position.question, rubric, position.turns, outcome)

    def advance(self, session_id: int) -> list[Event]:
        """Move the session forward until it waits for the candidate (or ends)."""
        return settled(self.advance_stream(session_id))

    def advance_stream(
        self, session_id: int, cancel: threading.Event | None = None
    ) -> Generator[StreamEvent, None, None]:
        """``advance``, yielding streamed follow-up text as it arrives (see module docstring)."""
        while True:
            pos = self.position(session_id)
            if pos is None:
                yield from self._finish(session_id)
                return
            last = pos.turns[-1] if pos.turns else None
            if last is None:
                started = {r.stage for r in self.repo.stages(session_id)}
                if pos.planned.stage not in started:
                    minutes = self.stage_minutes.get(pos.planned.stage, 30)
                    self.repo.start_stage(
                        session_id, pos.planned.stage, minutes * 60, at=self.clock()
                    )
                self._store(session_id, pos, TurnKind.QUESTION, pos.question.prompt)
                self.open_clock(session_id)
                yield QuestionAsked(pos.question, pos.index, pos.total)
                return
            opens = submission_opens_follow_up(pos.turns)
            talks = opens or last.kind == TurnKind.ANSWER
            if talks and (measured := self._measured_follow_up(session_id, pos)) is not None:
                turn = self._store(
                    session_id, pos, TurnKind.FOLLOW_UP, measured.text, measured.criterion
                )
                yield FollowUpAsked(turn)
                return
            if last.kind == TurnKind.ANSWER or opens:
                asked = yield from self._follow_up(session_id, pos, cancel)
                if asked:
                    return
                yield from self._grade(session_id, pos, skipped=False)
            elif last.kind == TurnKind.SKIP:
                yield from self._grade(session_id, pos, skipped=True)
            else:
                return  # an interviewer turn is waiting for the candidate

    def submit_answer(self, session_id: int, text: str) -> list[Event]:
        """Commit the answer first, then let the interview continue."""
        return settled(self.submit_answer_stream(session_id, text))

    def submit_answer_stream(
        self, session_id: int, text: str, cancel: threading.Event | None = None
    ) -> Generator[StreamEvent, None, None]:
        """``submit_answer``, streaming the follow-up. The answer is committed before any yield."""
        pos = self._waiting(session_id)
        turn = self._store(session_id, pos, TurnKind.ANSWER, text)
        return prepend(AnswerStored(turn), self.advance_stream(session_id, cancel))

    def _follow_up(
        self, session_id: int, pos: Position, cancel: threading.Event | None
    ) -> Generator[StreamEvent, None, bool]:
        """Ask the next follow-up if the policy wants one; True when one was committed."""

        def commit(
            text: str, criterion: str | None, status: TurnStatus = TurnStatus.COMPLETE
        ) -> Turn:
            return self._store(session_id, pos, TurnKind.FOLLOW_UP, text, criterion, status)

        return ask_follow_up(self.policy, self.context(pos), self.follow_up_limit, cancel, commit)

    def hint(self, session_id: int) -> Turn | None:
        """Reveal the next hint, recorded so the rubric's hint penalty applies.

        While a follow-up waits for its answer the hint is about that follow-up, once per
        follow-up; otherwise the next banked hint of the question. What a hint may say is
        ``engine.hints``: None (nothing stored, nothing charged) when there is nothing to say.
        """
        pos = self._waiting(session_id)
        pending = pending_follow_up(pos.turns)
        if pending is not None:
            if pending.id is not None and _hinted_since(pos.turns, pending.id):
                return None
            text = follow_up_hint(pos.question, pending, pos.turns)
            criterion = pending.criterion
        else:
            text, criterion = question_hint(pos.question, pos.turns), None
        if text is None:
            return None
        return self._store(session_id, pos, TurnKind.HINT, text, criterion)

    def end_stage(self, session_id: int, draft: str = "") -> list[Event]:
        """Close the current stage: grade the question on screen, leave the rest not reached.

        ``draft`` (what the candidate typed, if anything) is committed as an answer first, with
        no follow-up asked about it. What the candidate submitted is kept and graded; a
        question they saw but did not answer is recorded as skipped. Questions never shown are
        "not reached": no grade at all, so nothing unseen is ever scored as wrong. Used when the
        stage's time is up or the candidate ends it.
        """
        pos = self.position(session_id)
        events: list[Event] = []
        if pos is None or not pos.turns:  # nothing on screen yet: show it (or finish)
            events = self.advance(session_id)
            pos = self.position(session_id)
            if pos is None:
                return events
        # No advance past this point: a follow-up asked now would never be seen.
        self.repo.finish_stage(session_id, pos.planned.stage, at=self.clock())
        if draft.strip():
            events.append(AnswerStored(self._store(session_id, pos, TurnKind.ANSWER, draft)))
            pos = self._current(session_id)
        answered = any(t.kind in (TurnKind.ANSWER, TurnKind.CODE_RUN) for t in pos.turns)
        if not answered and pos.turns[-1].kind != TurnKind.SKIP:
            self._store(session_id, pos, TurnKind.SKIP, "skipped")
        events.extend(self._grade(session_id, pos, skipped=not answered))
        return [*events, *self.advance(session_id)]

    def end_question(self, session_id: int, draft: str = "") -> list[Event]:
        """Grade what has been said so far without asking (or storing) any more follow-ups.

        ``draft`` is committed as the last answer first; the transcript then holds only what
        the candidate saw and said.
        """
        pos = self._waiting(session_id)
        events: list[Event] = []
        if draft.strip():
            events.append(AnswerStored(self._store(session_id, pos, TurnKind.ANSWER, draft)))
            pos = self._current(session_id)
        if not any(t.kind in (TurnKind.ANSWER, TurnKind.CODE_RUN) for t in pos.turns):
            raise EngineError("answer the question (or skip it) before ending it")
        return [*events, *self._grade(session_id, pos, skipped=False), *self.advance(session_id)]

    def _current(self, session_id: int) -> Position:
        pos = self.position(session_id)
        if pos is None:
            raise EngineError("the session has ended")
        return pos

    def run_examples(
        self, session_id: int, code: str, cancel: threading.Event | None = None
    ) -> RunReport:
        """Run the visible examples; stored as a run, never graded, allowed any number of times.

        Setting ``cancel`` stops the run; nothing is stored and ``EngineError`` says so.
        """
        _pos, question = self._coding(session_id)
        report = self._run(request_for(question, code, "examples"), cancel)
        self.repo.add_code_run(
            CodeRunRecord(
                session_id=session_id,
                question_id=question.id,
                hidden=False,
                code=code,
                report=report.model_dump(mode="json"),
            )
        )
        return report

    def submit_code(
        self,
        session_id: int,
        code: str,
        cancel: threading.Event | None = None,
        *,
        follow_up: bool = True,
    ) -> list[Event]:
        """Run the hidden and performance tests, commit the run with its turn, then continue.

        The sandbox runs before anything is stored: a crash mid-run loses only that run, and
        the stored submission is what the follow-ups and the grade read. ``follow_up=False``
        stops after storing it, for a submission that closes the stage (``end_stage`` next).
        """
        pos, question = self._coding(session_id)
        report = self._run(request_for(question, code, "submission"), cancel)
        run = CodeRunRecord(
            session_id=session_id,
            question_id=question.id,
            hidden=True,
            code=code,
            report=report.model_dump(mode="json"),
        )
        turn = Turn(
            session_id=session_id,
            stage=pos.planned.stage,
            question_id=question.id,
            kind=TurnKind.CODE_RUN,
            text=code,
        )
        self.repo.add_code_run(run, turn)
        if not follow_up:  # the stage is closing: nothing more will be asked or seen
            return [CodeSubmitted(question.id, report)]
        return [CodeSubmitted(question.id, report), *self.advance(session_id)]

    def _coding(self, session_id: int) -> tuple[Position, CodingQuestion]:
        pos = self._waiting(session_id)
        if not isinstance(pos.question, CodingQuestion):
            raise EngineError(
                f"'{pos.question.id}' is not a coding question; there is no code to run"
            )
        return pos, pos.question

    def _run(self, request: RunRequest, cancel: threading.Event | None) -> RunReport:
        try:
            return self.code_runner(request, cancel=cancel)
        except RunCancelled as exc:
            raise EngineError("the run was cancelled; nothing was stored") from exc
        except SandboxError as exc:
            raise EngineError(str(exc)) from exc

    def _measured_follow_up(self, session_id: int, pos: Position) -> FollowUp | None:
        if not isinstance(pos.question, CodingQuestion):
            return None
        submissions = self.repo.code_runs(session_id, pos.question.id, hidden=True)
        report = stored_report(submissions[-1]) if submissions else None
        if report is None:
            return None
        return measured_follow_up(pos.question, report, pos.turns, self.follow_up_limit)

    def skip(self, session_id: int) -> list[Event]:
        pos = self._waiting(session_id)
        self._store(session_id, pos, TurnKind.SKIP, "skipped")
        return self.advance(session_id)

    def _waiting(self, session_id: int) -> Position:
        pos = self.position(session_id)
        if pos is None or not pos.turns or pos.turns[-1].kind in (TurnKind.ANSWER, TurnKind.SKIP):
            raise EngineError("the session is not waiting for an answer")
        return pos

    def _store(
        self,
        session_id: int,
        pos: Position,
        kind: TurnKind,
        text: str,
        criterion: str | None = None,
        status: TurnStatus = TurnStatus.COMPLETE,
    ) -> Turn:
        return self.repo.add_turn(
            Turn(
                session_id=session_id,
                stage=pos.planned.stage,
                question_id=pos.question.id,
                kind=kind,
                text=text,
                criterion=criterion,
                status=status,
            )
        )

    def _grade(self, session_id: int, pos: Position, *, skipped: bool) -> list[Event]:
        ctx = self.context(pos)
        if skipped:
            grade = Grade(
                question_id=pos.question.id,
                stage=pos.question.stage,
                scores=[],  # nothing was measured: no criterion (or topic) reads as weak
                total=0.0,
                hire_signal=ctx.rubric.signal_for(0.0),
                scorer=self.scorer.name,
                scorer_version=self.scorer.version,
                rubric_id=ctx.rubric.id,
                rubric_version=ctx.rubric.version,
                hints_used=ctx.hints_used,
                skipped=True,
            )
        else:
            grade = self.scorer.grade(ctx)
        self._close_spans(session_id, self.clock())
        self.repo.add_grade(session_id, grade)
        events: list[Event] = [Graded(grade)]
        if grade.fallback_reason:
            events.insert(0, Notice(grade.fallback_reason))
        nxt = self.position(session_id)
        if nxt is None or nxt.planned.stage != pos.planned.stage:
            self.repo.finish_stage(session_id, pos.planned.stage, at=self.clock())
            events.append(
                StageDone(pos.planned.stage, self.stage_result(session_id, pos.planned.stage))
            )
        return events

    def stage_result(self, session_id: int, stage: Stage) -> StageResult:
        grades = [g for g in self.repo.grades(session_id) if g.stage == stage]
        average = sum(g.total for g in grades) / len(grades) if grades else 0.0
        rubric = self.catalog.rubrics[grades[0].rubric_id] if grades else None
        signal = rubric.signal_for(average) if rubric else self._any_rubric(stage).signal_for(0.0)
        summary = self.repo.get_session(session_id)
        graded = {g.question_id for g in grades}
        unreached = [
            p.question_id
            for p in (summary.plan if summary else [])
            if p.stage == stage and p.question_id not in graded
        ]
        return StageResult(
            stage=stage,
            grades=grades,
            average=round(average, 3),
            hire_signal=signal,
            not_reached=unreached if self._stage_closed(session_id, stage) else [],
        )

    def _stage_closed(self, session_id: int, stage: Stage) -> bool:
        return any(
            r.stage == stage and r.finished_at is not None for r in self.repo.stages(session_id)
        )

    # -- attempts: a question answered again after its scorecard ---------------------------

    def retry(self, session_id: int, question_id: str) -> int:
        """Start a new attempt at a question graded in ``session_id``: a one-question session
        whose plan names the attempt it follows. The first attempt is left as it was."""
        graded = [g for g in self.repo.grades(session_id) if g.question_id == question_id]
        if not graded:
            raise EngineError(f"'{question_id}' has no scorecard in session {session_id} yet")
        plan = [
            PlannedQuestion(stage=graded[-1].stage, question_id=question_id, retry_of=session_id)
        ]
        return self.start(SessionMode.DRILL, plan)

    def attempts(self, session_id: int) -> list[AttemptComparison]:
        """Each retried question graded in this session against its previous attempt."""
        summary = self.repo.get_session(session_id)
        if summary is None:
            raise EngineError(f"no session {session_id}")
        latest = {g.question_id: g for g in self.repo.grades(session_id)}
        found: list[AttemptComparison] = []
        for planned in summary.plan:
            grade = latest.get(planned.question_id)
            if planned.retry_of is None or grade is None:
                continue
            before = [
                g for g in self.repo.grades(planned.retry_of) if g.question_id == grade.question_id
            ]
            if before:
                rubric = self.catalog.rubrics.get(grade.rubric_id)
                names = {c.id: c.name for c in rubric.criteria} if rubric else {}
                found.append(compare(before[-1], grade, planned.retry_of, names))
        return found

    # -- the clock: time is counted only while the candidate is in a question --------------

    def open_clock(self, session_id: int) -> None:
        """The candidate is in the current question now (it is shown, nothing covers it).

        Only a stretch this engine opened for this question carries on. Any other open
        stretch was left by a process that is gone (a crash, however recent) and ends at its
        last heartbeat first, so the time it was dead is never counted.
        """
        pos = self.position(session_id)
        if pos is None or not any(t.kind == TurnKind.QUESTION for t in pos.turns):
            return
        now = self.clock()
        open_spans = self._open_spans(session_id)
        if all(self._own(s) for s in open_spans) and any(
            s.question_id == pos.question.id for s in open_spans
        ):
            self.repo.beat_time(session_id, now)
            return
        self._close_spans(session_id, now)
        self.repo.open_time(session_id, pos.planned.stage, pos.question.id, now)
        opened = [s.id for s in self._open_spans(session_id) if s.id is not None]
        if opened:
            self._own_spans.add(max(opened))

    def pause_clock(self, session_id: int) -> None:
        """The candidate left the question (a scorecard, home, quit): the clock stops now."""
        self._close_spans(session_id, self.clock())

    def beat_clock(self, session_id: int) -> None:
        """Still in the question: a crash after this loses at most the time to the next beat.

        Only this engine's own stretch is extended: a heartbeat that came before the
        question's clock was reopened (the app's first tick on resuming) must not stretch a
        crashed process's stretch over the time it was dead; that one ends at its last beat.
        """
        open_spans = self._open_spans(session_id)
        if open_spans and not any(self._own(s) for s in open_spans):
            self.repo.close_time(session_id, None)
            return
        self.repo.beat_time(session_id, self.clock())

    def _open_spans(self, session_id: int) -> list[TimeSpan]:
        return [s for s in self.repo.time_spans(session_id) if s.closed_at is None]

    def _own(self, span: TimeSpan) -> bool:
        return span.id in self._own_spans

    def _close_spans(self, session_id: int, now: datetime) -> None:
        """Close every open stretch: this engine's own at ``now``, one a process that is gone
        left open at its last heartbeat (what that process proved)."""
        open_spans = self._open_spans(session_id)
        if open_spans:
            own = all(self._own(s) for s in open_spans)
            self.repo.close_time(session_id, now if own else None)

    def time(self, session_id: int, *, live: bool = False) -> SessionTime:
        """Time used and budget per stage; ``live`` counts an open stretch up to now (for the
        interface that keeps it open), otherwise only to its last heartbeat."""
        summary = self.repo.get_session(session_id)
        if summary is None:
            raise EngineError(f"no session {session_id}")
        return session_time(
            summary.plan,
            self.repo.stages(session_id),
            self.repo.time_spans(session_id),
            self.stage_minutes,
            self.clock() if live else None,
        )

    def _any_rubric(self, stage: Stage) -> Rubric:
        return next(r for r in self.catalog.rubrics.values() if r.stage == stage)

    def _finish(self, session_id: int) -> list[Event]:
        summary = self.repo.get_session(session_id)
        assert summary is not None
        if summary.status != SessionStatus.COMPLETED:
            self.repo.finish_session(session_id)
        return [SessionDone(self.summary(session_id))]

    def summary(self, session_id: int) -> SessionSummary:
        summary = self.repo.get_session(session_id)
        if summary is None:
            raise EngineError(f"no session {session_id}")
        stages = list(dict.fromkeys(p.stage for p in summary.plan))
        graded = {g.stage for g in self.repo.grades(session_id)}
        results = [self.stage_result(session_id, s) for s in stages if s in graded]
        overall, _ = session_recommendation(stages, {r.stage: r.hire_signal for r in results})
        return summary.model_copy(update={"results": results, "overall_signal": overall})


def as_planned(question: AnyQuestion, planned: PlannedQuestion) -> AnyQuestion:
    """The question with only the follow-ups its plan presses on, in the plan's order.

    A recommended drill that revisits a weak question names the banked follow-ups to ask
    (``DrillItem.follow_ups``); the interviewer then chooses among those alone. Texts no longer
    in the bank are dropped; with none left, the question keeps all of its follow-ups.
    """
    if not planned.follow_ups:
        return question
    banked = {f.text: f for f in question.follow_ups}
    chosen = [banked[text] for text in planned.follow_ups if text in banked]
    return question.model_copy(update={"follow_ups": chosen}) if chosen else question


def _hinted_since(turns: list[Turn], turn_id: int) -> bool:
    return any(t.kind == TurnKind.HINT and t.id is not None and t.id > turn_id for t in turns)
