"""Check an OpenAI-compatible endpoint the way the interviewer and judge will use it.

Each check gives a verdict, one plain sentence, and for every problem a fix the user can apply.
The CLI prints them; nothing here prints, so the TUI settings screen can show the same report.
"""

from __future__ import annotations

import json
from typing import cast

import openai
from openai.lib._parsing import type_to_response_format_param
from openai.types.chat import ChatCompletionChunk
from pydantic import BaseModel

from interview_sim.config import LLMSettings
from interview_sim.llm.checks import Check, Status
from interview_sim.llm.client import (
    FAULTS,
    Compat,
    NotAnAPIReply,
    explain,
    make_client,
    usage_of,
)
from interview_sim.llm.replies import (
    answer_text,
    first_message,
    json_objects,
    stream_chunks,
    text_of,
)


class _Ping(BaseModel):
    ok: bool


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _fix_for(exc: BaseException, settings: LLMSettings) -> str:
    match exc:
        case NotAnAPIReply():
            return (
                f"set llm.base_url to the API root, usually ending in /v1 (now"
                f" {settings.base_url or 'OpenAI'}); on a guest network, sign in to it first"
            )
        case openai.APITimeoutError():
            return (
                f"check the server is running and not overloaded, or raise llm.timeout"
                f" (now {settings.timeout:g}s)"
            )
        case openai.APIConnectionError():
            return (
                f"start the server, or correct llm.base_url (now {settings.base_url or 'OpenAI'});"
                " local servers usually end in /v1, e.g. http://127.0.0.1:11434/v1 for Ollama"
            )
        case openai.AuthenticationError() | openai.PermissionDeniedError():
            return "set a valid key in OPENAI_API_KEY (or llm.api_key in the config file)"
        case openai.NotFoundError():
            return "llm.base_url should point at the API root, usually ending in /v1"
        case openai.RateLimitError():
            return "wait and retry, or check the account's quota and rate limits"
        case openai.APIStatusError():
            return "look at the server's log; the endpoint failed while handling the request"
    return "look at the server's log, or try another model with llm.model"


DEPENDENT = ("json_schema", "streaming")
"""Checks that only mean something once the tiny chat call works."""


def run_checks(settings: LLMSettings) -> list[Check]:
    """All checks in order; later checks are skipped when the endpoint cannot be reached, and
    the json_schema and streaming checks when the tiny chat call fails (they would only repeat
    its failure, and a "does not work" verdict would blame a feature for an outage)."""
    if not settings.configured:
        return [
            Check(
                "endpoint",
                Status.WARN,
                "no LLM endpoint is configured, so interview-sim runs offline",
                "set llm.base_url (or OPENAI_BASE_URL) and, for hosted APIs, OPENAI_API_KEY",
            )
        ]
    client = _client(settings)
    reached, served = _endpoint(client, settings)
    if served is None:
        return [reached]
    checks = [reached]
    wanted = dict.fromkeys(
        [
            settings.model,
            settings.interviewer_model or settings.model,
            settings.judge_model or settings.model,
        ]
    )
    unlisted = {model for model in wanted if served and model not in served}
    for model in wanted:
        if model in unlisted:
            shown = ", ".join(served[:8]) + (" …" if len(served) > 8 else "")
            checks.append(
                Check(
                    "model",
                    Status.FAIL,
                    f"model '{model}' is not served by this endpoint (it offers: {shown})",
                    "set llm.model (or llm.interviewer_model / llm.judge_model) to one of these,"
                    f" or load it on the server (for Ollama: ollama pull {model})",
                )
            )
        elif reached.status == Status.WARN:  # no model list to look in
            checks.append(
                Check(
                    "model",
                    Status.WARN,
                    f"model '{model}' could not be checked: the endpoint does not list its models",
                    "nothing to do if the chat check below passes; it calls the model",
                )
            )
        else:
            checks.append(Check("model", Status.OK, f"model '{model}' is available"))
    compat = Compat()
    chat = _tiny_call(client, settings, unlisted, compat)
    checks.append(chat)
    if chat.status == Status.FAIL:
        why = f"skipped because {chat.message}"
        fix = "make the chat check pass first; this check runs once a chat call works"
        return [*checks, *(Check(name, Status.WARN, why, fix) for name in DEPENDENT)]
    checks.append(_structured(client, settings, unlisted, compat))
    checks.append(_streaming(client, settings, unlisted, compat))
    return checks


