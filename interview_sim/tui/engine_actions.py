"""Engine calls the interview screen composes from the engine's own steps.

Plain functions, run in the screen's worker thread; none of them discards what the candidate
typed: a draft is always committed before the question or stage is closed.
"""

from __future__ import annotations

from interview_sim.engine import Event, InterviewEngine, Notice


def end_question(engine: InterviewEngine, session_id: int, draft: str) -> list[Event]:
    """Commit the draft (if any) as the last answer and grade: no follow-up is asked about it."""
    return engine.end_question(session_id, draft)


def end_stage(engine: InterviewEngine, session_id: int, draft: str) -> list[Event]:
    return engine.end_stage(session_id, draft)


def hint(engine: InterviewEngine, session_id: int) -> list[Event]:
    """The next hint is stored as a turn; a notice says when there is none (and no charge)."""
    if engine.hint(session_id) is None:
        return [Notice("No more hints here; nothing was charged.")]
    return []
