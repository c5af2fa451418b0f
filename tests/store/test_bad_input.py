"""Databases and files a user points the app at by mistake: one line, exit code 2, no traceback,
and nothing that was stored (or that is not ours) changed, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from interview_sim.cli.main import main
from interview_sim.models import SessionMode
from interview_sim.store import Repository, db, open_database
from interview_sim.store.db import database_url
from interview_sim.store.errors import SchemaTooNewError, StoreError
from interview_sim.store.reader import open_progress_reader
from tests.cli_errors import one_error_line
from tests.reliability.support import cli_env
from tests.store.pg_server import PostgresServer


def _cli(db: str, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "interview_sim", "--db", db, *args],
        input=stdin,
        capture_output=True,
        env=cli_env(),
        timeout=120,
        check=False,
    )


def _one_answer(tmp_path: Path) -> list[str]:
    answers = tmp_path / "answers.yaml"
    answers.write_text("- [a first answer about leakage]\n", encoding="utf-8")
    return ["run", "--stage", "ml_depth", "--count", "1", "--answers", str(answers)]


def _answers(url: str) -> list[str]:
    engine = open_database(url, candidate="ana")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT text FROM turns WHERE kind = 'answer' ORDER BY id"))
            return [str(r[0]) for r in rows]
    finally:
        engine.dispose()


def test_an_empty_database_path_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """SQLite takes '' for a database in memory: every answer would vanish at exit."""
    assert main(["--db", "", "sessions", "list"]) == 2
    assert "database path is empty" in one_error_line(capsys)


def test_a_folder_or_a_missing_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    assert main(["--db", str(folder), "sessions", "list"]) == 2
    assert f"database {folder} is a folder" in one_error_line(capsys)
    assert list(folder.iterdir()) == []

    missing = tmp_path / "nowhere" / "sessions.db"
    assert main(["--db", str(missing), "sessions", "list"]) == 2
    assert f"its folder {missing.parent} does not exist" in one_error_line(capsys)
    assert not missing.parent.exists()


@pytest.mark.parametrize("name", ["notes.txt", "README.md", "photo.png"])
def test_a_file_that_is_no_database_is_left_where_it_is(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a damaged database of ours is moved aside; ``--db README.md`` moves nothing."""
    path = tmp_path / name
    original = b"# my notes\nnothing to do with interview-sim\n" * 50
    path.write_bytes(original)

    assert main(["--db", str(path), "sessions", "list"]) == 2

    line = one_error_line(capsys)
    assert f"{path} is not a SQLite database" in line and "left unchanged" in line
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", name])


def test_a_damaged_sqlite_file_under_any_name_is_still_moved_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.db"
    open_database(str(good)).dispose()
    damaged = tmp_path / "history.data"
    damaged.write_bytes(good.read_bytes()[:100] + b"\xff" * 5000)

    assert main(["--db", str(damaged), "sessions", "list"]) == 2
    assert "moved aside" in one_error_line(capsys)
    assert not damaged.exists()


