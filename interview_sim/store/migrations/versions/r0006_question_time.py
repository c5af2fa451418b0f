"""Question time: when the candidate was actually in a question, one row per stretch.

The stage clock used to be wall time since the stage started, so a break (or the night) between
two questions ended the stage. Now a row opens when a question is shown, is extended by the
app's heartbeat while it stays open, and closes when the candidate leaves, sees a scorecard or
the question is graded; time used is the sum of these rows. Sessions stored before this
revision have none, so their time used reads as zero rather than as a guess.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "question_time",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("opened_at", WHEN, nullable=False),
        sa.Column("seen_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
    )
    op.create_index("ix_question_time_session_id", "question_time", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_question_time_session_id", "question_time")
    op.drop_table("question_time")
