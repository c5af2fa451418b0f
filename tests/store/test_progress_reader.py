"""The light progress reader (``store.reader``) answers exactly as the repository does, and only
when it may: anything that needs opening, upgrading or filtering is left to the repository."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.history import build_database
from interview_sim.banks import Catalog
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.store import Repository, open_database
from interview_sim.store.engine_reader import EngineProgressReader
from interview_sim.store.reader import SqliteProgressReader, open_progress_reader
from interview_sim.store.revisions import VERSION_TABLE
from tests.history_data import build_history, fixture_catalog
from tests.reliability.support import ROOT

WINDOWS = [(10, 30, 200), (1, 2, 1), (2, 1, 3)]


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    path = tmp_path / "reader.db"
    build_history(Repository(open_database(str(path))), fixture_catalog())
    return path


def _reader(path: Path) -> SqliteProgressReader:
    reader = open_progress_reader(str(path))
    assert reader is not None
    return reader


def test_reader_matches_the_repository(history_db: Path) -> None:
    repo = Repository(open_database(str(history_db)))
    reader = _reader(history_db)
    for window, recent, timing in WINDOWS:
        assert reader.progress_data(window, recent, timing) == repo.progress_data(
            window, recent, timing
        )


def test_reader_matches_the_repository_on_a_generated_history(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "generated.db"
    build_database(path, 120, catalog)
    data = _reader(path).progress_data()
    assert data == Repository(open_database(str(path))).progress_data()
    assert data.sessions == 120 and sum(s.graded for s in data.stages) > 120


def test_statements_do_not_grow_with_history(tmp_path: Path, catalog: Catalog) -> None:
    counts = {}
    for size in (15, 150):
        path = tmp_path / f"h{size}.db"
        build_database(path, size, catalog)
        seen: list[str] = []
        reader = open_progress_reader(str(path), trace=seen.append)
        assert reader is not None
        reader.progress_data()
        counts[size] = len(seen)
    assert counts[15] == counts[150] <= 12, counts


def test_the_repository_opens_what_the_reader_may_not(history_db: Path, tmp_path: Path) -> None:
    assert open_progress_reader(f"sqlite:///{history_db}") is None
    assert open_progress_reader(str(tmp_path / "missing.db")) is None
    assert open_progress_reader(":memory:") is None
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE notes (body TEXT)").connection.close()
    assert open_progress_reader(str(foreign)) is None
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    assert open_progress_reader(str(damaged)) is None


def test_another_candidate_or_an_older_schema_goes_to_the_repository(history_db: Path) -> None:
    assert open_progress_reader(str(history_db)) is not None
    # Asked for someone else: their sessions are not these.
    assert open_progress_reader(str(history_db), "someone-else") is None
    repo = Repository(open_database(str(history_db)), candidate="bo")
    assert open_progress_reader(str(history_db), "bo") is None  # no sessions of bo's yet...
    repo.create_session(SessionMode.DRILL, [PlannedQuestion(stage=Stage.CODING, question_id="q")])
    assert open_progress_reader(str(history_db)) is None  # ...now a shared database
    assert open_progress_reader(str(history_db), "bo") is None


def test_the_engine_reader_answers_as_the_repository_for_each_candidate(db_url: str) -> None:
    """What ``progress`` reads when the sqlite3 reader may not (PostgreSQL, a shared file)."""
    engine = open_database(db_url)
    build_history(Repository(engine), fixture_catalog())
    Repository(engine, candidate="bo").create_session(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.CODING, question_id="q")]
    )
    for who in (None, "bo"):
        data = EngineProgressReader(engine, who).progress_data()
        assert data == Repository(engine, candidate=who).progress_data()
        assert data.sessions == (4 if who is None else 1)


def test_progress_command_imports_no_orm_on_any_backend(db_url: str, tmp_path: Path) -> None:
    """A second run (the schema exists): Core on PostgreSQL, nothing of SQLAlchemy on SQLite."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-X", "importtime", "-m", "interview_sim", "--db", db_url]
    for _ in range(2):
        done = subprocess.run(
            [*command, "progress", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "interview_sim.progress.review" in modules
    assert not {"sqlalchemy.orm", "interview_sim.store.orm", "alembic"} & modules
    assert ("sqlalchemy" in modules) == db_url.startswith("postgresql")


def test_a_database_that_needs_an_upgrade_goes_to_the_repository(history_db: Path) -> None:
    con = sqlite3.connect(history_db)
    with con:
        con.execute(f"UPDATE {VERSION_TABLE} SET version_num = '0008'")
    con.close()
    assert open_progress_reader(str(history_db)) is None
    open_database(str(history_db)).dispose()  # the repository's open upgrades it
    assert open_progress_reader(str(history_db)) is not None
