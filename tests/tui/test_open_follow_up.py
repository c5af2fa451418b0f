"""A resubmission leaves the follow-up open: the app asks it again, and ctrl+r repeats it."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.models import TurnKind, pending_follow_up
from interview_sim.services import Services, open_services
from interview_sim.tui import create_app
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.widgets.chat import ChatBubble, ChatLog
from tests.tui.conftest import MovableClock, settle
from tests.tui.test_coding_flow import _drill_one_coding_question


def _last_bubble(log: ChatLog) -> ChatBubble:
    return list(log.query(ChatBubble))[-1]


def _coding_services(settings: Settings, catalog: Catalog) -> Services:
    """Offline, with room for a follow-up after the failed submission."""
    return open_services(
        settings.model_copy(update={"follow_up_limit": 2}), use_llm=False, catalog=catalog
    )


async def _submit(pilot: Pilot[None], code: TextArea, text: str) -> None:
    code.load_text(text)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_fixed_code_does_not_hide_the_open_follow_up(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = _coding_services(settings, catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        code = screen.query_one("#code", TextArea)
        # fails: the interviewer asks about the failed case
        await _submit(pilot, code, f"def {question.function}(*args):\n    return None\n")
        sid = services.repo.list_sessions()[0].id
        [follow_up] = [t for t in services.repo.turns(sid) if t.kind == TurnKind.FOLLOW_UP]

        await pilot.press("f2")  # the fix: nothing new is asked, the follow-up stays open
        await _submit(pilot, code, question.reference_solution)
        turns = services.repo.turns(sid)
        assert turns[-1].kind == TurnKind.CODE_RUN
        assert pending_follow_up(turns) == follow_up

        log = screen.query_one(ChatLog)
        asked_again = _last_bubble(log).entry
        assert asked_again.role == "system" and follow_up.text in asked_again.body
        assert "still open" in asked_again.body

        await pilot.press("ctrl+r")
        await pilot.pause()
        repeated = _last_bubble(log).entry.body
        assert follow_up.text in repeated and question.title not in repeated


async def test_resuming_after_a_resubmission_shows_the_open_follow_up_last(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = _coding_services(settings, catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        code = screen.query_one("#code", TextArea)
        await _submit(pilot, code, f"def {question.function}(*args):\n    return None\n")
        await pilot.press("f2")
        await _submit(pilot, code, question.reference_solution)
        sid = services.repo.list_sessions()[0].id
        follow_up = pending_follow_up(services.repo.turns(sid))
        assert follow_up is not None

        await pilot.press("escape")  # home; the session stays resumable
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        resumed = pilot.app.screen
        assert isinstance(resumed, InterviewScreen) and resumed is not screen
        last = _last_bubble(resumed.query_one(ChatLog)).entry
        assert last.role == "system" and follow_up.text in last.body
