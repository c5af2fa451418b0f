"""A small OpenAI-compatible HTTP server for tests, on 127.0.0.1, with scripted replies.

The real ``openai`` client talks to it over HTTP, so tests exercise the same code paths as a
run against OpenAI, Ollama, vLLM or a llama.cpp server. Replies are scripted per chat call with
:class:`Reply`; with nothing scripted, a plausible default answers (a follow-up question, or a
judge verdict that quotes the candidate). Faults are injected through ``Reply`` fields.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from pydantic import SecretStr

from interview_sim.config import LLMSettings

DEFAULT_FOLLOW_UP = "Which metric would you monitor after launch, and why that one?"


@dataclass
class Reply:
    """One scripted reply to a chat completion request (streamed when the request asks)."""

    content: str | None = None
    """None: the default reply for the request."""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering: longer than the client timeout makes a timeout."""
    finish_reason: str = "stop"
    refusal: str | None = None
    cut_after: int | None = None
    """Streams only: drop the connection after this many content chunks."""
    body: str | None = None
    """Sent as the whole response body instead of a completion or stream (``choices: []``, an
    HTML page)."""
    content_type: str = "application/json"
    """The Content-Type of ``body``."""
    message: dict[str, Any] | None = None
    """The assistant message as sent, instead of one built from ``content`` (``content: null``
    with ``reasoning_content`` or ``tool_calls``)."""
    events: list[str] | None = None
    """Streams only: these raw SSE lines (``data: {...}``, ``: comment``) instead of the built
    chunks; a blank line is sent after each."""
    done: bool = True
    """Streams only: end with ``data: [DONE]`` (False: the body just ends after the last chunk)."""
    stall_after: int | None = None
    """Streams only: after this many content chunks, send nothing more until the server stops."""
    chunk_delay: float = 0.0
    """Streams only: seconds to wait before each content chunk (a slow or trickling server)."""


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    """Names lower-cased."""
    body: dict[str, Any]


class FakeLLMServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, json_schema: bool = True, models: tuple[str, ...] = ("test-model",)):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.json_schema = json_schema
        self.models = models
        self.require_key: str | None = None
        self.rejects: dict[str, int] = {}
        """Request fields the server refuses, with the HTTP status it answers (e.g.
        ``{"max_tokens": 400}`` for endpoints that want ``max_completion_tokens``)."""
        self.models_status = 200
        """Status of ``GET /models`` (some gateways do not serve the model list)."""
        self.web_page: str | None = None
        """When set, every request gets this HTML page with status 200: a captive portal, or a
        server's web UI at a base_url that lacks /v1."""
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-reply (a cancelled stream) is expected, not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def rewrite(self, body: dict[str, Any], content: str) -> str:
        """The content actually sent for a request; subclasses imitate a server's habits (a
        reasoning model's think block, fences) across every reply of a whole run."""
        return content

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def next_reply(self) -> Reply:
        with self._lock:
            return self._script.popleft() if self._script else Reply()

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]


ServerT = TypeVar("ServerT", bound="FakeLLMServer")


