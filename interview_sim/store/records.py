"""Plain models the repository hands out for history, progress and export/import.

They carry aggregates computed in SQL (one row per stage, criterion or question) rather than
every stored row, so reading progress over thousands of sessions stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from interview_sim.models import (
    Grade,
    PlannedQuestion,
    SessionMode,
    SessionOrigin,
    SessionStatus,
    Stage,
    StageRecord,
    TurnRecord,
    candidate_name,
    session_score,
)


class SessionListing(BaseModel):
    """One line of the history list: what a session was and how it went, without its rows."""

    id: int
    uuid: str
    mode: SessionMode
    status: SessionStatus
    started_at: datetime
    finished_at: datetime | None = None
    planned: int
    graded: int
    average: float | None = None
    """The session's score (0..4): ``session_score`` of ``stage_averages``, the mean of its
    stage means, as History and ``sessions show`` give it; None before the first grade."""
    stages: list[Stage] = Field(default_factory=list)
    stage_averages: dict[Stage, float] = Field(default_factory=dict)
    """Each graded stage's mean grade total, as the store computed it."""

    @model_validator(mode="after")
    def _score(self) -> SessionListing:
        """Derived here, never in SQL, so the list cannot drift from the one rule; the stages
        in loop order whichever order the database grouped them in."""
        found = self.stage_averages
        self.stage_averages = {stage: found[stage] for stage in Stage if stage in found}
        self.average = session_score(found.values())
        return self


class TimeSpan(BaseModel):
    """One stretch the candidate spent in a question (revision 0006).

    An open stretch (``closed_at`` None) counts up to ``seen_at``, its last heartbeat, unless
    the process that opened it is still alive and says otherwise (see ``engine.timing``).
    """

    id: int | None = None
    stage: Stage
    question_id: str
    opened_at: datetime
    seen_at: datetime
    closed_at: datetime | None = None


class StageAggregate(BaseModel):
    """Whole-history figures for one stage."""

    stage: Stage
    graded: int
    sessions: int
    average: float
    """The mean of the stage's per-session means (each session weighs the same)."""
    best: float
    """The best session's mean, not the best single answer."""
    hints_used: int
    """Hint turns, i.e. hints revealed."""
    skipped: int
    """Skip turns, i.e. questions skipped."""
    answers: int
    timed_answers: int
    """Answers in the newest sessions that follow an interviewer turn, so their time is known."""
    answer_seconds: float
    """Total seconds over ``timed_answers``."""

    @classmethod
    def of(
        cls,
        row: tuple[str, int, int, float, float],
        turn_counts: Mapping[tuple[str, str], int],
        times: Mapping[str, tuple[int, float]],
    ) -> StageAggregate:
        """One stage's grade row (stage, graded, sessions, average, best), with its turn
        counts per (stage, kind) and its answer times (timed answers, seconds), as both
        progress readers return them."""
        stage, graded, sessions, average, best = row
        timed, seconds = times.get(stage, (0, 0.0))
        return cls(
            stage=Stage(stage),
            graded=int(graded),
            sessions=sessions,
            average=float(average),
            best=float(best),
            hints_used=turn_counts.get((stage, "hint"), 0),
            skipped=turn_counts.get((stage, "skip"), 0),
            answers=turn_counts.get((stage, "answer"), 0),
            timed_answers=timed,
            answer_seconds=seconds,
        )


class CriterionAggregate(BaseModel):
    """Whole-history figures for one rubric criterion of one stage."""

    stage: Stage
    criterion: str
    samples: int
    """Scores given, over all history."""
    average: float
    """The mean of the sessions' mean levels (each session weighs the same)."""
    best: float
    """The best session's mean level, not the best single answer's."""


class ScorePoint(BaseModel):
    """A per-session mean: of a criterion's level, or of the stage's grade totals (criterion None).

    Only the stage's newest sessions are returned (``window`` of them); trends use them.
    """

    session_id: int
    started_at: datetime
    stage: Stage
    criterion: str | None
    level: float


