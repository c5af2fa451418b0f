"""``config show``: the effective configuration, secrets masked."""

from __future__ import annotations

import argparse
import json

from interview_sim.config import Settings, masked


def _config(args: argparse.Namespace, settings: Settings) -> int:
    print(json.dumps(masked(settings), indent=2))
    return 0
