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
from interview_sim.cli.common import UserError
from interview_sim.config import load_settings
from interview_sim.engine.engine import EngineError
from interview_sim.engine.planner import PlanError
from interview_sim.services import SetupError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="interview-sim", description=__doc__)
    p.add_argument("--version", action="version", version=f"interview-sim {__version__}")
    p.add_argument("--config", type=Path, help="config file (YAML)")
    p.add_argument("--db", help="database path or SQLAlchemy URL (default sessions.db)")
    p.add_argument("--bank-dir", action="append", type=Path, default=None, help="extra bank folder")
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
        if args.command is None:
            parser.print_help()
            return 0
        code: int = args.handler(args, settings)
        return code
    except (UserError, SetupError, AnswersError, EngineError, PlanError) as exc:
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
