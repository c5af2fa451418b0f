"""One root for every error a user can cause or fix: the CLI catches it once.

Each subclass carries a message that is complete on one line (what is wrong, in which file or
field, and what to do), so the CLI prints ``interview-sim: <message>`` and exits with
``exit_code`` instead of showing a traceback. Specific types stay catchable on their own.
"""

from __future__ import annotations


class InterviewSimError(Exception):
    """Base of all user-facing errors; ``exit_code`` is what the CLI returns for it."""

    exit_code: int = 2
