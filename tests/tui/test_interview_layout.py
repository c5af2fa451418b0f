"""The interview screen's layout at 120x40 and 80x24 (issue 14, item 12).

- The coding problem can be read whole by keyboard: f4 focuses it, the arrows and page keys
  scroll it, f4 again goes back to the editor; its examples wrap instead of running off the pane.
- A submission's result is a line above the answer box, not a toast over it.
- The footer shows only keys that fit whole, most needed first; F1 lists the rest.
- While the session opens, the screen says so and shows no stray "Design phases" panel.

Snapshots regenerate with ``pytest tests/tui/test_interview_layout.py --snapshot-update``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer, Input, TextArea

from interview_sim.config import Settings
from interview_sim.engine import StreamEvent, plan_drill
from interview_sim.models import CodingQuestion, SessionMode, Stage
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.help import HelpScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.interview.footer import PALETTE
from interview_sim.tui.screens.interview.status import StatusLine
from interview_sim.tui.widgets import PhasePanel
from tests.tui.conftest import FIXED_NOW, MovableClock, freeze_timestamps, settle

Snap = Callable[..., bool]
SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with follow-ups on: a failed submission is asked about in the chat,
    not closed at once."""
    return settings.model_copy(update={"follow_up_limit": 2})


def _drill(services: Services, stage: Stage) -> int:
    engine = services.engine
    session_id = engine.start(SessionMode.DRILL, plan_drill(services.catalog, stage, 1))
    engine.advance(session_id)
    return session_id


async def _resume(pilot: Pilot[None]) -> InterviewScreen:
    await settle(pilot)
    await pilot.press("r")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen) and screen.position is not None
    return screen


def _quiet_cursors(pilot: Pilot[None]) -> None:
    """A blinking cursor would make two runs of the same screen differ."""
    for widget in pilot.app.screen.query("TextArea, Input"):
        assert isinstance(widget, TextArea | Input)
        widget.cursor_blink = False


def _wrong_code(screen: InterviewScreen) -> str:
    assert screen.position is not None
    question = screen.position.question
    assert isinstance(question, CodingQuestion)
    return f"def {question.function}(*args):\n    return None\n"


def _footer_keys(screen: InterviewScreen) -> tuple[list[Widget], Widget]:
    footer = screen.query_one(Footer)
    keys = [k for k in footer.children if not k.has_class(PALETTE)]
    (palette,) = [k for k in footer.children if k.has_class(PALETTE)]
    return keys, palette


# -- the problem pane, by keyboard -----------------------------------------------------------


