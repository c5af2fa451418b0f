"""Run candidate code in sandbox processes and decide every verdict in this (the parent) process.

The candidate's process gets the solution and, one call at a time, the arguments of each test;
it sends back JSON. Expected values, hidden tests, the check block and the reference solution
never enter it: the check runs in a judge process that calls the candidate through this
process, and the reference is timed on the performance input in a process of its own.
Each step has a deadline kept from outside; a process that overruns it, dies, or says anything
the protocol does not allow ends the run with a verdict for every test.
"""

from __future__ import annotations

import sys
import threading
import time
from functools import partial
from typing import Any

from interview_sim.sandbox import isolation
from interview_sim.sandbox.checks import judge_check
from interview_sim.sandbox.compare import as_json, same
from interview_sim.sandbox.messages import (
    CallReply,
    LoadFailed,
    Prepared,
    call_text,
    shown,
    value_cap,
)
from interview_sim.sandbox.models import (
    CaseResult,
    ExceptionInfo,
    Isolation,
    IsolationLevel,
    PerformanceResult,
    RunReport,
    RunRequest,
    RunStatus,
    StaticReport,
)
from interview_sim.sandbox.performance import measure, prepare, reference_cpu_seconds
from interview_sim.sandbox.process import MESSAGE_CAP, StartFailed
from interview_sim.sandbox.session import Session
from interview_sim.sandbox.static import analyse
from interview_sim.sandbox.steps import RunCancelled, SandboxError, Stop, guard


def cpu_budget(request: RunRequest) -> float:
    """The candidate process's whole-run CPU limit: every test's cap, plus start-up."""
    limits = request.limits
    tests = len(request.cases) + (request.check is not None) + 1
    cpu = 5.0 + tests * limits.case_seconds
    if request.performance is not None:
        cpu += limits.perf_wall_seconds
    return cpu


class _Run:
    def __init__(
        self,
        request: RunRequest,
        static: StaticReport,
        iso: Isolation,
        python: str,
        cancel: threading.Event | None,
    ) -> None:
        self.request = request
        self.static = static
        self.iso = iso
        self.python = python
        self.cancel = cancel
        self.level: IsolationLevel = iso.level
        self.cases: dict[int, CaseResult] = {}
        self.current: int | None = None
        self.performance: PerformanceResult | None = None
        self.load_exception: ExceptionInfo | None = None
        self.load_output = ""
        self.sessions: list[Session] = []
        self.candidate: Session | None = None

    def _session(self, cpu_seconds: float) -> Session:
        session = Session(self.level, self.python, self.request.limits, cpu_seconds, self.cancel)
        self.sessions.append(session)
        return session

    # ---- the run -------------------------------------------------------------------------

    def execute(self) -> RunReport:
        started = time.perf_counter()
        status: RunStatus = "completed"
        message = ""
        returncode: int | None = None
        console = ""
        try:
            prepared = self._prepare_reference() if self.request.performance else None
            status = self._run_candidate(prepared)
        except Stop as stop:
            status, message = stop.status, stop.message
            if self.current is not None and self.current not in self.cases:
                self._mark_current(stop)
        except StartFailed as exc:  # a later process (the check's judge) could not start
            raise SandboxError(str(exc)) from exc
        finally:
            for session in self.sessions:
                code = session.process.finish(wait_exit=status == "crashed")
                if session is self.candidate:
                    returncode = code
                    console = session.process.console_text()
                else:
                    session.process.console.close()
        if self.cancel is not None and self.cancel.is_set():
            raise RunCancelled("the run was cancelled")
        if status == "harness_error" and "did not start" in message:
            message += f": {console[-500:]}" if console else ""
        if status == "crashed" and returncode is not None:
            message = self._crash_message(returncode)
            current = self.cases.get(self.current) if self.current is not None else None
            if current is not None and current.verdict == "error":
                current.message = message
        return RunReport(
            status=status,
            message=message if status != "completed" else "",
            cases=self._all_cases(status, message),
            performance=self._final_performance(message),
            static=self.static,
            load_exception=self.load_exception,
            load_output=self.load_output,
            console=console,
            exit=self._exit_text(status, returncode),
            wall_seconds=round(time.perf_counter() - started, 3),
            isolation=self.iso,
        )

    def _prepare_reference(self) -> Prepared | None:
        reference = self._session(reference_cpu_seconds(self.request))
        prepared = prepare(self.request, reference)
        if isinstance(prepared, PerformanceResult):
            self.performance = prepared
            return None
        return prepared

    def _run_candidate(self, prepared: Prepared | None) -> RunStatus:
        request = self.request
        limit = request.limits.case_seconds
        self.candidate = candidate = self._session(cpu_budget(request))
        try:
            guard(lambda: candidate.start({"role": "candidate", **self._code_job()}), limit)
        except Stop as stop:
            if stop.status in ("crashed", "timed_out"):
                raise Stop("harness_error", f"the sandbox process did not start ({stop})") from stop
            raise
        candidate.isolation(self.iso)
        loaded = guard(candidate.load, limit)
        self.load_output = loaded.stdout
        if isinstance(loaded, LoadFailed):
            self.load_exception = loaded.exception.info("solution")
            return "load_error"
        if loaded.event == "missing_function":
            return "missing_function"
        for index, case in enumerate(request.cases):
            self.current = index
            cap = value_cap(as_json(case.expected), MESSAGE_CAP)
            reply, seconds = guard(partial(candidate.call, case.args, limit, max_value=cap), limit)
            self.cases[index] = self._case_result(index, reply, seconds)
        if request.check is not None:
            self.current = len(request.cases)
            judge = self._session(5.0 + limit)
            self.cases[self.current] = judge_check(request, candidate, judge)
        if prepared is not None:
            self.current = len(request.cases) + (request.check is not None)
            self.performance = measure(request, candidate, prepared)
        self.current = None
        return "completed"

    def _code_job(self) -> dict[str, Any]:
        return {"code": self.request.code, "function": self.request.function}

    # ---- verdicts ------------------------------------------------------------------------

    def _case_result(self, index: int, reply: CallReply, seconds: float) -> CaseResult:
        case = self.request.cases[index]
        result = CaseResult(
            name=case.name,
            kind=case.kind,
            verdict="error",
            input=call_text(self.request.function, case.args),
            expected=shown(as_json(case.expected)),
            stdout=reply.stdout[: self.request.limits.output_bytes + 200],
            stdout_truncated=reply.stdout_truncated,
            seconds=round(seconds, 4),
        )
        if reply.ok and reply.not_json is None and reply.too_large is None:
            result.actual = shown(reply.value)
            matched = same(
                reply.value,
                as_json(case.expected),
                self.request.compare,
                self.request.float_tolerance,
            )
            result.verdict = "pass" if matched else "fail"
        elif reply.ok:
            result.verdict = "fail"
            result.actual = reply.shown
            result.message = (
                f"returned a {reply.not_json}, which is not JSON-safe: a wrong answer"
                if reply.not_json
                else "returned a value too large or nested too deeply to send back: a wrong answer"
            )
        elif reply.timeout is not None:
            result.verdict = "timeout"
            result.message = f"no result within {self.request.limits.case_seconds:g}s"
        else:
            result.exception = reply.exception.info("solution") if reply.exception else None
        return result

    # ---- the report ----------------------------------------------------------------------

    def _mark_current(self, stop: Stop) -> None:
        assert self.current is not None
        if self.current < len(self.request.cases) + (self.request.check is not None):
            name, kind, text = self._describe(self.current)
            self.cases[self.current] = CaseResult(
                name=name,
                kind=kind,
                verdict="timeout" if stop.verdict == "timeout" else "error",
                input=text,
                message=stop.message,
            )

    def _describe(self, index: int) -> tuple[str, Any, str]:
        if index < len(self.request.cases):
            case = self.request.cases[index]
            return case.name, case.kind, call_text(self.request.function, case.args)
        return "check", "check", "check(candidate)"

    @staticmethod
    def _exit_text(status: RunStatus, returncode: int | None) -> str:
        if status == "completed":
            return "stopped after its last test"
        if status != "crashed" or returncode is None:
            return "killed"
        return isolation.exit_description(returncode)

    def _crash_message(self, returncode: int) -> str:
        if returncode == 0 or returncode > 0:
            return "the process exited before finishing (sys.exit or os._exit in the code?)"
        return f"{isolation.exit_description(returncode)}: {isolation.crash_hint(returncode)}"

    def _all_cases(self, status: RunStatus, fate: str) -> list[CaseResult]:
        count = len(self.request.cases) + (self.request.check is not None)
        results = []
        for index in range(count):
            if index in self.cases:
                results.append(self.cases[index])
                continue
            name, kind, text = self._describe(index)
            if status in ("load_error", "missing_function"):
                why = (
                    f"the solution failed to load: {self.load_exception.describe()}"
                    if self.load_exception
                    else f"the code does not define {self.request.function}()"
                )
            else:
                why = f"not run: {fate}" if fate else "not run"
            results.append(
                CaseResult(name=name, kind=kind, verdict="error", input=text, message=why)
            )
        return results

    def _final_performance(self, fate: str) -> PerformanceResult | None:
        spec = self.request.performance
        if spec is None or self.performance is not None:
            return self.performance
        perf_index = len(self.request.cases) + (self.request.check is not None)
        if self.current == perf_index:
            return PerformanceResult(verdict="error", n=spec.n, message=f"error: {fate}")
        return PerformanceResult(
            verdict="not_run", n=spec.n, message=f"not run: {fate or 'the solution did not load'}"
        )


