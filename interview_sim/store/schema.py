"""Bring a database to the current schema in one transaction, one process at a time.

Every open first looks without a lock: a database already at the head revision costs one
query. Otherwise the upgrade runs under a lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL
advisory lock) and looks again, since another process may have just done the work; then it
upgrades legacy v1-v3 databases to v4 with their frozen DDL, stamps them, and runs the Alembic
revisions, all in that one transaction. Any failure rolls everything back: the database is as
it was and the next open retries from the same point.

A SQLite file is only ever written after it is known to be ours (empty, a legacy version with
our tables, or stamped with our revision), so a foreign file stays byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from interview_sim.store.errors import ForeignDatabaseError, SchemaTooNewError
from interview_sim.store.migrations import SCHEMA_VERSION, legacy
from interview_sim.store.revisions import (
    MIGRATIONS,
    VERSION_TABLE,
    default_candidate,
    shipped_head,
)

if TYPE_CHECKING:  # Alembic loads only when there is something to upgrade (inspect_state)
    from alembic.config import Config

__all__ = ["MIGRATIONS", "VERSION_TABLE", "default_candidate", "migrate", "shipped_head"]

BASELINE = "0004"
OUR_TABLES = legacy.LEGACY_TABLES[-1]
LEGACY_SESSION_COLUMNS = frozenset({"id", "mode", "status", "plan", "started_at", "finished_at"})
PG_LOCK_KEY = 0x1A7E_5E55
"""Key of the PostgreSQL advisory lock that serialises migrations of one database."""


class Found(Enum):
    NEW = "new"
    LEGACY = "legacy"
    VERSIONED = "versioned"
    CURRENT = "current"


@dataclass(frozen=True)
class State:
    found: Found
    legacy_version: int = 0


def _config(connection: Connection, script_location: Path, candidate: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    config.attributes["candidate"] = candidate
    return config


def _head(script_location: Path) -> str:
    """Alembic's head, read from the revision scripts (``shipped_head`` reads only names)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(script_location))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def _known(script_location: Path, revision: str) -> bool:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return revision in {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}


def inspect_state(conn: Connection, where: str, script_location: Path = MIGRATIONS) -> State:
    """Classify the database; raises for one that is foreign or newer than this app."""
    sqlite = conn.dialect.name == "sqlite"
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        revision = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        if revision is None:
            return State(Found.VERSIONED)
        if revision == shipped_head(script_location):
            return State(Found.CURRENT)
        if not _known(script_location, revision):
            raise SchemaTooNewError(
                f"database {where} has schema revision {revision}, newer than this app knows;"
                " upgrade interview-sim"
            )
        current = revision == _head(script_location)
        return State(Found.CURRENT if current else Found.VERSIONED)
    ours = tables & OUR_TABLES
    if not ours and (not sqlite or not tables):
        return State(Found.NEW)
    if sqlite:
        version = legacy.current_version(conn)
        if version > legacy.LEGACY_VERSION:
            raise SchemaTooNewError(
                f"database {where} has schema v{version}, newer than this app knows;"
                " upgrade interview-sim"
            )
        expected = legacy.LEGACY_TABLES[0 if version == 1 else 1]
        columns = {c["name"] for c in inspect(conn).get_columns("sessions")} if ours else set()
        if version >= 1 and tables == expected and columns >= LEGACY_SESSION_COLUMNS:
            return State(Found.LEGACY, version)
    listed = ", ".join(sorted(tables)) or "none"
    raise ForeignDatabaseError(
        f"{where} is not an interview-sim database (its tables: {listed}); it was left"
        " unchanged: point --db at another file"
    )


def _upgrade(conn: Connection, state: State, script_location: Path, candidate: str) -> None:
    from alembic import command

    config = _config(conn, script_location, candidate)
    if state.found is Found.LEGACY:
        legacy.upgrade(conn)
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"PRAGMA user_version = {SCHEMA_VERSION}"))


def migrate(
    engine: Engine,
    where: str,
    *,
    candidate: str | None = None,
    script_location: Path = MIGRATIONS,
) -> None:
    """Bring the database to the head revision; ``where`` names it in error messages.

    ``candidate`` names the owner of sessions stored before candidates existed.
    ``script_location`` exists for tests that add a failing revision.
    """
    owner = candidate if candidate is not None else default_candidate()
    with engine.connect() as conn:
        if inspect_state(conn, where, script_location).found is Found.CURRENT:
            conn.rollback()
            return
        conn.rollback()
        if conn.dialect.name == "sqlite":
            _migrate_sqlite(conn, where, script_location, owner)
        else:
            with conn.begin():
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
                state = inspect_state(conn, where, script_location)
                if state.found is not Found.CURRENT:
                    _upgrade(conn, state, script_location, owner)


def _migrate_sqlite(conn: Connection, where: str, script_location: Path, owner: str) -> None:
    """``BEGIN IMMEDIATE`` takes the write lock before reading, so concurrent first opens wait
    their turn (the busy timeout) instead of racing to create the same tables.

    The Python driver would otherwise open its own transaction lazily (and not for DDL), so it
    is switched to manual mode for the duration and the transaction is ours alone.
    """
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    previous = dbapi.isolation_level
    dbapi.isolation_level = None
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            state = inspect_state(conn, where, script_location)
            if state.found is not Found.CURRENT:
                _upgrade(conn, state, script_location, owner)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    finally:
        dbapi.isolation_level = previous
