"""One module per command; each has ``register(subparsers)`` and sets its ``handler``.

To add a command, write its module here and list it in ``COMMANDS``.
"""

from __future__ import annotations

from types import ModuleType

from interview_sim.cli.commands import banks, config, interview, sessions

COMMANDS: tuple[ModuleType, ...] = (interview, sessions, banks, config)
