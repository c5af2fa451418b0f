"""Custom inputs: the candidate's own arguments, run on their code and on the reference.

As on an online judge, the candidate sees what their function returns for inputs they choose
beside what the reference solution returns. Each runs in its own sandbox process, so the
reference never shares an interpreter with the candidate's code; the comparison (with the
bank's comparator) is made here, on the JSON both sent back.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from interview_sim.sandbox import isolation
from interview_sim.sandbox.channel import ChannelCancelled, ChannelError
from interview_sim.sandbox.compare import same
from interview_sim.sandbox.messages import (
    UNKNOWN_VALUE,
    CallReply,
    HarnessProblem,
    LoadFailed,
    call_text,
    shown,
)
from interview_sim.sandbox.models import (
    CallOutcome,
    ExceptionInfo,
    InputResult,
    InputsReport,
    InputsRequest,
    IsolationLevel,
)
from interview_sim.sandbox.process import StartFailed
from interview_sim.sandbox.runner import base_isolation
from interview_sim.sandbox.session import Session
from interview_sim.sandbox.static import analyse
from interview_sim.sandbox.steps import RunCancelled, SandboxError


def _outcome(reply: CallReply, limit: float) -> tuple[CallOutcome, Any]:
    stdout = reply.stdout
    if reply.ok and reply.not_json is None and reply.too_large is None:
        return CallOutcome(verdict="returned", value=shown(reply.value), stdout=stdout), reply.value
    if reply.ok:
        what = (
            f"a {reply.not_json}"
            if reply.not_json
            else "a value too large or nested too deeply to send"
        )
        message = (
            f"returned {what}, which is not JSON-safe" if reply.not_json else f"returned {what}"
        )
        return CallOutcome(
            verdict="not_json", value=reply.shown, stdout=stdout, message=message
        ), None
    if reply.timeout is not None:
        return CallOutcome(
            verdict="timeout", stdout=stdout, message=f"no result within {limit:g}s"
        ), None
    exception = reply.exception.info("solution") if reply.exception else None
    return CallOutcome(verdict="error", exception=exception, stdout=stdout), None


class _Side:
    """One function (the candidate's or the reference) answering every input in turn."""

    def __init__(
        self,
        code: str,
        request: InputsRequest,
        level: IsolationLevel,
        python: str,
        cancel: threading.Event | None,
    ) -> None:
        limits = request.limits
        cpu = 5.0 + (len(request.inputs) + 1) * limits.case_seconds
        self.session = Session(level, python, limits, cpu, cancel)
        self.code = code
        self.request = request
        self.max_value: int | None = None
        """Set for the candidate's side: the reference is the bank's code, the candidate's
        answers the app holds no expected value for (``value_cap``)."""
        self.outcomes: list[tuple[CallOutcome, Any]] = []
        self.problem = ""
        self.load_exception: ExceptionInfo | None = None

    def run(self) -> None:
        limit = self.request.limits.case_seconds
        try:
            self.session.start(
                {"role": "candidate", "code": self.code, "function": self.request.function}
            )
            loaded = self.session.load()
            if isinstance(loaded, LoadFailed):
                self.load_exception = loaded.exception.info("solution")
                self.problem = f"failed to load: {self.load_exception.describe()}"
                return
            if loaded.event == "missing_function":
                self.problem = f"does not define {self.request.function}()"
                return
            for args in self.request.inputs:
                reply, _seconds = self.session.call(args, limit, max_value=self.max_value)
                self.outcomes.append(_outcome(reply, limit))
        except ChannelCancelled:
            self.problem = "cancelled"
        except StartFailed as exc:
            raise SandboxError(str(exc)) from exc
        except (ChannelError, HarnessProblem) as exc:
            self.problem = f"stopped: {exc}"
        finally:
            self.session.process.finish(wait_exit=False)
            self.session.process.console.close()

    def outcome(self, index: int) -> tuple[CallOutcome, Any]:
        if index < len(self.outcomes):
            return self.outcomes[index]
        return CallOutcome(verdict="not_run", message=self.problem or "not run"), None


def run_inputs(
    request: InputsRequest,
    python: str = sys.executable,
    *,
    cancel: threading.Event | None = None,
    level: IsolationLevel | None = None,
) -> InputsReport:
    """Run every input on the candidate's code and on the reference, each in its own sandbox."""
    static = analyse(request.code, request.function)
    iso = base_isolation(level or isolation.level_for(python))
    inputs = [call_text(request.function, args) for args in request.inputs]
    if static.syntax_error is not None:
        err = static.syntax_error
        why = f"syntax error at line {err.line}, column {err.column}: {err.message}"
        return InputsReport(status="syntax_error", message=why, static=static, isolation=iso)
    candidate = _Side(request.code, request, iso.level, python, cancel)
    candidate.max_value = UNKNOWN_VALUE
    reference = _Side(request.reference_solution, request, iso.level, python, cancel)
    beside = threading.Thread(target=reference.run, daemon=True)
    beside.start()
    try:
        candidate.run()
    finally:
        beside.join()
    if cancel is not None and cancel.is_set():
        raise RunCancelled("the run was cancelled")
    candidate.session.isolation(iso)
    results = []
    for index, text in enumerate(inputs):
        mine, my_value = candidate.outcome(index)
        theirs, their_value = reference.outcome(index)
        agree = None
        if mine.verdict == theirs.verdict == "returned":
            agree = same(my_value, their_value, request.compare, request.float_tolerance)
        results.append(InputResult(input=text, candidate=mine, reference=theirs, same=agree))
    status = "completed"
    if candidate.load_exception is not None:
        status = "load_error"
    elif candidate.problem.startswith("does not define"):
        status = "missing_function"
    elif candidate.problem:
        status = "crashed"
    message = f"your code {candidate.problem}" if candidate.problem else ""
    if reference.problem:
        message = "; ".join(p for p in (message, f"the reference {reference.problem}") if p)
    return InputsReport(
        status=status,
        message=message,
        results=results,
        load_exception=candidate.load_exception,
        static=static,
        isolation=iso,
    )
