"""Session origin: whether the candidate drove a session in the app or a script did.

A scripted run (``interview-sim run``) that runs out of answers stays unfinished; without this
column it took Home's Resume slot from the interactive session the candidate was in. Sessions
stored before this revision are taken as interactive, which is what Home assumed of them.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "sessions",
        sa.Column("origin", sa.String(16), nullable=False, server_default="interactive"),
    )


def downgrade() -> None:
    op.drop_column("sessions", "origin")