@contextmanager
def serving(server: ServerT) -> Iterator[ServerT]:
    """Run an already built scripted server (or a subclass with its own replies) until exit."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def running_server(**options: Any) -> Iterator[FakeLLMServer]:
    with serving(FakeLLMServer(**options)) as server:
        yield server


def closed_port_url() -> str:
    """A URL nothing listens on, for refused connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def default_content(body: dict[str, Any]) -> str:
    """A follow-up question, or for a judge request a verdict that quotes the answer."""
    response_format = body.get("response_format") or {}
    if not response_format:
        return DEFAULT_FOLLOW_UP
    schema = response_format.get("json_schema", {}).get("schema", {})
    fields = schema.get("properties", {})
    if fields and "criteria" not in fields:  # a probe such as doctor's: fill every field
        return json.dumps({name: True for name in fields})
    text = "\n".join(str(m.get("content", "")) for m in body["messages"])
    criteria = re.findall(r'Criterion "([^"]+)"', text)
    answer = re.search(r"<candidate_answer>\n(.*?)\n</candidate_answer>", text, re.S)
    words = answer.group(1).split()[:6] if answer else []
    quote = " ".join(words)
    return json.dumps(
        {
            "criteria": [
                {"criterion": c, "level": 3, "evidence": [quote], "rationale": "clear and correct"}
                for c in criteria
            ],
            "strong_answer_would_add": ["a worked example with numbers"],
        }
    )


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeLLMServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``server.requests`` instead."""

    def _authorised(self) -> bool:
        wanted = self.server.require_key
        if wanted is None or self.headers.get("Authorization") == f"Bearer {wanted}":
            return True
        self._json(401, {"error": {"message": "Incorrect API key provided", "type": "auth"}})
        return False

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.requests.append(
            Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, {})
        )
        if not self._authorised():
            return
        if self.server.web_page is not None:
            self._raw(self.server.web_page, "text/html; charset=utf-8")
        elif self.path.rstrip("/").endswith("/models") and self.server.models_status != 200:
            self._json(self.server.models_status, {"error": {"message": "no model list"}})
        elif self.path.rstrip("/").endswith("/models"):
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "tests"}
                for m in self.server.models
            ]
            self._json(200, {"object": "list", "data": data})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(
            Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        if not self._authorised():
            return
        if self.server.web_page is not None:
            self._raw(self.server.web_page, "text/html; charset=utf-8")
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": "not found"}})
            return
        refused = [name for name in self.server.rejects if name in body]
        if refused:
            name = refused[0]
            error = {"error": {"message": f"Unsupported parameter: '{name}'", "param": name}}
            self._json(self.server.rejects[name], error)
            return
        reply = self.server.next_reply()
        if reply.delay and self.server.stopping.wait(reply.delay):
            return
        if reply.body is not None:
            self._raw(reply.body, reply.content_type)
            return
        if reply.status != 200:
            error = {"error": {"message": f"scripted HTTP {reply.status}", "type": "server"}}
            self._json(reply.status, error, reply.headers)
            return
        format_type = (body.get("response_format") or {}).get("type")
        if format_type == "json_schema" and not self.server.json_schema:
            self._json(400, {"error": {"message": "response_format json_schema is not supported"}})
            return
        content = reply.content if reply.content is not None else default_content(body)
        content = self.server.rewrite(body, content)
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        usage = {
            "prompt_tokens": _tokens(prompt),
            "completion_tokens": _tokens(content),
            "total_tokens": _tokens(prompt) + _tokens(content),
        }
        if body.get("stream"):
            self._stream(body, reply, content, usage)
            return
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None if reply.refusal else content,
        }
        if reply.refusal:
            message["refusal"] = reply.refusal
        if reply.message is not None:
            message = reply.message
        self._json(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", ""),
                "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
                "usage": usage,
            },
        )

    def _stream(
        self, body: dict[str, Any], reply: Reply, content: str, usage: dict[str, int]
    ) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pieces = re.findall(r"\S+\s*", content) or [content]

        def chunk(
            delta: dict[str, Any], finish: str | None = None, extra: dict[str, Any] | None = None
        ) -> None:
            payload = {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": body.get("model", ""),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                **(extra or {}),
            }
            self._send_chunk(f"data: {json.dumps(payload)}\n\n")

        if reply.events is not None:
            for event in reply.events:
                self._send_chunk(f"{event}\n\n")
            self._end_stream(reply)
            return
        chunk({"role": "assistant", "content": ""})
        if reply.refusal:
            chunk({"refusal": reply.refusal})
        else:
            for index, piece in enumerate(pieces):
                if reply.cut_after is not None and index >= reply.cut_after:
                    self.close_connection = True  # no terminating chunk: a truncated body
                    return
                if reply.chunk_delay and self.server.stopping.wait(reply.chunk_delay):
                    return
                if reply.stall_after is not None and index >= reply.stall_after:
                    self.server.stopping.wait()
                    self.close_connection = True
                    return
                chunk({"content": piece})
        chunk({}, reply.finish_reason)
        if (body.get("stream_options") or {}).get("include_usage"):
            self._send_chunk(
                "data: "
                + json.dumps(
                    {
                        "id": "chatcmpl-test",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": body.get("model", ""),
                        "choices": [],
                        "usage": usage,
                    }
                )
                + "\n\n"
            )
        self._end_stream(reply)

    def _end_stream(self, reply: Reply) -> None:
        if reply.done:
            self._send_chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _raw(self, text: str, content_type: str) -> None:
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


TEST_KEY = "sk-test-7f3a9c-DO-NOT-STORE"


def llm_settings(url: str, **overrides: Any) -> LLMSettings:
    """Fast-failing settings for tests: short timeout, no retries unless a test asks."""
    values: dict[str, Any] = {
        "base_url": url,
        "api_key": SecretStr(TEST_KEY),
        "model": "test-model",
        "timeout": 0.5,
        "max_retries": 0,
    }
    values.update(overrides)
    return LLMSettings(**values)
