"""Skipped grades measure nothing: drop the zero criterion scores older versions stored for them.

Before this revision's release a skip (and a stage that ended on a question left unanswered)
was stored as a grade flagged ``skipped`` with a 0 for every criterion of the rubric, rationale
"question skipped". Those zeros read as measured weaknesses: they topped Weak areas, pulled
criterion trends down and steered recommended drills. A skip is now stored with no criterion
scores; this revision makes the older ones look the same, so every reader (progress in SQLite
and in portable SQL, reports, scorecards, exports) treats old and new skips alike with no rule
of its own, and the progress aggregates keep reading only their covering indexes.

Why a data change and not a read rule: progress is aggregated in SQL from ``criterion_scores``
(per criterion, per session, per recent grade) before any Python sees a grade, and the skip
marker lives in the grade's JSON ``detail``, which those queries must not read.

Why the rule is reliable: ``skipped`` has been written by the engine's skip path alone since the
first schema, every skipped grade scored each criterion 0, and no scorer sets it. Only level-0
scores of grades whose stored ``detail`` says ``skipped`` and whose total is 0 are deleted; the
grade itself, its 0 total, its flag and the skip turn stay, so the skip still costs the stage
what it cost. The deleted rows said nothing but "question skipped", so downgrade leaves them out.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

BATCH = 500
"""Grade ids per DELETE, well under every backend's bound-parameter limit."""

_grades = sa.table(
    "grades", sa.column("id", sa.Integer), sa.column("total", sa.Float), sa.column("detail")
)
_scores = sa.table(
    "criterion_scores", sa.column("grade_id", sa.Integer), sa.column("level", sa.Integer)
)


def _skipped(detail: object) -> bool:
    """``detail`` as the driver returns it: text on SQLite, decoded JSON on PostgreSQL."""
    if isinstance(detail, str | bytes):
        try:
            detail = json.loads(detail)
        except ValueError:
            return False
    return isinstance(detail, dict) and detail.get("skipped") is True


def upgrade() -> None:
    bind = op.get_bind()
    # Only grades that could be an old skip: a 0 total with some level-0 score.
    candidates = (
        sa.select(_grades.c.id, _grades.c.detail)
        .where(
            _grades.c.total == 0,
            sa.exists().where(_scores.c.grade_id == _grades.c.id, _scores.c.level == 0),
        )
        .order_by(_grades.c.id)
    )
    skipped = [gid for gid, detail in bind.execute(candidates) if _skipped(detail)]
    for start in range(0, len(skipped), BATCH):
        bind.execute(
            sa.delete(_scores).where(
                _scores.c.grade_id.in_(skipped[start : start + BATCH]), _scores.c.level == 0
            )
        )


def downgrade() -> None:
    """Nothing to restore: the deleted scores were zeros that measured nothing."""
