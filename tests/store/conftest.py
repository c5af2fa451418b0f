"""The store suite runs on SQLite and on a real PostgreSQL server started for the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.pg_server import PostgresServer, pg_server

__all__ = ["pg_server"]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database on each backend: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.new_database()
