"""The UI-free interview engine: planning, running questions, follow-ups and grading."""

from interview_sim.engine.engine import InterviewEngine
from interview_sim.engine.events import (
    AnswerStored,
    Event,
    FollowUpAsked,
    Graded,
    QuestionAsked,
    SessionDone,
    StageDone,
)
from interview_sim.engine.planner import plan_drill, plan_loop

__all__ = [
    "AnswerStored",
    "Event",
    "FollowUpAsked",
    "Graded",
    "InterviewEngine",
    "QuestionAsked",
    "SessionDone",
    "StageDone",
    "plan_drill",
    "plan_loop",
]
