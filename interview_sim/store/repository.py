"""The only door to the database: takes and returns pydantic models, never ORM rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from interview_sim.models import (
    CodeRunRecord,
    CriterionScore,
    Grade,
    PlannedQuestion,
    SessionMode,
    SessionOrigin,
    SessionStatus,
    SessionSummary,
    Stage,
    StageRecord,
    Turn,
    utcnow,
)
from interview_sim.store import history_portable
from interview_sim.store.archive import export_sessions, import_sessions
from interview_sim.store.candidates import candidate_summaries
from interview_sim.store.engine_reader import progress_data as engine_progress_data
from interview_sim.store.engine_reader import shared
from interview_sim.store.errors import StoreError
from interview_sim.store.history import (
    SessionScores,
    session_count,
    session_listing,
    session_scores,
)
from interview_sim.store.orm import (
    CodeRunRow,
    CriterionScoreRow,
    GradeRow,
    QuestionTimeRow,
    SessionRow,
    StageRow,
    TurnRow,
    add_grade_rows,
    as_utc,
    model_row,
    row_model,
    turn_row,
)
from interview_sim.store.records import (
    CandidateSummary,
    ImportResult,
    ProgressData,
    SessionArchive,
    SessionListing,
    TimeSpan,
)
from interview_sim.store.schema import default_candidate

IMPORT_ATTEMPTS = 3
"""An import that lost a race for a session's uuid starts over this many times at most."""


