"""``--local-model PATH.gguf``: a llama.cpp server (xllamacpp) for one command.

For users without Ollama or an API key: the optional ``xllamacpp`` wheel (the ``local`` extra)
serves the GGUF file on 127.0.0.1 with an OpenAI-compatible ``/v1``, json_schema and streaming
included, and the normal LLM interviewer and judge talk to it like any other endpoint.

The server runs in a child process: llama.cpp writes its logs straight to the process's
stderr, so the child's go to a temporary file (the first error line explains a failed start),
and stopping the child frees the model's memory for certain.
"""

from __future__ import annotations

import importlib.util
import os
import re
import select
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from interview_sim.config import Settings

LOCAL_TIMEOUT = 300.0
"""Seconds per request unless the user chose a timeout: a CPU-only model is slow."""
STARTUP_SECONDS = 180.0
CONTEXT_TOKENS = 8192
GGUF_MAGIC = b"GGUF"
INSTALL_HINT = "pip install 'interview-sim[local]'"

_CHILD = """
import os, sys
import xllamacpp
params = xllamacpp.CommonParams()
params.model.path = sys.argv[1]
params.model_alias = {sys.argv[2]}
params.n_ctx = int(sys.argv[3])
params.n_parallel = 1
params.cpuparams.n_threads = params.cpuparams_batch.n_threads = int(sys.argv[4])
params.warmup = False
server = xllamacpp.Server(params)
print(server.listening_address, flush=True)
sys.stdin.read()
"""
"""Child process: load the model, print the address, serve until the parent closes stdin."""

_LOG_ERROR = re.compile(r"^[\d.]+ E (.*)$")


class LocalServerError(Exception):
    """The local model server cannot start; the message says why and what to do."""


@dataclass(frozen=True)
class LocalServer:
    base_url: str
    model: str


def xllamacpp_installed() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None


def with_local_server(settings: Settings, server: LocalServer) -> Settings:
    """Point both LLM roles at ``server``; keep a timeout or retry count the user chose."""
    chosen = settings.llm.model_fields_set
    llm = settings.llm.model_copy(
        update={
            "base_url": server.base_url,
            "api_key": None,
            "model": server.model,
            "interviewer_model": None,
            "judge_model": None,
            "timeout": settings.llm.timeout if "timeout" in chosen else LOCAL_TIMEOUT,
            "max_retries": settings.llm.max_retries if "max_retries" in chosen else 0,
        }
    )
    return settings.model_copy(update={"llm": llm})


@contextmanager
def local_model_server(model: Path) -> Iterator[LocalServer]:
    """Serve ``model`` on 127.0.0.1 for the duration of the ``with`` block."""
    check_can_serve(model)
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _CHILD,
                str(model),
                model.stem,
                str(CONTEXT_TOKENS),
                str(_threads()),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            address = _read_address(child, log)
            _wait_until_healthy(address, child, log)
            yield LocalServer(base_url=f"{address}/v1", model=model.stem)
        finally:
            _stop(child)


def _threads() -> int:
    """Half the CPUs, 1 to 4: llama.cpp's threads spin while they wait for each other, so on
    CPUs shared with other work more threads is slower. Measured with SmolLM2 on a busy 2-CPU
    machine: 2 threads generated 1-3 tokens/s, 1 thread 18-48 tokens/s.
    """
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def check_can_serve(model: Path) -> None:
    """What can be known before starting anything: the file is a readable GGUF model and
    xllamacpp is installed. The CLI calls it before saying it is starting a server, so each of
    these problems is the only line the user sees."""
    _check_model_file(model)
    if not xllamacpp_installed():
        raise LocalServerError(f"--local-model needs xllamacpp: {INSTALL_HINT}")


def _check_model_file(model: Path) -> None:
    if model.is_dir():
        raise LocalServerError(
            f"model file {model} is a folder, not a file: give the path of the .gguf file in it"
        )
    if not model.is_file():
        raise LocalServerError(f"model file {model} does not exist")
    try:
        with model.open("rb") as head:
            magic = head.read(len(GGUF_MAGIC))
    except OSError as exc:
        raise LocalServerError(f"cannot read model file {model}: {exc.strerror}") from exc
    if magic != GGUF_MAGIC:
        raise LocalServerError(f"{model} is not a GGUF model file")


def _read_address(child: subprocess.Popen[str], log: IO[bytes]) -> str:
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], STARTUP_SECONDS)
    line = child.stdout.readline().strip() if ready else ""
    if not line:
        raise LocalServerError(_why_stopped(child, log))
    return line


def _wait_until_healthy(address: str, child: subprocess.Popen[str], log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while child.poll() is None:
        try:
            with urllib.request.urlopen(f"{address}/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LocalServerError(
                f"the local model server did not start within {STARTUP_SECONDS:g}s"
            )
        time.sleep(0.5)
    raise LocalServerError(_why_stopped(child, log))


def _why_stopped(child: subprocess.Popen[str], log: IO[bytes]) -> str:
    """The first error llama.cpp logged, which names the cause (e.g. a bad GGUF version)."""
    try:
        child.wait(timeout=30)  # it closed stdout; let it finish exiting before reading why
    except subprocess.TimeoutExpired:
        return f"the local model server did not start within {STARTUP_SECONDS:g}s"
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").splitlines()
    errors = [m.group(1) for m in map(_LOG_ERROR.match, lines) if m]
    cause = errors[0] if errors else (lines[-1] if lines else f"exit code {child.returncode}")
    return f"the local model server stopped while starting: {cause}"


def _stop(child: subprocess.Popen[str]) -> None:
    """Close stdin so the child exits on its own; terminate it, then kill it, if it does not."""
    if child.stdin is not None:
        child.stdin.close()
    for escalate in (None, child.terminate, child.kill):
        if escalate is not None:
            escalate()
        try:
            child.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    if child.stdout is not None:
        child.stdout.close()
