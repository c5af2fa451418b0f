"""A conversation with one sandbox process in a given role, checked message by message.

``Session`` starts the process, reads its ``ready`` line (sent before any job code runs, so its
account of the limits in force is true), and then asks and answers: one request, exactly one
reply with the same id. Anything else the process writes is a protocol violation.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from interview_sim.sandbox.channel import Channel, ProtocolViolation
from interview_sim.sandbox.messages import (
    CallReply,
    Loaded,
    LoadFailed,
    Ready,
    parse,
    reply_cap,
)
from interview_sim.sandbox.models import Isolation, IsolationLevel, RunLimits
from interview_sim.sandbox.process import SandboxProcess

GRACE_SECONDS = 1.0
"""How long the parent waits past a limit the child should have enforced before killing it."""
NAMESPACES = ["user", "pid", "network", "ipc", "uts", "mount"]


class Session:
    def __init__(
        self,
        level: IsolationLevel,
        python: str,
        limits: RunLimits,
        cpu_seconds: float,
        cancel: threading.Event | None,
    ) -> None:
        self.process = SandboxProcess(level, python, limits, cpu_seconds, cancel)
        self.limits = limits
        self.ready: Ready | None = None
        self._next_id = 0
        self._reply_cap: int | None = None

    @property
    def channel(self) -> Channel:
        assert self.process.channel is not None, "start() first"
        return self.process.channel

    def start(self, job: dict[str, Any]) -> Ready:
        deadline = time.monotonic() + self.limits.startup_seconds
        self.process.start(job, deadline)
        ready: Ready = parse(self.channel.receive(deadline), Ready)
        self.ready = ready
        self.process.host_pid()  # pinned before any job code runs, so it can be killed
        return ready

    def load(self) -> Loaded | LoadFailed:
        """The candidate role's first answer: loaded, failed to load, or no such function.

        The code's top level has run by then, so this and every later message may be the
        code's own writing: a ``harness_error`` in it is a protocol violation (``parse``), and
        it may be no longer than its output needs (parsed JSON takes many times its size).
        """
        deadline = time.monotonic() + self.limits.case_seconds + GRACE_SECONDS
        message = self.channel.receive(deadline, reply_cap(0, self.limits.output_bytes))
        loaded: Loaded | LoadFailed = parse(message, Loaded, LoadFailed, trusted=False)
        return loaded

    def send(self, message: dict[str, Any], deadline: float) -> None:
        self.channel.send(message, deadline)

    def receive(self, deadline: float) -> dict[str, Any]:
        return self.channel.receive(deadline)

    def ask(
        self,
        args: list[Any],
        wall: float,
        cpu: float | None,
        deadline: float,
        generate: dict[str, Any] | None = None,
        *,
        typed: bool = False,
        max_value: int | None = None,
    ) -> int:
        """Send one call (its arguments, or the generator that builds them); its id.

        With ``max_value`` the answer's JSON may be at most that many bytes: a larger value is
        reported as too large (a wrong answer), and a reply longer than the value and the
        call's output together is a protocol violation (``reply_cap``).
        """
        self._next_id += 1
        request = {"id": self._next_id, "args": args, "wall": wall, "cpu": cpu}
        self._reply_cap = None
        if max_value is not None:
            request["max_value"] = max_value
            self._reply_cap = reply_cap(max_value, self.limits.output_bytes)
        if generate is not None:
            request["generate"] = generate
        if typed:
            request["typed"] = True  # a check block's call: tuples stay tuples both ways
        self.send(request, deadline)
        return self._next_id

    def answer(self, call_id: int, deadline: float) -> CallReply:
        message = self.channel.receive(deadline, self._reply_cap)
        reply: CallReply = parse(message, CallReply, trusted=False)
        if reply.id != call_id:
            raise ProtocolViolation(f"the process answered call {reply.id}, not call {call_id}")
        if self.channel.pending():
            raise ProtocolViolation("the process sent more than one answer to a call")
        return reply

    def call(
        self,
        args: list[Any],
        wall: float,
        cpu: float | None = None,
        *,
        max_value: int | None = None,
    ) -> tuple[CallReply, float]:
        """Ask and wait, killing the process past ``wall`` plus a grace; the wall time taken."""
        started = time.monotonic()
        deadline = started + wall + GRACE_SECONDS
        call_id = self.ask(args, wall, cpu, deadline, max_value=max_value)
        reply = self.answer(call_id, deadline)
        return reply, time.monotonic() - started

    def isolation(self, iso: Isolation) -> None:
        """Record the layers really in force, from the parent's own knowledge and ``ready``."""
        if self.ready is not None:
            iso.resource_limits = list(self.ready.limits)
            iso.audit_hooks = self.ready.audit_hooks
            iso.seccomp = self.ready.seccomp or self.process.seccomp_outside
        if self.process.level == "bubblewrap":
            iso.namespaces = list(NAMESPACES)
            iso.network_namespace = True