def test_a_read_only_database_is_one_line_and_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A write that the file refuses (permissions, a read-only mount) is not a crash."""
    path = tmp_path / "sessions.db"
    assert main(["--db", str(path), *_one_answer(tmp_path)]) == 0
    capsys.readouterr()
    before = _content(path)
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"

    assert main(["--db", read_only, *_one_answer(tmp_path)]) == 2

    line = one_error_line(capsys)
    assert "readonly database" in line and "writable" in line
    assert _content(path) == before


def _content(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_is_not_there_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """psycopg's message has a hint on a line of its own; the user gets one line."""
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://ana:secret@127.0.0.1:{_free_port()}/team"
    assert main(["--db", url, "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert "cannot open database" in line and "secret" not in line


@pytest.mark.parametrize("driver", ["asyncpg", "psycopg2", "pg8000"])
def test_another_postgresql_driver_says_which_one_to_use(
    driver: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", f"postgresql+{driver}://u@h/db", "sessions", "list"]) == 2
    line = one_error_line(capsys)
    assert f"'postgresql+{driver}'" in line and "postgresql+psycopg://" in line
    assert "pip install 'interview-sim[postgres]'" in line


@pytest.mark.slow  # two CLI processes
def test_a_nul_in_an_answer_is_stored_on_each_backend(db_url: str) -> None:
    """PostgreSQL text cannot hold NUL: the answer is stored with U+FFFD in its place."""
    done = _cli(
        db_url,
        "--candidate",
        "ana",
        "run",
        "--stage",
        "ml_depth",
        "--count",
        "1",
        stdin=b"before \x00 after\n",
    )
    assert done.returncode == 0, done.stderr.decode()
    (answer,) = _answers(db_url)
    expected = "before \ufffd after" if db_url.startswith("postgresql") else "before \x00 after"
    assert answer == expected


def _dump(tmp_path: Path, **turn: object) -> Path:
    """An export of one session whose first turn has these fields changed."""
    source = str(tmp_path / "source.db")
    assert main(["--db", source, *_one_answer(tmp_path)]) == 0
    dump = tmp_path / "dump.json"
    assert main(["--db", source, "export", "--json", "-o", str(dump)]) == 0
    data = json.loads(dump.read_text(encoding="utf-8"))
    data["sessions"][0]["turns"][0].update(turn)
    dump.write_text(json.dumps(data), encoding="utf-8")
    return dump


def test_an_import_with_a_nul_is_stored_on_each_backend(db_url: str, tmp_path: Path) -> None:
    dump = _dump(tmp_path, text="a\x00b")
    assert main(["--db", db_url, "import", str(dump)]) == 0
    repo = Repository(open_database(db_url))
    (session,) = repo.list_sessions()
    assert repo.turns(session.id)[0].text in ("a\x00b", "a\ufffdb")


def test_a_value_the_database_refuses_imports_nothing(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question id longer than its column: SQLite stores it, PostgreSQL refuses it in one
    line, and then the import stores nothing at all (one transaction)."""
    dump = _dump(tmp_path, question_id="q" * 300)
    capsys.readouterr()
    code = main(["--db", db_url, "import", str(dump)])
    if db_url.startswith("postgresql"):
        assert code == 2
        line = one_error_line(capsys)
        assert line.startswith("interview-sim: database ") and "too long" in line
        assert Repository(open_database(db_url)).list_sessions() == []
    else:
        assert code == 0


def test_a_failed_write_after_open_is_a_store_error(tmp_path: Path) -> None:
    """Library callers (the app) get a ``StoreError`` too, with the database named."""
    path = tmp_path / "sessions.db"
    open_database(str(path)).dispose()
    engine = open_database(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(StoreError, match="readonly database"), engine.begin() as conn:
        conn.execute(text("DELETE FROM sessions"))


def test_a_role_that_may_not_create_tables_is_told_which_to_use(
    pg_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL 15 lets only the owner create tables in a new database: the first open by
    any other role fails, in one line saying what to do, without the statement psycopg quotes."""
    url = pg_server.new_database()
    name = url.rsplit("/", 1)[1]
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE r_{name} LOGIN")
        conn.exec_driver_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    admin.dispose()
    as_role = url.replace("postgres@", f"r_{name}@")

    assert main(["--db", as_role, "sessions", "list"]) == 2

    line = one_error_line(capsys)
    assert "permission denied" in line and "role that owns the database" in line
    assert "LINE" not in line and "CREATE TABLE" not in line


def test_a_database_from_a_newer_app_is_refused_on_each_backend(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never downgraded, never written: the newer app's rows stay as they are."""
    engine = open_database(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE interview_sim_schema SET version_num = '0099'"))
    engine.dispose()

    for argv in (["sessions", "list"], ["progress"], ["candidates"]):
        assert main(["--db", db_url, *argv]) == 2
        line = one_error_line(capsys)
        assert "schema revision 0099, newer than this app knows" in line, line

    with pytest.raises(SchemaTooNewError):
        open_database(db_url)
    check = create_engine(database_url(db_url))
    with check.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM interview_sim_schema")).all() == [
            ("0099",)
        ]
    check.dispose()


def test_a_sound_database_that_cannot_be_opened_now_is_never_moved_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A full disk or an I/O error is SQLite's ``OperationalError``, not a verdict on the file:
    it used to count as damage, and the whole history was moved aside. Here the WAL file cannot
    be opened (a folder stands in its place), as on a full disk."""
    path = tmp_path / "sessions.db"
    done = _cli(str(path), *_one_answer(tmp_path))  # its own process: every connection closed
    assert done.returncode == 0, done.stderr.decode()
    before = _content(path)
    assert not Path(f"{path}-wal").exists()
    original = path.read_bytes()
    Path(f"{path}-wal").mkdir()

    assert main(["--db", str(path), "sessions", "list"]) == 2

    line = one_error_line(capsys)
    assert line.startswith(f"interview-sim: cannot open database {path}: ") and "moved" not in line
    assert path.read_bytes() == original
    assert not list(tmp_path.glob("*.corrupt-*"))
    Path(f"{path}-wal").rmdir()
    assert _content(path) == before


def test_a_server_that_never_answers_is_given_up_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """libpq waits forever by default: a mistyped host behind a silent firewall hung every
    command. The listener here accepts connections and never says a word."""
    pytest.importorskip("psycopg")
    monkeypatch.setattr(db, "CONNECT_TIMEOUT", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"postgresql+psycopg://ana@127.0.0.1:{silent.getsockname()[1]}/team"
        started = time.monotonic()
        assert main(["--db", url, "sessions", "list"]) == 2
        assert time.monotonic() - started < 30
    line = one_error_line(capsys)
    assert "cannot open database" in line and "timeout" in line.lower()


def test_a_connection_the_server_dropped_is_replaced_before_use(pg_server: PostgresServer) -> None:
    """The app may sit idle for an hour; a server restart or an idle-connection reaper must not
    fail the next answer."""
    url = pg_server.new_database()
    repo = Repository(open_database(url), candidate="ana")
    assert repo.list_sessions() == []  # a pooled connection now exists
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        dropped = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).scalar()
    admin.dispose()
    assert dropped and dropped >= 1

    assert repo.list_sessions() == []


def _foreign_with_pending_pages(folder: Path, kind: str) -> Path:
    """Another program's database left with pages the next opener would write into it (as
    after a crash, or copied while open): in its WAL, with or without its -shm, or in a hot
    rollback journal."""
    folder.mkdir()
    live = folder / "live.db"
    con = sqlite3.connect(live, isolation_level=None)
    con.execute("PRAGMA cache_size=1")  # pages spill to the file before the commit
    if kind == "journal":
        con.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, token TEXT)")
        con.execute("BEGIN")
        con.executemany("INSERT INTO sessions (token) VALUES (?)", [("t" * 100,)] * 2000)
        suffixes: tuple[str, ...] = ("", "-journal")
    else:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, token TEXT)")
        con.executemany("INSERT INTO sessions (token) VALUES (?)", [("t",)] * 50)
        suffixes = ("", "-wal", "-shm") if kind == "wal+shm" else ("", "-wal")
    path = folder / "other.db"
    for suffix in suffixes:
        shutil.copyfile(f"{live}{suffix}", f"{path}{suffix}")
    if kind == "journal":
        con.execute("ROLLBACK")
    con.close()
    live.unlink()
    return path


@pytest.mark.parametrize("kind", ["wal", "wal+shm", "journal"])
def test_a_foreign_file_with_pending_pages_is_left_byte_identical(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite writes a WAL into its database when the last connection closes, and rolls a hot
    journal back on the first open: a file that is not ours must get neither, nor a -shm."""
    path = _foreign_with_pending_pages(tmp_path / "other", kind)
    before = {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())}
    assert len(before) > 1

    for argv in (["sessions", "list"], ["progress"], ["candidates"]):
        assert main(["--db", str(path), *argv]) == 2
        line = one_error_line(capsys)
        assert "is not an interview-sim database" in line and "left unchanged" in line

    assert {p.name: p.read_bytes() for p in sorted(path.parent.iterdir())} == before


def test_our_database_with_a_pending_wal_opens_as_always(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app running in another window keeps a WAL pending: commands still read it, through
    the light progress reader too, and see what it wrote."""
    path = tmp_path / "sessions.db"
    done = _cli(str(path), *_one_answer(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    live = Repository(open_database(str(path)))
    live.create_session(SessionMode.DRILL, [])
    assert Path(f"{path}-wal").stat().st_size > 0 and Path(f"{path}-shm").exists()
    assert open_progress_reader(str(path)) is not None  # the light reader, read-only

    assert main(["--db", str(path), "sessions", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["--db", str(path), "progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["progress"]["sessions"] == 2
    live.engine.dispose()
