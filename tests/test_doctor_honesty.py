"""``doctor`` claims only what it saw: a server that ignores an unlisted model name does not
make that model "work", and checks that depend on the tiny chat call are skipped, not failed,
when that call fails. Real ``openai`` client against the scripted server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interview_sim.llm.checks import Status
from interview_sim.llm.doctor import run_checks
from tests.llm_server import FakeLLMServer, Reply, llm_settings, running_server
from tests.test_llm_cli import doctor, point_at


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


def test_an_unlisted_model_answered_anyway_is_a_warning_not_a_success(
    server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(monkeypatch, server.url, model="gpt-4o-mini")  # the server serves only test-model

    code, out = doctor(capsys)

    assert code == 1
    assert "fail  model: model 'gpt-4o-mini' is not served" in out
    for name in ("chat", "json_schema", "streaming"):
        assert f"warn  {name}: " in out
    assert out.count("the server answered while ignoring the model name 'gpt-4o-mini'") == 3
    assert "work with 'gpt-4o-mini'" not in out
    assert "from 'gpt-4o-mini'" not in out
    assert "a tiny chat call worked" not in out
    assert "can use this endpoint" not in out


def test_a_listed_judge_model_still_passes_beside_an_unlisted_interviewer(
    server: FakeLLMServer,
) -> None:
    settings = llm_settings(server.url, interviewer_model="llama-unlisted")

    checks = {c.name: c for c in run_checks(settings) if c.name != "model"}

    assert checks["chat"].status == Status.OK
    assert checks["json_schema"].status == Status.OK
    assert "work with 'test-model'" in checks["json_schema"].message
    assert checks["streaming"].status == Status.WARN
    assert "ignoring the model name 'llama-unlisted'" in checks["streaming"].message


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(status=500), "the LLM endpoint returned an error (HTTP 500)"),
        (Reply(delay=2.0), "the LLM endpoint timed out"),
    ],
    ids=["http-500", "timeout"],
)
def test_a_failed_chat_call_skips_the_checks_that_depend_on_it(
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    reply: Reply,
    reason: str,
) -> None:
    point_at(monkeypatch, server.url)
    monkeypatch.setenv("INTERVIEW_SIM_LLM__TIMEOUT", "0.5")
    server.script(reply)

    code, out = doctor(capsys)

    assert code == 1
    assert f"fail  chat: a tiny chat call failed: {reason}" in out
    for name in ("json_schema", "streaming"):
        assert f"warn  {name}: skipped because a tiny chat call failed: {reason}" in out
    assert "do not work" not in out
    assert "grading still works through JSON mode" not in out
    assert "streaming failed" not in out
    assert len(server.chat_requests) == 1  # nothing tried after the failed call
