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


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number
