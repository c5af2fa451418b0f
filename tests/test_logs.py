"""The log file: under the user's state directory, rotated, and written when the CLI crashes."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from interview_sim import logs
from interview_sim.cli.main import main
from interview_sim.store import Repository


def test_the_log_lives_under_the_state_directory_and_setup_is_idempotent(
    isolated_home: Path,
) -> None:
    first = logs.setup_logging()
    assert first == isolated_home / ".local/state/interview-sim/log/interview-sim.log"
    assert logs.setup_logging() == first
    handlers = logging.getLogger(logs.LOGGER).handlers
    assert len([h for h in handlers if isinstance(h, RotatingFileHandler)]) == 1
    assert logs.log_file() == first


def test_a_moved_state_directory_moves_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logs.setup_logging()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "elsewhere"))
    moved = logs.setup_logging()
    assert moved == tmp_path / "elsewhere/interview-sim/log/interview-sim.log"
    assert logs.log_file() == moved


def test_the_file_rotates_instead_of_growing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging()
    assert path is not None
    log = logging.getLogger("interview_sim.test")
    for n in range(100):
        log.warning("line %d %s", n, "x" * 80)
    assert path.stat().st_size <= 2_000
    backups = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
    assert backups == [f"interview-sim.log.{i}" for i in range(1, logs.BACKUPS + 1)]
    assert "line 99" in path.read_text(encoding="utf-8")


def test_a_state_directory_that_cannot_be_created_leaves_no_file(isolated_home: Path) -> None:
    (isolated_home / ".local").write_text("a file where the folder should be")
    assert logs.setup_logging() is None
    assert logs.log_file() is None


def test_a_cli_crash_leaves_its_traceback_in_the_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(self: Repository, **_: object) -> list[object]:
        raise ZeroDivisionError("history went wrong")

    monkeypatch.setattr(Repository, "history", broken)
    with pytest.raises(ZeroDivisionError):
        main(["--db", str(tmp_path / "s.db"), "sessions", "list"])
    path = logs.log_file()
    assert path is not None
    assert f"the traceback is also in {path}" in capsys.readouterr().err
    text = path.read_text(encoding="utf-8")
    assert "ERROR interview_sim.cli.main" in text and "interview-sim sessions failed" in text
    assert "in broken" in text and "ZeroDivisionError: history went wrong" in text