def endpoint_failure(settings: LLMSettings) -> Check | None:
    """Doctor's first check alone, for ``run --llm``: one request, no retries, and the failing
    check (what failed, how to fix it) when the endpoint cannot be used at all. An endpoint
    without a model list (some gateways) gets the tiny chat call as well, since only that says
    whether it can be used."""
    client = _client(settings)
    reached, served = _endpoint(client, settings)
    if served is None:
        return reached
    if reached.status == Status.WARN:
        chat = _tiny_call(client, settings, set(), Compat())
        return chat if chat.status == Status.FAIL else None
    return None


def _client(settings: LLMSettings) -> openai.OpenAI:
    return make_client(settings).with_options(max_retries=0)  # report, don't retry


def _endpoint(client: openai.OpenAI, settings: LLMSettings) -> tuple[Check, list[str] | None]:
    """The endpoint check and the models it lists, or None for them when it failed."""
    where = settings.base_url or "the OpenAI API"
    try:
        served = sorted(m.id for m in client.models.list())
    except (openai.NotFoundError, openai.PermissionDeniedError) as exc:
        status = exc.status_code
        unlisted = Check(
            "endpoint",
            Status.WARN,
            f"reached {where}, but it does not list its models (HTTP {status} for /models),"
            " so model names cannot be checked",
            "nothing to do if the chat check passes (some gateways serve no model list); if it"
            " fails with HTTP 404 too, llm.base_url should be the API root, usually ending in /v1",
        )
        return unlisted, []
    except FAULTS as exc:
        fail = Check("endpoint", Status.FAIL, f"{explain(exc)} at {where}", _fix_for(exc, settings))
        return fail, None
    ok = Check("endpoint", Status.OK, f"reached {where}; it serves {len(served)} model(s)")
    return ok, served


def _ignored_name(name: str, model: str, worked: str) -> Check:
    """A call naming a model the server does not list was answered anyway: the server ignored
    the name (llama.cpp serves its one model whatever the request says), so the result says
    nothing about the named model and must not be reported as its success."""
    return Check(
        name,
        Status.WARN,
        f"{worked}, but the server answered while ignoring the model name '{model}'"
        " (it does not list it), so this says nothing about that model",
        "set llm.model (or llm.interviewer_model / llm.judge_model) to a model the server lists",
    )


def _adapted(compat: Compat) -> str:
    """What the app leaves out for this endpoint, as a note for the chat check."""
    notes = []
    if "max_tokens" in compat.refused:
        notes.append("it wants max_completion_tokens instead of max_tokens")
    if "temperature" in compat.refused:
        notes.append("it accepts only its default temperature")
    if "stream_options" in compat.refused:
        notes.append("it does not report streamed token usage (stream_options)")
    return f" ({'; '.join(notes)}; interview-sim adapts)" if notes else ""


def _tiny_call(
    client: openai.OpenAI, settings: LLMSettings, unlisted: set[str], compat: Compat
) -> Check:
    try:
        reply = compat.call(
            client.chat.completions.create,
            model=settings.model,
            messages=[{"role": "user", "content": "Reply with the single word OK."}],
            max_tokens=8,
        )
    except FAULTS as exc:
        return Check(
            "chat",
            Status.FAIL,
            f"a tiny chat call failed: {explain(exc)}",
            _fix_for(exc, settings),
        )
    if not reply.choices:
        return Check(
            "chat",
            Status.FAIL,
            "a tiny chat call got a reply with no choices in it",
            "look at the server's log; the model may have failed to load or to generate",
        )
    counted = usage_of(reply.usage)
    used = counted.prompt_tokens + counted.completion_tokens
    note = f"; {used} tokens" if reply.usage else "; the server reports no token usage"
    if settings.model in unlisted:
        return _ignored_name("chat", settings.model, "a tiny chat call got a reply")
    return Check("chat", Status.OK, f"a tiny chat call worked{note}{_adapted(compat)}")


