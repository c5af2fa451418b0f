"""Database opening: URL resolution, drivers, SQLite pragmas, schema upgrade, damaged files.

A damaged ``sessions.db`` is never overwritten or repaired in place: it is moved aside with its
WAL files, and the user is told where it went, so whatever it still holds can be recovered. A file
that is no database of ours at all (``--db notes.txt``) is neither moved nor written.

Once a database is open, a failure the user can act on is a one-line ``StoreError`` naming the
database, never a traceback (``store.failures``).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from interview_sim.store.errors import DatabaseURLError, ForeignDatabaseError, StoreError
from interview_sim.store.failures import explained, one_line, without_nul
from interview_sim.store.pending_wal import refuse_if_not_ours
from interview_sim.store.schema import migrate

__all__ = ["StoreError", "database_url", "open_database"]

POSTGRES_HINT = "pip install 'interview-sim[postgres]'"
SUPPORTED = "a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DBNAME"
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
"""The one driver per database kind the app is tested with (psycopg 3 from the extra)."""
SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_SUFFIXES = frozenset({".db", ".db3", ".sqlite", ".sqlite3"})
"""A damaged file is taken for a database of ours (and moved aside) only with SQLite's header
or one of these names; any other file (``--db README.md``) is left where it is."""


def database_url(value: str) -> str:
    """Accept a plain path or a SQLAlchemy URL; ``postgresql://`` means the psycopg 3 driver.

    An empty value (``--db "$UNSET"``) is refused: SQLite would take it for a database in
    memory, and every answer would be lost when the command ends.
    """
    if not value.strip():
        raise DatabaseURLError(f"the database path is empty: use {SUPPORTED}")
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
    backend = parsed.get_backend_name()
    if backend not in DRIVERS:
        raise DatabaseURLError(f"unsupported database {backend!r} in {where}: use {SUPPORTED}")
    if parsed.get_driver_name() != DRIVERS[backend]:
        hint = f" ({POSTGRES_HINT})" if backend == "postgresql" else ""
        raise DatabaseURLError(
            f"unknown database driver {parsed.drivername!r} in {where}: use {SUPPORTED}{hint}"
        )
    return parsed


CONNECT_TIMEOUT = 10
"""Seconds to reach a PostgreSQL server: libpq waits forever by default, and a mistyped host
(or a firewall that drops packets) would hang every command with no word."""


def _connect_args(url: URL) -> dict[str, Any]:
    """SQLite's busy timeout; PostgreSQL's connect timeout unless the URL sets its own."""
    if url.get_backend_name() == "sqlite":
        return {"timeout": 30}
    return {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT}


def _create_engine(url: URL, where: str) -> Engine:
    """The engine, or one line saying what to install when its driver is missing."""
    sqlite = url.get_backend_name() == "sqlite"
    try:
        # The app may sit idle for an hour between answers: a PostgreSQL connection the server
        # (or a firewall) dropped meanwhile is replaced before use, not failed on.
        engine = create_engine(url, connect_args=_connect_args(url), pool_pre_ping=not sqlite)
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
    else:
        event.listen(engine, "before_cursor_execute", without_nul, retval=True)
    return engine


def _check_path(file: Path, where: str) -> None:
    """A folder, or a file in a folder that does not exist, said plainly (SQLite only says
    "unable to open database file")."""
    if file.is_dir():
        raise StoreError(f"database {where} is a folder: give a file path, like {file}/sessions.db")
    if not file.parent.is_dir():
        raise StoreError(f"cannot open database {where}: its folder {file.parent} does not exist")


def _looks_like_ours(file: Path) -> bool:
    """Damaged SQLite (its header), or garbage where a database of ours would be (its name)."""
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return header == SQLITE_HEADER or file.suffix.lower() in DATABASE_SUFFIXES


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_corrupt(path: Path) -> bool:
    """True when SQLite itself says the file is not a sound database.

    Only SQLite's verdicts on the content count (not a database, malformed, a failed check).
    An ``OperationalError`` is about the circumstances (busy, locked, read-only, a full disk,
    an I/O error): the file may be perfectly sound, and moving it aside would hide a whole
    history from the user for no reason.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        return str(con.execute("PRAGMA quick_check").fetchone()[0]) != "ok"
    except sqlite3.OperationalError:
        return False
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
    file = sqlite_file(url)
    if file is not None and not url.query.get("uri"):
        _check_path(file, where)
        refuse_if_not_ours(file, where)
    engine = _create_engine(url, where)
    try:
        migrate(engine, where, candidate=candidate)
    except StoreError:
        engine.dispose()
        raise
    except DatabaseError as exc:
        engine.dispose()
        if file is not None and is_corrupt(file):
            if not _looks_like_ours(file):
                raise ForeignDatabaseError(
                    f"{where} is not a SQLite database ({one_line(exc.orig)}); it was left"
                    " unchanged: point --db at another file"
                ) from exc
            kept = quarantine(file)
            raise StoreError(
                f"database {where} is damaged ({one_line(exc.orig)}). It was moved aside,"
                f" unchanged, to {kept}; the next start creates a new empty database."
            ) from exc
        raise StoreError(f"cannot open database {where}: {one_line(exc.orig)}") from exc
    if file is not None:
        _enable_wal(engine)
    event.listen(engine, "handle_error", explained(where))
    return engine
