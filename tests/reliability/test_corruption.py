"""A truncated or garbage sessions.db gives a clear message and is kept aside, never overwritten."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.reliability.support import run_cli


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("good") / "sessions.db"
    answers = "\n".join(f"answer {i} about leakage" for i in range(30)) + "\n"
    assert run_cli(db, "run", "--stage", "ml_depth", "--count", "3", stdin=answers).returncode == 0
    assert run_cli(db, "sessions", "list").returncode == 0  # checkpoints the WAL on close
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def _damage(path: Path, how: str, good: Path) -> bytes:
    if how == "garbage":
        path.write_bytes(os.urandom(4096) * 3)
    else:
        shutil.copy(good, path)
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    return path.read_bytes()


@pytest.mark.parametrize("how", ["garbage", "truncated"])
def test_damaged_database_is_moved_aside_with_a_clear_message(
    tmp_path: Path, good_db: Path, how: str
) -> None:
    db = tmp_path / "sessions.db"
    original = _damage(db, how, good_db)

    result = run_cli(db, "sessions", "list")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "damaged" in result.stderr and "moved aside" in result.stderr
    kept = [
        p for p in tmp_path.glob("sessions.db.corrupt-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert kept[0].read_bytes() == original
    assert not db.exists()

    again = run_cli(db, "sessions", "list")
    assert again.returncode == 0, again.stderr
    assert kept[0].read_bytes() == original
