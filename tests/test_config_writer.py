"""Saving settings keeps the rest of the user's file and never writes the API key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interview_sim.config import load_settings
from interview_sim.config_writer import ConfigWriteError, changed, config_file_path, save_config


def test_merges_into_existing_file_and_drops_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("bank_dirs: [/banks]\nllm:\n  model: old\n  timeout: 5\n")
    save_config(path, {"llm": {"model": "new", "api_key": "sk-secret"}, "follow_up_limit": 1})
    saved = yaml.safe_load(path.read_text())
    assert saved == {
        "bank_dirs": ["/banks"],
        "llm": {"model": "new", "timeout": 5},
        "follow_up_limit": 1,
    }
    settings = load_settings(path)
    assert settings.llm.model == "new" and settings.follow_up_limit == 1


def test_creates_the_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.yaml"
    save_config(path, {"ui": {"scorecard": "stage"}})
    assert load_settings(path).ui.scorecard == "stage"


def test_refuses_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("- a list\n")
    with pytest.raises(ConfigWriteError, match="does not hold a mapping"):
        save_config(path, {"follow_up_limit": 1})
    assert path.read_text() == "- a list\n"


def test_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", str(tmp_path / "env.yaml"))
    assert config_file_path() == tmp_path / "env.yaml"
    assert config_file_path(tmp_path / "flag.yaml") == tmp_path / "flag.yaml"


def test_only_edited_keys_count_as_changed() -> None:
    shown = {"llm": {"base_url": "http://from-env", "model": "a"}, "follow_up_limit": 2}
    edited = {"llm": {"base_url": "http://from-env", "model": "b"}, "follow_up_limit": 2}
    assert changed(edited, shown) == {"llm": {"model": "b"}}
    assert changed(shown, shown) == {}


def test_comments_order_and_other_keys_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "# my interview-sim setup\n"
        "db: team.db  # shared with Ana\n"
        "llm:\n"
        "  # the office proxy\n"
        "  base_url: 'http://proxy:8080/v1'\n"
        "  model: old\n"
        "minutes_per_stage:\n"
        "  coding: 50\n"
    )
    save_config(path, {"llm": {"model": "new"}, "follow_up_limit": 1})
    assert path.read_text() == (
        "# my interview-sim setup\n"
        "db: team.db  # shared with Ana\n"
        "llm:\n"
        "  # the office proxy\n"
        "  base_url: 'http://proxy:8080/v1'\n"
        "  model: new\n"
        "minutes_per_stage:\n"
        "  coding: 50\n"
        "follow_up_limit: 1\n"
    )
    assert load_settings(path).llm.model == "new"
