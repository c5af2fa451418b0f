"""Build the ``openai`` client from settings, and turn its failures into plain sentences.

Every LLM call in the app goes through a client made here, so the timeout and retry policy
come from one place, and every failure is an :class:`LLMFault` whose message a user can read
(and which never contains the API key).
"""

from __future__ import annotations

import email.utils
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx2
import openai
from openai.types import CompletionUsage

from interview_sim.config import LLMSettings
from interview_sim.models import AnyQuestion, TokenUsage

NO_KEY = "not-needed"
"""Local servers (Ollama, vLLM, llama.cpp) accept any key; the client insists on having one."""


class LLMFault(Exception):
    """An LLM call failed; ``str(fault)`` is one plain sentence for the user."""


class NotAnAPIReply(LLMFault, openai.OpenAIError):
    """A successful HTTP reply that is not the API's: a captive portal's login page, or the web
    page a server shows when ``base_url`` lacks ``/v1``.

    The ``openai`` client hands such a body back as a plain string (and ``models.list`` fails
    inside the client), so it is refused as it arrives. Being an ``OpenAIError``, the client
    raises it as it is, without retrying a page that will not change.
    """


_SSE_STARTS = ("data:", "event:", "id:", "retry:", ":")


def _refuse_web_pages(response: httpx2.Response) -> None:
    """Raise :class:`NotAnAPIReply` for a 2xx reply that is neither JSON nor an event stream.

    Only a body that is not JSON and not server-sent events is refused: some proxies label
    real replies ``text/plain``, and those still work.
    """
    if not response.is_success:
        return
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "text/event-stream":
        return
    response.read()
    text = response.text.lstrip()
    if not text:
        raise NotAnAPIReply("the LLM endpoint answered with an empty body")
    if text.startswith(_SSE_STARTS):
        return
    try:
        json.loads(text)
    except ValueError:
        if kind.endswith("json"):
            raise NotAnAPIReply("the LLM endpoint answered with malformed JSON") from None
    else:
        return
    what = "a web page" if text.startswith("<") else "something that is not JSON"
    raise NotAnAPIReply(f"the LLM endpoint answered with {what} ({kind}) instead of an API reply")


def retry_after(headers: httpx2.Headers) -> float | None:
    """Seconds a reply asks the client to wait (``retry-after-ms``, or ``retry-after`` as
    seconds or an HTTP date), or None when it asks nothing."""
    for name, per_second in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return float(value) / per_second
        except ValueError:
            pass
        parsed = email.utils.parsedate_tz(value)
        if parsed is not None:
            return float(email.utils.mktime_tz(parsed) - time.time())
    return None


def _no_waits_past(seconds: float) -> Callable[[httpx2.Response], None]:
    """A response hook: a reply asking for a wait longer than the timeout is not retried.

    The ``openai`` client honours ``Retry-After`` up to two minutes per retry, so a 429 saying
    "come back in 90s" held the interview for minutes; the timeout is the most a user waits.
    ``x-should-retry: false`` is the client's own switch for this.
    """

    def hook(response: httpx2.Response) -> None:
        wait = retry_after(response.headers)
        if wait is not None and wait > seconds:
            response.headers["x-should-retry"] = "false"

    return hook


def make_client(settings: LLMSettings) -> openai.OpenAI:
    key = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    hooks = [_refuse_web_pages, _no_waits_past(settings.timeout)]
    return openai.OpenAI(
        api_key=key or NO_KEY,
        base_url=settings.base_url,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
        http_client=openai.DefaultHttpxClient(event_hooks={"response": hooks}),
    )


def explain(exc: BaseException) -> str:
    """One sentence saying what went wrong, for notices and the grade's fallback reason."""
    match exc:
        case openai.APITimeoutError():
            return "the LLM endpoint timed out"
        case openai.APIConnectionError():
            return "the LLM endpoint could not be reached"
        case openai.RateLimitError(response=response):
            wait = retry_after(response.headers)
            asked = f"; it asks to wait {wait:.0f}s" if wait is not None and wait >= 1 else ""
            return f"the LLM endpoint is rate limiting requests (HTTP 429{asked})"
        case openai.AuthenticationError():
            return "the LLM endpoint rejected the API key (HTTP 401)"
        case openai.NotFoundError():
            return "the LLM endpoint does not know this model or path (HTTP 404)"
        case openai.APIStatusError(status_code=status):
            return f"the LLM endpoint returned an error (HTTP {status})"
        case openai.LengthFinishReasonError():
            return "the LLM reply was cut off at its token limit"
        case openai.ContentFilterFinishReasonError():
            return "the LLM reply was blocked by a content filter"
        case ValueError():  # includes pydantic's ValidationError
            return "the LLM reply was not valid JSON in the expected shape"
        case LLMFault():
            return str(exc)
        case openai.OpenAIError():
            return "the LLM call failed"
    return f"the LLM call failed ({type(exc).__name__})"


