"""What the stored turns say the interview is waiting for.

One home for "which follow-up is open", so the engine (what a hint is about, whether a code
submission opens a new follow-up) and the app (what ctrl+r repeats, what a resubmission asks
again) cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from interview_sim.models import Turn, TurnKind

_NOT_AN_ANSWER = (TurnKind.HINT, TurnKind.CODE_RUN)
"""Turns that leave a follow-up open: a hint is the interviewer's, and a code submission is
code, not the spoken answer the follow-up asked for (the engine asks nothing new after it)."""


def pending_follow_up(turns: Sequence[Turn]) -> Turn | None:
    """The follow-up the candidate is being asked right now, if any.

    Hints and resubmitted code after it do not answer it: only an answer (or a skip, or the
    next question) closes it.
    """
    for turn in reversed(turns):
        if turn.kind in _NOT_AN_ANSWER:
            continue
        return turn if turn.kind == TurnKind.FOLLOW_UP else None
    return None
