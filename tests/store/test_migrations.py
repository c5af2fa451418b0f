"""Schema upgrades: legacy databases keep every row, failures change nothing, opens serialise."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from interview_sim.store import Repository, open_database
from interview_sim.store.errors import ForeignDatabaseError, SchemaTooNewError, StoreError
from interview_sim.store.migrations import SCHEMA_VERSION
from interview_sim.store.orm import Base
from interview_sim.store.revisions import DERIVED_TABLES
from interview_sim.store.schema import MIGRATIONS, VERSION_TABLE, migrate
from tests.reliability.support import ROOT, cli_env, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "store"
TABLES = ("sessions", "turns", "grades", "criterion_scores", "code_runs", "stages")
HEAD = "0011"


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in TABLES
            if t in names
        }
    finally:
        con.close()


def _copy_fixture(version: int, tmp_path: Path) -> Path:
    target = tmp_path / f"v{version}.db"
    shutil.copy(FIXTURES / f"v{version}.db", target)
    return target


def _rowid_alias(diff: object) -> bool:
    """Legacy DDL says ``id INTEGER PRIMARY KEY`` without NOT NULL, which reflects as nullable;
    in SQLite that column is the rowid and can never hold NULL, so this is no difference."""
    return (
        isinstance(diff, list)
        and len(diff) == 1
        and diff[0][0] == "modify_nullable"
        and diff[0][3] == "id"
    )


def _ours(name: str | None, type_: str, _parents: object) -> bool:
    """The ORM's tables: the trigger-kept totals of revision 0009 are derived, not ORM tables
    (``tests/store/test_progress_totals.py`` checks them against the rows they count)."""
    return not (type_ == "table" and name in DERIVED_TABLES)


def _diffs(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        opts = {"version_table": VERSION_TABLE, "include_name": _ours}
        context = MigrationContext.configure(conn, opts=opts)
        diffs = compare_metadata(context, Base.metadata)
    sqlite = engine.dialect.name == "sqlite"
    return [d for d in diffs if not (sqlite and _rowid_alias(d))]


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_legacy_database_is_upgraded_keeping_every_row(version: int, tmp_path: Path) -> None:
    path = _copy_fixture(version, tmp_path)
    before = _rows(path)

    engine = open_database(str(path), candidate="ana")

    after = _rows(path)
    for table, rows in before.items():
        width = len(rows[0])
        # Columns are only ever added at the end, so each old row is a prefix of the new one.
        assert [r[:width] for r in after[table]] == [r[:width] for r in rows], table
    new_tables = {t: len(r) for t, r in after.items() if t not in before}
    assert Repository(engine).time_spans(1) == []
    assert new_tables in ({}, {"code_runs": 0, "stages": 0})
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == int(HEAD)
    assert con.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall() == [(HEAD,)]
    assert con.execute("SELECT DISTINCT candidate FROM sessions").fetchall() == [("ana",)]
    uuids = [r[0] for r in con.execute("SELECT uuid FROM sessions")]
    assert len(set(uuids)) == 2 and all(u and len(u) == 32 for u in uuids)
    con.close()
    repo = Repository(engine)
    assert [g.total for g in repo.grades(1)] == [2.5]
    assert [s.criterion for s in repo.grades(1)[0].scores] == ["depth", "metrics"]
    assert len(repo.turns(2)) == 4
    assert _diffs(engine) == []


def test_new_database_schema_matches_the_orm(db_url: str) -> None:
    engine = open_database(db_url)
    assert _diffs(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == HEAD


def _broken_migrations(tmp_path: Path) -> Path:
    """The shipped revisions plus one that alters a table and then fails part-way."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "r0099_broken.py").write_text(
        textwrap.dedent(
            f"""
            import sqlalchemy as sa
            from alembic import op

            revision = "0099"
            down_revision = "{HEAD}"
            branch_labels = None
            depends_on = None


            def upgrade():
                op.add_column("turns", sa.Column("extra", sa.String(8)))
                op.execute("UPDATE sessions SET mode = 'broken'")
                raise RuntimeError("injected failure after two statements")
            """
        )
    )
    return scripts


