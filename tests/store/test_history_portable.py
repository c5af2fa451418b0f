"""The portable history queries (PostgreSQL) give exactly what the SQLite-specific ones give."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from pydantic import BaseModel
from sqlalchemy.orm import Session

from interview_sim.store import (
    Repository,
    history,
    history_portable,
    open_database,
    progress_portable,
)
from interview_sim.store.engine_reader import sqlite_progress_data
from tests.history_data import build_history, fixture_catalog


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    repo = Repository(open_database(str(tmp_path_factory.mktemp("ref") / "ref.db")))
    build_history(repo, fixture_catalog())
    return repo


def _rounded(value: object) -> object:
    """SQLite's ``julianday`` arithmetic is off by microseconds (179.99998 s for 180 s)."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items() if k != "uuid"}  # random per database
    return value


def _dumps(models: Sequence[BaseModel] | BaseModel) -> object:
    if isinstance(models, BaseModel):
        return _rounded(models.model_dump(mode="json"))
    return _rounded([m.model_dump(mode="json") for m in models])


@pytest.mark.parametrize(("limit", "offset"), [(None, 0), (2, 1), (10, 3)])
def test_portable_queries_match_sqlite_ones_on_sqlite(
    reference: Repository, limit: int | None, offset: int
) -> None:
    engine = reference._sessions.kw["bind"]
    with Session(engine) as s:
        assert _dumps(history_portable.session_listing(s, limit, offset)) == _dumps(
            history.session_listing(s, limit, offset)
        )
        assert _dumps(history_portable.session_scores(s, limit, offset)) == _dumps(
            history.session_scores(s, limit, offset)
        )
        for window, recent, timing in [(10, 30, 200), (1, 2, 1), (2, 1, 3)]:
            conn = s.connection()
            assert _dumps(progress_portable.progress_data(conn, window, recent, timing)) == _dumps(
                sqlite_progress_data(conn, window, recent, timing)
            )


def test_history_and_progress_on_each_backend(db_url: str, reference: Repository) -> None:
    repo = Repository(open_database(db_url))
    build_history(repo, fixture_catalog())
    assert _dumps(repo.history()) == _dumps(reference.history())
    assert _dumps(repo.history(2, 1)) == _dumps(reference.history(2, 1))
    assert _dumps(repo.session_scores()) == _dumps(reference.session_scores())
    assert repo.session_count() == reference.session_count() == 4
    assert _dumps(repo.progress_data()) == _dumps(reference.progress_data())
    exported = repo.export_sessions()
    assert _dumps(exported) == _dumps(reference.export_sessions())
    assert repo.import_sessions(exported).skipped == 4
