"""Progress through a SQLAlchemy engine with Core statements only: the repository's answer,
without the ORM it needs for everything else.

``interview-sim progress`` reads a current single-candidate SQLite file with ``sqlite3`` alone
(``store.reader``). Every other database goes through :func:`open_engine_reader`, which opens
it as every command does (``open_database``: URL, driver, upgrade, damaged files), and reads
with the same statements the repository runs: SQLite's own for a database of one candidate,
the portable ones filtered by candidate for PostgreSQL or a shared file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Row, or_, select

from interview_sim.store import progress_portable
from interview_sim.store import tables as t
from interview_sim.store.db import open_database
from interview_sim.store.progress_sqlite import read_progress
from interview_sim.store.records import ProgressData
from interview_sim.store.revisions import default_candidate


def shared(conn: Connection, candidate: str) -> bool:
    """True when the fast SQLite-only aggregates would mix in other candidates' sessions (or
    cannot run at all): then the portable queries filter by candidate instead. A database one
    person uses, the common case, keeps the fast path."""
    if conn.dialect.name != "sqlite":
        return True
    # Two index range searches, not a scan: a single-user history may be long.
    others = or_(t.sessions.c.candidate < candidate, t.sessions.c.candidate > candidate)
    return conn.execute(select(t.sessions.c.id).where(others).limit(1)).first() is not None


def progress_data(
    conn: Connection, candidate: str, window: int, recent_sessions: int, timing_sessions: int
) -> ProgressData:
    """The progress aggregates of ``candidate``'s sessions, on either dialect."""
    if shared(conn, candidate):
        return progress_portable.progress_data(
            conn, window, recent_sessions, timing_sessions, candidate
        )
    return sqlite_progress_data(conn, window, recent_sessions, timing_sessions)


def sqlite_progress_data(
    conn: Connection, window: int, recent_sessions: int, timing_sessions: int
) -> ProgressData:
    """SQLite's statements (``progress_sqlite``) over every session in the database."""

    def execute(sql: str, parameters: Mapping[str, object]) -> Sequence[Row[Any]]:
        # Driver-level SQL keeps the SQLite text as it is, and counts as a statement like any.
        return conn.exec_driver_sql(sql, dict(parameters)).all()

    return read_progress(execute, window, recent_sessions, timing_sessions)


class EngineProgressReader:
    """``progress_data`` as the repository answers it, for one candidate."""

    def __init__(self, engine: Engine, candidate: str | None = None) -> None:
        self.engine = engine
        self.candidate = candidate or default_candidate()

    def progress_data(
        self, window: int = 10, recent_sessions: int = 30, timing_sessions: int = 200
    ) -> ProgressData:
        with self.engine.connect() as conn:
            return progress_data(conn, self.candidate, window, recent_sessions, timing_sessions)


def open_engine_reader(db: str, candidate: str | None = None) -> EngineProgressReader:
    """Open ``db`` (the ``--db`` value) as every command does; raises ``StoreError``."""
    return EngineProgressReader(open_database(db, candidate=candidate), candidate)