def _syntax_report(request: RunRequest, static: StaticReport, iso: Isolation) -> RunReport:
    assert static.syntax_error is not None
    err = static.syntax_error
    why = f"syntax error at line {err.line}, column {err.column}: {err.message}"
    cases = [
        CaseResult(
            name=c.name,
            kind=c.kind,
            verdict="error",
            input=call_text(request.function, c.args),
            message=why,
        )
        for c in request.cases
    ]
    if request.check is not None:
        cases.append(
            CaseResult(name="check", kind="check", verdict="error", input="check", message=why)
        )
    perf = (
        PerformanceResult(verdict="not_run", n=request.performance.n, message=f"not run: {why}")
        if request.performance
        else None
    )
    return RunReport(
        status="syntax_error",
        message=why,
        cases=cases,
        performance=perf,
        static=static,
        isolation=iso,
    )


def base_isolation(level: IsolationLevel) -> Isolation:
    return Isolation(
        level=level,
        platform=sys.platform,
        network_namespace=level == isolation.BUBBLEWRAP or bool(isolation.unshare_prefix()),
        process_group=True,
    )


def run_code(
    request: RunRequest,
    python: str = sys.executable,
    *,
    cancel: threading.Event | None = None,
    level: IsolationLevel | None = None,
) -> RunReport:
    """Run ``request`` in fresh sandbox processes; ``SandboxError`` only if they cannot start.

    ``level`` forces an isolation level (tests use it to exercise the fallback); by default the
    strongest this machine offers. Setting ``cancel`` kills the run and raises
    :class:`RunCancelled`.
    """
    static = analyse(request.code, request.function)
    iso = base_isolation(level or isolation.level_for(python))
    if static.syntax_error is not None:
        return _syntax_report(request, static, iso)
    return _Run(request, static, iso, python, cancel).execute()


__all__ = ["RunCancelled", "SandboxError", "run_code"]
