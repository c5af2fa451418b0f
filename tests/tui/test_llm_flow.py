"""The same interview through the LLM interviewer and judge, against the scripted test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.models import TurnKind, TurnStatus
from interview_sim.services import Services, open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.summary import SummaryScreen
from interview_sim.tui.widgets import ChatBubble
from tests.llm_server import DEFAULT_FOLLOW_UP, FakeLLMServer, Reply, llm_settings, running_server
from tests.tui.conftest import MovableClock, settle
from tests.tui.test_flows import drive_full_loop

MAX_POLLS = 600


@pytest.mark.slow  # a whole loop, every answer graded through the fake LLM judge
async def test_full_loop_through_the_llm_judge(
    settings: Settings, catalog: Catalog, server: FakeLLMServer, clock: MovableClock
) -> None:
    services = open_services(
        settings.model_copy(update={"llm": llm_settings(server.url)}), use_llm=True, catalog=catalog
    )
    await drive_full_loop(create_app(services, clock=clock), services, clock)
    grades = services.repo.grades(services.repo.list_sessions()[0].id)
    answered = [g for g in grades if not g.skipped]
    assert answered and all(g.scorer == "llm-judge" or g.fallback_reason for g in answered)
    assert any(g.scorer == "llm-judge" for g in answered)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


def _llm_services(settings: Settings, catalog: Catalog, server: FakeLLMServer) -> Services:
    # A generous timeout: these flows test streaming and faults the server is told to make,
    # and a busy CI machine can take longer than the 0.5 s fast-fail default for a reply.
    llm = llm_settings(server.url, timeout=5.0)
    chosen = settings.model_copy(update={"llm": llm, "follow_up_limit": 1})
    return open_services(chosen, use_llm=True, catalog=catalog)


@pytest.mark.parametrize("fault", [False, True], ids=["streamed", "stream-cut-midway"])
async def test_llm_drill_streams_follow_ups_and_survives_a_cut(
    settings: Settings,
    catalog: Catalog,
    server: FakeLLMServer,
    clock: MovableClock,
    fault: bool,
) -> None:
    services = _llm_services(settings, catalog, server)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the home screen checks the endpoint once
        status = str(app.screen.query_one("#llm-status", Static).render())
        assert "reachable" in status and "not reachable" not in status
        if fault:
            server.script(Reply(cut_after=3))
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen.query_one("#answer", TextArea).insert("Adam adapts the step size per parameter.")
        await pilot.press("ctrl+s")
        await settle(pilot)

        follow_ups = [b for b in screen.query(ChatBubble) if "follow-up" in b.entry.caption]
        assert len(follow_ups) == 1  # the live bubble was replaced by the committed turn
        # Home checked the endpoint once, at launch; not again while the interview opened
        # above it (that check would compete with the first follow-up for the server).
        assert len([r for r in server.requests if r.path.endswith("/models")]) == 1
        if fault:
            assert follow_ups[0].entry.body != DEFAULT_FOLLOW_UP  # the banked fallback
            assert any("offline follow-up" in n.message for n in app._notifications)
        else:
            assert follow_ups[0].entry.body == DEFAULT_FOLLOW_UP
        assert screen.query_one("#answer", TextArea).text == ""

        screen.query_one("#answer", TextArea).insert("I would watch the validation loss.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)

    session = services.repo.list_sessions()[0]
    answers = [t for t in services.repo.turns(session.id) if t.kind == TurnKind.ANSWER]
    assert len(answers) == 2


async def test_stop_a_streaming_follow_up_keeps_what_was_said(
    settings: Settings, catalog: Catalog, server: FakeLLMServer, clock: MovableClock
) -> None:
    slow = settings.model_copy(
        update={"llm": llm_settings(server.url, timeout=30.0), "follow_up_limit": 1}
    )
    services = open_services(slow, use_llm=True, catalog=catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        asked = len(server.chat_requests)
        server.script(Reply(content="Which metric would you watch first, and why?", delay=2.0))
        screen.query_one("#answer", TextArea).insert("Adam adapts the step size per parameter.")
        await pilot.press("ctrl+s")
        for _ in range(MAX_POLLS):  # until the interviewer is thinking
            if len(server.chat_requests) > asked:
                break
            await pilot.pause(0.05)
        assert screen.busy
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not screen.busy
        stopped = [b for b in screen.query(ChatBubble) if "(stopped)" in b.entry.caption]
        assert len(stopped) == 1
    turns = services.repo.turns(services.repo.list_sessions()[0].id)
    follow_up = next(t for t in turns if t.kind == TurnKind.FOLLOW_UP)
    assert follow_up.status == TurnStatus.CANCELLED
    assert [t.kind for t in turns][-1] == TurnKind.FOLLOW_UP  # waiting for the candidate