ADAPTABLE = ("max_tokens", "temperature", "stream_options")
"""Request fields some endpoints refuse while the call works without them: OpenAI's reasoning
models want ``max_completion_tokens`` and only their default temperature; some servers and
proxies do not know ``stream_options``."""
_REFUSAL_WORDS = re.compile(
    r"unsupported|not supported|does not support|unrecognized|unknown|not allowed|not permitted"
    r"|extra (inputs|fields)|only the default|instead",
    re.IGNORECASE,
)
REASONING_TOKENS = 2048
"""Token limit per call once the model is known to reason before it answers."""
_REFUSAL_CODES = {"unsupported_parameter", "unsupported_value"}
T = TypeVar("T")


@dataclass
class Compat:
    """What one endpoint refused, learnt from its HTTP 400s, so later calls leave it out at once.

    Shared by the interviewer and the judge (``components.build_llm``), so the lesson costs one
    refused request per process, not one per call.
    """

    refused: set[str] = field(default_factory=set)
    reasons: bool = False
    """Set once a reply spent its whole token limit reasoning (a reasoning model): from then on
    each call allows at least ``REASONING_TOKENS``, room to think and still answer."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def make_room_to_reason(self) -> None:
        with self._lock:
            self.reasons = True

    def adapted(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` as this endpoint accepts them."""
        out = dict(params)
        with self._lock:
            refused = set(self.refused)
        if "max_tokens" in refused and "max_tokens" in out:
            out["max_completion_tokens"] = out.pop("max_tokens")
        for name in refused - {"max_tokens"}:
            out.pop(name, None)
        for name in ("max_tokens", "max_completion_tokens"):
            if self.reasons and isinstance(out.get(name), int):
                out[name] = max(out[name], REASONING_TOKENS)
        return out

    def call(self, method: Callable[..., T], **params: Any) -> T:
        """``method(**params)``, retried without each field the endpoint says it refuses."""
        while True:
            sent = self.adapted(params)
            try:
                return method(**sent)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                name = refused_field(exc, sent)
                if name is None:
                    raise
                with self._lock:
                    self.refused.add(name)


def refused_field(exc: openai.APIStatusError, sent: dict[str, Any]) -> str | None:
    """The adaptable field a 400/422 says the endpoint refuses, or None for any other error
    (a prompt too long for the context must not be "fixed" by dropping the token limit)."""
    text = f"{exc.message} {exc.body}"
    for name in ADAPTABLE:
        if name not in sent:
            continue
        named = exc.param == name or re.search(rf"\b{name}\b", text) is not None
        if named and (exc.code in _REFUSAL_CODES or _REFUSAL_WORDS.search(text)):
            return name
    return None


FAULTS: tuple[type[BaseException], ...] = (openai.OpenAIError, ValueError, LLMFault)
"""What an LLM call may raise that we recover from; anything else is a bug and propagates."""


@dataclass(frozen=True)
class CallRecord:
    purpose: str
    model: str
    usage: TokenUsage
    stage: str
    question_id: str


@dataclass
class UsageMeter:
    """Tokens per call, kept in memory for the process; shared by interviewer and judge."""

    calls: list[CallRecord] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, purpose: str, model: str, usage: TokenUsage, question: AnyQuestion) -> None:
        with self._lock:
            self.calls.append(CallRecord(purpose, model, usage, question.stage, question.id))

    def for_question(self, question_id: str) -> TokenUsage:
        """Tokens spent on one question in this process: its follow-ups and its grading."""
        with self._lock:
            chosen = [c.usage for c in self.calls if c.question_id == question_id]
        return sum(chosen, TokenUsage())

    def by_stage(self) -> dict[str, TokenUsage]:
        """Tokens per interview stage, in the order stages were first seen."""
        totals: dict[str, TokenUsage] = {}
        with self._lock:
            for call in self.calls:
                totals[call.stage] = totals.get(call.stage, TokenUsage()) + call.usage
        return totals

    def total(self, purpose_prefix: str = "") -> TokenUsage:
        with self._lock:
            chosen = [c.usage for c in self.calls if c.purpose.startswith(purpose_prefix)]
        return sum(chosen, TokenUsage())


def usage_of(completion_usage: CompletionUsage | None) -> TokenUsage:
    """Token counts as reported; a count a server leaves out, sends as null or garbles is 0,
    never a reason to lose the reply it came with."""
    if completion_usage is None:
        return TokenUsage()
    return TokenUsage(
        prompt_tokens=_count(getattr(completion_usage, "prompt_tokens", 0)),
        completion_tokens=_count(getattr(completion_usage, "completion_tokens", 0)),
    )


def _count(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
