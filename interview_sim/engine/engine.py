"""Run a stored session question by question.

The engine keeps no state of its own beyond the session id: where the interview stands is
derived from the committed turns and grades every time. That is what makes resume exact: a
process killed at any point restarts from the last committed row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from interview_sim.banks import Catalog
from interview_sim.engine.events import (
    AnswerStored,
    Event,
    FollowUpAsked,
    Graded,
    QuestionAsked,
    SessionDone,
    StageDone,
)
from interview_sim.engine.protocols import InterviewerPolicy, QuestionContext, Scorer
from interview_sim.models import (
    AnyQuestion,
    CriterionScore,
    Grade,
    HireSignal,
    PlannedQuestion,
    Rubric,
    SessionMode,
    SessionStatus,
    SessionSummary,
    Stage,
    StageResult,
    Turn,
    TurnKind,
)
from interview_sim.store import Repository


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
    ) -> None:
        self.catalog = catalog
        self.repo = repo
        self.scorer = scorer
        self.policy = policy
        self.follow_up_limit = follow_up_limit
        self.stage_minutes = dict(stage_minutes or {})

    def start(self, mode: SessionMode, plan: list[PlannedQuestion]) -> int:
        missing = [p.question_id for p in plan if p.question_id not in self.catalog.questions]
        if missing:
            raise EngineError(f"unknown question ids: {', '.join(missing)}")
        return self.repo.create_session(mode, plan).id

    def position(self, session_id: int) -> Position | None:
        """The question the session is on, or None when every planned question is graded."""
        summary = self.repo.get_session(session_id)
        if summary is None:
            raise EngineError(f"no session {session_id}")
        graded = {g.question_id for g in self.repo.grades(session_id)}
        turns = self.repo.turns(session_id)
        for index, planned in enumerate(summary.plan):
            if planned.question_id not in graded:
                question = self.catalog.questions.get(planned.question_id)
                if question is None:
                    raise EngineError(
                        f"session {session_id} uses question '{planned.question_id}',"
                        " which is no longer in the banks"
                    )
                own = [t for t in turns if t.question_id == planned.question_id]
                return Position(index, len(summary.plan), planned, question, own)
        return None

    def context(self, position: Position) -> QuestionContext:
        rubric = self.catalog.rubric_for(position.question)
        return QuestionContext(position.question, rubric, position.turns)

    def advance(self, session_id: int) -> list[Event]:
        """Move the session forward until it waits for the candidate (or ends)."""
        events: list[Event] = []
        while True:
            pos = self.position(session_id)
            if pos is None:
                events.extend(self._finish(session_id))
                return events
            last = pos.turns[-1] if pos.turns else None
            if last is None:
                started = {r.stage for r in self.repo.stages(session_id)}
                if pos.planned.stage not in started:
                    minutes = self.stage_minutes.get(pos.planned.stage, 30)
                    self.repo.start_stage(session_id, pos.planned.stage, minutes * 60)
                self._store(session_id, pos, TurnKind.QUESTION, pos.question.prompt)
                events.append(QuestionAsked(pos.question, pos.index, pos.total))
                return events
            if last.kind == TurnKind.ANSWER:
                follow_up = self.policy.next_follow_up(self.context(pos), self.follow_up_limit)
                if follow_up is not None:
                    turn = self._store(
                        session_id, pos, TurnKind.FOLLOW_UP, follow_up.text, follow_up.criterion
                    )
                    events.append(FollowUpAsked(turn))
                    return events
                events.extend(self._grade(session_id, pos, skipped=False))
            elif last.kind == TurnKind.SKIP:
                events.extend(self._grade(session_id, pos, skipped=True))
            else:
                return events  # an interviewer turn is waiting for the candidate

    def submit_answer(self, session_id: int, text: str) -> list[Event]:
        """Commit the answer first, then let the interview continue."""
        pos = self._waiting(session_id)
        turn = self._store(session_id, pos, TurnKind.ANSWER, text)
        return [AnswerStored(turn), *self.advance(session_id)]

    def hint(self, session_id: int) -> Turn | None:
        """Reveal the next banked hint, recorded so the rubric's hint penalty applies."""
        pos = self._waiting(session_id)
        used = sum(1 for t in pos.turns if t.kind == TurnKind.HINT)
        if used >= len(pos.question.hints):
            return None
        return self._store(session_id, pos, TurnKind.HINT, pos.question.hints[used])

    def end_question(self, session_id: int) -> list[Event]:
        """Grade what has been said so far without waiting for further follow-up answers."""
        pos = self._waiting(session_id)
        if not any(t.kind == TurnKind.ANSWER for t in pos.turns):
            raise EngineError("answer the question (or skip it) before ending it")
        return [*self._grade(session_id, pos, skipped=False), *self.advance(session_id)]

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
    ) -> Turn:
        return self.repo.add_turn(
            Turn(
                session_id=session_id,
                stage=pos.planned.stage,
                question_id=pos.question.id,
                kind=kind,
                text=text,
                criterion=criterion,
            )
        )

    def _grade(self, session_id: int, pos: Position, *, skipped: bool) -> list[Event]:
        ctx = self.context(pos)
        if skipped:
            grade = Grade(
                question_id=pos.question.id,
                stage=pos.question.stage,
                scores=[
                    CriterionScore(criterion=c.id, level=0, rationale="question skipped")
                    for c in ctx.rubric.criteria
                ],
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
        self.repo.add_grade(session_id, grade)
        events: list[Event] = [Graded(grade)]
        nxt = self.position(session_id)
        if nxt is None or nxt.planned.stage != pos.planned.stage:
            self.repo.finish_stage(session_id, pos.planned.stage)
            events.append(
                StageDone(pos.planned.stage, self.stage_result(session_id, pos.planned.stage))
            )
        return events

    def stage_result(self, session_id: int, stage: Stage) -> StageResult:
        grades = [g for g in self.repo.grades(session_id) if g.stage == stage]
        average = sum(g.total for g in grades) / len(grades) if grades else 0.0
        rubric = self.catalog.rubrics[grades[0].rubric_id] if grades else None
        signal = rubric.signal_for(average) if rubric else self._any_rubric(stage).signal_for(0.0)
        return StageResult(
            stage=stage, grades=grades, average=round(average, 3), hire_signal=signal
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
        overall = min((r.hire_signal for r in results), key=_SIGNAL_RANK.index, default=None)
        return summary.model_copy(update={"results": results, "overall_signal": overall})


_SIGNAL_RANK = list(HireSignal)
