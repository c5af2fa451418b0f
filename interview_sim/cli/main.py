"""``interview-sim``: every command is a thin shell over the engine, banks and repository."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from interview_sim import __version__
from interview_sim.cli.answers import AnswersError
from interview_sim.cli.commands import COMMANDS
from interview_sim.cli.commands.tui import launch as launch_tui
from interview_sim.cli.common import UserError
from interview_sim.config import Settings, load_settings
from interview_sim.engine.engine import EngineError
from interview_sim.engine.planner import PlanError
from interview_sim.llm.local_server import LocalServerError, local_model_server, with_local_server
from interview_sim.services import SetupError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interview-sim", description=__doc__)
    p.add_argument("--version", action="version", version=f"interview-sim {__version__}")
    p.add_argument("--config", type=Path, help="config file (YAML)")
    p.add_argument("--db", help="database path or SQLAlchemy URL (default sessions.db)")
    p.add_argument("--bank-dir", action="append", type=Path, default=None, help="extra bank folder")
    p.add_argument(
        "--local-model",
        type=Path,
        metavar="PATH.gguf",
        help="serve this GGUF model locally for the session and use it as the LLM"
        " (needs interview-sim[local])",
    )
    sub = p.add_subparsers(dest="command")
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.config is not None and not args.config.is_file():
            raise UserError(f"config file {args.config} does not exist")
        settings = load_settings(args.config, db=args.db, bank_dirs=args.bank_dir)
        if args.local_model is not None:
            print(f"starting a local model server for {args.local_model.name}…", file=sys.stderr)
            with local_model_server(args.local_model) as server:
                return _dispatch(args, with_local_server(settings, server))
        return _dispatch(args, settings)
    except (
        UserError,
        SetupError,
        AnswersError,
        EngineError,
        PlanError,
        LocalServerError,
    ) as exc:
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


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command is None:
        return launch_tui(args, settings)
    code: int = args.handler(args, settings)
    return code