class QuestionAggregate(BaseModel):
    """A question the user has been graded on, and how it went."""

    question_id: str
    stage: Stage
    attempts: int
    average: float
    best: float
    latest: float
    last_seen: datetime
    """When the latest grade for the question was stored."""


class RecentGrade(BaseModel):
    """A grade from one of the most recent graded sessions, for recency-weighted weak areas."""

    session_id: int
    session_rank: int
    """0 for the newest graded session, 1 for the one before, and so on."""
    started_at: datetime
    stage: Stage
    question_id: str
    total: float
    levels: dict[str, int]

    @classmethod
    def grouped(
        cls,
        rows: Iterable[tuple[int, int, int, datetime, str, str, float, str | None, int | None]],
    ) -> list[RecentGrade]:
        """Grades from rows of (grade id, session id, session rank, session start, stage,
        question id, total, criterion, level), one row per criterion score (criterion None for
        a grade without scores), in the rows' order, as both progress readers return them."""
        grades: dict[int, RecentGrade] = {}
        for gid, sid, rank, at, stage, question_id, total, criterion, level in rows:
            grade = grades.get(gid)
            if grade is None:
                grade = grades[gid] = cls(
                    session_id=sid,
                    session_rank=rank,
                    started_at=at,
                    stage=Stage(stage),
                    question_id=question_id,
                    total=total,
                    levels={},
                )
            if criterion is not None and level is not None:
                grade.levels[criterion] = level
        return list(grades.values())


class ProgressData(BaseModel):
    """Everything the progress model is computed from, read in a handful of SQL queries."""

    sessions: int
    stages: list[StageAggregate]
    criteria: list[CriterionAggregate]
    points: list[ScorePoint]
    questions: list[QuestionAggregate]
    recent: list[RecentGrade]


class GradeArchive(BaseModel):
    grade: Grade
    created_at: datetime


class CodeRunArchive(BaseModel):
    question_id: str
    hidden: bool
    code: str
    report: dict[str, Any]
    created_at: datetime


class SessionArchive(BaseModel):
    """A whole session, every row, keyed by the uuid that makes re-import a no-op."""

    uuid: str = Field(pattern=r"^[0-9a-f]{32}$")
    candidate: str | None = None
    """Whose session it is; dumps from before candidates have none, and the importer's name
    is used."""
    mode: SessionMode
    status: SessionStatus
    plan: list[PlannedQuestion]
    started_at: datetime
    finished_at: datetime | None = None
    stages: list[StageRecord] = Field(default_factory=list)
    turns: list[TurnRecord] = Field(default_factory=list)
    grades: list[GradeArchive] = Field(default_factory=list)
    code_runs: list[CodeRunArchive] = Field(default_factory=list)
    question_time: list[TimeSpan] = Field(default_factory=list)
    """When the candidate was in each question (revision 0006); older dumps have none."""
    origin: SessionOrigin = SessionOrigin.INTERACTIVE
    """Who drove the session (revision 0007); older dumps have none, and their sessions count
    as interactive, as the upgrade to 0007 counts the sessions already stored."""

    @field_validator("candidate", mode="after")
    @classmethod
    def _candidate_name(cls, value: str | None) -> str | None:
        """The same rule as ``--candidate``: a hand-edited file cannot add an unlistable name.
        A blank one counts as none (the importer's)."""
        return None if value is None or not value.strip() else candidate_name(value)


class SessionDump(BaseModel):
    """The file ``export --json`` writes and ``import`` reads."""

    format: Literal["interview-sim-sessions"] = "interview-sim-sessions"
    version: Literal[1] = 1
    exported_at: datetime
    sessions: list[SessionArchive]


class CandidateSummary(BaseModel):
    """One candidate in a shared database, for the coach's list."""

    name: str
    sessions: int
    in_progress: int
    last_started: datetime


class ImportResult(BaseModel):
    imported: int
    skipped: int
    """Sessions already in the database (same uuid), left untouched."""
