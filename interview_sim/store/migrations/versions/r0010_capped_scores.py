"""Capped criterion scores: why a cap held a criterion's level down.

The offline scorer caps a criterion when the answer is off topic, a list of terms, holds a
wrong claim or red-flag conduct, or is too short (``CriterionScore.capped``). The scorecard
shows that reason instead of the level's usual description, which would not be the reason, so
a scorecard read back from history must show it too. Scores stored before this revision were
never labelled: they read as not capped, as the scorecards of their day showed them.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("criterion_scores")}
    if "capped" in columns:
        return  # re-run on a database stamped back after it ran, as 0009 may be
    op.add_column(
        "criterion_scores",
        sa.Column("capped", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # Not a batch (table copy): that would drop revision 0009's triggers on the table.
    op.drop_column("criterion_scores", "capped")
