"""Engine calls the interview screen composes from the engine's own steps.

Plain functions, run in the screen's worker thread; none of them discards what the candidate
typed: a draft is always committed before the question or stage is closed.
"""

from __future__ import annotations

from interview_sim.engine import Event, InterviewEngine, Notice


def end_question(engine: InterviewEngine, session_id: int, draft: str) -> list[Event]:
    """Commit the draft (if any), then grade the question unless the draft already finished it."""
    before = engine.position(session_id)
    events = engine.submit_answer(session_id, draft) if draft else []
    after = engine.position(session_id)
    if draft and (after is None or before is None or after.question.id != before.question.id):
        return events
    return [*events, *engine.end_question(session_id)]


def end_stage(engine: InterviewEngine, session_id: int, draft: str) -> list[Event]:
    events = engine.submit_answer(session_id, draft) if draft else []
    return [*events, *engine.end_stage(session_id)]


def hint(engine: InterviewEngine, session_id: int) -> list[Event]:
    """The next banked hint is stored as a turn; a notice says when none are left."""
    if engine.hint(session_id) is None:
        return [Notice("No more hints for this question.")]
    return []
