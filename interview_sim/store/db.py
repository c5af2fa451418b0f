"""Database opening: URL resolution, SQLite pragmas, and schema upgrade. No engine at import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError

from interview_sim.store.migrations import upgrade


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


def open_database(value: str) -> Engine:
    """Create the engine, enable WAL with a busy timeout, and bring the schema up to date."""
    url = database_url(value)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"timeout": 30} if is_sqlite else {})
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as conn:
            upgrade(conn)
    except DatabaseError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {value}: {exc.orig}") from exc
    return engine
