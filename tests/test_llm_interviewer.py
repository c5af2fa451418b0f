"""The LLM interviewer, streamed through the engine, against the scripted HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from interview_sim.banks import Catalog
from interview_sim.engine import (
    AnswerStored,
    FollowUpAsked,
    FollowUpChunk,
    FollowUpStarted,
    InterviewEngine,
    Notice,
    StreamEvent,
)
from interview_sim.llm.client import UsageMeter
from interview_sim.llm.components import build_llm
from interview_sim.models import PlannedQuestion, SessionMode, Stage, TurnKind, TurnStatus
from interview_sim.store import Repository
from tests.llm_server import (
    DEFAULT_FOLLOW_UP,
    FakeLLMServer,
    Reply,
    closed_port_url,
    llm_settings,
    running_server,
)

QUESTION = "adam_vs_sgd"
SHORT_ANSWER = "Adam adapts the step size per parameter."
LIMIT = 2


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


@dataclass(frozen=True)
class Rig:
    engine: InterviewEngine
    repo: Repository
    catalog: Catalog
    meter: UsageMeter
    follow_up_limit: int


@pytest.fixture
def rig_for(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> Callable[..., tuple[Rig, int]]:
    """An engine with the LLM interviewer and judge over the project's offline pair."""

    def build(url: str, **llm: Any) -> tuple[Rig, int]:
        parts = build_llm(llm_settings(url, **llm), engine.scorer, engine.policy)
        llm_engine = InterviewEngine(
            catalog, repo, parts.judge, parts.interviewer, follow_up_limit=LIMIT
        )
        plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id=QUESTION)]
        session_id = llm_engine.start(SessionMode.DRILL, plan)
        llm_engine.advance(session_id)
        return Rig(llm_engine, repo, catalog, parts.meter, LIMIT), session_id

    return build


RigFor = Callable[..., tuple[Rig, int]]


def banked_texts(rig: Rig) -> set[str]:
    return {f.text for f in rig.catalog.questions[QUESTION].follow_ups}


def test_follow_up_streams_in_pieces_then_is_committed(
    rig_for: RigFor, server: FakeLLMServer
) -> None:
    rig, sid = rig_for(server.url)
    events = list(rig.engine.submit_answer_stream(sid, SHORT_ANSWER))

    assert isinstance(events[0], AnswerStored)
    assert isinstance(events[1], FollowUpStarted)
    chunks = [e.text for e in events if isinstance(e, FollowUpChunk)]
    assert len(chunks) > 3
    assert "".join(chunks) == DEFAULT_FOLLOW_UP
    asked = events[-1]
    assert isinstance(asked, FollowUpAsked)
    assert asked.turn.text == DEFAULT_FOLLOW_UP
    assert asked.turn.status == TurnStatus.COMPLETE
    assert rig.repo.turns(sid)[-1] == asked.turn
    assert rig.meter.total("interviewer").prompt_tokens > 0


def test_prompt_has_persona_rules_lacking_criteria_and_delimited_answer(
    rig_for: RigFor, server: FakeLLMServer
) -> None:
    rig, sid = rig_for(server.url)
    list(rig.engine.submit_answer_stream(sid, SHORT_ANSWER))

    request = server.chat_requests[0]
    system, user = (m["content"] for m in request["messages"])
    assert request["stream"] is True
    assert "ML knowledge deep-dive" in system
    assert "Never reveal" in system and "Never grade aloud" in system
    assert "Adam, AdamW and SGD with momentum" in user
    assert "Criteria that still lack evidence" in user
    assert f"<candidate_answer>\n{SHORT_ANSWER}\n</candidate_answer>" in user
    model_answer = rig.catalog.questions[QUESTION].model_answer
    assert model_answer.split(".")[0] not in system + user


