"""``interview-sim``: every command is a thin shell over the engine, banks and repository."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import ValidationError

from interview_sim import __version__
from interview_sim.banks import BankError, Catalog, load_catalog
from interview_sim.cli.answers import AnswerScript, AnswersError, load_answers, stdin_answers
from interview_sim.config import Settings, load_settings, masked
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
from interview_sim.engine.engine import EngineError
from interview_sim.engine.planner import PlanError
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import Difficulty, Grade, SessionMode, Stage, TurnKind
from interview_sim.scoring import PlaceholderKeywordScorer
from interview_sim.store import Repository, open_database
from interview_sim.store.db import StoreError


class UserError(Exception):
    """Shown as one line on stderr with exit code 2; never a traceback."""


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interview-sim", description=__doc__)
    p.add_argument("--version", action="version", version=f"interview-sim {__version__}")
    p.add_argument("--config", type=Path, help="config file (YAML)")
    p.add_argument("--db", help="database path or SQLAlchemy URL (default sessions.db)")
    p.add_argument("--bank-dir", action="append", type=Path, default=None, help="extra bank folder")
    sub = p.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run a scripted, headless interview")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", choices=[s.value for s in Stage])
    which.add_argument("--loop", action="store_true", help="the full four-stage loop")
    run.add_argument("--count", type=_positive, help="questions (drill) or per stage (loop)")
    run.add_argument("--tag", action="append", default=[], help="drill: only questions with tag")
    run.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    run.add_argument("--answers", type=Path, help="YAML/JSON answers file; default stdin lines")
    run.add_argument("--json", action="store_true")

    resume = sub.add_parser("resume", help="continue an unfinished session")
    resume.add_argument("session_id", type=int)
    resume.add_argument("--answers", type=Path)
    resume.add_argument("--json", action="store_true")

    sessions = sub.add_parser("sessions", help="past sessions")
    ssub = sessions.add_subparsers(dest="action", required=True)
    ssub.add_parser("list").add_argument("--json", action="store_true")
    show = ssub.add_parser("show")
    show.add_argument("session_id", type=int)
    show.add_argument("--json", action="store_true")

    banks = sub.add_parser("banks", help="question banks")
    bsub = banks.add_subparsers(dest="action", required=True)
    validate = bsub.add_parser("validate")
    validate.add_argument("paths", nargs="*", type=Path)
    listing = bsub.add_parser("list")
    listing.add_argument("--stage", choices=[s.value for s in Stage])

    config = sub.add_parser("config", help="configuration")
    csub = config.add_subparsers(dest="action", required=True)
    csub.add_parser("show")
    return p


def _catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.bank_dirs)
    except BankError as exc:
        raise UserError(f"the question banks have errors:\n{exc}") from exc


def _engine(settings: Settings) -> tuple[InterviewEngine, Repository]:
    catalog = _catalog(settings)
    try:
        repo = Repository(open_database(settings.db))
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    scorer = PlaceholderKeywordScorer()
    engine = InterviewEngine(
        catalog,
        repo,
        scorer,
        BankedFollowUpPolicy(scorer),
        follow_up_limit=settings.follow_up_limit,
        stage_minutes=settings.minutes_per_stage,
    )
    return engine, repo


def _describe(event: Event) -> str:
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
                print(_describe(event), flush=True)
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
    engine, repo = _engine(settings)
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
    engine, _ = _engine(settings)
    script = load_answers(args.answers) if args.answers else None
    return _drive(engine, args.session_id, script, args.json)


def _sessions(args: argparse.Namespace, settings: Settings) -> int:
    engine, repo = _engine(settings)
    if args.action == "list":
        sessions = repo.list_sessions()
        if args.json:
            print(json.dumps([s.model_dump(mode="json") for s in sessions], indent=2))
        for s in [] if args.json else sessions:
            print(
                f"{s.id:>5}  {s.mode.value:<5}  {s.status.value:<12}  {s.started_at:%Y-%m-%d %H:%M}"
            )
        return 0
    summary = engine.summary(args.session_id)
    turns = repo.turns(args.session_id)
    if args.json:
        print(
            json.dumps(
                {
                    "session": summary.model_dump(mode="json"),
                    "turns": [t.model_dump(mode="json") for t in turns],
                },
                indent=2,
            )
        )
        return 0
    print(f"session {summary.id} ({summary.mode.value}, {summary.status.value})")
    for t in turns:
        print(f"[{t.stage.value}/{t.question_id}] {t.kind.value}: {t.text}")
    for result in summary.results:
        print(f"{result.stage.value}: {result.average:.2f}/4 {result.hire_signal.value}")
    return 0


def _banks(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "validate":
        try:
            catalog = load_catalog(args.paths or settings.bank_dirs)
        except BankError as exc:
            print(f"{len(exc.issues)} problem(s):", file=sys.stderr)
            for issue in exc.issues:
                print(f"  {issue}", file=sys.stderr)
            return 1
        print(f"ok: {len(catalog.questions)} questions, {len(catalog.rubrics)} rubrics")
        return 0
    catalog = _catalog(settings)
    stages = [Stage(args.stage)] if args.stage else list(Stage)
    for stage in stages:
        for q in catalog.by_stage(stage):
            print(f"{q.stage.value:<14} {q.id:<40} {q.difficulty.value:<7} {q.title}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.config is not None and not args.config.is_file():
            raise UserError(f"config file {args.config} does not exist")
        settings = load_settings(args.config, db=args.db, bank_dirs=args.bank_dir)
        if args.command is None:
            parser.print_help()
            return 0
        if args.command == "config":
            print(json.dumps(masked(settings), indent=2))
            return 0
        handler = {"run": _run, "resume": _resume, "sessions": _sessions, "banks": _banks}
        return handler[args.command](args, settings)
    except (UserError, AnswersError, EngineError, PlanError) as exc:
        print(f"interview-sim: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"interview-sim: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted; submitted answers are saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. ``head``) went away; answers are already committed.
        sys.stderr.close()
        return 0
