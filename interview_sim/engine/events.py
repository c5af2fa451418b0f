"""Typed events the engine emits; the TUI renders them and the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

from interview_sim.models import AnyQuestion, Grade, SessionSummary, Stage, StageResult, Turn


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


Event = QuestionAsked | FollowUpAsked | AnswerStored | Graded | StageDone | SessionDone
