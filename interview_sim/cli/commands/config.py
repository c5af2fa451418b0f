"""``config show``: the effective configuration, secrets masked."""

from __future__ import annotations

import argparse
import json

from interview_sim.cli.common import SubParsers
from interview_sim.config import Settings, masked


def register(sub: SubParsers) -> None:
    config = sub.add_parser("config", help="configuration")
    csub = config.add_subparsers(dest="action", required=True)
    csub.add_parser("show")
    config.set_defaults(handler=_config)


def _config(args: argparse.Namespace, settings: Settings) -> int:
    print(json.dumps(masked(settings), indent=2))
    return 0
