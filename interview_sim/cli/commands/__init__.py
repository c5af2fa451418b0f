"""The command table: names, help and argument builders, with no command module imported.

``interview-sim --help`` or ``run-code`` must not pay for ``openai``, SQLAlchemy or Textual, so
this module only knows where each handler lives (``"module:function"``). A subparser's arguments
are added only when that command is the one being parsed, and its module is imported only when it
runs (see :mod:`interview_sim.cli.main`). To add a command, write its module with a handler
``(args, settings) -> int`` and add a :class:`Command` here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from interview_sim.cli.common import non_negative_int, positive_int, session_id

if TYPE_CHECKING:
    from pathlib import Path

Arguments = Callable[[argparse.ArgumentParser], None]


def path(value: str) -> Path:
    """``type=`` for file arguments; pathlib (with urllib.parse) loads only when one is given."""
    from pathlib import Path

    return Path(value)


class Command(NamedTuple):
    """A NamedTuple, not a dataclass: ``dataclasses`` imports ``inspect``, a cost on ``--help``."""

    name: str
    help: str
    handler: str
    """``"package.module:function"``, imported when the command runs."""
    arguments: Arguments | None = None
    """Adds the command's own arguments; called only when this command is parsed."""
    lazy_settings: bool = False
    """The handler gets ``() -> Settings`` instead of the settings, and reads them only if it
    needs them: pydantic-settings alone costs several bare interpreter starts, and ``run-code``
    on a problem file never reads the configuration."""


def _stages() -> list[str]:
    from interview_sim.models import Stage  # pydantic: only for the commands that take --stage

    return [s.value for s in Stage]


