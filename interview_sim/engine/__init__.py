"""The UI-free interview engine: planning, running questions, follow-ups and grading."""

from interview_sim.engine.engine import InterviewEngine
from interview_sim.engine.events import (
    AnswerStored,
    CodeSubmitted,
    Event,
    FollowUpAsked,
    FollowUpChunk,
    FollowUpStarted,
    Graded,
    Notice,
    QuestionAsked,
    SessionDone,
    StageDone,
    StreamEvent,
)
from interview_sim.engine.planner import plan_drill, plan_loop

__all__ = [
    "AnswerStored",
    "CodeSubmitted",
    "Event",
    "FollowUpAsked",
    "FollowUpChunk",
    "FollowUpStarted",
    "Graded",
    "InterviewEngine",
    "Notice",
    "QuestionAsked",
    "SessionDone",
    "StageDone",
    "StreamEvent",
    "plan_drill",
    "plan_loop",
]
