"""Database URLs the app cannot use are one line saying what to do, exit code 2."""

from __future__ import annotations

import sys

import pytest

from interview_sim.cli.main import main


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


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
    line = _one_line(capsys)
    assert expected in line and "postgresql+psycopg://" in line


def test_missing_postgres_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    assert main(["--db", "postgresql://ana:secret@db.example/team", "sessions", "list"]) == 2
    line = _one_line(capsys)
    assert "pip install 'interview-sim[postgres]'" in line
    assert "secret" not in line
