"""``tui`` (and no command at all): the interactive terminal app."""

from __future__ import annotations

import argparse
import sys

from interview_sim.cli.common import UserError
from interview_sim.config import Settings


def launch(args: argparse.Namespace, settings: Settings) -> int:
    """Textual is imported only here, so headless commands never pay for it."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the terminal app needs an interactive terminal; for scripted use see"
            " `interview-sim run --help`"
        )
    from interview_sim.tui import create_app

    # The home screen draws first and opens the banks and the database in a worker.
    create_app(settings, config_path=args.config).run()
    return 0
