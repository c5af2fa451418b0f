"""Two processes share one sessions.db, writing and reading at once: no lock error, no lost row."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.reliability.support import cli, cli_env, query


def test_two_writers_and_a_reader(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    answers = "\n".join(f"answer {i} on leakage, drift and PR-AUC" for i in range(60)) + "\n"
    writers = [
        subprocess.Popen(
            cli(db, "run", "--loop", "--count", "2"),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
        )
        for _ in range(2)
    ]
    readers: list[subprocess.CompletedProcess[str]] = []
    for proc in writers:
        assert proc.stdin is not None
        proc.stdin.write(answers)
        proc.stdin.close()
    while any(p.poll() is None for p in writers):
        readers.append(
            subprocess.run(
                cli(db, "sessions", "list", "--json"),
                capture_output=True,
                text=True,
                env=cli_env(),
                timeout=120,
            )
        )
    errors = [p.stderr.read() if p.stderr else "" for p in writers]
    for proc, err in zip(writers, errors, strict=True):
        assert proc.wait(timeout=300) == 0, err
        assert "locked" not in err
    for result in readers:
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
    assert query(db, "SELECT status FROM sessions ORDER BY id") == [("completed",), ("completed",)]
    per_session = query(db, "SELECT session_id, count(*) FROM grades GROUP BY session_id")
    assert per_session == [(1, 8), (2, 8)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
