"""Trying one's own input in the coding workspace: F8, type JSON arguments, Enter.

The candidate's code and the bank's reference solution each run in their own sandbox, and the
results pane shows both outputs; nothing is stored, since practice runs are not answers.
"""

from __future__ import annotations

import json

from textual.widgets import Input, Static, TextArea

from interview_sim.banks import Catalog
from interview_sim.config import Settings
from interview_sim.services import open_services
from interview_sim.tui import create_app
from interview_sim.tui.widgets.coding_workspace import CodingWorkspace
from tests.tui.conftest import MovableClock, settle
from tests.tui.test_coding_flow import _drill_one_coding_question


async def test_f8_runs_the_candidates_input_beside_the_reference(
    settings: Settings, catalog: Catalog, clock: MovableClock
) -> None:
    services = open_services(settings, use_llm=False, catalog=catalog)
    app = create_app(services, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, question = await _drill_one_coding_question(pilot)
        screen.query_one("#code", TextArea).load_text(
            f"def {question.function}(*args):\n    print('mine')\n    return 'mine'\n"
        )
        field = screen.query_one("#custom-input", Input)
        assert not field.display
        screen.query_one("#code", TextArea).focus()
        await pilot.press("f8")
        await pilot.pause()
        assert field.display and field.has_focus
        args = question.examples[0].args
        field.value = json.dumps(args)
        await pilot.press("enter")
        await settle(pilot)
        workspace = screen.query_one(CodingWorkspace)
        assert not workspace.running
        status = str(screen.query_one("#run-status", Static).render())
        assert "Your input" in status and "different" in status
        assert "yours:     returned 'mine'" in status and "printed:   mine" in status
        assert "reference: returned" in status

        field.value = "not json"
        await pilot.press("enter")
        await pilot.pause()
        assert "Not JSON" in str(screen.query_one("#run-status", Static).render())

    session_id = services.repo.list_sessions()[0].id
    assert services.repo.code_runs(session_id, question.id) == []