class Repository:
    def __init__(self, engine: Engine, *, candidate: str | None = None) -> None:
        """``candidate`` owns the sessions this repository creates (default: the OS user)."""
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.candidate = candidate or default_candidate()

    def create_session(
        self,
        mode: SessionMode,
        plan: list[PlannedQuestion],
        *,
        started_at: datetime | None = None,
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
    ) -> SessionSummary:
        """``started_at`` defaults to now; fixtures and imports pass a fixed time."""
        with self._sessions.begin() as s:
            row = SessionRow(
                mode=mode.value,
                status=SessionStatus.IN_PROGRESS.value,
                plan=[p.model_dump(mode="json", exclude_none=True) for p in plan],
                started_at=started_at or utcnow(),
                candidate=self.candidate,
                origin=origin.value,
            )
            s.add(row)
            s.flush()
            return self._summary(row)

    def finish_session(self, session_id: int, *, at: datetime | None = None) -> None:
        with self._sessions.begin() as s:
            row = s.get_one(SessionRow, session_id)
            row.status = SessionStatus.COMPLETED.value
            row.finished_at = at or utcnow()

    def start_stage(
        self, session_id: int, stage: Stage, budget_seconds: int, *, at: datetime | None = None
    ) -> None:
        with self._sessions.begin() as s:
            s.add(
                StageRow(
                    session_id=session_id,
                    stage=stage.value,
                    budget_seconds=budget_seconds,
                    started_at=at or utcnow(),
                )
            )

    def finish_stage(self, session_id: int, stage: Stage, *, at: datetime | None = None) -> None:
        with self._sessions.begin() as s:
            row = s.scalars(
                select(StageRow).where(
                    StageRow.session_id == session_id, StageRow.stage == stage.value
                )
            ).first()
            if row is not None and row.finished_at is None:
                row.finished_at = at or utcnow()

    def stages(self, session_id: int) -> list[StageRecord]:
        with self._sessions() as s:
            rows = s.scalars(
                select(StageRow).where(StageRow.session_id == session_id).order_by(StageRow.id)
            )
            return [row_model(StageRecord, r) for r in rows]

    def open_time(self, session_id: int, stage: Stage, question_id: str, at: datetime) -> None:
        """The candidate is in this question from ``at`` (callers close other stretches first)."""
        with self._sessions.begin() as s:
            s.add(
                QuestionTimeRow(
                    session_id=session_id,
                    stage=stage.value,
                    question_id=question_id,
                    opened_at=at,
                    seen_at=at,
                )
            )

    def beat_time(self, session_id: int, at: datetime) -> None:
        """The candidate is still in the open stretch at ``at``: a crash now loses little."""
        with self._sessions.begin() as s:
            for row in s.scalars(self._open_time(session_id)):
                row.seen_at = max(as_utc(row.seen_at), at)

    def close_time(self, session_id: int, at: datetime | None = None) -> None:
        """Close every open stretch at ``at``, or at its last heartbeat when ``at`` is None
        (a stretch a crashed process left open ends where it was last seen)."""
        with self._sessions.begin() as s:
            for row in s.scalars(self._open_time(session_id)):
                seen = as_utc(row.seen_at)
                end = seen if at is None else max(at, as_utc(row.opened_at))
                row.seen_at = max(seen, end)
                row.closed_at = end

    def time_spans(self, session_id: int) -> list[TimeSpan]:
        with self._sessions() as s:
            rows = s.scalars(
                select(QuestionTimeRow)
                .where(QuestionTimeRow.session_id == session_id)
                .order_by(QuestionTimeRow.id)
            )
            return [row_model(TimeSpan, r) for r in rows]

    @staticmethod
    def _open_time(session_id: int) -> Select[QuestionTimeRow]:
        return select(QuestionTimeRow).where(
            QuestionTimeRow.session_id == session_id, QuestionTimeRow.closed_at.is_(None)
        )

    def add_turn(self, turn: Turn) -> Turn:
        """Commit one turn before returning: a submitted answer survives a crash right after."""
        with self._sessions.begin() as s:
            row = turn_row(turn, turn.session_id)
            s.add(row)
            s.flush()
            return turn.model_copy(update={"id": row.id})

    def turns(self, session_id: int) -> list[Turn]:
        with self._sessions() as s:
            rows = s.scalars(
                select(TurnRow).where(TurnRow.session_id == session_id).order_by(TurnRow.id)
            )
            return [row_model(Turn, r) for r in rows]

    def add_code_run(self, run: CodeRunRecord, turn: Turn | None = None) -> CodeRunRecord:
        """Commit a code run, and the turn that announces it, in one transaction.

        A submission is both a ``code_runs`` row and a ``code_run`` turn; storing them together
        means a crash leaves either both or neither, so resume never sees half a submission.
        """
        with self._sessions.begin() as s:
            row = model_row(CodeRunRow, run)
            s.add(row)
            if turn is not None:
                s.add(turn_row(turn, turn.session_id))
            s.flush()
            return run.model_copy(update={"id": row.id})

    def code_runs(
        self, session_id: int, question_id: str | None = None, *, hidden: bool | None = None
    ) -> list[CodeRunRecord]:
        """Runs of a session (optionally one question, one kind), oldest first."""
        query = select(CodeRunRow).where(CodeRunRow.session_id == session_id)
        if question_id is not None:
            query = query.where(CodeRunRow.question_id == question_id)
        if hidden is not None:
            query = query.where(CodeRunRow.hidden == hidden)
        with self._sessions() as s:
            return [row_model(CodeRunRecord, r) for r in s.scalars(query.order_by(CodeRunRow.id))]

    def add_grade(self, session_id: int, grade: Grade, *, at: datetime | None = None) -> None:
        with self._sessions.begin() as s:
            add_grade_rows(s, session_id, grade, at or utcnow())

    def grades(self, session_id: int) -> list[Grade]:
        """Two queries whatever the number of grades: the grades, then all their scores."""
        with self._sessions() as s:
            rows = s.scalars(
                select(GradeRow).where(GradeRow.session_id == session_id).order_by(GradeRow.id)
            ).all()
            scores: dict[int, list[CriterionScore]] = {r.id: [] for r in rows}
            if rows:
                for c in s.scalars(
                    select(CriterionScoreRow)
                    .where(CriterionScoreRow.grade_id.in_(scores))
                    .order_by(CriterionScoreRow.grade_id, CriterionScoreRow.id)
                ):
                    scores[c.grade_id].append(row_model(CriterionScore, c))
            return [Grade.model_validate({**r.detail, "scores": scores[r.id]}) for r in rows]

    def get_session(self, session_id: int) -> SessionSummary | None:
        """None for another candidate's session too: nobody resumes someone else's draft."""
        with self._sessions() as s:
            row = s.get(SessionRow, session_id)
            return self._summary(row) if row and row.candidate == self.candidate else None

    def list_sessions(
        self, *, limit: int | None = None, status: SessionStatus | None = None
    ) -> list[SessionSummary]:
        """Newest first; ``limit`` and ``status`` filter in SQL, so the home screen and the
        planner read a few rows even from a long history."""
        query = (
            select(SessionRow)
            .where(SessionRow.candidate == self.candidate)
            .order_by(SessionRow.id.desc())
        )
        if status is not None:
            query = query.where(SessionRow.status == status.value)
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as s:
            return [self._summary(r) for r in s.scalars(query)]

    def unfinished(self) -> list[SessionSummary]:
        """The sessions to resume, in the order to offer them: the newest one the candidate was
        in first, then scripted runs that ran out of answers (``interview-sim run``), so a script
        never takes the Resume slot from the session the candidate left. Newest first within
        each. Below the UI so the app's Home and the command line cannot order them apart."""
        found = self.list_sessions(status=SessionStatus.IN_PROGRESS)
        return sorted(found, key=lambda s: s.origin != SessionOrigin.INTERACTIVE)

    def history(self, limit: int | None = None, offset: int = 0) -> list[SessionListing]:
        """Sessions newest first with their grade count and mean, aggregated in one query."""
        with self._sessions() as s:
            if self._shared(s):
                return history_portable.session_listing(s, limit, offset, self.candidate)
            return session_listing(s, limit, offset)

    def session_scores(self, limit: int | None = None, offset: int = 0) -> list[SessionScores]:
        """Sessions newest first with each graded stage's mean: one query, not one per session."""
        with self._sessions() as s:
            if self._shared(s):
                return history_portable.session_scores(s, limit, offset, self.candidate)
            return session_scores(s, limit, offset)

    def session_count(self) -> int:
        with self._sessions() as s:
            if self._shared(s):
                return history_portable.session_count(s, self.candidate)
            return session_count(s)

    def progress_data(
        self, window: int = 10, recent_sessions: int = 30, timing_sessions: int = 200
    ) -> ProgressData:
        """Aggregates for the progress model: points from each stage's ``window`` newest
        sessions, the grades of the ``recent_sessions`` newest graded sessions, and answer
        times over the ``timing_sessions`` newest sessions; counts cover all history."""
        with self._sessions() as s:
            return engine_progress_data(
                s.connection(), self.candidate, window, recent_sessions, timing_sessions
            )

    def export_sessions(self) -> list[SessionArchive]:
        with self._sessions() as s:
            return export_sessions(s, self.candidate)

    def import_sessions(self, archives: Iterable[SessionArchive]) -> ImportResult:
        """All or nothing: one transaction, sessions already stored (same uuid) skipped.

        Two imports of one file at once (two coaches, one shared database) both see its
        sessions as new; the second to commit hits the uuid index and starts over, this time
        skipping what the first stored, instead of failing.
        """
        archives = list(archives)
        for attempt in range(IMPORT_ATTEMPTS):
            try:
                with self._sessions.begin() as s:
                    return import_sessions(s, archives, self.candidate)
            except IntegrityError as exc:
                if attempt == IMPORT_ATTEMPTS - 1:
                    raise StoreError(
                        "another import stored the same sessions at the same time; run the"
                        " import again (sessions already stored are skipped)"
                    ) from exc
        raise AssertionError("unreachable")

    def candidates(self) -> list[CandidateSummary]:
        """Everyone with sessions in this database: the coach's view."""
        with self._sessions() as s:
            return candidate_summaries(s)

    def _shared(self, s: Session) -> bool:
        """Several candidates (or not SQLite): the portable queries, filtered by candidate."""
        return shared(s.connection(), self.candidate)

    @staticmethod
    def _summary(row: SessionRow) -> SessionSummary:
        return row_model(SessionSummary, row)
