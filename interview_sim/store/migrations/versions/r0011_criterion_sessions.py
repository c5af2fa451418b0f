"""Criterion sessions: each session's count and sum of levels per (stage, criterion), kept by
SQLite triggers like revision 0009's totals.

``interview-sim progress`` gives each criterion a latest, a best and an average on one line.
The latest is the newest session's mean level; the best and the average were a single answer's
level and the mean over every answer, another kind of figure beside it (a best of 4 from one
answer next to a latest of 1.75). All three are now session means, as a stage's are. Computed at
read time, the means of every session are a join over every criterion score grouped by session
(about 0.18 s for 10,000 sessions); this table holds one row per (stage, criterion, session), so
the read groups about 90,000 narrow rows in key order instead.

The rules are 0009's: a score counts under its grade's stage and session while both exist,
whoever writes, for inserts, deletes and updates alike; a row whose count reaches zero is
deleted. Levels are summed as integers, so a session's mean is exact. SQLite only (PostgreSQL
groups in portable SQL, ``progress_portable``); derived data, so not an ORM table
(``store.revisions.DERIVED_TABLES``). Downgrade drops it.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

_TABLE = """
    CREATE TABLE criterion_sessions (
        stage VARCHAR(32) NOT NULL,
        criterion VARCHAR(64) NOT NULL,
        session_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        total INTEGER NOT NULL,
        PRIMARY KEY (stage, criterion, session_id)
    ) WITHOUT ROWID
"""

# One score in or out, under the stage and session of its grade (none while there is no grade).
_SCORE_IN = """
    INSERT INTO criterion_sessions (stage, criterion, session_id, n, total)
    SELECT stage, NEW.criterion, session_id, 1, NEW.level FROM grades WHERE id = NEW.grade_id
    ON CONFLICT (stage, criterion, session_id)
    DO UPDATE SET n = n + 1, total = total + excluded.total;
"""
_OLD_GRADE = "(SELECT {column} FROM grades WHERE id = OLD.grade_id)"
_SCORE_WHERE = (
    f"stage = {_OLD_GRADE.format(column='stage')}"
    f" AND session_id = {_OLD_GRADE.format(column='session_id')}"
    " AND criterion = OLD.criterion"
)
_SCORE_OUT = f"""
    UPDATE criterion_sessions SET n = n - 1, total = total - OLD.level WHERE {_SCORE_WHERE};
    DELETE FROM criterion_sessions WHERE {_SCORE_WHERE} AND n = 0;
"""
# A grade in or out with every score it already has (usually none when it is inserted).
_GRADE_IN = """
    INSERT INTO criterion_sessions (stage, criterion, session_id, n, total)
    SELECT NEW.stage, criterion, NEW.session_id, COUNT(*), SUM(level) FROM criterion_scores
    WHERE grade_id = NEW.id GROUP BY criterion
    ON CONFLICT (stage, criterion, session_id)
    DO UPDATE SET n = n + excluded.n, total = total + excluded.total;
"""
_GRADE_OUT = """
    UPDATE criterion_sessions SET
        n = n - (
            SELECT COUNT(*) FROM criterion_scores c
            WHERE c.grade_id = OLD.id AND c.criterion = criterion_sessions.criterion
        ),
        total = total - (
            SELECT COALESCE(SUM(level), 0) FROM criterion_scores c
            WHERE c.grade_id = OLD.id AND c.criterion = criterion_sessions.criterion
        )
    WHERE stage = OLD.stage AND session_id = OLD.session_id;
    DELETE FROM criterion_sessions WHERE stage = OLD.stage AND session_id = OLD.session_id
        AND n = 0;
"""

_TRIGGERS = {
    "criterion_sessions_score_insert": ("AFTER INSERT ON criterion_scores", _SCORE_IN),
    "criterion_sessions_score_delete": ("AFTER DELETE ON criterion_scores", _SCORE_OUT),
    "criterion_sessions_score_update": (
        "AFTER UPDATE OF grade_id, criterion, level ON criterion_scores",
        _SCORE_OUT + _SCORE_IN,
    ),
    "criterion_sessions_grade_insert": ("AFTER INSERT ON grades", _GRADE_IN),
    "criterion_sessions_grade_delete": ("AFTER DELETE ON grades", _GRADE_OUT),
    "criterion_sessions_grade_update": (
        "AFTER UPDATE OF id, stage, session_id ON grades",
        _GRADE_OUT + _GRADE_IN,
    ),
}

_BACKFILL = """
    INSERT INTO criterion_sessions (stage, criterion, session_id, n, total)
    SELECT g.stage, c.criterion, g.session_id, COUNT(*), SUM(c.level)
    FROM grades g JOIN criterion_scores c ON c.grade_id = g.id
    GROUP BY g.stage, c.criterion, g.session_id
"""


def upgrade() -> None:
    """Rebuilt from scratch, so a database stamped back and upgraded again gets the same rows."""
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    op.execute(_TABLE)
    for name, (when, body) in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    op.execute(_BACKFILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _drop()


def _drop() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS criterion_sessions")
