"""The progress totals (revision 0009) always equal what they count, whoever writes and how.

``criterion_totals`` must hold what the join of grades and criterion scores grouped by (stage,
criterion, level) gives, ``turn_totals`` what turns grouped by (stage, kind) give, and
``stage_sessions`` each (stage, session)'s first grade time, after
live writes, imports, raw inserts, deletes and updates on either side, in any order, and after
an upgrade that backfills them. Each check compares the two with SQL on the same file.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from interview_sim.store import Repository, open_database
from tests.history_data import build_history, fixture_catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "store"

_JOINED = """
    SELECT g.stage, c.criterion, c.level, COUNT(*) FROM grades g
    JOIN criterion_scores c ON c.grade_id = g.id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
_TURNS = "SELECT stage, kind, COUNT(*) FROM turns GROUP BY 1, 2 ORDER BY 1, 2"
_FIRSTS = "SELECT stage, session_id, MIN(created_at) FROM grades GROUP BY 1, 2 ORDER BY 1, 2"
# Revision 0011: each (stage, criterion, session)'s score count and level sum.
_PER_SESSION = """
    SELECT g.stage, c.criterion, g.session_id, COUNT(*), SUM(c.level) FROM grades g
    JOIN criterion_scores c ON c.grade_id = g.id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


def _assert_totals_match(path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        kept = "SELECT stage, criterion, level, n FROM criterion_totals ORDER BY 1, 2, 3"
        assert con.execute(kept).fetchall() == con.execute(_JOINED).fetchall()
        turns = "SELECT stage, kind, n FROM turn_totals ORDER BY 1, 2"
        assert con.execute(turns).fetchall() == con.execute(_TURNS).fetchall()
        firsts = "SELECT stage, session_id, first FROM stage_sessions ORDER BY 1, 2"
        assert con.execute(firsts).fetchall() == con.execute(_FIRSTS).fetchall()
        sums = (
            "SELECT stage, criterion, session_id, n, total FROM criterion_sessions ORDER BY 1, 2, 3"
        )
        assert con.execute(sums).fetchall() == con.execute(_PER_SESSION).fetchall()
    finally:
        con.close()


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    path = tmp_path / "totals.db"
    build_history(Repository(open_database(str(path))), fixture_catalog())
    return path


def test_live_writes_keep_the_totals(history_db: Path) -> None:
    con = sqlite3.connect(history_db)
    assert con.execute("SELECT COUNT(*) FROM criterion_totals").fetchone()[0] > 0
    assert con.execute("SELECT COUNT(*) FROM turn_totals").fetchone()[0] > 0
    con.close()
    _assert_totals_match(history_db)


def test_an_import_keeps_the_totals(history_db: Path, tmp_path: Path) -> None:
    archives = Repository(open_database(str(history_db))).export_sessions()
    target = tmp_path / "imported.db"
    result = Repository(open_database(str(target)), candidate="bo").import_sessions(archives)
    assert result.imported == len(archives) > 0
    _assert_totals_match(target)
    con = sqlite3.connect(target)
    assert con.execute("SELECT SUM(n) FROM criterion_totals").fetchone()[0] > 0
    con.close()


def test_raw_deletes_and_updates_in_any_order_keep_the_totals(history_db: Path) -> None:
    """Scores moved, re-levelled and deleted; grades deleted before their scores (no foreign
    keys), re-staged, re-timed, moved to another session and given new ids; scores inserted
    before their grade exists; turns re-staged and deleted."""
    rng = random.Random(17)
    con = sqlite3.connect(history_db, isolation_level=None)
    con.execute("PRAGMA foreign_keys=OFF")
    grades = [r[0] for r in con.execute("SELECT id FROM grades ORDER BY id")]
    scores = [r[0] for r in con.execute("SELECT id FROM criterion_scores ORDER BY id")]
    turns = [r[0] for r in con.execute("SELECT id FROM turns ORDER BY id")]
    stages = ["coding", "system_design", "ml_depth", "behavioral"]
    for step in range(120):
        kind = rng.randrange(11)
        if kind == 0:
            con.execute(
                "UPDATE criterion_scores SET level = ? WHERE id = ?",
                (rng.randrange(5), rng.choice(scores)),
            )
        elif kind == 1:
            con.execute(
                "UPDATE criterion_scores SET grade_id = ? WHERE id = ?",
                (rng.choice(grades), rng.choice(scores)),
            )
        elif kind == 2:
            con.execute(
                "UPDATE criterion_scores SET criterion = ? WHERE id = ?",
                (f"c{rng.randrange(3)}", rng.choice(scores)),
            )
        elif kind == 3:
            con.execute("DELETE FROM criterion_scores WHERE id = ?", (rng.choice(scores),))
        elif kind == 4:
            con.execute(
                "UPDATE grades SET stage = ? WHERE id = ?", (rng.choice(stages), rng.choice(grades))
            )
        elif kind == 5:
            con.execute("DELETE FROM grades WHERE id = ?", (rng.choice(grades),))
        elif kind == 6:
            # A score for a grade that does not exist yet, then the grade.
            gid = 1000 + step
            con.execute(
                "INSERT INTO criterion_scores (grade_id, criterion, level, evidence, rationale,"
                " missed) VALUES (?, 'late', ?, '[]', '', '[]')",
                (gid, rng.randrange(5)),
            )
            _assert_totals_match(history_db)
            con.execute(
                "INSERT INTO grades (id, session_id, stage, question_id, total, hire_signal,"
                " scorer, scorer_version, rubric_id, rubric_version, detail, created_at)"
                " VALUES (?, 1, ?, 'q', 2.0, 'hire', 's', '1', 'r', '1', '{}',"
                " '2024-01-01 00:00:00.000000')",
                (gid, rng.choice(stages)),
            )
            grades.append(gid)
        elif kind == 7:
            con.execute(
                "UPDATE grades SET created_at = ? WHERE id = ?",
                (f"2025-0{rng.randrange(1, 10)}-01 00:00:00.000000", rng.choice(grades)),
            )
        elif kind == 8:
            con.execute(
                "UPDATE grades SET session_id = ? WHERE id = ?",
                (rng.randrange(1, 5), rng.choice(grades)),
            )
        elif kind == 9:
            con.execute(
                "UPDATE turns SET stage = ?, kind = ? WHERE id = ?",
                (rng.choice(stages), rng.choice(["answer", "hint", "skip"]), rng.choice(turns)),
            )
        else:
            con.execute("DELETE FROM turns WHERE id = ?", (rng.choice(turns),))
        _assert_totals_match(history_db)
    # Give a grade a new id: its scores (still pointing at the old id) leave its counts.
    gid = con.execute("SELECT grade_id FROM criterion_scores LIMIT 1").fetchone()[0]
    con.execute("UPDATE grades SET id = 99999 WHERE id = ?", (gid,))
    _assert_totals_match(history_db)
    con.close()


def test_a_rolled_back_write_leaves_the_totals_as_they_were(history_db: Path) -> None:
    con = sqlite3.connect(history_db)
    before = con.execute("SELECT * FROM criterion_totals ORDER BY 1, 2, 3").fetchall()
    con.execute("DELETE FROM criterion_scores")
    con.rollback()
    assert con.execute("SELECT * FROM criterion_totals ORDER BY 1, 2, 3").fetchall() == before
    con.close()


@pytest.mark.parametrize("version", [1, 4])
def test_an_upgrade_backfills_the_totals(version: int, tmp_path: Path) -> None:
    path = tmp_path / f"v{version}.db"
    shutil.copy(FIXTURES / f"v{version}.db", path)
    open_database(str(path)).dispose()
    _assert_totals_match(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT SUM(n) FROM criterion_totals").fetchone()[0] > 0
    con.close()
