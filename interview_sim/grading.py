"""The grading contracts below the engine: what a grader reads (QuestionContext) and the two
seams later parts plug into: who asks follow-ups (InterviewerPolicy), and who grades (Scorer).

They live here, not in the engine, so scoring and the LLM judge import them without loading the
engine, the store or SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from interview_sim.models import AnyQuestion, CodeOutcome, FollowUp, Grade, Rubric, Turn, TurnKind


@dataclass(frozen=True)
class QuestionContext:
    question: AnyQuestion
    rubric: Rubric
    turns: list[Turn]
    code_outcome: CodeOutcome | None = None
    """Set for coding questions once the candidate has submitted code."""

    @classmethod
    def single_answer(cls, question: AnyQuestion, rubric: Rubric, answer: str) -> QuestionContext:
        """One answer to a question outside any session: batch grading and benchmarks."""
        turn = Turn(
            session_id=0,
            stage=question.stage,
            question_id=question.id,
            kind=TurnKind.ANSWER,
            text=answer,
        )
        return cls(question, rubric, [turn])

    @property
    def answers(self) -> list[str]:
        return [t.text for t in self.turns if t.role == "candidate"]

    @property
    def hints_used(self) -> int:
        return sum(1 for t in self.turns if t.kind == "hint")


class InterviewerPolicy(Protocol):
    name: str

    def next_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUp | None:
        """The next follow-up to ask, or None when the question is done."""


class Scorer(Protocol):
    name: str
    version: str

    def grade(self, ctx: QuestionContext) -> Grade:
        """Grade the candidate's answers to one question against its rubric."""


class FollowUpFault(Exception):
    """A streamed follow-up failed; ``str(fault)`` is one plain sentence for the user."""


@dataclass(frozen=True)
class FollowUpDraft:
    """A follow-up being written: text arrives in ``chunks``, which may raise FollowUpFault.

    ``fallback`` is the offline follow-up to ask instead if the stream fails (None: ask none).
    """

    criterion: str
    chunks: Generator[str, None, None]
    fallback: FollowUp | None


@runtime_checkable
class StreamingInterviewerPolicy(InterviewerPolicy, Protocol):
    """An interviewer whose follow-ups arrive token by token (the LLM interviewer)."""

    def draft_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUpDraft | None:
        """Start writing the next follow-up, or None when the question is done."""
