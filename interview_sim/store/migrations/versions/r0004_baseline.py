"""Baseline: the schema of version 4, the last one the pre-Alembic upgrade path built.

A new database is created here on any dialect. A SQLite database from an older build is
brought to v4 by ``migrations.legacy`` and stamped with this revision instead, so the two
routes must give the same tables (a test compares both with the ORM).

Revision ID: 0004
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

WHEN = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _session_id() -> sa.Column[int]:
    return sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sessions",
        _id(),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("uuid", sa.String(32), nullable=True),
    )
    op.create_index("ix_sessions_uuid", "sessions", ["uuid"], unique=True)
    op.create_index("ix_sessions_started_at", "sessions", ["started_at"])
    op.create_table(
        "turns",
        _id(),
        _session_id(),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("criterion", sa.String(64), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="complete"),
    )
    op.create_index("ix_turns_session_id", "turns", ["session_id"])
    op.create_index("ix_turns_timing", "turns", ["session_id", "created_at", "kind", "stage"])
    op.create_table(
        "grades",
        _id(),
        _session_id(),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("hire_signal", sa.String(32), nullable=False),
        sa.Column("scorer", sa.String(64), nullable=False),
        sa.Column("scorer_version", sa.String(32), nullable=False),
        sa.Column("rubric_id", sa.String(64), nullable=False),
        sa.Column("rubric_version", sa.String(32), nullable=False),
        sa.Column("model", sa.String(128), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_grades_session_id", "grades", ["session_id"])
    op.create_index("ix_grades_question_id", "grades", ["question_id"])
    op.create_index(
        "ix_grades_session_stage", "grades", ["session_id", "stage", "created_at", "total"]
    )
    op.create_index("ix_grades_question", "grades", ["question_id", "created_at", "total", "stage"])
    op.create_table(
        "criterion_scores",
        _id(),
        sa.Column("grade_id", sa.Integer(), sa.ForeignKey("grades.id"), nullable=False),
        sa.Column("criterion", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("missed", sa.JSON(), nullable=False),
    )
    op.create_index("ix_criterion_scores_grade_id", "criterion_scores", ["grade_id"])
    op.create_index(
        "ix_criterion_scores_levels", "criterion_scores", ["grade_id", "criterion", "level"]
    )
    op.create_table(
        "code_runs",
        _id(),
        _session_id(),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_code_runs_session_id", "code_runs", ["session_id"])
    op.create_table(
        "stages",
        _id(),
        _session_id(),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("budget_seconds", sa.Integer(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
    )
    op.create_index("ix_stages_session_id", "stages", ["session_id"])


def downgrade() -> None:
    for table in ("stages", "code_runs", "criterion_scores", "grades", "turns", "sessions"):
        op.drop_table(table)
