"""The columns the progress reads query, as SQLAlchemy Core tables: no ORM to import.

``store.orm`` declares the tables (and the migrations build them); these name only what
``progress_portable`` reads, with the same types, so results convert alike (timestamps from
SQLite's text to ``datetime``).
"""

from __future__ import annotations

from sqlalchemy import DateTime, Float, Integer, String, column, table

_WHEN = DateTime(timezone=True)

sessions = table(
    "sessions",
    column("id", Integer),
    column("started_at", _WHEN),
    column("candidate", String),
)
grades = table(
    "grades",
    column("id", Integer),
    column("session_id", Integer),
    column("stage", String),
    column("question_id", String),
    column("total", Float),
    column("created_at", _WHEN),
)
criterion_scores = table(
    "criterion_scores",
    column("id", Integer),
    column("grade_id", Integer),
    column("criterion", String),
    column("level", Integer),
)
turns = table(
    "turns",
    column("id", Integer),
    column("session_id", Integer),
    column("stage", String),
    column("kind", String),
    column("created_at", _WHEN),
)
