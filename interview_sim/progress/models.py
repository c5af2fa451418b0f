"""The progress model, weak areas and recommended drill, as plain data for the CLI and the TUI.

Levels are on the rubric scale 0..4; a stage's figures use grade totals on the same scale.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from interview_sim.models import PlannedQuestion, Stage

MASTERED_TOTAL = 4.0
"""A question whose latest grade total is this (4/4) is mastered: never suggested as practice."""


class TrendPoint(BaseModel):
    """One session's mean level in a series (a criterion, or a stage's grade totals)."""

    session_id: int
    at: datetime
    level: float


Direction = Literal["improving", "declining", "steady", "unknown"]


class Trend(BaseModel):
    """Least-squares slopes over the most recent points of a series.

    ``per_session`` is levels gained per session (x = 0, 1, 2, ... in session order);
    ``per_week`` is levels gained per week of calendar time. Both need two points or more, and
    ``per_week`` also needs them spread over at least a week (``span_days`` >= 7): over a
    shorter span a weekly rate is an extrapolation, so it stays None and the views say so.
    """

    per_session: float | None = None
    per_week: float | None = None
    span_days: float | None = None
    """Days between the oldest and the newest point; None with no points."""
    direction: Direction = "unknown"
    points: list[TrendPoint] = Field(default_factory=list)


class CriterionProgress(BaseModel):
    stage: Stage
    criterion: str
    name: str
    samples: int
    latest: float | None
    """The newest session's mean level for this criterion."""
    best: float
    """The best session's mean level (not the best single answer's), like ``latest``."""
    average: float
    """The mean over sessions of their mean levels."""
    trend: Trend


class StageProgress(BaseModel):
    """One stage over all history. ``latest``, ``best`` and ``average`` are all figures of a
    session (its mean total in the stage, the number History's trend plots): the newest
    session's, the best session's and the mean over sessions, so one line never sets a single
    answer's total beside a session's mean."""

    stage: Stage
    graded: int
    sessions: int
    latest: float | None
    best: float
    average: float
    trend: Trend
    hints_used: int
    skipped: int
    answers: int
    seconds_per_answer: float | None
    """Mean time from the interviewer's turn to the answer; None if no answer was timed."""
    criteria: list[CriterionProgress]


class QuestionProgress(BaseModel):
    question_id: str
    stage: Stage
    title: str | None
    """None when the question is no longer in the banks."""
    tags: list[str]
    attempts: int
    latest: float
    best: float
    average: float
    last_seen: datetime


class WeakArea(BaseModel):
    """A criterion (of a stage) or a tag where recency-weighted performance is lowest."""

    kind: Literal["criterion", "tag"]
    stage: Stage | None
    key: str
    label: str
    weighted_level: float
    samples: int


class ProgressReport(BaseModel):
    generated_at: datetime
    sessions: int
    graded: int
    stages: list[StageProgress]
    questions: list[QuestionProgress]
    weak_areas: list[WeakArea]

    def question(self, question_id: str) -> QuestionProgress | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


DrillKind = Literal["variant", "follow_ups", "targeted", "fresh"]


class DrillItem(BaseModel):
    """One question of a recommended drill and why the planner chose it.

    ``variant``: a related question standing in for a weakly answered one that is due again;
    ``follow_ups``: the weak question itself, when the bank has no alternative, with the
    follow-ups it should be pressed on; ``targeted``: aimed at a weak criterion or tag;
    ``fresh``: not yet seen, when there is no history to target.
    """

    stage: Stage
    question_id: str
    title: str = ""
    """What the views show; the id is for plans and JSON."""
    kind: DrillKind
    reason: str
    revisits: str | None = None
    follow_ups: list[str] = Field(default_factory=list)


class RecommendedDrill(BaseModel):
    items: list[DrillItem]

    def plan(self) -> list[PlannedQuestion]:
        """The plan to start with ``engine.start(SessionMode.DRILL, drill.plan())``; an item
        that presses on follow-ups carries them, so the drill asks those."""
        return [
            PlannedQuestion(
                stage=i.stage, question_id=i.question_id, follow_ups=i.follow_ups or None
            )
            for i in self.items
        ]
