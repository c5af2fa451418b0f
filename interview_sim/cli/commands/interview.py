"""``run`` and ``resume``: drive a scripted interview headless, answer by answer."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from interview_sim.cli.answers import AnswerScript, load_answers, stdin_answers
from interview_sim.cli.common import SubParsers, positive_int
from interview_sim.config import Settings
from interview_sim.engine import (
    AnswerStored,
    Event,
    FollowUpAsked,
    Graded,
    InterviewEngine,
    QuestionAsked,
    SessionDone,
    StageDone,
    plan_drill,
    plan_loop,
)
from interview_sim.models import Difficulty, Grade, SessionMode, Stage, TurnKind
from interview_sim.services import open_services


def register(sub: SubParsers) -> None:
    run = sub.add_parser("run", help="run a scripted, headless interview")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", choices=[s.value for s in Stage])
    which.add_argument("--loop", action="store_true", help="the full four-stage loop")
    run.add_argument("--count", type=positive_int, help="questions (drill) or per stage (loop)")
    run.add_argument("--tag", action="append", default=[], help="drill: only questions with tag")
    run.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    run.add_argument("--answers", type=Path, help="YAML/JSON answers file; default stdin lines")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=_run)

    resume = sub.add_parser("resume", help="continue an unfinished session")
    resume.add_argument("session_id", type=int)
    resume.add_argument("--answers", type=Path)
    resume.add_argument("--json", action="store_true")
    resume.set_defaults(handler=_resume)


def describe(event: Event) -> str:
    """One plain-text line (or block) per engine event."""
    match event:
        case QuestionAsked(question=q, index=i, total=n):
            return f"\n[{i + 1}/{n}] {q.stage.value}: {q.title}\n{q.prompt.strip()}"
        case FollowUpAsked(turn=t):
            return f"  follow-up: {t.text}"
        case AnswerStored(turn=t):
            return f"  (answer stored, {len(t.text.split())} words)"
        case Graded(grade=g):
            levels = ", ".join(f"{s.criterion}={s.level}" for s in g.scores)
            return f"  grade {g.total:.2f}/4 {g.hire_signal.value} [{levels}] ({g.scorer})"
        case StageDone(stage=s, result=r):
            return f"== {s.value} done: {r.average:.2f}/4 {r.hire_signal.value}"
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
        given = sum(1 for t in pos.turns if t.kind == TurnKind.ANSWER)
        if script is not None:
            pending = script.for_question(pos.question.id, pos.index)[given:]
            answer = pending[0] if pending else None
        else:
            answer = next(lines, None) if lines else None
        if answer is None and given:
            events = engine.end_question(session_id)
            continue
        if answer is None:
            if not as_json:
                print(f"no answers left; resume with: interview-sim resume {session_id}")
            break
        events = engine.submit_answer(session_id, answer)
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


def _run(args: argparse.Namespace, settings: Settings) -> int:
    services = open_services(settings)
    engine, repo = services.engine, services.repo
    script = load_answers(args.answers) if args.answers else None
    seen = {p.question_id for s in repo.list_sessions()[:20] for p in s.plan}
    if args.loop:
        per_stage = dict(settings.questions_per_stage)
        if args.count:
            per_stage = {s: args.count for s in Stage}
        plan = plan_loop(engine.catalog, per_stage, seen)
        mode = SessionMode.LOOP
    else:
        stage = Stage(args.stage)
        count = args.count or settings.questions_per_stage[stage]
        difficulty = Difficulty(args.difficulty) if args.difficulty else None
        plan = plan_drill(
            engine.catalog,
            stage,
            count,
            difficulty=difficulty,
            tags=frozenset(args.tag),
            recently_seen=seen,
        )
        mode = SessionMode.DRILL
    session_id = engine.start(mode, plan)
    if not args.json:
        print(f"session {session_id} ({mode.value}, {len(plan)} questions)")
    return _drive(engine, session_id, script, args.json)


def _resume(args: argparse.Namespace, settings: Settings) -> int:
    engine = open_services(settings).engine
    script = load_answers(args.answers) if args.answers else None
    return _drive(engine, args.session_id, script, args.json)
