"""``run --llm`` end to end and ``doctor``, through the CLI against the scripted server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from tests.llm_server import (
    DEFAULT_FOLLOW_UP,
    TEST_KEY,
    FakeLLMServer,
    Reply,
    closed_port_url,
    running_server,
)

ANSWERS = Path(__file__).resolve().parent / "fixtures" / "loop_answers.yaml"


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


def point_at(monkeypatch: pytest.MonkeyPatch, url: str, model: str = "test-model") -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("INTERVIEW_SIM_LLM__MODEL", model)
    monkeypatch.setenv("INTERVIEW_SIM_LLM__TIMEOUT", "2")
    monkeypatch.setenv("INTERVIEW_SIM_LLM__MAX_RETRIES", "0")


def test_loop_with_llm_end_to_end_and_the_key_is_never_stored(
    tmp_path: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    point_at(monkeypatch, server.url)
    db = tmp_path / "loop.db"
    code = main(["--db", str(db), "run", "--loop", "--answers", str(ANSWERS), "--llm"])
    run_out = capsys.readouterr()
    assert code == 0, run_out.err
    assert f"follow-up: {DEFAULT_FOLLOW_UP}" in run_out.out
    assert "(llm-judge)" in run_out.out
    assert "complete" in run_out.out
    assert "LLM tokens this session:" in run_out.out
    assert server.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"

    assert main(["--db", str(db), "sessions", "show", "1", "--json"]) == 0
    assert main(["--db", str(db), "config", "show"]) == 0
    shown = capsys.readouterr()
    assert '"model": "test-model"' in shown.out
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("loop.db*"))
    for place in (
        stored.decode("utf-8", "replace"),
        run_out.out,
        run_out.err,
        shown.out,
        caplog.text,
    ):
        assert TEST_KEY not in place


def test_offline_flag_never_calls_the_endpoint(
    tmp_path: Path, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    point_at(monkeypatch, server.url)
    args = ["--db", str(tmp_path / "o.db"), "run", "--stage", "ml_depth", "--count", "1"]
    assert main([*args, "--offline", "--answers", str(ANSWERS)]) == 0
    assert server.requests == []


def test_llm_flag_without_an_endpoint_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(tmp_path / "x.db"), "run", "--stage", "ml_depth", "--llm"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no LLM endpoint is configured" in err
    assert "Traceback" not in err


def doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["doctor"])
    return code, capsys.readouterr().out


def test_doctor_on_a_working_endpoint(
    server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(monkeypatch, server.url)
    code, out = doctor(capsys)
    assert code == 0, out
    for line in (
        "ok    endpoint: reached",
        "ok    model: model 'test-model' is available",
        "ok    chat: a tiny chat call worked",
        "ok    json_schema: structured outputs (json_schema) work",
        "ok    streaming: streaming works",
    ):
        assert line in out
    assert "api key: set (****)" in out
    assert TEST_KEY not in out


def test_doctor_warns_without_json_schema(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_server(json_schema=False) as server:
        point_at(monkeypatch, server.url)
        code, out = doctor(capsys)
    assert code == 0
    assert "warn  json_schema: structured outputs (json_schema) do not work" in out
    assert "fix: grading still works through JSON mode" in out


def test_doctor_reports_a_broken_stream(
    server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(monkeypatch, server.url)
    server.script(Reply(), Reply(), Reply(cut_after=1))
    code, out = doctor(capsys)
    assert code == 1
    assert "fail  streaming:" in out
    assert "fix:" in out


@pytest.mark.parametrize(
    ("problem", "expected", "fix"),
    [
        ("refused", "fail  endpoint: the LLM endpoint could not be reached", "start the server"),
        ("wrong key", "rejected the API key", "OPENAI_API_KEY"),
        ("unknown model", "model 'gpt-unknown' is not served", "ollama pull gpt-unknown"),
    ],
)
def test_doctor_explains_each_problem_with_a_fix(
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    problem: str,
    expected: str,
    fix: str,
) -> None:
    if problem == "refused":
        point_at(monkeypatch, closed_port_url())
    elif problem == "wrong key":
        server.require_key = "sk-another-key"
        point_at(monkeypatch, server.url)
    else:
        point_at(monkeypatch, server.url, model="gpt-unknown")
    code, out = doctor(capsys)
    assert code == 1
    assert expected in out
    assert fix in out
    assert TEST_KEY not in out


def test_doctor_without_configuration_says_offline(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = doctor(capsys)
    assert code == 0
    assert "no LLM endpoint is configured, so interview-sim runs offline" in out
    assert "offline: the banked follow-ups and the offline scorer are used" in out
    assert "can use this endpoint" not in out
