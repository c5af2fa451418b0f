"""``--local-model`` problems that can be seen before a server starts are the one line the user
gets (exit 2): no "starting a local model server" progress line comes first, since nothing
starts. No model is loaded here; ``tests/llm_real`` starts real servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim.cli.main import main
from interview_sim.llm import local_server


def one_line_error(capsys: pytest.CaptureFixture[str], model: Path) -> str:
    code = main(["--local-model", str(model), "doctor"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert "starting a local model server" not in err
    assert "Traceback" not in err
    return err


def test_a_folder_is_named_as_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, tmp_path)
    assert f"model file {tmp_path} is a folder, not a file" in err
    assert "does not exist" not in err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, tmp_path / "nope.gguf")
    assert f"model file {tmp_path / 'nope.gguf'} does not exist" in err


def test_a_file_that_is_not_gguf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "notes.gguf"
    model.write_text("not a model")
    err = one_line_error(capsys, model)
    assert f"{model} is not a GGUF model file" in err


def test_without_xllamacpp_the_install_hint_is_the_only_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + bytes(64))
    monkeypatch.setattr(local_server, "xllamacpp_installed", lambda: False)
    err = one_line_error(capsys, model)
    assert "--local-model needs xllamacpp: pip install 'interview-sim[local]'" in err
