"""A misspelt key anywhere in the config file is refused, every problem of a file is named in
its one line, and an ``INTERVIEW_SIM_*`` variable that names no setting is ignored (and named by
``config show``) instead of stopping every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import interview_sim
from interview_sim.cli.main import main
from interview_sim.config import OTHER_VARIABLES, SHOWN_PROBLEMS, load_settings, names_a_setting
from tests.cli_errors import one_error_line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("dbb: x.db\n", "dbb: not a setting (did you mean 'db'?)"),
        ("llm:\n  timeot: 5\n", "llm.timeot: not a setting (did you mean 'timeout'?)"),
        ("ui:\n  scorecards: stage\n", "ui.scorecards: not a setting (did you mean 'scorecard'?)"),
        ("llm: {model: m, zzz: 1}\n", "llm.zzz: not a setting"),
        ("minutes_per_stage: {codng: 3}\n", "minutes_per_stage.codng: Input should be 'coding'"),
    ],
)
def test_an_unknown_key_anywhere_in_the_file_is_refused(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(content, encoding="utf-8")
    assert main(["--config", str(config), "config", "show"]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"interview-sim: config file {config}: {expected}"), line
    assert "more problem" not in line


def test_every_problem_of_a_file_is_named_in_its_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("ui:\n  scorecard: x\nfollow_up_limit: -3\n", encoding="utf-8")
    assert main(["--config", str(config), "config", "show"]) == 2
    assert one_error_line(capsys) == (
        f"interview-sim: config file {config}: ui.scorecard: Input should be 'question' or"
        " 'stage' (got 'x'); follow_up_limit: Input should be greater than or equal to 0 (got -3)"
    )


def test_past_three_problems_the_line_says_how_many_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Named in the file's order, top to bottom; the rest are counted, and fixing the named
    ones brings them into the next run's line."""
    config = tmp_path / "config.yaml"
    config.write_text(
        "dbb: x\nllm:\n  timeot: 5\n  model: 3\nui: {scorecard: x}\nfollow_up_limit: -3\n",
        encoding="utf-8",
    )
    assert main(["--config", str(config), "config", "show"]) == 2
    line = one_error_line(capsys)
    assert SHOWN_PROBLEMS == 3
    assert line == (
        f"interview-sim: config file {config}: dbb: not a setting (did you mean 'db'?);"
        " llm.timeot: not a setting (did you mean 'timeout'?); llm.model: Input should be a"
        " valid string (got 3); and 2 more problem(s), named when these are fixed"
    )
    config.write_text("ui: {scorecard: x}\nfollow_up_limit: -3\n", encoding="utf-8")
    assert main(["--config", str(config), "config", "show"]) == 2
    line = one_error_line(capsys)
    assert "ui.scorecard" in line and "follow_up_limit" in line and "more" not in line


def test_each_problem_is_named_under_its_own_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("llm:\n  timeot: 5\n", encoding="utf-8")
    monkeypatch.setenv("INTERVIEW_SIM_FOLLOW_UP_LIMIT", "-1")
    assert main(["--config", str(config), "config", "show"]) == 2
    assert one_error_line(capsys) == (
        f"interview-sim: config file {config}: llm.timeot: not a setting (did you mean"
        " 'timeout'?); environment variable INTERVIEW_SIM_FOLLOW_UP_LIMIT: follow_up_limit:"
        " Input should be greater than or equal to 0 (got '-1')"
    )


def test_a_misspelt_key_in_a_section_given_as_json_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The variable's name is a setting; its value is the user's text, judged like the file."""
    monkeypatch.setenv("INTERVIEW_SIM_LLM", '{"timeot": 5}')
    assert main(["config", "show"]) == 2
    assert one_error_line(capsys) == (
        "interview-sim: environment variable INTERVIEW_SIM_LLM: llm.timeot: not a setting"
        " (did you mean 'timeout'?)"
    )


def test_a_variable_that_names_no_setting_is_ignored_and_named_by_config_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The environment is shared with every program: a stray variable stops nothing, but the
    command that shows what is in effect says it was ignored, and what was probably meant."""
    monkeypatch.setenv("INTERVIEW_SIM_LLM__TIMEOT", "5")
    monkeypatch.setenv("INTERVIEW_SIM_UI__NOPE", "x")
    monkeypatch.setenv("INTERVIEW_SIM_SOMETHING_ELSE", "1")
    monkeypatch.setenv("INTERVIEW_SIM_ISOLATION", "fallback-in-process")
    monkeypatch.setenv("INTERVIEW_SIM_CONFIG", str(tmp_path / "config.yaml"))
    monkeypatch.setenv("INTERVIEW_SIM_LLM__MODEL", "named-model")
    (tmp_path / "config.yaml").write_text("follow_up_limit: 1\n", encoding="utf-8")

    assert main(["sessions", "list"]) == 0
    assert capsys.readouterr().err == ""
    settings = load_settings()
    assert settings.llm.timeout == 30.0 and settings.llm.model == "named-model"

    assert main(["config", "show"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["follow_up_limit"] == 1
    assert err.splitlines() == [
        "interview-sim: environment variable INTERVIEW_SIM_LLM__TIMEOT is not a setting,"
        " so it is ignored (did you mean INTERVIEW_SIM_LLM__TIMEOUT?)",
        "interview-sim: environment variable INTERVIEW_SIM_SOMETHING_ELSE is not a setting,"
        " so it is ignored",
        "interview-sim: environment variable INTERVIEW_SIM_UI__NOPE is not a setting,"
        " so it is ignored",
    ]


def test_every_variable_the_package_reads_is_a_setting_or_listed() -> None:
    """A new ``INTERVIEW_SIM_*`` variable read outside the settings must join
    ``OTHER_VARIABLES``, or ``config show`` would call it ignored."""
    root = Path(interview_sim.__file__).parent
    named = {
        name
        for source in root.rglob("*.py")
        for name in re.findall(r"INTERVIEW_SIM_[A-Z0-9_]*[A-Z0-9]", source.read_text("utf-8"))
    }
    assert named >= OTHER_VARIABLES
    assert {n for n in named if not names_a_setting(n)} <= OTHER_VARIABLES