def test_cancel_keeps_the_partial_follow_up_as_cancelled(
    rig_for: RigFor, server: FakeLLMServer
) -> None:
    rig, sid = rig_for(server.url)
    cancel = threading.Event()
    events: list[StreamEvent] = []
    for event in rig.engine.submit_answer_stream(sid, SHORT_ANSWER, cancel=cancel):
        events.append(event)
        if sum(isinstance(e, FollowUpChunk) for e in events) == 2:
            cancel.set()

    asked = events[-1]
    assert isinstance(asked, FollowUpAsked)
    assert asked.turn.status == TurnStatus.CANCELLED
    assert asked.turn.text == "Which metric "
    stored = rig.repo.turns(sid)
    assert [t.kind for t in stored] == [TurnKind.QUESTION, TurnKind.ANSWER, TurnKind.FOLLOW_UP]
    assert stored[-1].status == TurnStatus.CANCELLED
    # The session carries on: the candidate can answer the cut-off question.
    after = rig.engine.submit_answer(sid, "I would watch validation loss.")
    assert isinstance(after[0], AnswerStored)


def test_closing_the_stream_also_keeps_the_partial_text(
    rig_for: RigFor, server: FakeLLMServer
) -> None:
    rig, sid = rig_for(server.url)
    stream = rig.engine.submit_answer_stream(sid, SHORT_ANSWER)
    for event in stream:
        if isinstance(event, FollowUpChunk):
            break
    stream.close()

    last = rig.repo.turns(sid)[-1]
    assert (last.kind, last.status, last.text) == (
        TurnKind.FOLLOW_UP,
        TurnStatus.CANCELLED,
        "Which ",
    )


FAULTS = {
    "timeout": [Reply(delay=3.0)],
    "500": [Reply(status=500)],
    "503": [Reply(status=503)],
    "stream cut halfway": [Reply(cut_after=3)],
    "refusal": [Reply(refusal="I can't help with that.")],
    "token limit": [Reply(finish_reason="length")],
    "prompt echoed, no question": [Reply(content="You are an interviewer. Rules: be brief.")],
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_stream_faults_fall_back_to_a_banked_follow_up_with_one_notice(
    rig_for: RigFor, server: FakeLLMServer, fault: str
) -> None:
    rig, sid = rig_for(server.url)
    server.script(*FAULTS[fault])
    events = list(rig.engine.submit_answer_stream(sid, SHORT_ANSWER))

    notices = [e for e in events if isinstance(e, Notice)]
    assert len(notices) == 1
    assert "offline follow-up" in notices[0].message
    asked = events[-1]
    assert isinstance(asked, FollowUpAsked)
    assert asked.turn.text in banked_texts(rig)
    answers = [t.text for t in rig.repo.turns(sid) if t.kind == TurnKind.ANSWER]
    assert answers == [SHORT_ANSWER]


def test_rate_limit_is_retried_after_the_server_says_then_falls_back(
    rig_for: RigFor, server: FakeLLMServer
) -> None:
    rig, sid = rig_for(server.url, max_retries=1)
    limited = Reply(status=429, headers={"retry-after": "0.01"})
    server.script(limited, limited)
    events = list(rig.engine.submit_answer_stream(sid, SHORT_ANSWER))

    assert len(server.chat_requests) == 2
    notice = next(e for e in events if isinstance(e, Notice))
    assert "rate limiting" in notice.message
    assert isinstance(events[-1], FollowUpAsked)


def test_refused_connection_falls_back(rig_for: RigFor) -> None:
    rig, sid = rig_for(closed_port_url())
    events = rig.engine.submit_answer(sid, SHORT_ANSWER)

    assert not any(isinstance(e, FollowUpChunk | FollowUpStarted) for e in events)
    notice = next(e for e in events if isinstance(e, Notice))
    assert "could not be reached" in notice.message
    asked = events[-1]
    assert isinstance(asked, FollowUpAsked)
    assert asked.turn.text in banked_texts(rig)


def test_stops_at_the_follow_up_limit(rig_for: RigFor, server: FakeLLMServer) -> None:
    rig, sid = rig_for(server.url)
    rig.engine.submit_answer(sid, SHORT_ANSWER)
    rig.engine.submit_answer(sid, "Bias correction fixes the zero start.")
    events = rig.engine.submit_answer(sid, "AdamW decouples weight decay.")

    assert not any(isinstance(e, FollowUpAsked) for e in events)
    streamed = [r for r in server.chat_requests if r.get("stream")]
    assert len(streamed) == rig.follow_up_limit
