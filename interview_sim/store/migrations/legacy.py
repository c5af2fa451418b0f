"""The frozen pre-Alembic upgrade path: SQLite schema versions 1 to 4.

Builds up to 0.x kept their schema version in ``PRAGMA user_version`` and upgraded with these
steps. A database they wrote is brought to v4 with the very same DDL, inside the migration
transaction, and then stamped with the Alembic baseline; nothing here may ever change.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY, mode VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL,
            plan JSON NOT NULL, started_at DATETIME NOT NULL, finished_at DATETIME)""",
        """CREATE TABLE turns (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            stage VARCHAR(32) NOT NULL, question_id VARCHAR(128) NOT NULL,
            kind VARCHAR(16) NOT NULL, text TEXT NOT NULL, criterion VARCHAR(64),
            created_at DATETIME NOT NULL)""",
        "CREATE INDEX ix_turns_session_id ON turns (session_id)",
        """CREATE TABLE grades (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            stage VARCHAR(32) NOT NULL, question_id VARCHAR(128) NOT NULL, total FLOAT NOT NULL,
            hire_signal VARCHAR(32) NOT NULL, scorer VARCHAR(64) NOT NULL,
            scorer_version VARCHAR(32) NOT NULL, rubric_id VARCHAR(64) NOT NULL,
            rubric_version VARCHAR(32) NOT NULL, model VARCHAR(128), detail JSON NOT NULL,
            created_at DATETIME NOT NULL)""",
        "CREATE INDEX ix_grades_session_id ON grades (session_id)",
        """CREATE TABLE criterion_scores (
            id INTEGER PRIMARY KEY, grade_id INTEGER NOT NULL REFERENCES grades(id),
            criterion VARCHAR(64) NOT NULL, level INTEGER NOT NULL, evidence JSON NOT NULL,
            rationale TEXT NOT NULL, missed JSON NOT NULL)""",
        "CREATE INDEX ix_criterion_scores_grade_id ON criterion_scores (grade_id)",
    ),
    (
        "ALTER TABLE turns ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'complete'",
        """CREATE TABLE code_runs (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            question_id VARCHAR(128) NOT NULL, hidden BOOLEAN NOT NULL, code TEXT NOT NULL,
            report JSON NOT NULL, created_at DATETIME NOT NULL)""",
        "CREATE INDEX ix_code_runs_session_id ON code_runs (session_id)",
        """CREATE TABLE stages (
            id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),
            stage VARCHAR(32) NOT NULL, budget_seconds INTEGER NOT NULL,
            started_at DATETIME NOT NULL, finished_at DATETIME)""",
        "CREATE INDEX ix_stages_session_id ON stages (session_id)",
    ),
    (
        # A stable id per session, so an exported dump can be imported again without duplicates.
        "ALTER TABLE sessions ADD COLUMN uuid VARCHAR(32)",
        "UPDATE sessions SET uuid = lower(hex(randomblob(16))) WHERE uuid IS NULL",
        "CREATE UNIQUE INDEX ix_sessions_uuid ON sessions (uuid)",
        # History and progress read sessions by date and grades by question.
        "CREATE INDEX ix_sessions_started_at ON sessions (started_at)",
        "CREATE INDEX ix_grades_question_id ON grades (question_id)",
    ),
    (
        # Sessions created by a v3 build that did not yet fill the uuid get one now. IF NOT
        # EXISTS: development databases from before this step may already have the indexes.
        "UPDATE sessions SET uuid = lower(hex(randomblob(16))) WHERE uuid IS NULL",
        # Covering indexes for the history list and the progress aggregates, so they never
        # read the wide rows (answer text, grade JSON, evidence) of thousands of sessions.
        """CREATE INDEX IF NOT EXISTS ix_grades_session_stage
            ON grades (session_id, stage, created_at, total)""",
        """CREATE INDEX IF NOT EXISTS ix_grades_question
            ON grades (question_id, created_at, total, stage)""",
        """CREATE INDEX IF NOT EXISTS ix_criterion_scores_levels
            ON criterion_scores (grade_id, criterion, level)""",
        """CREATE INDEX IF NOT EXISTS ix_turns_timing
            ON turns (session_id, created_at, kind, stage)""",
    ),
)

LEGACY_VERSION = len(MIGRATIONS)

LEGACY_TABLES: tuple[frozenset[str], ...] = (
    frozenset({"sessions", "turns", "grades", "criterion_scores"}),
    frozenset({"sessions", "turns", "grades", "criterion_scores", "code_runs", "stages"}),
)
"""The tables a legacy database of version 1, and of versions 2 to 4, holds: nothing else."""


def current_version(conn: Connection) -> int:
    return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def upgrade(conn: Connection, target: int = LEGACY_VERSION) -> int:
    """Apply every legacy step past the database's version up to ``target`` (at most v4).

    Tests also use it to build databases exactly as old builds left them.
    """
    version = current_version(conn)
    for index in range(version, min(target, LEGACY_VERSION)):
        for statement in MIGRATIONS[index]:
            conn.execute(text(statement))
        conn.execute(text(f"PRAGMA user_version = {index + 1}"))
    return max(version, min(target, LEGACY_VERSION))
