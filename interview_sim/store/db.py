"""Database opening: URL resolution, SQLite pragmas, schema upgrade, and corrupt-file handling.

A damaged ``sessions.db`` is never overwritten or repaired in place: it is moved aside with its
WAL files, and the user is told where it went, so whatever it still holds can be recovered.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DatabaseError

from interview_sim.store.migrations import SchemaTooNewError, upgrade


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def database_url(value: str) -> str:
    """Accept a plain path or any SQLAlchemy URL."""
    return value if "://" in value else f"sqlite:///{value}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_corrupt(path: Path) -> bool:
    """True when SQLite itself says the file is not a sound database (not merely busy)."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return True
    try:
        return str(con.execute("PRAGMA quick_check").fetchone()[0]) != "ok"
    except sqlite3.OperationalError as exc:
        return "locked" not in str(exc) and "busy" not in str(exc)
    except sqlite3.DatabaseError:
        return True
    finally:
        con.close()


def quarantine(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm files) to a free ``.corrupt-*`` name."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.rename(target.with_name(target.name + suffix))
    return target


def open_database(value: str) -> Engine:
    """Create the engine, enable WAL with a busy timeout, and bring the schema up to date."""
    url = database_url(value)
    file = sqlite_file(url)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as conn:
            upgrade(conn)
    except SchemaTooNewError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {value}: {exc}") from exc
    except DatabaseError as exc:
        engine.dispose()
        if file is not None and is_corrupt(file):
            kept = quarantine(file)
            raise StoreError(
                f"database {value} is damaged ({exc.orig}). It was moved aside, unchanged, to"
                f" {kept}; the next start creates a new empty database."
            ) from exc
        raise StoreError(f"cannot open database {value}: {exc.orig}") from exc
    return engine
