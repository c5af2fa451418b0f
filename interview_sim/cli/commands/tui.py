"""``tui`` (and no command at all): the interactive terminal app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from interview_sim.cli.common import UserError

if TYPE_CHECKING:
    from interview_sim.config import Settings


def launch(args: argparse.Namespace, settings: Settings) -> int:
    """With settings already read (``--local-model`` needs them to start its server first)."""
    return start(args, settings)


def start(args: argparse.Namespace, settings: Settings | Callable[[], Settings]) -> int:
    """Textual is imported only here, so headless commands never pay for it. Given a function
    that reads the settings, the app calls it in a worker after home is drawn."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the terminal app needs an interactive terminal; for scripted use see"
            " `interview-sim run --help`"
        )
    from interview_sim.tui import create_app

    app = create_app(settings, config_path=args.config)
    app.run()
    return app.return_code or 0
