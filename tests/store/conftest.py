"""The store suite runs on SQLite and on a real PostgreSQL server started for the session."""

from tests.store.pg_server import db_url, pg_server

__all__ = ["db_url", "pg_server"]
