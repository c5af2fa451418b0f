"""Database failures as a user reads them: one line naming the database and what to do.

Drivers word their errors for programmers: psycopg puts a hint on a line of its own and quotes
the failing statement; SQLAlchemy adds the statement, its parameters and a link. Once a database
is open, a failure the user can act on (a read-only file, a full disk, a lock held too long, a
lost server, a value PostgreSQL refuses) becomes a ``StoreError`` through :func:`explained`;
integrity and programming errors are bugs and keep their traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DatabaseError, DataError, OperationalError

from interview_sim.store.errors import StoreError

PERMISSION_HINT = "connect as the role that owns the database (README: PostgreSQL for a team)"


HINTS = (
    ("permission denied", PERMISSION_HINT),
    ("readonly", "check that the file and its folder are writable"),
    ("locked", "another process held it too long; try again"),
    ("full", "free some space; what was stored before is kept"),
    ("disk I/O error", "is the disk full, or the file on a drive that is failing?"),
)
"""What to do, by what the driver's message says."""


def one_line(message: object) -> str:
    """A driver's message on one line, with what to do: psycopg adds hints on lines of their
    own and quotes the statement (``LINE 2: CREATE TABLE ...``), which says nothing to a user."""
    text = str(message).split("\nLINE ")[0]
    reason = " ".join(part.strip() for part in text.splitlines() if part.strip())
    for words, hint in HINTS:
        if words in reason:
            return f"{reason}: {hint}"
    return reason


def _no_nul(value: object) -> object:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _clean(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        return {key: _no_nul(value) for key, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(_no_nul(value) for value in parameters)
    return parameters


def without_nul(
    _conn: Any,
    _cursor: Any,
    statement: str,
    parameters: Any,
    _context: Any,
    executemany: bool,
) -> tuple[str, Any]:
    """PostgreSQL text cannot hold NUL, which SQLite stores and any pasted answer may contain:
    it is stored as U+FFFD (the replacement character) instead of failing the whole answer."""
    if executemany and isinstance(parameters, list | tuple):
        return statement, type(parameters)(_clean(p) for p in parameters)
    return statement, _clean(parameters)


def explained(where: str) -> Callable[[ExceptionContext], None]:
    """A ``handle_error`` listener: database failures a user can act on become one line."""

    def explain(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # a dropped connection found before use: the pool replaces it
        error = context.sqlalchemy_exception
        if not isinstance(error, OperationalError | DataError) and type(error) is not DatabaseError:
            return  # integrity and programming errors are bugs: keep their traceback
        reason = one_line(getattr(error, "orig", None) or error)
        raise StoreError(f"database {where}: {reason}") from context.original_exception

    return explain
