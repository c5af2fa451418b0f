"""``interview-sim``: every command is a thin shell over the engine, banks and repository.

Start-up is part of every command's cost, so this module imports only ``argparse``: a command's
arguments are built when it is the one parsed, and its module (with pydantic, SQLAlchemy or
``openai``) is imported when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from interview_sim import __version__
from interview_sim.cli.commands import BY_NAME, COMMANDS, TUI, Command, path
from interview_sim.cli.common import UserError
from interview_sim.errors import InterviewSimError

if TYPE_CHECKING:
    from interview_sim.config import Settings

DESCRIPTION = "Practise an AI/ML engineering interview loop: the terminal app and its commands."

_USER_ERRORS = (
    ("interview_sim.services", "SetupError"),
    ("interview_sim.cli.answers", "AnswersError"),
    ("interview_sim.engine.engine", "EngineError"),
    ("interview_sim.engine.planner", "PlanError"),
    ("interview_sim.llm.local_server", "LocalServerError"),
)
"""Errors shown as one line, not a traceback. Looked up in ``sys.modules``: an error class whose
module was never imported cannot have been raised, so checking costs no import."""


def _global_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    """On the main parser and, with ``argparse.SUPPRESS``, on every command, so
    ``interview-sim run --db x.db`` means the same as ``interview-sim --db x.db run``."""
    parser.add_argument("--config", type=path, default=default, help="config file (YAML)")
    parser.add_argument(
        "--db", default=default, help="database path or SQLAlchemy URL (default sessions.db)"
    )
    parser.add_argument(
        "--bank-dir", action="append", type=path, default=default, help="extra bank folder"
    )
    parser.add_argument(
        "--candidate",
        default=default,
        metavar="NAME",
        help="whose sessions: new ones are theirs, lists and progress show only theirs"
        " (default: candidate in the config, else the OS user)",
    )
    parser.add_argument(
        "--local-model",
        type=path,
        default=default,
        metavar="PATH.gguf",
        help="serve this GGUF model locally for the session and use it as the LLM"
        " (needs interview-sim[local])",
    )


class _LazyCommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Adds a command's arguments just before argparse hands it the rest of the line."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        assert isinstance(values, list) and values
        chosen = self._name_parser_map.get(values[0])
        command = BY_NAME.get(values[0])
        if chosen is not None and command is not None:
            _complete(chosen, command)
        super().__call__(parser, namespace, values, option_string)


def _complete(parser: argparse.ArgumentParser, command: Command) -> None:
    if command.arguments is not None:
        command.arguments(parser)
    _with_global_options(parser)


def _with_global_options(parser: argparse.ArgumentParser) -> None:
    """Nested actions too: ``sessions list --db x.db``."""
    _global_options(parser, default=argparse.SUPPRESS)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for nested in action.choices.values():
                _with_global_options(nested)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interview-sim", description=DESCRIPTION)
    p.add_argument("--version", action="version", version=f"interview-sim {__version__}")
    _global_options(p)
    sub = p.add_subparsers(dest="command", action=_LazyCommands)
    for command in COMMANDS:
        sub.add_parser(command.name, help=command.help, description=command.help)
    return p


def _handler(command: Command) -> Callable[[argparse.Namespace, Any], int]:
    """``(args, settings) -> int``, or ``(args, () -> settings) -> int`` for a command with
    ``lazy_settings``."""
    module, _, name = command.handler.partition(":")
    handler: Callable[[argparse.Namespace, Any], int] = getattr(
        importlib.import_module(module), name
    )
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _tolerant_stdout()
    try:
        return _configured(args)
    except UserError as exc:
        print(f"interview-sim: {exc}", file=sys.stderr)
        return 2
    except InterviewSimError as exc:
        print(f"interview-sim: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\ninterrupted; submitted answers are saved", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. ``head``) went away; answers are already committed.
        sys.stderr.close()
        return 0
    except Exception as exc:
        if _is_user_error(exc):
            print(f"interview-sim: {exc}", file=sys.stderr)
            return 2
        if _is_invalid_settings(exc):
            print(f"interview-sim: {_one_validation_line(exc)}", file=sys.stderr)
            return 2
        _log_crash(exc, args.command)
        raise


def _tolerant_stdout() -> None:
    """A stored answer may hold any character, and ``LANG=C`` or a pipe with a narrow encoding
    cannot show them all: such a character prints as ``?`` instead of ending a report (or a
    listing) with ``UnicodeEncodeError`` half-way. UTF-8 output is left as it is."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        reconfigure(errors="replace")


def _is_user_error(exc: Exception) -> bool:
    for module_name, name in _USER_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(exc, getattr(module, name)):
            return True
    return False


def _one_validation_line(exc: Any) -> str:
    """A pydantic error that no file-specific check caught, still on one line: the model, the
    first field at fault and how many more there are (pydantic's own text spans many)."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    field = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    message = first["msg"].removeprefix("Value error, ")
    return f"invalid {exc.title}: {field}: {message}{more}"


def _is_invalid_settings(exc: Exception) -> bool:
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(exc, pydantic.ValidationError)


def _settings(args: argparse.Namespace) -> Settings:
    from interview_sim.config import load_settings  # pydantic-settings: after parsing

    return load_settings(args.config, db=args.db, bank_dirs=args.bank_dir, candidate=args.candidate)


def _log_crash(exc: Exception, command: str | None) -> None:
    """An error no user action explains: its traceback also goes to the log file, which
    outlives the terminal's scrollback, and stderr says where that file is."""
    import logging

    from interview_sim.logs import setup_logging

    path = setup_logging()
    logging.getLogger(__name__).error("interview-sim %s failed", command or "tui", exc_info=exc)
    if path is not None:
        print(f"interview-sim: unexpected error; the traceback is also in {path}", file=sys.stderr)


def _configured(args: argparse.Namespace) -> int:
    if args.config is not None and not args.config.is_file():
        what = "is a folder, not a file" if args.config.is_dir() else "does not exist"
        raise UserError(f"config file {args.config} {what}")
    if args.command in (None, TUI.name) and args.local_model is None:
        from interview_sim.cli.commands.tui import start

        # The app draws home first and reads the settings in a worker.
        return start(args, lambda: _settings(args))
    command = BY_NAME[args.command] if args.command is not None else TUI
    if command.lazy_settings and args.local_model is None:
        return _handler(command)(args, _once(lambda: _settings(args)))
    settings = _settings(args)
    if args.local_model is not None:
        from interview_sim.llm import local_server as local

        local.check_can_serve(args.local_model)  # a bad path is one line, with no progress first
        print(f"starting a local model server for {args.local_model.name}…", file=sys.stderr)
        with local.local_model_server(args.local_model) as server:
            return _dispatch(command, args, local.with_local_server(settings, server))
    return _dispatch(command, args, settings)


def _once(load: Callable[[], Settings]) -> Callable[[], Settings]:
    """Settings read on the first call only (the config file is read once per run)."""
    loaded: list[Settings] = []

    def settings() -> Settings:
        if not loaded:
            loaded.append(load())
        return loaded[0]

    return settings


def _dispatch(command: Command, args: argparse.Namespace, settings: Settings) -> int:
    if command.lazy_settings:
        return _handler(command)(args, lambda: settings)
    return _handler(command)(args, settings)
