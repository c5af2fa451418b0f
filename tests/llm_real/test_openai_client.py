"""The real ``openai`` client against a real llama.cpp server running SmolLM2-135M.

These pin down what the app relies on from a real OpenAI-compatible server, which the scripted
server in ``tests/llm_server.py`` can only imitate: the model list, token-by-token streaming
with usage at the end, json_schema structured output, and ``finish_reason="length"``.
The model is tiny, so nothing here judges the quality of what it writes.
"""

from __future__ import annotations

from typing import Literal

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, Field

from interview_sim.llm.judge import Verdict
from interview_sim.llm.local_server import LocalServer
from tests.llm_real.smollm2 import REAL_LLM

pytestmark = REAL_LLM

ASK: list[ChatCompletionMessageParam] = [
    {"role": "user", "content": "Ask me one interview question about gradient descent."}
]


class Opinion(BaseModel):
    """Small enough that constrained decoding finishes well inside ``max_tokens``.

    Greedy decoding (temperature 0) keeps the JSON compact: at the server's default
    temperature SmolLM2 sometimes fills the object with blank lines until the token limit.
    """

    agrees: Literal["yes", "no"]
    confidence: int = Field(ge=0, le=4)


def test_models_lists_the_served_model(client: openai.OpenAI, real_server: LocalServer) -> None:
    assert [m.id for m in client.models.list().data] == [real_server.model]


def test_stream_yields_tokens_then_usage(client: openai.OpenAI, real_server: LocalServer) -> None:
    stream = client.chat.completions.create(
        model=real_server.model,
        messages=ASK,
        max_tokens=12,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    pieces: list[str] = []
    finish: str | None = None
    usage = None
    with stream:
        for chunk in stream:
            usage = chunk.usage or usage
            for choice in chunk.choices:
                pieces.extend([choice.delta.content] if choice.delta.content else [])
                finish = choice.finish_reason or finish

    assert len(pieces) >= 2
    assert finish in {"stop", "length"}
    assert usage is not None
    assert usage.prompt_tokens > 0
    assert 0 < usage.completion_tokens <= 12


def test_reply_cut_at_max_tokens_says_length(
    client: openai.OpenAI, real_server: LocalServer
) -> None:
    story: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "Tell me a long story about a dragon."}
    ]
    completion = client.chat.completions.create(
        model=real_server.model, messages=story, max_tokens=4, temperature=0
    )

    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 4


def test_json_schema_output_parses(client: openai.OpenAI, real_server: LocalServer) -> None:
    question: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "Is Adam an adaptive optimiser? Say how sure you are, 0-4."}
    ]
    completion = client.chat.completions.parse(
        model=real_server.model,
        messages=question,
        response_format=Opinion,
        max_tokens=60,
        temperature=0,
    )

    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert isinstance(choice.message.parsed, Opinion)
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_judge_schema_cut_short_raises_length_error(
    client: openai.OpenAI, real_server: LocalServer
) -> None:
    """The judge's real schema: a reply cut at the token limit is an error ``parse`` raises.

    The smallest valid Verdict is about 15 tokens, so 8 cannot finish it. This is what the
    judge meets on a full grading prompt too: SmolLM2 does not finish within 900 tokens.
    """
    grade: list[ChatCompletionMessageParam] = [
        {"role": "user", "content": "Grade this answer: 'Adam adapts the step size.'"}
    ]
    with pytest.raises(openai.LengthFinishReasonError):
        client.chat.completions.parse(
            model=real_server.model,
            messages=grade,
            response_format=Verdict,
            max_tokens=8,
            temperature=0,
        )
