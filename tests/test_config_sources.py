"""A bad setting is blamed on the source it came from: the file and field, the environment
variable or the command-line option, never the file for a value the file does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim.cli.main import main
from tests.cli_errors import one_error_line

NUMBER = "Input should be a valid number, unable to parse string as a number"


@pytest.mark.parametrize(
    ("content", "variables", "flags", "expected"),
    [
        # The settings screen always writes an llm section: the variable is still at fault.
        (
            "llm: {model: gpt-4o-mini}\n",
            {"INTERVIEW_SIM_LLM__TIMEOUT": "abc"},
            [],
            f"environment variable INTERVIEW_SIM_LLM__TIMEOUT: llm.timeout: {NUMBER} (got 'abc')",
        ),
        (
            "db: x.db\n",
            {"INTERVIEW_SIM_LLM__TIMEOUT": "abc"},
            [],
            f"environment variable INTERVIEW_SIM_LLM__TIMEOUT: llm.timeout: {NUMBER} (got 'abc')",
        ),
        # A whole section given as JSON in one variable.
        (
            "llm: {model: gpt-4o-mini}\n",
            {"INTERVIEW_SIM_LLM": '{"timeout": "x"}'},
            [],
            f"environment variable INTERVIEW_SIM_LLM: llm.timeout: {NUMBER} (got 'x')",
        ),
        # The file's own bad value is the file's, even with an unrelated variable set.
        (
            "llm: {model: m, timeout: 0}\n",
            {"INTERVIEW_SIM_LLM__MODEL": "other"},
            [],
            "config file {path}: llm.timeout: Input should be greater than 0 (got 0)",
        ),
        # A variable overrides the file's value: the variable's value is the one refused.
        (
            "follow_up_limit: 3\n",
            {"INTERVIEW_SIM_FOLLOW_UP_LIMIT": "99"},
            [],
            "environment variable INTERVIEW_SIM_FOLLOW_UP_LIMIT: follow_up_limit:"
            " Input should be less than or equal to 10 (got '99')",
        ),
        (
            "candidate: ana\n",
            {},
            ["--candidate", ""],
            "command line option --candidate: candidate:"
            " String should have at least 1 character (got '')",
        ),
    ],
)
def test_a_bad_value_names_its_source(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str,
    variables: dict[str, str],
    flags: list[str],
    expected: str,
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(content, encoding="utf-8")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert main(["--config", str(config), *flags, "config", "show"]) == 2
    assert one_error_line(capsys) == "interview-sim: " + expected.format(path=config)
