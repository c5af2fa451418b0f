"""Light commands stay light: ``--help`` and ``run-code`` import neither ``openai`` nor SQLAlchemy.

Each command runs in a fresh interpreter under ``-X importtime``, which lists every module the
process imported on stderr; a heavy package showing up there means some import at module level
pulled it back in. Nothing here is timed, so a slow machine cannot fail it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

HEAVY = ("openai", "sqlalchemy", "textual")
PROBLEM = FIXTURES / "sandbox" / "bank" / "square_sum.yaml"
SOLUTION = FIXTURES / "sandbox" / "square_sum_solution.py"


def _imported(args: list[str], tmp_path: Path) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "interview_sim", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return _modules(done.stderr), done


def _modules(importtime: str) -> set[str]:
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in importtime.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["--db", "x.db", "run-code", "--help"],
        ["run-code", "--problem", str(PROBLEM), "--code", str(SOLUTION)],
        ["run-code", "--problem", str(PROBLEM), "--code", str(SOLUTION), "--json", "--hidden"],
    ],
    ids=["help", "run-help", "run-code-help", "run-code", "run-code-hidden"],
)
def test_light_commands_import_no_heavy_package(args: list[str], tmp_path: Path) -> None:
    modules, done = _imported(args, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "interview_sim.cli.main" in modules  # the listing works at all
    assert _heavy(modules) == []


def test_run_code_on_a_problem_file_reads_no_settings(tmp_path: Path) -> None:
    """A bank file needs neither the configuration (pydantic-settings) nor the catalog, and a
    ``--json`` report needs no template engine."""
    args = ["run-code", "--problem", str(PROBLEM), "--code", str(SOLUTION), "--json"]
    modules, done = _imported(args, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "interview_sim.sandbox.runner" in modules  # the code did run
    assert not {"pydantic_settings", "interview_sim.config", "interview_sim.services"} & modules
    assert not {"jinja2", "interview_sim.banks.cache"} & modules


def test_progress_imports_neither_the_engine_nor_alembic(tmp_path: Path) -> None:
    """``progress`` reads aggregates: no engine, sandbox or LLM client, and Alembic only when the
    database needs an upgrade. A current SQLite file of one candidate is read with ``sqlite3``
    alone (``store.reader``): no SQLAlchemy at all, nor the session report's builder (the
    scorer's text module and its stemmers)."""
    db = ["--db", str(tmp_path / "p.db")]
    first, done = _imported([*db, "progress"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "alembic" in first  # a new database is created through the migrations
    assert "sqlalchemy.orm" in first  # by the migrations, which create the new database
    for args in (["progress"], ["progress", "--json"]):
        modules, done = _imported([*db, *args], tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "interview_sim.progress.review" in modules
        assert "interview_sim.store.reader" in modules
        heavy = {"alembic", "openai", "textual", "interview_sim.engine", "interview_sim.sandbox"}
        assert not heavy & modules
        assert _heavy(modules) == []
        lighter = {"interview_sim.store.repository", "interview_sim.scoring", "snowballstemmer"}
        assert not lighter & modules
        # The text is a template; ``--json`` renders none.
        assert ("jinja2" in modules) == (args == ["progress"])


def test_progress_on_a_shared_database_reads_without_the_orm(tmp_path: Path) -> None:
    """Several candidates in one file: progress filters by candidate in the repository's
    portable SQL, run as SQLAlchemy Core statements (``store.engine_reader``): SQLAlchemy is
    imported, its ORM and the repository are not."""
    db = ["--db", str(tmp_path / "shared.db")]
    for who in ("ana", "bo"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "interview_sim",
                *db,
                "--candidate",
                who,
                "run",
                "--stage",
                "behavioral",
                "--count",
                "1",
                "--offline",
            ],
            cwd=ROOT,
            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)},
            input="",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    modules, done = _imported([*db, "--candidate", "ana", "progress", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "interview_sim.store.engine_reader" in modules
    assert "sqlalchemy" in modules
    assert not {"sqlalchemy.orm", "interview_sim.store.orm", "interview_sim.store.repository"} & (
        modules
    )


def test_a_heavy_command_is_still_seen_importing(tmp_path: Path) -> None:
    """The check can fail: ``sessions list`` needs the database, and the listing shows it."""
    modules, done = _imported(["--db", str(tmp_path / "s.db"), "sessions", "list"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "sqlalchemy" in _heavy(modules)
    assert "openai" not in modules


def test_global_options_after_the_command(tmp_path: Path) -> None:
    """``run --db x.db`` used to be refused with "unrecognized arguments"."""
    db = tmp_path / "after.db"
    done = subprocess.run(
        [sys.executable, "-m", "interview_sim", "sessions", "list", "--db", str(db), "--json"],
        cwd=ROOT,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()


def test_the_terminal_app_starts_without_the_database_layer(tmp_path: Path) -> None:
    """What runs before home is drawn (the ``tui`` command and the app factory) imports neither,
    nor pydantic: the settings, banks, database and engine load in a worker once home shows."""
    code = (
        "from interview_sim.cli import main\n"
        "from interview_sim.cli.commands import tui\n"
        "from interview_sim.tui import create_app\n"
        "create_app(lambda: main._settings(main._parser().parse_args([])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=tmp_path,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = _modules(done.stderr)
    assert "interview_sim.tui.screens.home" in modules
    assert [m for m in _heavy(modules) if not m.startswith("textual")] == []
    assert not {"pydantic", "pydantic_settings", "yaml"} & modules
