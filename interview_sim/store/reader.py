"""Progress read from a SQLite file with the standard library alone: the fast path of
``interview-sim progress``.

Importing SQLAlchemy and its ORM costs a fresh process more than the progress queries take on a
10,000-session history, so when the database is a SQLite file that needs nothing but reading,
the command reads it over a bare ``sqlite3`` connection, running the very statements the
repository runs (``progress_sqlite``). Anything else is opened as every other command opens
it (upgraded, repaired or refused) and read through ``engine_reader``: a URL or PostgreSQL, a
file that does not exist yet, a schema that is not the current one (or an unreadable or foreign
file), and a database shared by several candidates (then filtered by candidate in portable SQL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from interview_sim.store.errors import StoreError
from interview_sim.store.pending_wal import pending, read_only_uri, sidecar, stamped_on_disk
from interview_sim.store.progress_sqlite import read_progress
from interview_sim.store.records import ProgressData
from interview_sim.store.revisions import VERSION_TABLE, default_candidate, shipped_head

BUSY_TIMEOUT = 30
"""Seconds to wait for a writer's lock, as the repository's engine does."""

Trace = Callable[[str], None]


class SqliteProgressReader:
    """``progress_data`` as the repository answers it, for a database known to be current and
    to hold one candidate's sessions (see :func:`open_progress_reader`)."""

    def __init__(self, path: Path, *, trace: Trace | None = None) -> None:
        self.path = path
        self._trace = trace

    def progress_data(
        self, window: int = 10, recent_sessions: int = 30, timing_sessions: int = 200
    ) -> ProgressData:
        try:
            with _connected(self.path, self._trace) as con:
                # One read transaction: every figure comes from the same snapshot.
                con.execute("BEGIN")

                def execute(sql: str, parameters: Mapping[str, object]) -> Sequence[Any]:
                    return con.execute(sql, parameters).fetchall()

                return read_progress(execute, window, recent_sessions, timing_sessions)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read database {self.path}: {exc}") from exc


@contextmanager
def _connected(path: Path, trace: Trace | None) -> Iterator[sqlite3.Connection]:
    # Autocommit mode: the transaction is the caller's explicit BEGIN, ended by closing.
    # With a pending WAL (another process is writing, or left it), read-only: closing the last
    # connection would otherwise copy that WAL into the file, even a file that is not ours.
    if pending(path):
        uri = read_only_uri(path)
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    else:
        con = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        con.set_trace_callback(trace)
        yield con
    finally:
        con.close()


def _current(con: sqlite3.Connection, candidate: str) -> bool:
    """Stamped with the newest shipped revision, and no session of anyone else (two index range
    searches, as the repository's own check)."""
    (revision,) = con.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone() or (None,)
    if revision is None or revision != shipped_head():
        return False
    other = con.execute(
        "SELECT 1 FROM sessions WHERE candidate < ? OR candidate > ? LIMIT 1",
        (candidate, candidate),
    ).fetchone()
    return other is None


def open_progress_reader(
    db: str, candidate: str | None = None, *, trace: Trace | None = None
) -> SqliteProgressReader | None:
    """A reader for ``db`` (the ``--db`` value), or None when the repository must open it.

    ``candidate`` is whose progress is asked for (default: the OS user, as the repository's).
    ``trace`` sees every statement sent, for tests that count them.
    """
    if "://" in db or db in ("", ":memory:"):
        return None
    path = Path(db)
    if not path.is_file():
        return None
    if pending(path) and not (sidecar(path, "-shm").exists() and stamped_on_disk(path)):
        return None  # maybe not ours: only the full open may look (store.pending_wal)
    try:
        with _connected(path, trace) as con:
            if not _current(con, candidate or default_candidate()):
                return None
    except sqlite3.Error:
        return None  # not ours, damaged or locked past the timeout: the full open says which
    return SqliteProgressReader(path, trace=trace)
