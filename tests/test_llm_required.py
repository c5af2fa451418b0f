"""``run --llm`` / ``resume --llm`` refuse an endpoint that cannot be used, before any session
exists; without ``--llm`` the run still falls back offline with a notice. Real ``openai``
client, real HTTP, against the scripted server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_sim.cli.main import main
from tests.llm_server import TEST_KEY, FakeLLMServer, closed_port_url, running_server
from tests.test_llm_cli import ANSWERS, point_at


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


def test_run_llm_refuses_an_unreachable_endpoint_in_one_line_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = closed_port_url()
    point_at(monkeypatch, url)
    db = tmp_path / "x.db"

    code = main(["--db", str(db), "run", "--stage", "ml_depth", "--llm"])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("interview-sim: --llm needs the LLM, but the LLM endpoint could not be")
    assert f"reached at {url}" in err
    assert "fix: start the server, or correct llm.base_url" in err
    assert "Traceback" not in err and TEST_KEY not in err
    assert not list(tmp_path.glob("x.db*"))  # no session, not even a database


def test_run_llm_refuses_a_rejected_key(
    tmp_path: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.require_key = "sk-another-key"
    point_at(monkeypatch, server.url)

    code = main(["--db", str(tmp_path / "k.db"), "run", "--stage", "ml_depth", "--llm"])

    err = capsys.readouterr().err
    assert code == 2
    assert "rejected the API key (HTTP 401)" in err and "OPENAI_API_KEY" in err
    assert [r.path for r in server.requests] == ["/v1/models"]  # one quick check, no retries
    assert TEST_KEY not in err


def test_resume_llm_checks_the_endpoint_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(monkeypatch, closed_port_url())

    code = main(["--db", str(tmp_path / "r.db"), "resume", "--llm"])

    err = capsys.readouterr().err
    assert code == 2
    assert "--llm needs the LLM, but the LLM endpoint could not be reached" in err
    assert "no unfinished session" not in err


def test_run_llm_with_a_working_endpoint_checks_once_then_runs(
    tmp_path: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_at(monkeypatch, server.url)
    args = ["--db", str(tmp_path / "w.db"), "run", "--stage", "ml_depth", "--count", "1"]

    code = main([*args, "--answers", str(ANSWERS), "--llm"])

    out = capsys.readouterr().out
    assert code == 0
    assert "(llm-judge)" in out and "notice:" not in out
    paths = [r.path for r in server.requests]
    assert paths[0] == "/v1/models" and paths.count("/v1/models") == 1


def test_without_llm_flag_an_unreachable_endpoint_still_falls_back_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    point_at(monkeypatch, closed_port_url())
    args = ["--db", str(tmp_path / "f.db"), "run", "--stage", "ml_depth", "--count", "1"]

    code = main([*args, "--answers", str(ANSWERS)])

    out = capsys.readouterr().out
    assert code == 0
    assert "notice: the LLM endpoint could not be reached; asking an offline follow-up" in out
    assert "graded by the offline scorer (offline-rubric) instead" in out
    assert "== session 1 complete" in out
