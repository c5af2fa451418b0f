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
from typing import Any

from interview_sim.sandbox import isolation
from interview_sim.sandbox.channel import (
    ChannelCancelled,
    ChannelClosed,
    ChannelError,
    ChannelTimeout,
    ProtocolViolation,
)
from interview_sim.sandbox.compare import as_json, same
from interview_sim.sandbox.messages import (
    CallReply,
    HarnessProblem,
    JudgeCall,
    JudgeVerdict,
    LoadFailed,
    Prepared,
    call_text,
    parse,
    shown,
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
from interview_sim.sandbox.process import StartFailed
from interview_sim.sandbox.session import GRACE_SECONDS, Session
from interview_sim.sandbox.static import analyse

CPU_SLACK_SECONDS = 0.25
"""CPU the candidate's process may spend on the messages of the performance call."""


class SandboxError(Exception):
    """The sandbox itself could not run (not a problem with the candidate's code)."""


class RunCancelled(SandboxError):
    """The caller cancelled the run: its processes were killed and nothing is reported."""


class _Stop(Exception):
    """Ends the run early: the status, why, and the verdict of the test under way."""

    def __init__(self, status: RunStatus, message: str, verdict: str = "error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.verdict = verdict


def wall_budget(request: RunRequest) -> float:
    """Seconds a run may take at most: start-up plus every test's own cap and grace."""
    limits = request.limits
    tests = len(request.cases) + (request.check is not None) + 1  # + loading
    budget = limits.startup_seconds + tests * (limits.case_seconds + GRACE_SECONDS)
    if request.performance is not None:
        budget += limits.startup_seconds + 3 * limits.perf_wall_seconds
    return budget


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
        except _Stop as stop:
            status, message = stop.status, stop.message
            if self.current is not None and self.current not in self.cases:
                self._mark_current(stop)
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

    def _run_candidate(self, prepared: Prepared | None) -> RunStatus:
        request = self.request
        self.candidate = candidate = self._session(cpu_budget(request))
        try:
            self._guard(lambda: candidate.start({"role": "candidate", **self._code_job()}))
        except _Stop as stop:
            if stop.status in ("crashed", "timed_out"):
                raise _Stop(
                    "harness_error", f"the sandbox process did not start ({stop})"
                ) from stop
            raise
        candidate.isolation(self.iso)
        loaded = self._guard(candidate.load)
        self.load_output = loaded.stdout
        if isinstance(loaded, LoadFailed):
            self.load_exception = loaded.exception.info("solution")
            return "load_error"
        if loaded.event == "missing_function":
            return "missing_function"
        for index, case in enumerate(request.cases):
            self.current = index
            reply, seconds = self._guard(
                lambda c=case: candidate.call(c.args, request.limits.case_seconds)
            )
            self.cases[index] = self._case_result(index, reply, seconds)
        if request.check is not None:
            self.current = len(request.cases)
            self.cases[self.current] = self._check(candidate)
        if prepared is not None:
            self.current = len(request.cases) + (request.check is not None)
            self.performance = self._performance(candidate, prepared)
        self.current = None
        return "completed"

    def _code_job(self) -> dict[str, Any]:
        return {"code": self.request.code, "function": self.request.function}

    def _guard(self, step: Any) -> Any:
        """Run one step, turning what can go wrong with a child into a :class:`_Stop`."""
        try:
            return step()
        except ChannelCancelled as exc:
            raise _Stop("harness_error", "the run was cancelled") from exc
        except ChannelTimeout as exc:
            limit = self.request.limits.case_seconds
            raise _Stop(
                "timed_out",
                f"no result within {limit:g}s; the process was stopped from outside",
                "timeout",
            ) from exc
        except ChannelClosed as exc:
            raise _Stop("crashed", "the process ended before finishing") from exc
        except ProtocolViolation as exc:
            raise _Stop("protocol_error", f"the sandbox stopped the run: {exc}") from exc
        except HarnessProblem as exc:
            raise _Stop("harness_error", f"the sandbox harness failed: {exc}") from exc
        except StartFailed as exc:
            raise SandboxError(str(exc)) from exc

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
                else "returned a value too large to send back: a wrong answer"
            )
        elif reply.timeout is not None:
            result.verdict = "timeout"
            result.message = f"no result within {self.request.limits.case_seconds:g}s"
        else:
            result.exception = reply.exception.info("solution") if reply.exception else None
        return result

    def _check(self, candidate: Session) -> CaseResult:
        """The check block, run by a judge process that calls the candidate through us."""
        request = self.request
        limit = request.limits.case_seconds
        judge = self._session(5.0 + limit)
        job = {
            "role": "judge",
            "check": request.check,
            "helpers": request.helpers,
            "function": request.function,
        }
        try:
            judge.start(job)
        except (ChannelError, HarnessProblem) as exc:
            raise _Stop("harness_error", f"the check process did not start: {exc}") from exc
        deadline = time.monotonic() + limit + GRACE_SECONDS
        started = time.monotonic()
        while True:
            try:
                message = parse(judge.receive(deadline), JudgeCall, JudgeVerdict)
            except ChannelTimeout as exc:
                raise _Stop(
                    "timed_out", f"the check block did not finish within {limit:g}s", "timeout"
                ) from exc
            except (ChannelError, HarnessProblem) as exc:
                raise _Stop("harness_error", f"the check process failed: {exc}") from exc
            if isinstance(message, JudgeVerdict):
                break
            reply = self._relayed(candidate, message, deadline)
            relay = reply.model_dump(include={"ok", "value", "timeout", "not_json", "exception"})
            if reply.too_large:
                relay["not_json"] = "value too large to send"
            try:
                judge.send(relay, deadline)
            except ChannelError as exc:
                raise _Stop("harness_error", f"the check process failed: {exc}") from exc
        exception = message.exception.info() if message.exception else None
        return CaseResult(
            name="check",
            kind="check",
            verdict=message.verdict,
            input=message.input,
            exception=exception,
            stdout=message.stdout[: request.limits.output_bytes + 200],
            stdout_truncated=message.stdout_truncated,
            seconds=round(time.monotonic() - started, 4),
            message=f"the check block did not finish within {limit:g}s"
            if message.verdict == "timeout"
            else "",
        )

    def _relayed(self, candidate: Session, call: JudgeCall, deadline: float) -> CallReply:
        """One call from the check block, made on the candidate with the check's time left."""
        left = max(0.01, deadline - time.monotonic())
        reply: CallReply = self._guard(
            lambda: candidate.answer(candidate.ask(call.args, left, None, deadline), deadline)
        )
        return reply

    # ---- performance ---------------------------------------------------------------------

    def _prepare_reference(self) -> Prepared | None:
        spec = self.request.performance
        assert spec is not None
        limits = self.request.limits
        reference = self._session(5.0 + 3 * limits.perf_wall_seconds)
        job = {
            "role": "reference",
            "generator": spec.generator,
            "reference": spec.reference_solution,
            "function": self.request.function,
            "n": spec.n,
        }
        try:
            reference.start(job)
            deadline = time.monotonic() + 3 * limits.perf_wall_seconds
            prepared: Prepared = parse(reference.receive(deadline), Prepared)
        except StartFailed as exc:
            raise SandboxError(str(exc)) from exc
        except (ChannelError, HarnessProblem) as exc:
            if isinstance(exc, ChannelCancelled):
                raise _Stop("harness_error", "the run was cancelled") from exc
            self.performance = PerformanceResult(
                verdict="error",
                n=spec.n,
                message=f"the performance case could not be prepared: {exc}",
            )
            return None
        finally:
            reference.process.kill()
        return prepared

    def _performance(self, candidate: Session, prepared: Prepared) -> PerformanceResult:
        spec = self.request.performance
        assert spec is not None
        limits = self.request.limits
        limit = limits.perf_ratio * prepared.seconds + limits.perf_floor_seconds
        basis = (
            f"limit {limit:.2f}s CPU = {limits.perf_ratio:g}x the reference"
            f" ({prepared.seconds:.3f}s) + {limits.perf_floor_seconds:g}s"
        )
        result = PerformanceResult(
            verdict="error", n=spec.n, reference_seconds=round(prepared.seconds, 4)
        )
        result.limit_seconds = round(limit, 4)
        # Measured from outside, the CPU also covers building the input in the candidate's
        # process: allowed for at twice what building it took the reference's process.
        outside_limit = limit + 2 * prepared.generate_seconds + CPU_SLACK_SECONDS
        generate = {"generator": spec.generator, "n": spec.n}
        cpu_start = candidate.process.cpu_seconds()
        wall_deadline = time.monotonic() + limits.perf_wall_seconds + GRACE_SECONDS
        wall_deadline += 2 * prepared.generate_seconds
        call_id = self._guard(
            lambda: candidate.ask([], limits.perf_wall_seconds, limit, wall_deadline, generate)
        )
        reply: CallReply | None = None
        clock = ""
        while reply is None:
            step = min(wall_deadline, time.monotonic() + 0.1)
            try:
                reply = self._guard(lambda s=step: candidate.answer(call_id, s))
            except _Stop as stop:
                if stop.verdict != "timeout":
                    raise
            used = self._cpu_used(candidate, cpu_start)
            if reply is None and used is not None and used > outside_limit:
                clock = "CPU"
            elif reply is None and time.monotonic() >= wall_deadline:
                clock = "wall-clock"
            if clock:
                candidate.process.kill()
                result.verdict = "too_slow"
                result.message = f"too slow for n={spec.n}: stopped at the {clock} limit ({basis})"
                return result
        used = self._cpu_used(candidate, cpu_start)
        over = used is not None and used > outside_limit
        seconds = min(reply.cpu_seconds, used) if used is not None else reply.cpu_seconds
        if reply.timeout is not None or over:
            clock = "CPU" if reply.timeout != "wall" else "wall-clock"
            result.verdict = "too_slow"
            result.message = f"too slow for n={spec.n}: stopped at the {clock} limit ({basis})"
        elif not reply.ok:
            result.exception = reply.exception.info("solution") if reply.exception else None
            what = result.exception.describe() if result.exception else "unknown"
            result.message = f"error for n={spec.n}: {what}"
        elif (
            reply.not_json is None
            and reply.too_large is None
            and same(
                reply.value, prepared.expected, self.request.compare, self.request.float_tolerance
            )
        ):
            result.verdict = "passed"
            result.seconds = round(seconds, 4)
            result.message = f"fast enough for n={spec.n}: {seconds:.3f}s CPU ({basis})"
        else:
            result.verdict = "failed"
            actual = shown(reply.value) if reply.not_json is None else reply.shown
            result.message = (
                f"wrong answer for n={spec.n}: returned {actual},"
                f" expected {shown(prepared.expected)}"
            )
        return result

    @staticmethod
    def _cpu_used(candidate: Session, start: float | None) -> float | None:
        now = candidate.process.cpu_seconds()
        return None if now is None or start is None else now - start

    # ---- the report ----------------------------------------------------------------------

    def _mark_current(self, stop: _Stop) -> None:
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


__all__ = ["RunCancelled", "SandboxError", "run_code", "wall_budget"]
