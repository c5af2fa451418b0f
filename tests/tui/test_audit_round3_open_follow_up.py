"""A follow-up left open by a resubmission says which submission it was asked about.

Seen: "Your code did not pass the hidden test 'empty' ... Why does that case fail?" put in
front of the candidate again, as the interview's open question, right under "9/9 tests passed"
for the fixed code, with nothing saying it was about the code before.
"""

from __future__ import annotations

from textual.widgets import Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.models import pending_follow_up
from interview_sim.services import open_services
from interview_sim.tui import create_app
from interview_sim.tui.widgets.chat import ChatBubble, ChatLog
from tests.tui.conftest import MovableClock, settle
from tests.tui.test_coding_flow import _drill_one_coding_question


async def test_the_open_follow_up_is_named_as_about_an_earlier_submission(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = open_services(
        settings.model_copy(update={"follow_up_limit": 2}), use_llm=False, catalog=catalog
    )
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        code = screen.query_one("#code", TextArea)
        code.load_text(f"def {question.function}(*args):\n    return None\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        log = screen.query_one(ChatLog)
        asked = list(log.query(ChatBubble))[-1].entry.body
        assert "earlier submission" not in asked  # asked about the code just submitted

        await pilot.press("f2")
        code.load_text(question.reference_solution)
        await pilot.press("ctrl+s")
        await settle(pilot)
        sid = services.repo.list_sessions()[0].id
        follow_up = pending_follow_up(services.repo.turns(sid))
        assert follow_up is not None
        note = list(log.query(ChatBubble))[-1].entry.body
        assert "still open (asked about an earlier submission)" in note
        assert follow_up.text in note


async def test_the_last_follow_up_says_its_answer_closes_the_question(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    """Seen: a wrong submission, two follow-ups answered, then the scorecard, with no chance to
    submit the fix and nothing saying the second answer would end the question."""
    services = open_services(
        settings.model_copy(update={"follow_up_limit": 2}), use_llm=False, catalog=catalog
    )
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        code = screen.query_one("#code", TextArea)
        code.load_text(f"def {question.function}(*args):\n    return None\n")
        await pilot.press("ctrl+s")  # fails: the first follow-up asks about the failed case
        await settle(pilot)
        status = screen.query_one("#status-line", Static)
        assert "Last follow-up" not in str(status.render())

        screen.query_one("#answer", TextArea).insert("It returns None for every input.")
        await pilot.press("ctrl+s")  # the second and last follow-up
        await settle(pilot)
        sid = services.repo.list_sessions()[0].id
        assert pending_follow_up(services.repo.turns(sid)) is not None
        shown = str(status.render())
        assert shown.startswith("Last follow-up · your answer closes the question")
        assert "f2 to submit a fix first" in shown

        await pilot.press("f2")  # the fix is still possible, and asks nothing new
        code.load_text(question.reference_solution)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(services.repo.code_runs(sid, question.id, hidden=True)) == 2
        assert services.repo.grades(sid) == []
