"""Database URLs the app cannot use are one line saying what to do, exit code 2."""

from __future__ import annotations

import sys

import pytest

from interview_sim.cli.main import main
from interview_sim.store import Repository, open_database
from tests.cli_errors import one_error_line
from tests.store.pg_server import PostgresServer


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notadialect://x", "unsupported database 'notadialect'"),
        ("mysql://u@h/db", "unsupported database 'mysql'"),
        ("postgresql+nodriver://u@h/db", "unknown database driver 'postgresql+nodriver'"),
    ],
)
def test_unknown_dialect_is_one_line(
    url: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", url, "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert expected in line and "postgresql+psycopg://" in line


def test_missing_postgres_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    assert main(["--db", "postgresql://ana:secret@db.example/team", "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert "pip install 'interview-sim[postgres]'" in line
    assert "secret" not in line


def test_plain_postgresql_url_uses_psycopg_3(pg_server: PostgresServer) -> None:
    """``postgresql://`` would mean psycopg2 to SQLAlchemy; the extra installs psycopg 3."""
    url = pg_server.new_database().replace("postgresql+psycopg://", "postgresql://")
    engine = open_database(url)
    assert engine.dialect.driver == "psycopg"
    assert Repository(engine).list_sessions() == []
