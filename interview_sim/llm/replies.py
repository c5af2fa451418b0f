"""Read what OpenAI-compatible servers really send back, before anyone trusts it.

Servers differ from OpenAI in small ways that must not cost a grade: an empty ``choices`` list,
``content: null`` with the answer in ``tool_calls`` (or only ``reasoning_content``), JSON inside
Markdown fences or between sentences, and reasoning models' ``<think>…</think>`` blocks. Each
function here either returns the part the app can use or raises :class:`LLMFault` saying
precisely what was wrong, so a fallback's reason names the server's quirk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessage

from interview_sim.llm.client import LLMFault

REASONING_FIELDS = ("reasoning_content", "reasoning")
"""Where servers (vLLM, llama.cpp, Ollama, OpenRouter) put a reasoning model's thinking."""

_THINK_OPEN = re.compile(r"<(think|thinking|reasoning)>", re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</(think|thinking|reasoning)>", re.IGNORECASE)
ESCAPE = re.compile(
    r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)


class ReasoningCutOff(LLMFault):
    """The reply hit its token limit while the model was still reasoning: a reasoning model
    that needs more room (``Compat.make_room_to_reason``), not a broken endpoint."""


def only_reasoning(message: ChatCompletionMessage) -> bool:
    """Whether the message holds reasoning and nothing after it."""
    content = text_of(message.content)
    extra = message.model_extra or {}
    reasoned = bool(_THINK_OPEN.search(content)) or any(
        isinstance(extra.get(f), str) and extra[f].strip() for f in REASONING_FIELDS
    )
    return reasoned and not without_reasoning(content).strip()


def first_message(completion: object) -> ChatCompletionMessage:
    """The first choice's message; ``LLMFault`` when there is none, and the client's own
    errors for a reply cut off at the token limit or blocked by a content filter."""
    if not isinstance(completion, ChatCompletion):
        raise LLMFault("the LLM endpoint's reply was not a chat completion")
    if error := (completion.model_extra or {}).get("error"):  # proxies that say 200 anyway
        raise LLMFault(f"the LLM endpoint answered with an error: {error_message(error)}")
    if not completion.choices:
        raise LLMFault("the LLM endpoint returned a reply with no choices in it")
    choice = completion.choices[0]
    if not isinstance(choice.message, ChatCompletionMessage):
        raise LLMFault("the LLM endpoint returned a choice with no message in it")
    if choice.finish_reason == "length" and only_reasoning(choice.message):
        raise ReasoningCutOff("the LLM spent its token limit reasoning before it answered")
    if choice.finish_reason == "length":
        raise openai.LengthFinishReasonError(completion=completion)
    if choice.finish_reason == "content_filter":
        raise openai.ContentFilterFinishReasonError()
    return choice.message


def answer_text(message: ChatCompletionMessage) -> str:
    """The message's answer: its content, else the arguments of its one tool call (servers that
    implement structured output through tools put the JSON there).

    A message with only reasoning in it is no answer: the model ran out of room or never
    finished thinking, and its reasoning is a draft, not a reply.
    """
    content = text_of(message.content)
    if content.strip():
        return content
    calls = message.tool_calls or []
    for call in calls:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, dict):  # some servers send the object itself
            return json.dumps(arguments)
        if isinstance(arguments, str) and arguments.strip():
            return arguments
    extra = message.model_extra or {}
    if any(isinstance(extra.get(f), str) and extra[f].strip() for f in REASONING_FIELDS):
        raise LLMFault("the LLM reply held only the model's reasoning and no answer")
    if calls:
        raise LLMFault("the LLM replied with a tool call that carried no answer")
    raise LLMFault("the LLM reply was empty")


def printable(text: str) -> str:
    """``text`` without terminal escape codes, HTML tags and control characters (newlines and
    tabs stay): model text is printed by the CLI and shown in reports, and must not drive the
    terminal or carry markup for some other screen."""
    return _CONTROL.sub("", _TAG.sub("", ESCAPE.sub("", text)))


def text_of(content: object) -> str:
    """Message or delta content as text: a string, or a list of content parts (``{"type":
    "text", "text": ...}``) as some servers send even for plain replies."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            p.get("text") if isinstance(p, dict) else getattr(p, "text", None) for p in content
        ]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


_LONG_TOKEN = re.compile(r"[A-Za-z0-9_\-*.]{20,}")


def error_message(error: object) -> str:
    """A server's own error message, short, with anything that could be a key left out."""
    message = error.get("message") if isinstance(error, dict) else error
    text = " ".join(str(message).split())
    return _LONG_TOKEN.sub("[…]", printable(text))[:160] or "no message"


def without_reasoning(text: str) -> str:
    """``text`` without ``<think>…</think>`` blocks (also ``thinking`` and ``reasoning``).

    A block that never closes runs to the end: it is all thinking. A closing tag with no opening
    one (chat templates that open the block in the prompt) ends thinking that began the text.
    """
    out: list[str] = []
    rest = text
    first_close = _THINK_CLOSE.search(rest)
    first_open = _THINK_OPEN.search(rest)
    if first_close and (first_open is None or first_close.start() < first_open.start()):
        rest = rest[first_close.end() :]
    while opening := _THINK_OPEN.search(rest):
        out.append(rest[: opening.start()])
        closing = _THINK_CLOSE.search(rest, opening.end())
        if closing is None:
            rest = ""
            break
        rest = rest[closing.end() :]
    out.append(rest)
    return "".join(out)


def json_objects(text: str) -> list[dict[str, Any]]:
    """Every JSON object in a reply, outermost ones only, in order: the whole reply when it is
    one object, else objects inside ``` fences, else objects found between sentences."""
    body = without_reasoning(text).strip()
    try:
        whole = json.loads(body)
    except ValueError:
        pass
    else:
        return [whole] if isinstance(whole, dict) else []
    fenced = [o for block in _FENCE.findall(body) for o in _scan(block)]
    return fenced or _scan(body)


def _scan(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    index = text.find("{")
    while index != -1:
        try:
            value, end = decoder.raw_decode(text, index)
        except ValueError:
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        index = text.find("{", end)
    return found


def stream_chunks(stream: openai.Stream[ChatCompletionChunk]) -> Iterator[ChatCompletionChunk]:
    """The chunks of a streamed reply; a server that ignores ``stream=true`` and answers with
    one JSON completion (some proxies do) gives it as a single chunk, so its reply is used."""
    kind = stream.response.headers.get("content-type", "")
    if "json" not in kind.casefold():
        yield from stream
        return
    try:
        data = json.loads(stream.response.read())
        completion = ChatCompletion.model_validate(data)
    except ValueError as exc:  # includes pydantic's ValidationError
        raise LLMFault(
            "the LLM endpoint answered a streaming request with JSON that is not a completion"
        ) from exc
    message = first_message(completion)
    delta: dict[str, Any] = {
        "content": text_of(message.content),
        "refusal": message.refusal,
        **{f: v for f, v in (message.model_extra or {}).items() if f in REASONING_FIELDS},
    }
    chunk = {
        "id": completion.id,
        "object": "chat.completion.chunk",
        "created": completion.created,
        "model": completion.model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop"}],
        "usage": completion.usage.model_dump() if completion.usage else None,
    }
    yield ChatCompletionChunk.model_validate(chunk)