def _llm_choice(parser: argparse.ArgumentParser) -> None:
    """Default: the LLM interviewer and judge when an endpoint is configured, else offline."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--llm", dest="use_llm", action="store_true", default=None, help="require the LLM"
    )
    which.add_argument("--offline", dest="use_llm", action="store_false", help="never call it")


def _run(run: argparse.ArgumentParser) -> None:
    from interview_sim.models import Difficulty

    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--stage", choices=_stages())
    which.add_argument("--loop", action="store_true", help="the full four-stage loop")
    which.add_argument(
        "--recommended", action="store_true", help="the recommended drill (see `progress`)"
    )
    run.add_argument("--count", type=positive_int, help="questions (drill) or per stage (loop)")
    run.add_argument(
        "--question",
        action="append",
        default=[],
        metavar="ID",
        help="with --stage: exactly these questions, in order (repeatable)",
    )
    run.add_argument("--tag", action="append", default=[], help="drill: only questions with tag")
    run.add_argument("--difficulty", choices=[d.value for d in Difficulty])
    run.add_argument("--answers", type=path, help="YAML/JSON answers file; default stdin lines")
    run.add_argument("--json", action="store_true")
    _llm_choice(run)


def _resume(resume: argparse.ArgumentParser) -> None:
    resume.add_argument(
        "session_id",
        type=session_id,
        nargs="?",
        help="default: the session Home offers (the newest one you were in, scripted runs last)",
    )
    resume.add_argument("--answers", type=path)
    resume.add_argument("--json", action="store_true")
    _llm_choice(resume)


def _run_code(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--problem", required=True, help="a coding question id, or a bank file")
    cmd.add_argument("--code", required=True, type=path, help="the solution file (Python)")
    cmd.add_argument(
        "--hidden", action="store_true", help="run the hidden and performance tests too"
    )
    cmd.add_argument("--verbose", action="store_true", help="show details of passing tests")
    cmd.add_argument("--json", action="store_true", help="print the structured report")
    cmd.add_argument(
        "--input",
        action="append",
        metavar="JSON",
        help="run on these arguments (a JSON array) beside the reference solution; repeatable",
    )


def _sessions(sessions: argparse.ArgumentParser) -> None:
    ssub = sessions.add_subparsers(dest="action", required=True)
    listing = ssub.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument(
        "--limit", type=positive_int, help="newest N sessions only (default: all of them)"
    )
    listing.add_argument(
        "--offset", type=non_negative_int, default=0, help="skip the newest N sessions"
    )
    show = ssub.add_parser("show")
    show.add_argument("session_id", type=session_id)
    show.add_argument("--json", action="store_true")


def _report(report: argparse.ArgumentParser) -> None:
    report.add_argument("session_id", type=session_id)
    report.add_argument("--format", choices=["md", "html"], default="md")
    report.add_argument("-o", "--output", type=path, help="write to FILE instead of stdout")


def _progress(progress: argparse.ArgumentParser) -> None:
    progress.add_argument("--json", action="store_true")
    progress.add_argument("--count", type=positive_int, help="questions in the drill (default 3)")


def _grade(grade: argparse.ArgumentParser) -> None:
    grade.add_argument("--input", required=True, type=path, help="JSONL input ('-' for stdin)")
    grade.add_argument("--output", type=path, help="JSONL output (default stdout)")
    grade.add_argument("--scorer", choices=["offline"], default="offline", help="grader to use")


def _export(export: argparse.ArgumentParser) -> None:
    export.add_argument("--json", action="store_true", required=True, help="JSON (the format)")
    export.add_argument("-o", "--output", type=path, help="write to FILE instead of stdout")


def _import(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", type=path)


def _candidates(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--json", action="store_true")


def _banks(banks: argparse.ArgumentParser) -> None:
    bsub = banks.add_subparsers(dest="action", required=True)
    validate = bsub.add_parser("validate")
    validate.add_argument("paths", nargs="*", type=path)
    listing = bsub.add_parser("list")
    listing.add_argument("--stage", choices=_stages())


def _config(config: argparse.ArgumentParser) -> None:
    csub = config.add_subparsers(dest="action", required=True)
    csub.add_parser("show")


_PACKAGE = "interview_sim.cli.commands"

COMMANDS: tuple[Command, ...] = (
    Command("run", "run a scripted, headless interview", f"{_PACKAGE}.interview:_run", _run),
    Command("resume", "continue an unfinished session", f"{_PACKAGE}.interview:_resume", _resume),
    Command(
        "run-code",
        "run a solution in the sandbox and print verdicts",
        f"{_PACKAGE}.run_code:_run_code",
        _run_code,
        lazy_settings=True,
    ),
    Command("sessions", "past sessions", f"{_PACKAGE}.sessions:_sessions", _sessions),
    Command(
        "report",
        "a session's transcript, scorecards, model answers and hiring packet",
        f"{_PACKAGE}.report:_report",
        _report,
    ),
    Command(
        "progress",
        "progress over all sessions and what to drill next",
        f"{_PACKAGE}.progress:_progress",
        _progress,
    ),
    Command("grade", "grade a JSONL file of answers offline", f"{_PACKAGE}.grade:_grade", _grade),
    Command("export", "dump every session as JSON", f"{_PACKAGE}.transfer:_export", _export),
    Command(
        "import",
        "read sessions from an export file, skipping duplicates",
        f"{_PACKAGE}.transfer:_import",
        _import,
    ),
    Command(
        "candidates",
        "everyone with sessions in the database, with their recommended drill",
        f"{_PACKAGE}.candidates:_candidates",
        _candidates,
    ),
    Command("banks", "question banks", f"{_PACKAGE}.banks:_banks", _banks),
    Command("config", "configuration", f"{_PACKAGE}.config:_config", _config),
    Command(
        "doctor",
        "check the LLM endpoint (models, chat, json, stream)",
        f"{_PACKAGE}.doctor:_doctor",
    ),
    Command("tui", "the interactive terminal app (the default)", f"{_PACKAGE}.tui:launch"),
)
BY_NAME = {c.name: c for c in COMMANDS}
TUI = BY_NAME["tui"]
"""What runs when no command is given."""
