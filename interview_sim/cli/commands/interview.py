"""``run`` and ``resume``: drive a scripted interview headless, answer by answer."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from interview_sim.cli.answers import AnswerScript, CodeAnswer, load_answers, stdin_answers
from interview_sim.cli.common import UserError
from interview_sim.config import Settings
from interview_sim.engine import (
    AnswerStored,
    CodeSubmitted,
    Event,
    FollowUpAsked,
    Graded,
    InterviewEngine,
    Notice,
    QuestionAsked,
    SessionDone,
    StageDone,
)
from interview_sim.models import (
    CodingQuestion,
    Difficulty,
    Grade,
    PlannedQuestion,
    SessionOrigin,
    Stage,
    TokenUsage,
    TurnKind,
)
from interview_sim.services import PlanCheck, open_services


def describe(event: Event) -> str:
    """One plain-text line (or block) per engine event."""
    match event:
        case QuestionAsked(question=q, index=i, total=n):
            text = f"\n[{i + 1}/{n}] {q.stage.value}: {q.title}\n{q.prompt.strip()}"
            if isinstance(q, CodingQuestion):
                text += f"\nstarter code:\n{q.starter_code.rstrip()}"
            return text
        case FollowUpAsked(turn=t):
            return f"  follow-up: {t.text}"
        case AnswerStored(turn=t):
            return f"  (answer stored, {len(t.text.split())} words)"
        case Graded(grade=g):
            levels = ", ".join(f"{s.criterion}={s.level}" for s in g.scores)
            line = f"  grade {g.total:.2f}/4 {g.hire_signal.value} [{levels}] ({g.scorer})"
            if g.cross_checks:
                gaps = ", ".join(
                    f"{c.criterion} judge {c.judge_level} vs offline {c.offline_level}"
                    for c in g.cross_checks
                )
                line += f"\n  flagged, the judge and offline scorer disagree: {gaps}"
            return line
        case StageDone(stage=s, result=r):
            line = f"== {s.value} done: {r.average:.2f}/4 {r.hire_signal.value}"
            if r.not_reached:
                line += f" (not reached, not graded: {', '.join(r.not_reached)})"
            return line
        case Notice(message=m):
            return f"  notice: {m}"
        case CodeSubmitted(report=r):
            return f"  code submitted: {r.summary()}"
        case SessionDone(summary=s):
            signal = s.overall_signal.value if s.overall_signal else "n/a"
            return f"== session {s.id} complete: {signal}"
    return ""


def _drive(
    engine: InterviewEngine,
    session_id: int,
    script: AnswerScript | None,
    as_json: bool,
) -> int:
    """Feed answers until the session ends or the script runs dry (the session stays resumable)."""
    lines: Iterator[str] | None = None if script else stdin_answers(sys.stdin)
    grades: list[Grade] = []
    events = engine.advance(session_id)
    while True:
        for event in events:
            if isinstance(event, Graded):
                grades.append(event.grade)
            if not as_json:
                print(describe(event), flush=True)
        pos = engine.position(session_id)
        if pos is None:
            break
        engine.open_clock(session_id)  # waiting for the candidate: their time runs
        given = sum(1 for t in pos.turns if t.kind in (TurnKind.ANSWER, TurnKind.CODE_RUN))
        last = False  # the script's last answer to this question: no follow-up after it
        if script is not None:
            pending = script.for_question(pos.question.id, pos.index)[given:]
            answer = pending[0] if pending else None
            last = len(pending) == 1
        else:
            answer = next(lines, None) if lines else None
        if answer is None and given:
            events = engine.end_question(session_id)
            continue
        if answer is None:
            engine.pause_clock(session_id)  # nobody is answering: the stage clock stops
            if not as_json:
                print(f"no answers left; resume with: interview-sim resume {session_id}")
            break
        if isinstance(answer, CodeAnswer):
            events = _submit_code(engine, session_id, answer, as_json, last=last)
        elif last:  # nobody would answer another follow-up: grade what was said
            events = engine.end_question(session_id, answer)
        else:
            events = engine.submit_answer(session_id, answer)
    used = [g.usage for g in engine.repo.grades(session_id) if g.usage is not None]
    if used and not as_json:
        total = sum(used, TokenUsage())
        print(
            f"LLM tokens this session: {total.prompt_tokens} prompt,"
            f" {total.completion_tokens} completion"
        )
    if as_json:
        summary = engine.summary(session_id)
        print(
            json.dumps(
                {
                    "session": summary.model_dump(mode="json"),
                    "grades": [g.model_dump(mode="json") for g in grades],
                },
                indent=2,
            )
        )
    return 0


def _submit_code(
    engine: InterviewEngine, session_id: int, answer: CodeAnswer, as_json: bool, *, last: bool
) -> list[Event]:
    """Scripted code: run the visible examples first when asked, then submit; the script's
    last answer to the question is graded as it stands, with no follow-up nobody answers."""
    if answer.run_examples:
        report = engine.run_examples(session_id, answer.text)
        if not as_json:
            print(f"  examples: {report.summary()}", flush=True)
    if not last:
        return engine.submit_code(session_id, answer.text)
    submitted = engine.submit_code(session_id, answer.text, follow_up=False)
    return [*submitted, *engine.end_question(session_id)]


def _plan_check(script: AnswerScript, engine: InterviewEngine, path: Path) -> PlanCheck:
    """Refuses, before it is stored, a plan the answers file answers none of, or answers with
    code where no code is asked."""
    stages = {q: engine.catalog.questions[q].stage.value for q in script.by_id}
    coding = {
        q for q, question in engine.catalog.questions.items() if question.stage == Stage.CODING
    }

    def check(plan: list[PlannedQuestion]) -> None:
        planned = [p.question_id for p in plan]
        script.check_plan(planned, stages, path)
        script.check_code(planned, coding, path)

    return check


def _require_llm(settings: Settings, use_llm: bool | None) -> None:
    """``--llm`` means the user wants the LLM, not the offline fallback: one request before the
    database is opened, so an endpoint that cannot be used refuses the run (one line, exit 2)
    instead of a session where every call falls back. Without ``--llm`` a failing endpoint
    still falls back with a notice per call; an unconfigured one is refused by
    ``open_services``."""
    if use_llm is not True or not settings.llm.configured:
        return
    from interview_sim.llm.doctor import endpoint_failure  # openai: only when --llm is given

    failed = endpoint_failure(settings.llm)
    if failed is not None:
        raise UserError(
            f"--llm needs the LLM, but {failed.message}; fix: {failed.fix}"
            " (or drop --llm to practise with the offline interviewer)"
        )


def _run(args: argparse.Namespace, settings: Settings) -> int:
    _require_llm(settings, args.use_llm)
    services = open_services(settings, use_llm=args.use_llm)
    engine = services.engine
    script = load_answers(args.answers) if args.answers else None
    check: PlanCheck | None = None
    if script is not None:
        script.check_ids(engine.catalog.questions, args.answers)
        check = _plan_check(script, engine, args.answers)
    if args.question and not args.stage:
        raise UserError("--question needs --stage: the stage the questions belong to")
    if args.question and (args.count or args.tag or args.difficulty):
        raise UserError("--question picks the questions itself; drop --count, --tag, --difficulty")
    script_run = SessionOrigin.SCRIPT
    if args.question:
        started = services.start_questions(
            Stage(args.stage), args.question, origin=script_run, before_storing=check
        )
    elif args.loop:
        started = services.start_loop(per_stage=args.count, origin=script_run, before_storing=check)
    elif args.recommended:
        started = services.start_recommended(
            count=args.count, origin=script_run, before_storing=check
        )
    else:
        started = services.start_drill(
            Stage(args.stage),
            count=args.count,
            difficulty=Difficulty(args.difficulty) if args.difficulty else None,
            tags=args.tag,
            origin=script_run,
            before_storing=check,
        )
    if not args.json:
        count = f"{started.questions} question{'' if started.questions == 1 else 's'}"
        print(f"session {started.id} ({started.mode.value}, {count})")
    return _drive(engine, started.id, script, args.json)


def _resume(args: argparse.Namespace, settings: Settings) -> int:
    _require_llm(settings, args.use_llm)
    engine = open_services(settings, use_llm=args.use_llm).engine
    script = load_answers(args.answers) if args.answers else None
    if script is not None:
        script.check_ids(engine.catalog.questions, args.answers)
    session_id = args.session_id
    if session_id is None:
        # The same order as Home's Resume slot (Repository.unfinished).
        unfinished = engine.repo.unfinished()
        if not unfinished:
            raise UserError("no unfinished session to resume: start one with 'run'")
        session_id = unfinished[0].id
        if not args.json:
            print(f"resuming session {session_id}")
    return _drive(engine, session_id, script, args.json)
