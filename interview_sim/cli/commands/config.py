"""``config show``: the effective configuration, secrets masked, and the ``INTERVIEW_SIM_*``
variables it ignored."""

from __future__ import annotations

import argparse
import json
import sys

from interview_sim.config import Settings, ignored_variables, masked


def _config(args: argparse.Namespace, settings: Settings) -> int:
    """The settings ignore a variable that names no setting (the environment is shared, so a
    stray one must not stop every command); this is where the user looks to see what is in
    effect, so it names them here, on stderr, leaving stdout JSON."""
    for line in ignored_variables():
        print(f"interview-sim: {line}", file=sys.stderr)
    print(json.dumps(masked(settings), indent=2))
    return 0
