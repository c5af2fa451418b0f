"""The sandbox escape list, run eight at once: every run is still contained and reported.

The coding stage runs candidate code while the app does other work, and a machine under load
is when limits and clean-up are most likely to slip. Eight hostile programs (the escapes from
the coding issue) start together from threads; each must get the same verdict it gets alone,
nothing may land outside its run folder, no secret may be read, and no child may outlive its
run. Limits are generous wall-clock caps and nothing asserts a duration, so a slow machine
makes this test slower, never flaky.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest

from interview_sim.sandbox import CaseSpec, RunLimits, RunReport, RunRequest, run_code
from interview_sim.sandbox.models import IsolationLevel
from tests.sandbox.conftest import LEVELS

LINUX = sys.platform.startswith("linux")
SECRET = "sk-sandbox-load-5d2c81f0"
GENEROUS = RunLimits(case_seconds=20.0, startup_seconds=60.0)
LOOP_LIMITS = RunLimits(case_seconds=3.0, startup_seconds=60.0)
"""The infinite loop must time out, so its per-test cap is short; its start-up cap is not."""


@dataclass(frozen=True)
class Escape:
    name: str
    code: str
    cases: list[list[Any]]
    check: Callable[[RunReport], None]
    limits: RunLimits = GENEROUS


def _request(escape: Escape) -> RunRequest:
    cases = [
        CaseSpec(name=f"t{i}", kind="hidden", args=args, expected=None)
        for i, args in enumerate(escape.cases)
    ]
    return RunRequest(code=escape.code, function="f", cases=cases, limits=escape.limits)


def _blocked(report: RunReport, *types: str) -> None:
    for case in report.cases:
        assert case.verdict == "error", case
        assert case.exception is not None and case.exception.type in types, case
        fallback = report.isolation.level == "fallback-in-process"
        if fallback and case.exception.type == "PermissionError":  # refused by the audit hook
            assert case.exception.message.startswith("blocked by the sandbox"), case


def _outside(report: RunReport) -> None:
    """The fallback's guard refuses; under bubblewrap the path is not in the sandbox at all."""
    if report.isolation.level == "fallback-in-process":
        _blocked(report, "PermissionError")
    else:
        _blocked(report, "FileNotFoundError", "OSError")


def _check_loop(report: RunReport) -> None:
    assert [c.verdict for c in report.cases] == ["timeout", "fail"]
    assert "no result within" in report.cases[0].message
    assert report.cases[1].actual == "0"  # the next test still ran


def _check_memory(report: RunReport) -> None:
    _blocked(report, "MemoryError")


def _check_secret(report: RunReport) -> None:
    env, proc = report.cases
    assert env.verdict == "fail" and env.actual is not None
    assert "OPENAI_API_KEY" not in env.actual and SECRET not in env.actual
    assert SECRET not in (proc.actual or "") and SECRET not in proc.stdout
    if LINUX:
        assert proc.verdict == "error"


def _check_output(report: RunReport) -> None:
    printed, raw = report.cases
    assert printed.verdict == "fail" and printed.stdout_truncated
    assert len(printed.stdout) < 10_000
    assert raw.verdict == "error"
    assert raw.exception is not None and "File too large" in raw.exception.message
    assert len(report.console) < 20_000


def _check_programs(report: RunReport) -> None:
    if report.isolation.level == "fallback-in-process":
        assert [c.exception.message for c in report.cases if c.exception] == [
            "blocked by the sandbox: starting programs",
            "blocked by the sandbox: sending signals",
        ]
        return
    run, _kill = report.cases
    assert run.exception is not None and run.exception.type == "PermissionError", run
    # os.getppid() is 0 in the sandbox's PID namespace: the kill reaches only the sandbox,
    # whose first process ignores it; the app surviving is checked by the test itself.
    assert report.status == "completed"


def _escapes(outside: list[Path], port: int) -> list[Escape]:
    return [
        Escape(
            "infinite_loop",
            "def f(x):\n    while x:\n        pass\n    return x\n",
            [[1], [0]],
            _check_loop,
            LOOP_LIMITS,
        ),
        Escape(
            "fork_bomb",
            "import os\ndef f():\n    while True:\n        if os.fork() == 0:\n"
            "            os._exit(0)\n",
            [[]],
            lambda r: _blocked(r, "PermissionError", "BlockingIOError"),
        ),
        Escape(
            "memory_hog",
            "def f(gb):\n    hog = [bytearray(1024 ** 3) for _ in range(gb)]\n"
            "    return len(hog)\n",
            [[4], [16]],
            _check_memory,
        ),
        Escape(
            "env_secret",
            "import os\ndef f(how):\n    if how == 'env':\n        return sorted(os.environ)\n"
            "    with open(f'/proc/{os.getppid()}/environ', 'rb') as handle:\n"
            "        return handle.read().decode(errors='replace')\n",
            [["env"], ["proc"]],
            _check_secret,
        ),
        Escape(
            "write_outside",
            "def f(path):\n    with open(path, 'w') as handle:\n        handle.write('escaped')\n",
            [[str(p)] for p in outside],
            _outside,
        ),
        Escape(
            "network",
            "import socket\ndef f(port):\n"
            "    socket.create_connection(('127.0.0.1', port), timeout=5).close()\n"
            "    return 'connected'\n",
            [[port]],
            lambda r: _blocked(r, "PermissionError", "OSError", "ConnectionRefusedError"),
        ),
        Escape(
            "huge_output",
            "import os, sys\ndef f(raw):\n    chunk = 'x' * (1024 * 1024)\n"
            "    for _ in range(32):\n        if raw:\n            os.write(1, chunk.encode())\n"
            "        else:\n            sys.stdout.write(chunk)\n    return 1\n",
            [[False], [True]],
            _check_output,
        ),
        Escape(
            "programs_and_signals",
            "import os, signal, subprocess\ndef f(what):\n"
            "    if what == 'run':\n        subprocess.run(['true'])\n"
            "    os.kill(os.getppid(), signal.SIGKILL)\n",
            [["run"], ["kill"]],
            _check_programs,
        ),
    ]


@pytest.fixture
def listener() -> Iterator[int]:
    """A local port that would accept a connection, so only the sandbox can refuse it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def _children() -> set[int]:
    """Live child processes of this (the app's) process; empty where /proc is missing."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.mark.parametrize("level", LEVELS)
def test_eight_escapes_at_once_are_each_contained_and_reported(
    tmp_path: Path,
    isolated_home: Path,
    listener: int,
    monkeypatch: pytest.MonkeyPatch,
    level: IsolationLevel,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    outside = [isolated_home / "escaped.txt", tmp_path / "escaped.txt"]
    escapes = _escapes(outside, listener)
    assert len(escapes) == 8
    before = (os.getpid(), os.getcwd(), dict(os.environ), _children())
    start = Barrier(len(escapes))

    def run(escape: Escape) -> RunReport:
        request = _request(escape)
        start.wait()
        return run_code(request, level=level)

    with ThreadPoolExecutor(max_workers=len(escapes)) as pool:
        reports = list(pool.map(run, escapes))

    for escape, report in zip(escapes, reports, strict=True):
        assert report.status != "harness_error", (escape.name, report.message)
        assert len(report.cases) == len(escape.cases), escape.name
        iso = report.isolation
        assert iso.level == level and iso.process_group, escape.name
        assert iso.audit_hooks == (level == "fallback-in-process"), escape.name
        escape.check(report)
    assert not any(p.exists() for p in outside)
    assert (os.getpid(), os.getcwd(), dict(os.environ), _children()) == before
