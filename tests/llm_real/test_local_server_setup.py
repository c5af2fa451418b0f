"""``--local-model`` errors and settings that need no model server, so they run everywhere.

Unlike the rest of this folder these are not marked ``real_llm``: they check what a user sees
when xllamacpp is missing or the path is wrong, and how the settings are pointed at a server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from interview_sim.cli.main import main
from interview_sim.config import LLMSettings, Settings
from interview_sim.llm.local_server import LOCAL_TIMEOUT, LocalServer, with_local_server

SERVER = LocalServer(base_url="http://127.0.0.1:9/v1", model="tiny")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_missing_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["--local-model", str(tmp_path / "none.gguf"), "doctor"], capsys)

    assert code == 2
    assert "none.gguf does not exist" in err


def test_an_unreadable_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "model.gguf"
    folder.mkdir()
    (folder / "inside").write_text("a folder named like a model")

    code, err = run(["--local-model", str(folder), "doctor"], capsys)

    assert code == 2
    assert "Traceback" not in err and "model.gguf" in err


def test_a_file_that_is_not_gguf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.gguf"
    text.write_text("not a model")

    code, err = run(["--local-model", str(text), "doctor"], capsys)

    assert code == 2
    assert "is not a GGUF model file" in err


def test_without_xllamacpp_the_user_is_told_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    monkeypatch.setitem(sys.modules, "xllamacpp", None)  # how Python marks a module absent

    code, err = run(["--local-model", str(model), "doctor"], capsys)

    assert code == 2
    assert "pip install 'interview-sim[local]'" in err


def test_settings_point_both_roles_at_the_server_without_the_api_key() -> None:
    llm = LLMSettings(
        base_url="https://api.openai.com/v1",
        api_key=SecretStr("sk-secret"),
        interviewer_model="gpt-4o",
        judge_model="o3",
    )

    pointed = with_local_server(Settings(llm=llm), SERVER).llm

    assert pointed.base_url == SERVER.base_url
    assert pointed.api_key is None
    assert (pointed.model, pointed.interviewer_model, pointed.judge_model) == ("tiny", None, None)
    assert (pointed.timeout, pointed.max_retries) == (LOCAL_TIMEOUT, 0)


def test_a_timeout_and_retries_the_user_chose_are_kept() -> None:
    llm = LLMSettings(timeout=12.5, max_retries=3)

    pointed = with_local_server(Settings(llm=llm), SERVER).llm

    assert (pointed.timeout, pointed.max_retries) == (12.5, 3)
