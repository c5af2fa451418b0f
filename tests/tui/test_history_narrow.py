"""History at 80 columns: the recommended drill's questions are told apart by their titles, the
Stages cells are abbreviated rather than cut mid-word, and the keys stay discoverable."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Label
from textual.widgets._footer import FooterKey

from interview_sim.engine import plan_drill, plan_loop
from interview_sim.models import SessionMode, Stage
from interview_sim.progress.review import review
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.present import STAGE_LABELS
from interview_sim.tui.screens.history import COLUMNS, STAGE_SHORT, stages_cell
from tests.tui.conftest import MovableClock, open_history, settle
from tests.tui.test_history_review import ML_DEPTH_ANSWER

EVERY = (Stage.CODING, Stage.SYSTEM_DESIGN, Stage.ML_DEPTH, Stage.BEHAVIORAL)


@pytest.mark.parametrize(
    ("planned", "width", "expected"),
    [
        (EVERY, 60, "Coding, ML system design, ML depth, Behavioral"),
        (EVERY, 30, "Code, Design, Depth, Behav."),
        (EVERY, 6, "all 4"),
        ((Stage.ML_DEPTH,), 8, "ML depth"),
        ((Stage.ML_DEPTH,), 6, "Depth"),
        ((Stage.BEHAVIORAL, Stage.CODING), 12, "Behav., Code"),
        ((Stage.BEHAVIORAL, Stage.CODING), 9, "Behav. +1"),
        ((Stage.SYSTEM_DESIGN,), 2, "Design"),
    ],
)
def test_the_stages_cell_is_abbreviated_to_fit(
    planned: tuple[Stage, ...], width: int, expected: str
) -> None:
    assert stages_cell(planned, width) == expected


@pytest.mark.parametrize("width", range(1, 60))
@pytest.mark.parametrize(
    "planned", [EVERY, (Stage.ML_DEPTH,), (Stage.BEHAVIORAL, Stage.CODING), EVERY[:3]]
)
def test_the_stages_cell_fits_or_is_the_shortest_form(
    planned: tuple[Stage, ...], width: int
) -> None:
    """Whatever the width, the cell is made of whole stage names or abbreviations: it fits,
    or it is the shortest form there is (the table's edge then cuts it, nothing else can)."""
    cell = stages_cell(planned, width)
    words = {*STAGE_LABELS.values(), *STAGE_SHORT.values()}
    parts = cell.removesuffix(" +1").removesuffix(" +2").split(", ")
    assert cell == "all 4" or all(p in words for p in parts), cell
    shortest = min(cell_len(stages_cell(planned, w)) for w in range(1, 100))
    assert cell_len(cell) <= width or cell_len(cell) == shortest


def _drill(services: Services, stage: Stage, answer: str) -> None:
    engine = services.engine
    session_id = engine.start(SessionMode.DRILL, plan_drill(services.catalog, stage, 1))
    engine.advance(session_id)
    engine.submit_answer(session_id, answer)


def _history(services: Services) -> None:
    """Two weak coding drills and a good ML depth answer, so the recommended drill has two
    coding questions; a loop, so a row plans every stage."""
    _drill(services, Stage.CODING, "def f(): return 1")
    _drill(services, Stage.CODING, "I would use a hash map.")
    _drill(services, Stage.BEHAVIORAL, "I led the rollback and wrote the review.")
    _drill(services, Stage.ML_DEPTH, ML_DEPTH_ANSWER)
    plan = plan_loop(services.catalog, dict.fromkeys(Stage, 1))
    services.engine.start(SessionMode.LOOP, plan)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_stages_cells_end_inside_the_table(
    size: tuple[int, int], make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    _history(services)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        right = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert right <= table.scrollable_content_region.width
        cells = [str(table.get_row_at(i)[COLUMNS.index("Stages")]) for i in range(5)]
        if size[0] >= 120:
            assert cells[0] == ", ".join(STAGE_LABELS[s] for s in EVERY)
            assert set(cells[1:]) == {"Coding", "Behavioral", "ML depth"}
        else:
            assert cells[0] == "all 4"
            assert set(cells[1:]) == {"Coding", "Behav.", "Depth"}
        # The filter still reads the full names.
        await pilot.press("slash", *"ml depth")
        await settle(pilot)
        assert {r.session_id for r in screen.shown} == {4, 5}


@pytest.mark.parametrize("size", [(80, 24), (120, 24), (120, 36), (80, 40)])
async def test_the_drill_questions_are_told_apart_by_their_titles(
    size: tuple[int, int],
    make_app: Callable[..., InterviewSimApp],
    services: Services,
    clock: MovableClock,
) -> None:
    _history(services)
    drill = review(services.repo, services.catalog, now=clock()).drill
    titles = [services.catalog.questions[i.question_id].title for i in drill.items]
    stages = [i.stage for i in drill.items]
    assert stages.count(Stage.CODING) >= 2, "the fixture needs two questions of one stage"
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_history(pilot)
        questions = list(screen.query(".drill-question").results(Label))
        shown = [q.render_line(0).text.rstrip() for q in questions]
        for n, (line, title) in enumerate(zip(shown, titles, strict=True), 1):
            # The title starts the line; at least its first 30 characters are on screen.
            assert line.startswith(f"{n}. {title[:30]}"), line
        assert len(set(shown)) == len(shown)
        reasons = list(screen.query(".drill-reason").results(Label))
        # A short narrow screen has no room for the reasons: they are the questions' tooltips.
        hidden = size == (80, 24)
        assert all(r.display is not hidden for r in reasons)
        assert [q.tooltip for q in questions] == [i.reason for i in drill.items]


async def test_the_table_keys_are_in_the_footer_at_80_columns(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    """Every key of the screen's own is drawn inside the footer's 80 columns; in the filter,
    where letters are text and the footer hides them, the count line says how to get back."""
    _history(services)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)

        def footer() -> dict[str, bool]:
            """Each footer key's description, and whether it ends inside the terminal."""
            return {k.description: k.region.right <= 80 for k in screen.query(FooterKey)}

        wanted = {"Back", "Filter", "Sort", "Recommended drill"}
        assert wanted <= {d for d, inside in footer().items() if inside}
        count = screen.query_one("#history-count", Label)
        assert "enter" not in str(count.content)

        await pilot.press("slash")
        await pilot.pause()
        assert not {"Sort", "Recommended drill"} & set(footer())
        assert str(count.content).endswith(" · enter: back to the table")

        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is screen.query_one(DataTable)
        assert "enter" not in str(count.content)
        assert wanted <= {d for d, inside in footer().items() if inside}
