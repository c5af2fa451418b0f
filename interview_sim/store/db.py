"""Database opening: URL resolution, drivers, SQLite pragmas, schema upgrade, damaged files.

A damaged ``sessions.db`` is never overwritten or repaired in place: it is moved aside with its
WAL files, and the user is told where it went, so whatever it still holds can be recovered.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from interview_sim.store.errors import DatabaseURLError, StoreError
from interview_sim.store.schema import migrate

__all__ = ["StoreError", "database_url", "open_database"]

POSTGRES_HINT = "pip install 'interview-sim[postgres]'"
SUPPORTED = "a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME"


def database_url(value: str) -> str:
    """Accept a plain path or a SQLAlchemy URL; ``postgresql://`` means the psycopg 3 driver."""
    if "://" not in value:
        return f"sqlite:///{value}"
    for scheme in ("postgresql://", "postgres://"):
        if value.startswith(scheme):
            return "postgresql+psycopg://" + value[len(scheme) :]
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection settings only: nothing here writes to the file (WAL comes later)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _parse(url: str, where: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"cannot read database URL {where!r}: use {SUPPORTED}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseURLError(
            f"unsupported database {parsed.get_backend_name()!r} in {where}: use {SUPPORTED}"
        )
    return parsed


def _create_engine(url: URL, where: str) -> Engine:
    """The engine, or one line saying what to install when its driver is missing."""
    sqlite = url.get_backend_name() == "sqlite"
    try:
        engine = create_engine(url, connect_args={"timeout": 30} if sqlite else {})
    except NoSuchModuleError as exc:
        raise DatabaseURLError(
            f"unknown database driver {url.drivername!r} in {where}: use {SUPPORTED}"
        ) from exc
    except ImportError as exc:
        hint = POSTGRES_HINT if url.get_backend_name() == "postgresql" else f"use {SUPPORTED}"
        raise DatabaseURLError(
            f"the driver for {url.drivername} is not installed ({exc.name}): {hint}"
        ) from exc
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_file(url: str | URL) -> Path | None:
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


def _enable_wal(engine: Engine) -> None:
    """WAL lets readers and one writer work at once; it is switched on only once the file is
    known to be ours, since it rewrites the file header. Another process may hold the lock
    for a moment: the busy timeout waits for it, and a failure only costs concurrency."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    except OperationalError:
        pass


def open_database(value: str, *, candidate: str | None = None) -> Engine:
    """Create the engine and bring the schema up to date; every failure is a ``StoreError``.

    ``candidate`` owns the sessions of a database written before candidates existed (default:
    the OS user).
    """
    url = _parse(database_url(value), value)
    where = url.render_as_string(hide_password=True) if "://" in value else value
    engine = _create_engine(url, where)
    file = sqlite_file(url)
    try:
        migrate(engine, where, candidate=candidate)
    except StoreError:
        engine.dispose()
        raise
    except DatabaseError as exc:
        engine.dispose()
        if file is not None and is_corrupt(file):
            kept = quarantine(file)
            raise StoreError(
                f"database {where} is damaged ({exc.orig}). It was moved aside, unchanged, to"
                f" {kept}; the next start creates a new empty database."
            ) from exc
        raise StoreError(f"cannot open database {where}: {exc.orig}") from exc
    if file is not None:
        _enable_wal(engine)
    return engine
