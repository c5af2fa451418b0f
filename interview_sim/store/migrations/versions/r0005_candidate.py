"""Candidates: every session names whose it is, so a team can share one database.

Sessions stored before this revision belong to whoever owned the database: they get the
candidate name ``store.schema`` passes in (the OS user by default), so nobody's history
disappears from their own view after the upgrade.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "sessions",
        sa.Column("candidate", sa.String(128), nullable=False, server_default=""),
    )
    owner = str(context.config.attributes.get("candidate", ""))
    sessions = sa.table("sessions", sa.column("candidate", sa.String))
    op.execute(sessions.update().values(candidate=owner))
    op.create_index("ix_sessions_candidate", "sessions", ["candidate"])


def downgrade() -> None:
    op.drop_index("ix_sessions_candidate", "sessions")
    op.drop_column("sessions", "candidate")
