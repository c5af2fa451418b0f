"""Config values that cannot work are refused where they are written, in one line naming the file
(or variable) and the field, instead of failing later or being ignored."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from interview_sim.config import BINDING_IDS, load_settings
from tests.cli_errors import one_error_line


def _app_binding_ids() -> set[str]:
    from textual.binding import Binding

    import interview_sim.tui

    found: set[str] = set()
    for module in pkgutil.walk_packages(interview_sim.tui.__path__, "interview_sim.tui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            for binding in getattr(cls, "BINDINGS", None) or []:
                if isinstance(binding, Binding) and binding.id:
                    found.add(binding.id)
    return found


def test_the_config_knows_every_binding_id_of_the_app() -> None:
    """A binding added to (or renamed in) the app must be added here too, or rebinding it in
    ``ui.keys`` would be refused."""
    assert _app_binding_ids() == set(BINDING_IDS)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "ui:\n  keys:\n    interview.submitt: ctrl+j\n",
            "ui.keys: 'interview.submitt' is not a binding id; did you mean 'interview.submit'?",
        ),
        ("ui:\n  keys:\n    nothing.like_it: ctrl+j\n", "F1 in the app lists them"),
        ("llm:\n  timeout: -1\n", "llm.timeout: Input should be greater than 0 (got -1)"),
        ("llm:\n  timeout: 0\n", "llm.timeout: Input should be greater than 0"),
        ("llm:\n  max_retries: -3\n", "llm.max_retries: Input should be greater than or equal"),
        ("llm:\n  temperature: 9\n", "llm.temperature: Input should be less than or equal to 2"),
        ("llm:\n  base_url: localhost:11434\n", "llm.base_url: must be an http:// or https://"),
        ("llm:\n  model: ''\n", "llm.model: String should have at least 1 character"),
        ("llm:\n  judge_model: '  '\n", "llm.judge_model: String should have at least 1"),
    ],
)
def test_a_value_that_cannot_work_is_refused_in_one_line(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(content, encoding="utf-8")
    assert main(["--config", str(config), "config", "show"]) == 2
    line = one_error_line(capsys)
    assert f"config file {config}: " in line and expected in line, line


def test_every_binding_id_may_be_rebound(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "ui:\n  keys:\n" + "".join(f"    {b}: f9\n" for b in sorted(BINDING_IDS)),
        encoding="utf-8",
    )
    assert set(load_settings(config).ui.keys) == BINDING_IDS


def test_a_config_file_named_in_the_environment_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like ``--config``: the user named it, so silently running on defaults would mislead."""
    missing = tmp_path / "typo.yaml"
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", str(missing))
    assert main(["config", "show"]) == 2
    assert one_error_line(capsys) == (
        f"interview-sim: config file {missing} (from $INTERVIEW_SIM_CONFIG) does not exist"
    )


def test_a_folder_given_as_the_config_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(tmp_path), "config", "show"]) == 2
    assert (
        one_error_line(capsys) == f"interview-sim: config file {tmp_path} is a folder, not a file"
    )


def test_a_bad_environment_value_names_its_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INTERVIEW_SIM_LLM__TIMEOUT", "soon")
    assert main(["config", "show"]) == 2
    line = one_error_line(capsys)
    assert "INTERVIEW_SIM_LLM__TIMEOUT" in line and "llm.timeout" in line

    monkeypatch.delenv("INTERVIEW_SIM_LLM__TIMEOUT")
    monkeypatch.setenv("OPENAI_BASE_URL", "api.example.com")
    assert main(["config", "show"]) == 2
    assert "OPENAI_BASE_URL: must be an http:// or https:// URL" in one_error_line(capsys)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"db: [unclosed\n", "invalid YAML at line 2, column 1"),
        (b"db: caf\xe9.db\n", "not UTF-8 (byte 7)"),
    ],
)
def test_saving_over_a_broken_file_is_one_line_and_leaves_it(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    """The settings screen saves here; a file it cannot read is named, not rewritten."""
    from interview_sim.config_writer import ConfigWriteError, save_config

    config = tmp_path / "config.yaml"
    config.write_bytes(content)
    with pytest.raises(ConfigWriteError) as raised:
        save_config(config, {"follow_up_limit": 1})
    message = str(raised.value)
    assert "\n" not in message and message == f"cannot read {config}: {message.split(': ', 1)[1]}"
    assert expected in message
    assert config.read_bytes() == content


def test_a_config_file_with_control_bytes_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_bytes(b"db: a\x00b\n")
    assert main(["--config", str(config), "config", "show"]) == 2
    line = one_error_line(capsys)
    assert f"config file {config}: invalid YAML" in line and "#x0000" in line


@pytest.mark.parametrize(
    ("db", "shown"),
    [
        (
            "postgresql+psycopg://ana:s3cret@db.example/team",
            "postgresql+psycopg://ana:****@db.example/team",
        ),
        (
            "postgresql://ana:p@ss@db.example:5432/team",
            "postgresql://ana:****@db.example:5432/team",
        ),
        ("postgresql+psycopg://ana@db.example/team", "postgresql+psycopg://ana@db.example/team"),
        ("sessions.db", "sessions.db"),
    ],
)
def test_config_show_masks_the_database_password(
    db: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db, "config", "show"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["db"] == shown
    assert "s3cret" not in out and "p@ss" not in out


def test_a_path_at_home_in_the_config_file_means_the_home_folder(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``bank_dirs: [~/my-banks]`` is the README's own example; ``~`` is not a folder name."""
    (isolated_home / "my-banks").mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("db: ~/practice.db\nbank_dirs: [~/my-banks]\n", encoding="utf-8")
    settings = load_settings(config)
    assert settings.db == str(isolated_home / "practice.db")
    assert settings.bank_dirs == [isolated_home / "my-banks"]
    assert main(["--config", str(config), "sessions", "list"]) == 0
    assert (isolated_home / "practice.db").is_file()
    assert not (tmp_path / "~").exists()


def test_a_folder_named_in_the_environment_as_the_config_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", str(tmp_path))
    assert main(["config", "show"]) == 2
    assert one_error_line(capsys) == (
        f"interview-sim: config file {tmp_path} (from $INTERVIEW_SIM_CONFIG)"
        " is a folder, not a file"
    )


def test_a_tilde_in_the_config_variable_is_the_home_folder(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quoted ``"~/x.yaml"`` reaches the app unexpanded; it still names the home folder."""
    (isolated_home / "mine.yaml").write_text("candidate: tilde-test\n", encoding="utf-8")
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", "~/mine.yaml")
    assert main(["config", "show"]) == 0
    assert "tilde-test" in capsys.readouterr().out
