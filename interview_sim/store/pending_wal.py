"""A SQLite file with a pending WAL is looked at without a connection that could checkpoint it.

SQLite's last connection to close copies the WAL into the database file and deletes the WAL,
and the first to open a file with a "hot" rollback journal (a write that never finished) rolls
it back into the file. For our own database that is routine; for a file that is not ours (left
so by another program's crash, or copied while open) it rewrites the file we promise to leave
byte-identical. So
such a file is first read as it is on disk, WAL aside (``immutable=1``: no lock, no WAL, no
-shm, nothing written): stamped with our schema there, it is ours. Otherwise the database and
its WAL are copied to a temporary folder and the copy is classified, so neither file, nor a
-shm beside them, is touched.

The light read path of ``progress`` (``store.reader``) uses these checks without SQLAlchemy.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from interview_sim.store.revisions import VERSION_TABLE


def sidecar(file: Path, suffix: str) -> Path:
    """``sessions.db-wal`` for ``sessions.db`` and ``-wal``."""
    return file.with_name(file.name + suffix)


JOURNALS = ("-wal", "-journal")
"""Files whose pages the next connection would write into the database: a WAL not yet
checkpointed, or the rollback journal of a write that never finished (a "hot" journal)."""


def pending(file: Path) -> bool:
    """True when ``file`` has a WAL or a rollback journal that opening it would apply."""
    for suffix in JOURNALS:
        journal = sidecar(file, suffix)
        try:
            if journal.is_file() and journal.stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def read_only_uri(file: Path) -> str:
    """A SQLite URI that opens ``file`` read-only: such a connection never checkpoints."""
    return file.resolve().as_uri() + "?mode=ro"


def stamped_on_disk(file: Path) -> bool:
    """True when the database file itself, WAL aside, already holds our schema stamp: read
    with ``immutable=1``, which touches nothing. (A pre-Alembic database is recognised on the
    copy instead: its tables alone could be another program's.)"""
    try:
        con = sqlite3.connect(file.resolve().as_uri() + "?immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        found = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        con.close()
    return found is not None


def refuse_if_not_ours(file: Path, where: str) -> None:
    """Raise ``ForeignDatabaseError`` or ``SchemaTooNewError`` for a file with a pending WAL
    that is not ours to open, leaving it, its WAL and its folder exactly as they were.

    A file that cannot be read this way is left to the normal open, which says why.
    """
    if not pending(file) or stamped_on_disk(file):
        return
    with tempfile.TemporaryDirectory(prefix="interview-sim-inspect-") as folder:
        copy = Path(folder) / "copy.db"
        try:
            shutil.copyfile(file, copy)
            for suffix in JOURNALS:
                if sidecar(file, suffix).is_file():
                    shutil.copyfile(sidecar(file, suffix), sidecar(copy, suffix))
        except OSError:
            return
        _inspect(copy.resolve().as_uri(), where)


def _inspect(uri: str, where: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DatabaseError

    from interview_sim.store.schema import inspect_state

    engine = create_engine("sqlite://", creator=lambda: _connect(uri))
    try:
        with engine.connect() as conn:
            inspect_state(conn, where)
    except DatabaseError:
        pass  # damaged or busy: the normal open tells which
    finally:
        engine.dispose()


def _connect(uri: str) -> object:
    return sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False)