def _structured(
    client: openai.OpenAI, settings: LLMSettings, unlisted: set[str], compat: Compat
) -> Check:
    model = settings.judge_model or settings.model
    try:
        reply = compat.call(
            client.chat.completions.create,
            model=model,
            messages=[{"role": "user", "content": 'Reply with the JSON object {"ok": true}.'}],
            response_format=type_to_response_format_param(_Ping),
            max_tokens=20,
        )
        text = answer_text(first_message(reply))
        found = [o for o in json_objects(text) if "ok" in o]
        if not found:
            raise ValueError("no structured reply")
        _Ping.model_validate(found[0])
    except openai.LengthFinishReasonError:
        return Check(
            "json_schema",
            Status.WARN,
            "structured output (json_schema) was cut off at the token limit",
            "use a larger or instruction-tuned model for llm.judge_model; grading falls back"
            " to JSON mode, then to the offline scorer",
        )
    except FAULTS as exc:
        return Check(
            "json_schema",
            Status.WARN,
            f"structured outputs (json_schema) do not work: {explain(exc)}",
            "grading still works through JSON mode with validation; for the most reliable"
            " grades use a server that supports json_schema (OpenAI, vLLM, Ollama, llama.cpp)",
        )
    if model in unlisted:
        return _ignored_name("json_schema", model, "structured outputs (json_schema) came back")
    if not _is_json(text):
        return Check(
            "json_schema",
            Status.WARN,
            "json_schema is accepted but not enforced: the JSON came with other text around it"
            " (fences, prose or reasoning)",
            "nothing to do: grading reads the JSON out of such replies; for the most reliable"
            " grades use a server that enforces json_schema (OpenAI, vLLM, Ollama, llama.cpp)",
        )
    return Check("json_schema", Status.OK, f"structured outputs (json_schema) work with '{model}'")


def _streaming(
    client: openai.OpenAI, settings: LLMSettings, unlisted: set[str], compat: Compat
) -> Check:
    model = settings.interviewer_model or settings.model
    pieces = 0
    finish: str | None = None
    try:
        created: object = compat.call(
            client.chat.completions.create,
            model=model,
            messages=[{"role": "user", "content": "Count from 1 to 5."}],
            max_tokens=24,
            stream=True,
        )
        stream = cast(openai.Stream[ChatCompletionChunk], created)  # stream=True
        whole = "json" in stream.response.headers.get("content-type", "")
        with stream:
            for chunk in stream_chunks(stream):
                for choice in chunk.choices or []:
                    pieces += bool(choice.delta and text_of(choice.delta.content))
                    finish = choice.finish_reason or finish
    except FAULTS as exc:
        return Check(
            "streaming",
            Status.FAIL,
            f"streaming failed: {explain(exc)}; follow-ups will use the banked questions",
            _fix_for(exc, settings),
        )
    if pieces == 0 or finish is None:
        return Check(
            "streaming",
            Status.FAIL,
            "the stream ended without text or without finishing",
            "check the server supports stream=true for chat completions (a proxy may buffer it)",
        )
    if model in unlisted:
        return _ignored_name("streaming", model, f"a stream came back ({pieces} pieces)")
    if whole:
        return Check(
            "streaming",
            Status.WARN,
            "the server answered a streaming request with one whole reply, so follow-ups"
            " appear all at once instead of word by word",
            "check the server (or a proxy in front of it) supports stream=true",
        )
    return Check("streaming", Status.OK, f"streaming works ({pieces} pieces from '{model}')")