def test_failed_upgrade_leaves_a_legacy_file_byte_identical(tmp_path: Path) -> None:
    path = _copy_fixture(1, tmp_path)
    original = path.read_bytes()
    engine = create_engine(f"sqlite:///{path}")

    with pytest.raises(RuntimeError, match="injected failure"):
        migrate(engine, str(path), script_location=_broken_migrations(tmp_path))
    engine.dispose()

    assert path.read_bytes() == original
    repo = Repository(open_database(str(path)))  # and the shipped migrations still apply
    assert len(repo.turns(1)) == 4
    assert {s.mode.value for s in repo.list_sessions()} == {"drill"}


def test_failed_upgrade_rolls_back_on_each_backend(db_url: str, tmp_path: Path) -> None:
    engine = open_database(db_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sessions (mode, status, plan, started_at, uuid, candidate)"
                " VALUES ('drill', 'completed', '[]', '2026-01-01 10:00:00', :u, 'ana')"
            ),
            {"u": "a" * 32},
        )
    engine.dispose()
    engine = open_database(db_url)

    with pytest.raises(RuntimeError, match="injected failure"):
        migrate(engine, db_url, script_location=_broken_migrations(tmp_path))

    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("turns")}
        assert "extra" not in columns
        assert conn.execute(text("SELECT mode FROM sessions")).scalars().all() == ["drill"]
        assert conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == HEAD
    engine.dispose()
    assert len(Repository(open_database(db_url), candidate="ana").list_sessions()) == 1


FOREIGN = {
    "sessions_table": [
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, token TEXT, expires INTEGER)",
        "INSERT INTO sessions (token, expires) VALUES ('abc', 1)",
    ],
    "random_tables": [
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes (body) VALUES ('keep me')",
    ],
    "our_tables_unversioned": [
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, mode TEXT)",
        "CREATE TABLE turns (id INTEGER PRIMARY KEY)",
    ],
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_foreign_sqlite_file_is_refused_and_left_byte_identical(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    for statement in FOREIGN[kind]:
        con.execute(statement)
    con.commit()
    con.close()
    original = path.read_bytes()

    result = run_cli(path, "sessions", "list")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "not an interview-sim database" in result.stderr and str(path) in result.stderr
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "other.db"]
    with pytest.raises(ForeignDatabaseError):
        open_database(str(path))
    assert path.read_bytes() == original


def test_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = _copy_fixture(4, tmp_path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 9")
    con.commit()
    con.close()
    with pytest.raises(SchemaTooNewError, match="newer"):
        open_database(str(path))

    stamped = tmp_path / "stamped.db"
    open_database(str(stamped)).dispose()
    con = sqlite3.connect(stamped)
    con.execute(f"UPDATE {VERSION_TABLE} SET version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="revision 9999, newer"):
        open_database(str(stamped))


OPEN_AT = """
import sys, time
from interview_sim.store import Repository, open_database
from interview_sim.models import SessionMode
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
repo = Repository(open_database(sys.argv[1]))
repo.create_session(SessionMode.DRILL, [])
"""


@pytest.mark.slow  # many processes open one new database at once
def test_concurrent_first_opens_all_succeed(db_url: str) -> None:
    start = time.time() + 3.0  # every process is up and waiting before the first opens
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, db_url, str(start)],
            env=cli_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, "\n".join(errors)
    engine = open_database(db_url)
    assert len(Repository(engine).list_sessions()) == 8
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT COUNT(*) FROM {VERSION_TABLE}")).scalar() == 1


def test_revision_scripts_are_named_by_their_revision() -> None:
    """A current database is recognised from the script names alone (``schema.shipped_head``),
    so each ``versions/rNNNN_*.py`` must hold revision ``NNNN`` and the newest name is the head."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from interview_sim.store import schema

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    named = {Path(str(s.path)).name: s.revision for s in scripts.walk_revisions()}
    assert named == {n: n[1:5] for n in named}
    assert sorted(named) == sorted(p.name for p in MIGRATIONS.glob("versions/r*.py"))
    assert schema.shipped_head() == scripts.get_current_head()


def test_a_current_database_opens_without_alembic(tmp_path: Path) -> None:
    """Alembic (and the revision scripts) load only when there is something to upgrade."""
    path = tmp_path / "current.db"
    open_database(str(path)).dispose()
    code = (
        "import sys\n"
        "from interview_sim.store import open_database\n"
        f"open_database({str(path)!r}).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
