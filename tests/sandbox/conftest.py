"""Shared pieces for the sandbox's hostile-program tests: secrets planted where the app keeps
them, a snapshot of everything outside the sandbox, and runs at a chosen isolation level."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from interview_sim.sandbox import CaseSpec, RunLimits, RunReport, RunRequest, run_code
from interview_sim.sandbox.bwrap import probe
from interview_sim.sandbox.models import IsolationLevel

SECRET = "sk-proj-sandbox-attack-7f3e9a1c5b2d4e6f"
HIDDEN = "hidden-answer-5c1d9e7b"
GUARDS_OFF = """
def guards_off():
    # The fallback's audit hook keeps its on/off state in a closure cell holding [False]:
    # found through gc and flipped, the in-process guard is gone (none exists under bubblewrap).
    import gc
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, '__closure__', None):
            for cell in obj.__closure__:
                try:
                    if cell.cell_contents == [False]:
                        cell.cell_contents[0] = True
                except Exception:
                    pass
"""
"""Candidate code that switches the fallback's in-process guard off: prefix an attack with it
and call ``guards_off()``."""
"""The expected value of the hidden test: a program that finds it could return it and pass."""
FAST = RunLimits(case_seconds=3.0, startup_seconds=30.0)
BUBBLEWRAP_MISSING = probe(sys.executable)
needs_bubblewrap = pytest.mark.skipif(
    BUBBLEWRAP_MISSING is not None, reason=f"no bubblewrap here: {BUBBLEWRAP_MISSING}"
)
LEVELS = [
    pytest.param("bubblewrap", marks=needs_bubblewrap),
    "fallback-in-process",
]


@dataclass(frozen=True)
class Planted:
    """The secrets and files a hostile program goes after, and how to tell they are intact."""

    home: Path
    ssh_key: Path
    config: Path
    database: Path
    outside: Path
    """A folder outside the sandbox where nothing may appear."""

    def snapshot(self) -> dict[str, str]:
        """Every path under the test's folders with a digest of its content and its mode."""
        found: dict[str, str] = {}
        for root in (self.home, self.outside, self.database.parent):
            for path in sorted(root.rglob("*")):
                info = os.lstat(path)
                digest = ""
                if path.is_file() and not path.is_symlink():
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[str(path)] = f"{info.st_mode:o}:{digest}"
        return found

    def args(self) -> dict[str, str]:
        return {
            "key": str(self.ssh_key),
            "config": str(self.config),
            "db": str(self.database),
            "outside": str(self.outside),
        }


@pytest.fixture
def planted(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Planted]:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    ssh = isolated_home / ".ssh"
    ssh.mkdir()
    key = ssh / "id_ed25519"
    key.write_text(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n")
    config = isolated_home / ".config" / "interview-sim" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[llm]\napi_key = "{SECRET}"\n')
    data = tmp_path / "data"
    data.mkdir()
    database = data / "sessions.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, note TEXT)")
        db.execute("INSERT INTO sessions (note) VALUES (?)", (SECRET,))
    db.close()
    outside = tmp_path / "outside"
    outside.mkdir()
    yield Planted(isolated_home, key, config, database, outside)


def attack(
    code: str,
    cases: list[list[Any]],
    level: IsolationLevel,
    *,
    expected: Any = HIDDEN,
    limits: RunLimits = FAST,
    **request: Any,
) -> RunReport:
    tests = [
        CaseSpec(name=f"t{i}", kind="hidden", args=args, expected=expected)
        for i, args in enumerate(cases)
    ]
    return run_code(
        RunRequest(code=code, function="f", cases=tests, limits=limits, **request), level=level
    )


def assert_contained(report: RunReport, planted: Planted, before: dict[str, str]) -> None:
    """No secret in anything the run produced, nothing outside changed, no test passed."""
    produced = report.model_dump_json()
    assert SECRET not in produced
    assert SECRET[8:24] not in produced
    for case in report.cases:
        assert case.verdict != "pass", case
        assert HIDDEN not in (case.actual or "") and HIDDEN not in case.stdout, case
    assert HIDDEN not in report.console
    assert planted.snapshot() == before
    with sqlite3.connect(planted.database) as db:
        assert db.execute("SELECT note FROM sessions").fetchall() == [(SECRET,)]
    db.close()
