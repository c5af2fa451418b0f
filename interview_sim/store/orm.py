"""SQLAlchemy 2.x typed ORM tables. Nothing outside ``store`` sees these classes."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import TypeVar
from uuid import uuid4

from pydantic import BaseModel
from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from interview_sim.models import QUESTION_ID_LENGTH, RUBRIC_ID_LENGTH, Grade, TurnRecord


def as_utc(value: datetime) -> datetime:
    """SQLite drops tzinfo; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


ModelT = TypeVar("ModelT", bound=BaseModel)


def row_model(model: type[ModelT], row: object) -> ModelT:
    """A row read as its pydantic model, field by field by name (pydantic ``from_attributes``),
    so each table maps to its model in one place and a new column needs no mapping code.
    Times come back as UTC (``as_utc``)."""
    found = model.model_validate(row, from_attributes=True)
    naive = {
        name: as_utc(value)
        for name, value in found
        if isinstance(value, datetime) and value.tzinfo is None
    }
    return found.model_copy(update=naive) if naive else found


RowT = TypeVar("RowT", bound="Base")


def model_row(row_type: type[RowT], model: BaseModel, **values: object) -> RowT:
    """The other direction: a row from the model's fields that are columns of ``row_type``
    (enums stored as their values), plus ``values``, the ids the row belongs to."""
    columns = set(row_type.__table__.columns.keys()) - {"id"}
    data = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in model
        if name in columns
    }
    return row_type(**{**data, **values})


class Base(DeclarativeBase):
    """The tables as the code expects them; a test checks the migrations build exactly these."""


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    plan: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    uuid: Mapped[str] = mapped_column(
        String(32), unique=True, index=True, nullable=True, default=lambda: uuid4().hex
    )
    """Added in schema version 3: the identity a session keeps across export and import.

    Nullable in the schema only because SQLite cannot add a NOT NULL column to a table with
    rows; every row has one since version 4, and the code always sets it."""
    candidate: Mapped[str] = mapped_column(String(128), server_default="", index=True)
    """Added in revision 0005: whose session this is, so a team can share one database."""
    origin: Mapped[str] = mapped_column(String(16), server_default="interactive")
    """Added in revision 0007: "interactive" (the app) or "script" (``interview-sim run``)."""


class StageRow(Base):
    """Added in schema version 2: stage start/end and time budget."""

    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    budget_seconds: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class QuestionTimeRow(Base):
    """Added in revision 0006: one stretch of time the candidate spent in a question.

    ``seen_at`` is the last heartbeat of an open stretch, so a crash loses at most one beat;
    ``closed_at`` is set when the candidate leaves, sees a scorecard or the question is graded.
    """

    __tablename__ = "question_time"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TurnRow(Base):
    __tablename__ = "turns"
    # Answer timing for progress reads only these columns (schema version 4).
    __table_args__ = (Index("ix_turns_timing", "session_id", "created_at", "kind", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    criterion: Mapped[str | None] = mapped_column(String(RUBRIC_ID_LENGTH), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="complete", server_default="complete")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GradeRow(Base):
    __tablename__ = "grades"
    # Covering indexes for the history list and the progress aggregates (schema version 4).
    __table_args__ = (
        Index("ix_grades_question_id", "question_id"),
        Index("ix_grades_session_stage", "session_id", "stage", "created_at", "total"),
        Index("ix_grades_question", "question_id", "created_at", "total", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    total: Mapped[float] = mapped_column(Float)
    hire_signal: Mapped[str] = mapped_column(String(32))
    scorer: Mapped[str] = mapped_column(String(64))
    scorer_version: Mapped[str] = mapped_column(String(32))
    rubric_id: Mapped[str] = mapped_column(String(RUBRIC_ID_LENGTH))
    rubric_version: Mapped[str] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(128), nullable=True)
    detail: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CriterionScoreRow(Base):
    __tablename__ = "criterion_scores"
    __table_args__ = (Index("ix_criterion_scores_levels", "grade_id", "criterion", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade_id: Mapped[int] = mapped_column(ForeignKey("grades.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(RUBRIC_ID_LENGTH))
    level: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list[str]] = mapped_column(JSON)
    rationale: Mapped[str] = mapped_column(Text)
    missed: Mapped[list[str]] = mapped_column(JSON)
    capped: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Added in revision 0010: why a cap held the level down (``CriterionScore.capped``)."""


class CodeRunRow(Base):
    """Added in schema version 2: each run of candidate code and its report."""

    __tablename__ = "code_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(QUESTION_ID_LENGTH))
    hidden: Mapped[bool] = mapped_column(default=False)
    code: Mapped[str] = mapped_column(Text)
    report: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def add_grade_rows(session: Session, session_id: int, grade: Grade, created_at: datetime) -> None:
    """Add a grade and its criterion scores: one shape for live grading and for imports."""
    row = GradeRow(
        session_id=session_id,
        stage=grade.stage.value,
        question_id=grade.question_id,
        total=grade.total,
        hire_signal=grade.hire_signal.value,
        scorer=grade.scorer,
        scorer_version=grade.scorer_version,
        rubric_id=grade.rubric_id,
        rubric_version=grade.rubric_version,
        model=grade.model,
        detail=grade.model_dump(mode="json", exclude={"scores"}),
        created_at=created_at,
    )
    session.add(row)
    session.flush()
    session.add_all(model_row(CriterionScoreRow, c, grade_id=row.id) for c in grade.scores)


def turn_row(turn: TurnRecord, session_id: int) -> TurnRow:
    """The row for a live turn or an imported one (imports give sessions new ids)."""
    return model_row(TurnRow, turn, session_id=session_id)