async def test_f4_scrolls_the_problem_by_keyboard_and_goes_back(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _drill(services, Stage.CODING)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _resume(pilot)
        problem = screen.query_one("#problem-scroll", VerticalScroll)
        code = screen.query_one("#code", TextArea)
        assert screen.coding and code.has_focus
        assert problem.max_scroll_y > 0, "at 80x24 the statement is taller than its pane"

        await pilot.press("f4")
        assert problem.has_focus
        await pilot.press("pagedown")
        await pilot.pause()
        assert problem.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert problem.scroll_y == problem.max_scroll_y  # the examples' end is reachable
        await pilot.press("home")
        await pilot.pause()
        assert problem.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert problem.scroll_y == 1
        assert code.text == screen.query_one("#code", TextArea).text  # nothing was typed

        await pilot.press("f4")
        assert code.has_focus and screen.coding


async def test_f4_from_the_chat_opens_the_problem(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _drill(services, Stage.CODING)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _resume(pilot)
        await pilot.press("f2")
        assert not screen.coding
        await pilot.press("f4")
        assert screen.coding and screen.query_one("#problem-scroll").has_focus


async def test_f4_is_only_a_key_on_coding_questions(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _drill(services, Stage.ML_DEPTH)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        assert "f4" not in screen.active_bindings or not screen.active_bindings["f4"].enabled
        await pilot.press("f4")
        assert not screen.coding and screen.query_one("#answer", TextArea).has_focus


async def test_the_examples_wrap_inside_the_problem_pane(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _drill(services, Stage.CODING)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _resume(pilot)
        pane = screen.query_one("#problem-scroll")
        fences = list(screen.query("#problem MarkdownFence"))
        assert fences, "the question's examples are a code block"
        for fence in fences:
            assert fence.region.right <= pane.region.right
            assert fence.virtual_size.width <= fence.size.width  # nothing hidden to the right


# -- the submission's result ------------------------------------------------------------------


async def test_a_submission_says_its_result_above_the_answer_not_over_it(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _drill(services, Stage.CODING)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _resume(pilot)
        screen.query_one("#code", TextArea).load_text(_wrong_code(screen))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen) and not screen.coding
        assert not [n for n in app._notifications if n.title == "Submission"]
        status = screen.query_one(StatusLine)
        assert status.display and "tests passed" in str(status.render())
        answer = screen.query_one("#answer", TextArea)
        assert status.region.bottom <= answer.region.y  # above the box, not on it

        screen.query_one("#answer", TextArea).insert("It returns None for every input.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The next submission clears the result; the line may now announce the last follow-up.
        assert not status.display or "tests passed" not in str(status.render())


# -- opening ----------------------------------------------------------------------------------


async def test_opening_says_so_and_shows_no_stray_design_panel(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    """The engine is held back (as a slow database or model would) while the screen is read."""
    _drill(services, Stage.SYSTEM_DESIGN)
    engine = services.engine
    release = threading.Event()
    advance = engine.advance_stream

    def slow_advance(
        session_id: int, cancel: threading.Event | None = None
    ) -> Generator[StreamEvent, None, None]:
        release.wait(30)
        yield from advance(session_id, cancel)

    engine.advance_stream = slow_advance  # type: ignore[method-assign]
    app = make_app()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, InterviewScreen) and screen.position is None
            status = screen.query_one(StatusLine)
            assert status.display and "Opening the session" in str(status.render())
            assert not screen.query_one(PhasePanel).display

            release.set()
            await settle(pilot)
            assert screen.position is not None and not status.display
            assert screen.query_one(PhasePanel).display  # a design question: now it belongs
    finally:
        release.set()


# -- the footer -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("stage", [Stage.CODING, Stage.ML_DEPTH])
async def test_every_key_in_the_footer_is_whole(
    make_app: Callable[..., InterviewSimApp],
    services: Services,
    size: tuple[int, int],
    stage: Stage,
) -> None:
    _drill(services, stage)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await _resume(pilot)
        for _ in range(2):  # both views of a coding question; the chat twice otherwise
            keys, palette = _footer_keys(screen)
            assert keys
            for key in keys:
                assert key.region.right <= palette.region.x, key
            shown = {str(k.render()).split()[0] for k in keys}
            assert {"^s", "f1"} <= shown  # submit, and where to find the rest
            if stage == Stage.CODING:
                assert {"f2", "f4"} <= shown
            await pilot.press("f2")
            await settle(pilot)

        await pilot.press("f1")  # the keys left out are in the help
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {b.binding.action for b in help_screen.listed}
        assert {"repeat", "end_stage", "skip", "hint", "end_question"} <= listed


# -- snapshots at both sizes ------------------------------------------------------------------


@pytest.fixture
def frozen(clock: MovableClock) -> None:
    clock.fixed = FIXED_NOW


def _app(make_app: Callable[..., InterviewSimApp], services: Services) -> InterviewSimApp:
    freeze_timestamps(services.settings.db)
    return make_app()


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_snapshot_problem_scrolled_by_keyboard(
    snap_compare: Snap, make_app: Any, services: Services, size: tuple[int, int]
) -> None:
    """f4 in the footer; the problem has the focus and is scrolled to its examples' end."""
    _drill(services, Stage.CODING)

    async def scroll(pilot: Pilot[None]) -> None:
        await _resume(pilot)
        await pilot.press("f4", "end")
        _quiet_cursors(pilot)
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=size, run_before=scroll)


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_snapshot_submission_result_above_the_answer(
    snap_compare: Snap, make_app: Any, services: Services, size: tuple[int, int]
) -> None:
    """No toast: the answer box is clear and the result is the line above it."""
    _drill(services, Stage.CODING)

    async def submit(pilot: Pilot[None]) -> None:
        screen = await _resume(pilot)
        screen.query_one("#code", TextArea).load_text(_wrong_code(screen))
        await pilot.press("ctrl+s")
        await settle(pilot)
        _quiet_cursors(pilot)
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=size, run_before=submit)


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_snapshot_chat_footer_fits(
    snap_compare: Snap, make_app: Any, services: Services, size: tuple[int, int]
) -> None:
    """A chat question's footer: the keys that fit, ending in f1 Keys, none cut."""
    _drill(services, Stage.ML_DEPTH)

    async def resume(pilot: Pilot[None]) -> None:
        await _resume(pilot)
        _quiet_cursors(pilot)
        await pilot.pause()

    assert snap_compare(_app(make_app, services), terminal_size=size, run_before=resume)
