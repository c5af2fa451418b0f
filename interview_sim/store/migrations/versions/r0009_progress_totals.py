"""Progress totals: whole-history aggregates kept up to date by SQLite triggers, like an index.

``interview-sim progress`` shows, for every stage and criterion, how often each level was given,
and how many answers, hints and skips each stage had, over all history. Computed at read time
that is a join over every criterion score (about 200,000 for 10,000 sessions) and a scan of every
turn: over a tenth of a second each, growing with the history. Two small tables hold the same
counts, one row per (stage, criterion, level) and per (stage, kind), so the read costs the same
at any size. Its trends start from the newest sessions of each stage, ordered by their first
grade there; finding them grouped every grade of every session. ``stage_sessions`` holds that
first grade's time per (stage, session), indexed, so the newest few are an index range each.

Why triggers, not the repository's write path: the counts stay exact whoever writes (a live
grade, an import, a migration, a benchmark's raw inserts, a hand-edited database), for inserts,
deletes and updates alike, in the writer's own transaction. The rules follow the join the read
used to run: a score counts under its grade's stage while both exist, so each trigger on one
side looks the other side up. A count that reaches zero is deleted, so a group with no rows
left disappears as it did from the join. Levels are counted per value (never summed), so the
mean and the best level of a criterion come back exactly as ``AVG`` and ``MAX`` gave them, and
a delete can always be undone; a session's first grade time is looked up again from its grades
(one index range) when one of them leaves.

SQLite only: only the SQLite aggregates read these tables. On PostgreSQL progress filters by
candidate in portable SQL (``history_portable``) and this revision changes nothing. They are
derived data, so they are not ORM tables; the schema comparison and Alembic's autogenerate
leave them out (``store.revisions.DERIVED_TABLES``). Downgrade drops them.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

_TABLES = (
    """
    CREATE TABLE criterion_totals (
        stage VARCHAR(32) NOT NULL,
        criterion VARCHAR(64) NOT NULL,
        level INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (stage, criterion, level)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE turn_totals (
        stage VARCHAR(32) NOT NULL,
        kind VARCHAR(16) NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (stage, kind)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE stage_sessions (
        stage VARCHAR(32) NOT NULL,
        session_id INTEGER NOT NULL,
        first DATETIME NOT NULL,
        PRIMARY KEY (stage, session_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX ix_stage_sessions_first ON stage_sessions (stage, first, session_id)",
)

# One turn in or out of its (stage, kind) count.
_TURN_IN = """
    INSERT INTO turn_totals (stage, kind, n) VALUES (NEW.stage, NEW.kind, 1)
    ON CONFLICT (stage, kind) DO UPDATE SET n = n + 1;
"""
_TURN_OUT = """
    UPDATE turn_totals SET n = n - 1 WHERE stage = OLD.stage AND kind = OLD.kind;
    DELETE FROM turn_totals WHERE stage = OLD.stage AND kind = OLD.kind AND n = 0;
"""
# One score in or out, under the stage of its grade (none while the grade does not exist).
_SCORE_IN = """
    INSERT INTO criterion_totals (stage, criterion, level, n)
    SELECT stage, NEW.criterion, NEW.level, 1 FROM grades WHERE id = NEW.grade_id
    ON CONFLICT (stage, criterion, level) DO UPDATE SET n = n + 1;
"""
_SCORE_OUT = """
    UPDATE criterion_totals SET n = n - 1
    WHERE stage = (SELECT stage FROM grades WHERE id = OLD.grade_id)
      AND criterion = OLD.criterion AND level = OLD.level;
    DELETE FROM criterion_totals WHERE n = 0;
"""
# A grade in or out with every score it already has (usually none when it is inserted).
_GRADE_IN = """
    INSERT INTO criterion_totals (stage, criterion, level, n)
    SELECT NEW.stage, criterion, level, COUNT(*) FROM criterion_scores WHERE grade_id = NEW.id
    GROUP BY criterion, level
    ON CONFLICT (stage, criterion, level) DO UPDATE SET n = n + excluded.n;
"""
_GRADE_OUT = """
    UPDATE criterion_totals SET n = n - (
        SELECT COUNT(*) FROM criterion_scores c
        WHERE c.grade_id = OLD.id
          AND c.criterion = criterion_totals.criterion AND c.level = criterion_totals.level
    )
    WHERE stage = OLD.stage;
    DELETE FROM criterion_totals WHERE n = 0;
"""

# A grade's (stage, session) first grade time: lowered by a new grade, looked up again from the
# grades left when one leaves (gone with the last).
_FIRST_IN = """
    INSERT INTO stage_sessions (stage, session_id, first)
    VALUES (NEW.stage, NEW.session_id, NEW.created_at)
    ON CONFLICT (stage, session_id) DO UPDATE SET first = MIN(first, excluded.first);
"""
_FIRST_OUT = """
    DELETE FROM stage_sessions WHERE stage = OLD.stage AND session_id = OLD.session_id;
    INSERT INTO stage_sessions (stage, session_id, first)
    SELECT OLD.stage, OLD.session_id, first FROM (
        SELECT MIN(created_at) AS first FROM grades
        WHERE session_id = OLD.session_id AND stage = OLD.stage
    ) WHERE first IS NOT NULL;
"""

_TRIGGERS = {
    "turn_totals_insert": ("AFTER INSERT ON turns", _TURN_IN),
    "turn_totals_delete": ("AFTER DELETE ON turns", _TURN_OUT),
    "turn_totals_update": ("AFTER UPDATE OF stage, kind ON turns", _TURN_OUT + _TURN_IN),
    "criterion_totals_score_insert": ("AFTER INSERT ON criterion_scores", _SCORE_IN),
    "criterion_totals_score_delete": ("AFTER DELETE ON criterion_scores", _SCORE_OUT),
    "criterion_totals_score_update": (
        "AFTER UPDATE OF grade_id, criterion, level ON criterion_scores",
        _SCORE_OUT + _SCORE_IN,
    ),
    "criterion_totals_grade_insert": ("AFTER INSERT ON grades", _GRADE_IN + _FIRST_IN),
    "criterion_totals_grade_delete": ("AFTER DELETE ON grades", _GRADE_OUT + _FIRST_OUT),
    "criterion_totals_grade_update": (
        "AFTER UPDATE OF id, stage ON grades",
        _GRADE_OUT + _GRADE_IN,
    ),
    "stage_sessions_grade_update": (
        "AFTER UPDATE OF session_id, stage, created_at ON grades",
        _FIRST_OUT + _FIRST_IN,
    ),
}

_BACKFILL = (
    """
    INSERT INTO criterion_totals (stage, criterion, level, n)
    SELECT g.stage, c.criterion, c.level, COUNT(*)
    FROM grades g JOIN criterion_scores c ON c.grade_id = g.id
    GROUP BY g.stage, c.criterion, c.level
    """,
    """
    INSERT INTO turn_totals (stage, kind, n)
    SELECT stage, kind, COUNT(*) FROM turns GROUP BY stage, kind
    """,
    """
    INSERT INTO stage_sessions (stage, session_id, first)
    SELECT stage, session_id, MIN(created_at) FROM grades GROUP BY stage, session_id
    """,
)


def upgrade() -> None:
    """Rebuilt from scratch, so a database stamped back to an older revision (tests do that to
    replay an upgrade) upgrades again to the same counts."""
    if op.get_bind().dialect.name != "sqlite":
        return
    _drop()
    for statement in _TABLES:
        op.execute(statement)
    for name, (when, body) in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    for statement in _BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _drop()


def _drop() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS stage_sessions")
    op.execute("DROP TABLE IF EXISTS turn_totals")
    op.execute("DROP TABLE IF EXISTS criterion_totals")
