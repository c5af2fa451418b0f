"""``interview-sim --local-model PATH.gguf``: the flag starts a real server for the command.

``doctor`` is the cheapest command that proves the wiring: it reaches the server the flag
started, finds the model by the name the flag chose, and checks chat, json_schema and streaming.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim.cli.main import main
from tests.llm_real.smollm2 import REAL_LLM, smollm2_model

pytestmark = REAL_LLM


def test_doctor_passes_against_the_local_model(capsys: pytest.CaptureFixture[str]) -> None:
    model = smollm2_model()
    assert model is not None

    code = main(["--local-model", str(model), "doctor"])

    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"starting a local model server for {model.name}" in err
    assert "endpoint: http://127.0.0.1:" in out
    assert "api key: not set" in out
    assert f"model '{model.stem}' is available" in out
    assert "the LLM interviewer and judge can use this endpoint" in out


def test_a_broken_gguf_file_is_reported_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(64))

    code = main(["--local-model", str(broken), "doctor"])

    err = capsys.readouterr().err
    assert code == 2
    assert "the local model server stopped while starting" in err
    assert "bad GGUF version" in err
    assert "Traceback" not in err
