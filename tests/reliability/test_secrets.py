"""After a loop graded by the LLM, the API key is nowhere the app writes or prints.

The CLI runs in real subprocesses, as a user runs it, against the scripted server that insists
on the key (so the key really was sent). Then every byte the app produced is searched: the
database and its -wal/-shm files (a reader keeps the WAL from being folded away on exit), the
JSON export, the Markdown and HTML reports, every command's stdout and stderr, and every file
that appeared in the home, config and working folders, logs included. A distinctive fragment
of the key is searched too, so a partly masked key ("sk-...9c1e5b") would also be caught.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llm_server import FakeLLMServer, Reply, running_server
from tests.reliability.support import ROOT, run_cli

FAKE_KEY = "sk-proj-reliability-9c1e5b7a2f4d8e60b3a1"
FRAGMENT = "9c1e5b7a2f4d"
ANSWERS = ROOT / "tests" / "fixtures" / "loop_answers.yaml"


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        srv.require_key = FAKE_KEY
        yield srv


def _leaks(data: bytes) -> list[str]:
    return [s for s in (FAKE_KEY, FRAGMENT) if s.encode() in data]


def test_the_api_key_is_absent_from_database_exports_reports_output_and_logs(
    tmp_path: Path,
    isolated_home: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("INTERVIEW_SIM_LLM__MODEL", "test-model")
    monkeypatch.setenv("INTERVIEW_SIM_LLM__TIMEOUT", "30")
    monkeypatch.setenv("INTERVIEW_SIM_LLM__MAX_RETRIES", "0")
    # Two LLM faults mid-loop, so fallback reasons are written too.
    server.script(Reply(), Reply(), Reply(status=500), Reply(status=429))
    db = tmp_path / "data" / "sessions.db"
    db.parent.mkdir()
    export_file, html_file = tmp_path / "x.json", tmp_path / "r.html"

    outputs: dict[str, str] = {}
    commands = {
        "sessions list": ("sessions", "list"),  # creates the database before the loop
        "run": ("run", "--loop", "--answers", str(ANSWERS), "--llm"),
        "export": ("export", "--json"),
        "export to file": ("export", "--json", "-o", str(export_file)),
        "report md": ("report", "1", "--format", "md"),
        "report html to file": ("report", "1", "--format", "html", "-o", str(html_file)),
    }
    reader: sqlite3.Connection | None = None
    try:
        for name, args in commands.items():
            done = run_cli(db, *args)
            assert done.returncode == 0, (name, done.stderr)
            outputs[f"{name}: stdout"], outputs[f"{name}: stderr"] = done.stdout, done.stderr
            if reader is None:  # held open while the loop writes: its WAL stays on disk
                reader = sqlite3.connect(db)
                reader.execute("SELECT count(*) FROM turns").fetchone()
        wal = db.with_name(db.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0, "the -wal file is checked, not skipped"
        files = {str(p.relative_to(tmp_path)): p.read_bytes() for p in _files(tmp_path)}
    finally:
        if reader is not None:
            reader.close()

    assert any(r.headers.get("authorization") == f"Bearer {FAKE_KEY}" for r in server.requests)
    assert "(llm-judge)" in outputs["run: stdout"]
    assert FAKE_KEY not in outputs["export: stdout"] and '"sessions"' in outputs["export: stdout"]
    assert "# " in outputs["report md: stdout"]
    assert files["r.html"].lstrip().lower().startswith(b"<!doctype html")
    assert {"x.json", "r.html", "data/sessions.db", "data/sessions.db-wal"} <= set(files)
    leaks = {name: _leaks(text.encode()) for name, text in outputs.items()}
    leaks |= {name: _leaks(data) for name, data in files.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def _files(root: Path) -> list[Path]:
    """Every file under the test's folder: database, exports, reports, home, config, logs."""
    return sorted(p for p in root.rglob("*") if p.is_file())


HOSTILE_SOLUTION = """
import glob, os

def find_pair(nums, target):
    found = [os.environ.get('OPENAI_API_KEY', '')]
    config = os.path.expanduser('~/.config/interview-sim/config.toml')
    for path in [config, *glob.glob('/proc/*/environ')]:
        try:
            found.append(open(path, 'rb').read().decode(errors='replace'))
        except OSError:
            pass
    print(found)
    return found
"""


def test_candidate_code_run_by_the_cli_cannot_print_the_key(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run-code`` with a solution that hunts for the key in its environment, the config file
    and every process's ``/proc`` environ, at the isolation level this machine offers."""
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    config = isolated_home / ".config" / "interview-sim" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[llm]\napi_key = "{FAKE_KEY}"\n')
    solution = tmp_path / "hostile.py"
    solution.write_text(HOSTILE_SOLUTION)
    db = tmp_path / "sessions.db"
    for extra in ([], ["--json"]):
        done = run_cli(
            db, "run-code", "--problem", "pair_sum_indices", "--code", str(solution), *extra
        )
        assert done.returncode == 0, done.stderr
        assert "find_pair" in done.stdout
        assert _leaks(done.stdout.encode()) == [] and _leaks(done.stderr.encode()) == []
