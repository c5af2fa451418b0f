"""One module per command; each has ``register(subparsers)`` and sets its ``handler``.

To add a command, write its module here and list it in ``COMMANDS``.
"""

from __future__ import annotations

from types import ModuleType

from interview_sim.cli.commands import (
    banks,
    config,
    doctor,
    grade,
    interview,
    progress,
    report,
    run_code,
    sessions,
    transfer,
    tui,
)

COMMANDS: tuple[ModuleType, ...] = (
    interview,
    run_code,
    sessions,
    report,
    progress,
    grade,
    transfer,
    banks,
    config,
    doctor,
    tui,
)
