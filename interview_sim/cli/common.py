"""What every command shares: the error shown without a traceback and small argument types."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from interview_sim.errors import InterviewSimError

if TYPE_CHECKING:  # pydantic-settings is too heavy for ``--help``, pathlib needless for it
    from pathlib import Path

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


def check_output(output: Path, db: str | None = None, *inputs: Path) -> None:
    """Refuse to write over what the command reads: the database (``report -o sessions.db``
    would replace the whole history with one report) or an input file (``grade --output`` named
    as its ``--input`` would empty it before a line is read)."""
    from pathlib import Path

    if not output.exists():
        return
    target = output.resolve()
    if db and "://" not in db:
        database = Path(db).resolve()
        sidecars = {database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")}
        if target == database or target in sidecars:
            raise UserError(f"cannot write {output}: it is the database; name another file")
    for source in inputs:
        if str(source) != "-" and target == source.resolve():
            raise UserError(f"cannot write {output}: it is the input {source}; name another file")


def write_whole(output: Path, text: str) -> None:
    """Written beside the target and renamed over it: a full disk or an interrupt leaves the
    previous file (a backup, a report) as it was, never half of a new one."""
    import os

    partial = output.with_name(f".{output.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, output)
    except OSError as exc:
        if partial.is_file():
            partial.unlink()
        raise UserError(f"cannot write {output}: {exc.strerror}") from exc
