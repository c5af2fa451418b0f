"""Saving settings merges into the config file: every field of the form, one at a time.

The file starts with keys the form does not show (``candidate``, ``llm.timeout``, ``ui.keys``)
and a partial per-stage mapping. Each save must keep those, write the edited field, and write a
per-stage mapping whole (every stage as the form showed it), since a partial mapping in the file
replaces the built-in defaults and would silently drop the other stages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from textual.widgets import Input, Select

from interview_sim.config import Settings, load_settings
from interview_sim.models import Stage
from interview_sim.services import Services
from interview_sim.tui import InterviewSimApp
from interview_sim.tui.screens.settings import SettingsScreen
from tests.tui.conftest import settle

KEPT = {
    "candidate": "ada",
    "llm": {"timeout": 12.0},
    "ui": {"keys": {"home.drill": "g"}},
    "minutes_per_stage": {"coding": 50},
}
"""What the file holds before the first save; the form shows none of it but ``coding``."""

Getter = Callable[[Settings], Any]


def _stage(key: str, stage: Stage) -> Getter:
    return lambda s: getattr(s, key)[stage]


# (widget id, value typed, what the saved settings must then say)
FIELDS: list[tuple[str, str, Getter, Any]] = [
    ("llm-model", "local-model", lambda s: s.llm.model, "local-model"),
    *[
        (f"minutes-{stage.value}", str(20 + i), _stage("minutes_per_stage", stage), 20 + i)
        for i, stage in enumerate(Stage)
    ],
    *[
        (f"questions-{stage.value}", str(2 + i), _stage("questions_per_stage", stage), 2 + i)
        for i, stage in enumerate(Stage)
    ],
    ("follow-ups", "3", lambda s: s.follow_up_limit, 3),
    ("scorecard-timing", "stage", lambda s: s.ui.scorecard, "stage"),
    ("llm-base-url", "http://127.0.0.1:9/v1", lambda s: s.llm.base_url, "http://127.0.0.1:9/v1"),
]


async def test_each_field_saves_and_keeps_the_rest(
    make_app: Callable[..., InterviewSimApp], services: Services
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        path = app.context.config_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(KEPT), encoding="utf-8")
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        # Every input on the form has a row in FIELDS: a new field cannot go untested.
        widgets = {w.id for w in screen.query("Input, Select")}
        assert widgets == {widget for widget, *_ in FIELDS}
        expected: dict[str, Any] = {}
        for widget_id, typed, getter, value in FIELDS:
            widget = screen.query_one(f"#{widget_id}")
            if isinstance(widget, Select):
                widget.value = typed
            else:
                assert isinstance(widget, Input)
                widget.value = typed
            await pilot.press("ctrl+s")
            await pilot.pause()
            saved = load_settings(path)
            assert getter(saved) == value, widget_id
            expected[widget_id] = (getter, value)
            for earlier, (get, want) in expected.items():
                assert get(saved) == want, f"saving {widget_id} lost {earlier}"
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert raw["candidate"] == "ada"
            assert raw["llm"]["timeout"] == 12.0
            assert raw["ui"]["keys"] == {"home.drill": "g"}
            assert "api_key" not in raw["llm"]
            minutes = raw["minutes_per_stage"]
            assert minutes == {"coding": 50} or set(minutes) == {s.value for s in Stage}
            if "questions_per_stage" in raw:
                assert set(raw["questions_per_stage"]) == {s.value for s in Stage}


@pytest.mark.parametrize("stage", [Stage.CODING, Stage.BEHAVIORAL])
async def test_one_stage_edited_writes_every_stage(
    make_app: Callable[..., InterviewSimApp], services: Services, stage: Stage
) -> None:
    """The issue's case: ML depth minutes edited, the other stages keep the values shown."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#minutes-ml_depth", Input).value = "25"
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = load_settings(app.context.config_path)
    shown = services.settings.minutes_per_stage
    assert saved.minutes_per_stage[Stage.ML_DEPTH] == 25
    assert saved.minutes_per_stage[stage] == shown[stage]
    assert app.context.services.engine.stage_minutes[stage] == shown[stage]
