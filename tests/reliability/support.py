"""Run the real CLI in subprocesses, as a user (or a crash) would; serve scripted LLM replies."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "interview_sim", "--db", str(db), *args]


def run_cli(
    db: Path, *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(db, *args), input=stdin, capture_output=True, text=True, env=cli_env(), timeout=timeout
    )


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db, timeout=30)
    try:
        return list(con.execute(sql).fetchall())
    finally:
        con.close()
