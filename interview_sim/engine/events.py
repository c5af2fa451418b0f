"""Typed events the engine emits; the TUI renders them and the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

from interview_sim.models import AnyQuestion, Grade, SessionSummary, Stage, StageResult, Turn
from interview_sim.sandbox import RunReport


@dataclass(frozen=True)
class QuestionAsked:
    question: AnyQuestion
    index: int
    total: int


@dataclass(frozen=True)
class FollowUpAsked:
    turn: Turn


@dataclass(frozen=True)
class AnswerStored:
    turn: Turn


@dataclass(frozen=True)
class Graded:
    grade: Grade


@dataclass(frozen=True)
class StageDone:
    stage: Stage
    result: StageResult


@dataclass(frozen=True)
class SessionDone:
    summary: SessionSummary


@dataclass(frozen=True)
class Notice:
    """Something the user should know but that does not stop the interview.

    For example, the LLM failed and the offline follow-up or scorer took over.
    """

    message: str


@dataclass(frozen=True)
class FollowUpStarted:
    """A streamed follow-up began; ``FollowUpChunk``s follow, then ``FollowUpAsked``."""

    criterion: str


@dataclass(frozen=True)
class FollowUpChunk:
    """Streamed follow-up text to append to what is shown; not yet committed."""

    text: str


@dataclass(frozen=True)
class CodeSubmitted:
    """Submitted code ran against the hidden and performance tests; the run is stored."""

    question_id: str
    report: RunReport


Event = (
    QuestionAsked
    | FollowUpAsked
    | AnswerStored
    | Graded
    | StageDone
    | SessionDone
    | Notice
    | CodeSubmitted
)
StreamEvent = Event | FollowUpStarted | FollowUpChunk
"""What the engine's streaming methods yield: every ``Event`` plus the live follow-up text."""
