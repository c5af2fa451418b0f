"""How the candidate communicated in a session: length, pace, fillers, hints, follow-ups.

These are measured from the stored turns, not judged, so they are the same on every run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from interview_sim.models import Stage, Turn, TurnKind, answered_follow_ups
from interview_sim.scoring.signals import FILLER_WORDS

_WORD = re.compile(r"\S+")
_PROMPTS = (TurnKind.QUESTION, TurnKind.FOLLOW_UP, TurnKind.HINT)
MIN_SECONDS_FOR_PACE = 10.0
"""Scripted runs answer instantly; below this much timed answering a pace means nothing."""


class CommunicationMetrics(BaseModel):
    stage: Stage | None
    """None for the whole session."""
    answers: int
    words: int
    words_per_answer: float | None
    seconds_per_answer: float | None
    """Mean time from the interviewer's turn to the answer."""
    words_per_minute: float | None
    filler_words: int
    fillers_per_100_words: float | None
    hints_used: int
    follow_ups_answered: int


class SessionCommunication(BaseModel):
    overall: CommunicationMetrics
    stages: list[CommunicationMetrics]


def _metrics(stage: Stage | None, turns: Sequence[Turn]) -> CommunicationMetrics:
    answers = words = fillers = hints = 0
    timed_seconds = 0.0
    timed_words = timed = 0
    previous: Turn | None = None
    for turn in turns:
        if turn.kind == TurnKind.HINT:
            hints += 1
        if turn.kind == TurnKind.ANSWER:
            count = len(_WORD.findall(turn.text))
            answers += 1
            words += count
            fillers += len(FILLER_WORDS.findall(turn.text))
            if previous is not None and previous.kind in _PROMPTS:
                timed += 1
                timed_words += count
                timed_seconds += (turn.created_at - previous.created_at).total_seconds()
        previous = turn
    return CommunicationMetrics(
        stage=stage,
        answers=answers,
        words=words,
        words_per_answer=round(words / answers, 1) if answers else None,
        seconds_per_answer=round(timed_seconds / timed, 1) if timed else None,
        words_per_minute=(
            round(timed_words / timed_seconds * 60, 1)
            if timed_seconds >= MIN_SECONDS_FOR_PACE
            else None
        ),
        filler_words=fillers,
        fillers_per_100_words=round(fillers / words * 100, 2) if words else None,
        hints_used=hints,
        follow_ups_answered=answered_follow_ups(turns),
    )


def communication(turns: Sequence[Turn]) -> SessionCommunication:
    """``turns`` of one session in stored order."""
    stages = list(dict.fromkeys(t.stage for t in turns))
    return SessionCommunication(
        overall=_metrics(None, turns),
        stages=[_metrics(stage, [t for t in turns if t.stage == stage]) for stage in stages],
    )
