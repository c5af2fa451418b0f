"""Export every session with all its rows, and import such a dump without duplicating anything.

A session's identity across databases is its uuid (schema version 3): import skips a session
whose uuid is already stored, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from interview_sim.models import CriterionScore, Grade, StageRecord, TurnRecord
from interview_sim.store import orm
from interview_sim.store.records import (
    CodeRunArchive,
    GradeArchive,
    ImportResult,
    SessionArchive,
    TimeSpan,
)


def export_sessions(s: Session, candidate: str | None = None) -> list[SessionArchive]:
    """Every session (of ``candidate``, if given), oldest first; each table is read once and
    grouped in memory."""
    sessions = select(orm.SessionRow)
    if candidate is not None:
        sessions = sessions.where(orm.SessionRow.candidate == candidate)
    stages: dict[int, list[StageRecord]] = defaultdict(list)
    for st in s.scalars(select(orm.StageRow).order_by(orm.StageRow.id)):
        stages[st.session_id].append(orm.row_model(StageRecord, st))
    turns: dict[int, list[TurnRecord]] = defaultdict(list)
    for t in s.scalars(select(orm.TurnRow).order_by(orm.TurnRow.id)):
        turns[t.session_id].append(orm.row_model(TurnRecord, t))
    scores: dict[int, list[CriterionScore]] = defaultdict(list)
    for c in s.scalars(select(orm.CriterionScoreRow).order_by(orm.CriterionScoreRow.id)):
        scores[c.grade_id].append(orm.row_model(CriterionScore, c))
    grades: dict[int, list[GradeArchive]] = defaultdict(list)
    for g in s.scalars(select(orm.GradeRow).order_by(orm.GradeRow.id)):
        grade = Grade.model_validate({**g.detail, "scores": scores[g.id]})
        grades[g.session_id].append(GradeArchive(grade=grade, created_at=orm.as_utc(g.created_at)))
    runs: dict[int, list[CodeRunArchive]] = defaultdict(list)
    for r in s.scalars(select(orm.CodeRunRow).order_by(orm.CodeRunRow.id)):
        runs[r.session_id].append(orm.row_model(CodeRunArchive, r))
    spans: dict[int, list[TimeSpan]] = defaultdict(list)
    for q in s.scalars(select(orm.QuestionTimeRow).order_by(orm.QuestionTimeRow.id)):
        spans[q.session_id].append(orm.row_model(TimeSpan, q).model_copy(update={"id": None}))
    # The session's own columns map by name (origin included); its rows are added by id.
    return [
        orm.row_model(SessionArchive, row).model_copy(
            update={
                "stages": stages[row.id],
                "turns": turns[row.id],
                "grades": grades[row.id],
                "code_runs": runs[row.id],
                "question_time": spans[row.id],
            }
        )
        for row in s.scalars(sessions.order_by(orm.SessionRow.started_at, orm.SessionRow.id))
    ]


def import_sessions(
    s: Session, archives: Iterable[SessionArchive], candidate: str = ""
) -> ImportResult:
    """Insert each session whose uuid is new; the caller commits once for the whole dump.

    A session without a candidate (a dump from before candidates) becomes ``candidate``'s."""
    known = set(s.scalars(select(orm.SessionRow.uuid)))
    imported = skipped = 0
    for archive in archives:
        if archive.uuid in known:
            skipped += 1
            continue
        known.add(archive.uuid)
        imported += 1
        _insert(s, archive, archive.candidate or candidate)
    return ImportResult(imported=imported, skipped=skipped)


def _insert(s: Session, a: SessionArchive, candidate: str) -> None:
    plan = [p.model_dump(mode="json") for p in a.plan]
    row = orm.model_row(orm.SessionRow, a, candidate=candidate, plan=plan)
    s.add(row)
    s.flush()
    s.add_all(orm.model_row(orm.StageRow, st, session_id=row.id) for st in a.stages)
    s.add_all(orm.turn_row(t, row.id) for t in a.turns)
    s.add_all(orm.model_row(orm.CodeRunRow, r, session_id=row.id) for r in a.code_runs)
    s.add_all(orm.model_row(orm.QuestionTimeRow, t, session_id=row.id) for t in a.question_time)
    for archived in a.grades:
        orm.add_grade_rows(s, row.id, archived.grade, archived.created_at)
