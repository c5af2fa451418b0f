"""A per-stage mapping in the config file merges into the defaults instead of replacing them.

A file saved by an older version (``minutes_per_stage: {ml_depth: 25}``) or written by hand used
to drop the other stages: their minutes fell back to a guess and a loop plan raised KeyError.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.config import DEFAULT_MINUTES, DEFAULT_QUESTIONS, load_settings
from interview_sim.engine.planner import plan_loop
from interview_sim.models import Stage


def _config(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_one_stage_set_keeps_the_others_defaults(tmp_path: Path, catalog: Catalog) -> None:
    path = _config(
        tmp_path,
        {"minutes_per_stage": {"ml_depth": 25}, "questions_per_stage": {"coding": 2}},
    )
    settings = load_settings(path)
    assert settings.minutes_per_stage == {**DEFAULT_MINUTES, Stage.ML_DEPTH: 25}
    assert settings.questions_per_stage == {**DEFAULT_QUESTIONS, Stage.CODING: 2}
    plan = plan_loop(catalog, settings.questions_per_stage)
    assert [p.stage for p in plan].count(Stage.CODING) == 2
    assert {p.stage for p in plan} == set(Stage)


def test_an_environment_override_of_one_stage_keeps_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_SIM_MINUTES_PER_STAGE__CODING", "50")
    settings = load_settings(_config(tmp_path, {}))
    assert settings.minutes_per_stage == {**DEFAULT_MINUTES, Stage.CODING: 50}


def test_config_show_lists_every_stage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _config(tmp_path, {"minutes_per_stage": {"behavioral": 20}})
    assert main(["--config", str(path), "config", "show"]) == 0
    shown = capsys.readouterr().out
    for stage in Stage:
        assert stage.value in shown
