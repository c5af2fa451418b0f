"""``tui`` (and no command at all): the interactive terminal app."""

from __future__ import annotations

import argparse
import sys

from interview_sim.cli.common import UserError
from interview_sim.config import Settings
from interview_sim.services import open_services


def launch(args: argparse.Namespace, settings: Settings) -> int:
    """Textual is imported only here, so headless commands never pay for it."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the terminal app needs an interactive terminal; for scripted use see"
            " `interview-sim run --help`"
        )
    from interview_sim.tui import create_app

    services = open_services(settings)
    create_app(services, config_path=args.config).run()
    return 0
