"""The two seams later parts plug into: who asks follow-ups, and who grades."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from interview_sim.models import AnyQuestion, CodeOutcome, FollowUp, Grade, Rubric, Turn


@dataclass(frozen=True)
class QuestionContext:
    question: AnyQuestion
    rubric: Rubric
    turns: list[Turn]
    code_outcome: CodeOutcome | None = None
    """Set for coding questions once the candidate has submitted code."""

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
