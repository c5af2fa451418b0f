"""The follow-up stream: from an interviewer's draft to one committed follow-up turn.

The engine decides *when* a follow-up is due; this module runs what happens while it is being
written, so the states of a streamed follow-up live in one place:

- a plain policy (the offline interviewer) gives a whole follow-up: commit it, done;
- a streaming policy (the LLM interviewer) gives a draft: ``FollowUpStarted(criterion)``, then
  ``FollowUpChunk(text)`` per piece, then the full text is committed and ``FollowUpAsked(turn)``;
- cancelled (the ``threading.Event`` passed as ``cancel`` is set; checked after each chunk):
  the text so far is committed with ``TurnStatus.CANCELLED`` and the session waits for the
  candidate as usual;
- closed (the consumer stops listening, ``GeneratorExit``): what was shown is committed as
  cancelled, then the close carries on;
- failed (``FollowUpFault``): a ``Notice`` says why and the offline banked follow-up is committed
  instead, or, with none left, no follow-up is asked and the engine grades the question.

Nothing the candidate wrote is lost in any state: their answer was committed before the stream
began. ``settled`` drops the live-text events for callers that do not stream.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator
from typing import Protocol

from interview_sim.engine.events import (
    Event,
    FollowUpAsked,
    FollowUpChunk,
    FollowUpStarted,
    Notice,
    StreamEvent,
)
from interview_sim.grading import (
    FollowUpFault,
    InterviewerPolicy,
    QuestionContext,
    StreamingInterviewerPolicy,
)
from interview_sim.models import Turn, TurnStatus


class CommitFollowUp(Protocol):
    """Store a follow-up turn of the current question (the engine binds session and question)."""

    def __call__(
        self, text: str, criterion: str | None, status: TurnStatus = TurnStatus.COMPLETE
    ) -> Turn: ...


def ask_follow_up(
    policy: InterviewerPolicy,
    ctx: QuestionContext,
    limit: int,
    cancel: threading.Event | None,
    commit: CommitFollowUp,
) -> Generator[StreamEvent, None, bool]:
    """Ask the next follow-up if the policy wants one; True when one was committed."""
    if not isinstance(policy, StreamingInterviewerPolicy):
        follow_up = policy.next_follow_up(ctx, limit)
        if follow_up is None:
            return False
        yield FollowUpAsked(commit(follow_up.text, follow_up.criterion))
        return True
    draft = policy.draft_follow_up(ctx, limit)
    if draft is None:
        return False
    yield FollowUpStarted(draft.criterion)
    parts: list[str] = []
    cancelled = False
    try:
        for chunk in draft.chunks:
            parts.append(chunk)
            yield FollowUpChunk(chunk)
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
    except FollowUpFault as fault:
        if draft.fallback is None:
            yield Notice(f"{fault}; no offline follow-up is left, so the question is graded")
            return False
        yield Notice(f"{fault}; asking an offline follow-up instead")
        yield FollowUpAsked(commit(draft.fallback.text, draft.fallback.criterion))
        return True
    except GeneratorExit:  # the consumer stopped listening: keep what was shown
        draft.chunks.close()
        commit("".join(parts), draft.criterion, TurnStatus.CANCELLED)
        raise
    draft.chunks.close()
    status = TurnStatus.CANCELLED if cancelled else TurnStatus.COMPLETE
    text = "".join(parts) if cancelled else "".join(parts).strip()
    yield FollowUpAsked(commit(text, draft.criterion, status))
    return True


def settled(stream: Iterator[StreamEvent]) -> list[Event]:
    """The events of a stream without the live follow-up text, for non-streaming callers."""
    return [e for e in stream if not isinstance(e, FollowUpStarted | FollowUpChunk)]


def prepend(first: StreamEvent, rest: Iterator[StreamEvent]) -> Generator[StreamEvent, None, None]:
    yield first
    yield from rest
