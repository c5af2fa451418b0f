"""What every command shares: the error shown without a traceback and small argument types."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from interview_sim.errors import InterviewSimError

if TYPE_CHECKING:  # pydantic-settings is too heavy for ``--help``
    from interview_sim.config import Settings

Handler = Callable[[argparse.Namespace, "Settings"], int]


class UserError(InterviewSimError):
    """Shown as one line on stderr with exit code 2; never a traceback."""


if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:  # argparse's action class is not subscriptable at run time
    SubParsers = argparse._SubParsersAction


LARGEST = 2**31 - 1
"""The largest id or count a database takes: PostgreSQL's ``integer``, and far past any history.
A larger number would reach SQLite or PostgreSQL and fail there with a traceback."""


def _bounded(value: str, least: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not least <= number <= LARGEST:
        raise argparse.ArgumentTypeError(f"must be from {least} to {LARGEST}, not {value}")
    return number


def positive_int(value: str) -> int:
    return _bounded(value, 1)


def non_negative_int(value: str) -> int:
    return _bounded(value, 0)


def session_id(value: str) -> int:
    """A session id as ``sessions list`` shows it: a whole number from 1."""
    return _bounded(value, 1)
