"""Run candidate code in a separate, limited process and turn what it reported into a report.

The parent never executes candidate code. It prepares a private folder (the run folder the
child may write in, plus a results file and a console file outside it), starts the child in its
own session, waits with a wall-clock budget, kills the whole process group, reads the results
written so far and removes everything. A child that dies or hangs mid-run still yields a verdict
for every test: the ones it finished, the one it was on, and the ones it never reached.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interview_sim.sandbox import isolation
from interview_sim.sandbox.models import (
    CaseResult,
    ExceptionInfo,
    Isolation,
    PerformanceResult,
    RunReport,
    RunRequest,
    RunStatus,
    StaticReport,
)
from interview_sim.sandbox.static import analyse

RESULTS_CAP = 8 * 1024 * 1024
CONSOLE_CAP = 16 * 1024


class SandboxError(Exception):
    """The sandbox itself could not run (not a problem with the candidate's code)."""


class RunCancelled(SandboxError):
    """The caller cancelled the run: its whole process group was killed and nothing is reported."""


def wall_budget(request: RunRequest) -> float:
    """Seconds the whole child may live: start-up plus every test's own cap."""
    limits = request.limits
    tests = len(request.cases) + (request.check is not None)
    budget = limits.startup_seconds + tests * limits.case_seconds
    if request.performance is not None:
        budget += 3 * limits.perf_wall_seconds  # two reference runs and the candidate's
    return budget


def _job(request: RunRequest, work: Path, results: Path, budget: float) -> dict[str, Any]:
    limits = request.limits
    perf = request.performance
    return {
        "code": request.code,
        "function": request.function,
        "cases": [{"args": c.args, "expected": c.expected} for c in request.cases],
        "check": request.check,
        "compare": request.compare,
        "tolerance": request.float_tolerance,
        "performance": None
        if perf is None
        else {
            "generator": perf.generator,
            "reference": perf.reference_solution,
            "n": perf.n,
            "ratio": limits.perf_ratio,
            "floor_seconds": limits.perf_floor_seconds,
            "wall_seconds": limits.perf_wall_seconds,
        },
        "root": str(work),
        "parent_pid": os.getpid(),
        "results": str(results),
        "limits": {
            "memory_mb": limits.memory_mb,
            "cpu_seconds": math.ceil(budget) + 1,
            "file_mb": limits.file_mb,
            "max_files": limits.max_files,
            "open_files": limits.open_files,
            "case_seconds": limits.case_seconds,
            "output_bytes": limits.output_bytes,
            "audit_hooks": limits.audit_hooks,
        },
    }


def _read_capped(path: Path, cap: int) -> tuple[bytes, bool]:
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    return data[:cap], len(data) > cap


def _events(path: Path) -> list[dict[str, Any]]:
    data, _ = _read_capped(path, RESULTS_CAP)
    events = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue  # the last line of a killed child may be cut short
        if isinstance(event, dict):
            events.append(event)
    return events


class _Collector:
    """Folds the child's event stream and its fate into a ``RunReport``."""

    def __init__(self, request: RunRequest, static: StaticReport, isolation_: Isolation) -> None:
        self.request = request
        self.static = static
        self.isolation = isolation_
        self.cases: dict[int, CaseResult] = {}
        self.performance: PerformanceResult | None = None
        self.reference: tuple[float, float] | None = None
        self.started: int | None = None
        self.status: RunStatus | None = None
        self.load_exception: ExceptionInfo | None = None
        self.load_output = ""
        self.ready = False
        self.harness_problem = ""

    def _name(self, index: int) -> tuple[str, str]:
        if index < len(self.request.cases):
            case = self.request.cases[index]
            return case.name, case.kind
        return "check", "check"

    def feed(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "ready":
            self.ready = True
            self.isolation.resource_limits = list(event.get("limits", []))
            self.isolation.seccomp = bool(event.get("seccomp"))
            self.isolation.audit_hooks = bool(event.get("audit_hooks"))
        elif kind == "reference":
            self.reference = (float(event["seconds"]), float(event["limit"]))
        elif kind == "start":
            self.started = int(event["index"])
        elif kind == "case":
            index = int(event["index"])
            name, case_kind = self._name(index)
            fields = {k: v for k, v in event.items() if k not in ("event", "index")}
            self.cases[index] = CaseResult.model_validate(
                {**fields, "name": name, "kind": case_kind}
            )
            self.started = None
        elif kind == "performance":
            self._performance(event)
            self.started = None
        elif kind in ("load_error", "missing_function"):
            self.status = kind
            self.load_output = str(event.get("stdout", ""))
            if event.get("exception"):
                self.load_exception = ExceptionInfo.model_validate(event["exception"])
        elif kind == "loaded":
            self.load_output = str(event.get("stdout", ""))
        elif kind == "done":
            self.status = "completed"
        elif kind == "harness_error":
            self.status = "harness_error"
            self.harness_problem = str(event.get("message", ""))

    def _performance(self, event: dict[str, Any]) -> None:
        assert self.request.performance is not None
        n = self.request.performance.n
        ref, limit = self.reference or (None, None)
        verdict = event["verdict"]
        seconds = event.get("seconds")
        exception = (
            ExceptionInfo.model_validate(event["exception"]) if event.get("exception") else None
        )
        basis = (
            f"limit {limit:.2f}s CPU = {self.request.limits.perf_ratio:g}x the reference"
            f" ({ref:.3f}s) + {self.request.limits.perf_floor_seconds:g}s"
            if ref is not None and limit is not None
            else ""
        )
        if verdict == "too_slow":
            clock = "CPU" if event.get("clock") == "cpu" else "wall-clock"
            message = f"too slow for n={n}: stopped at the {clock} limit ({basis})"
        elif verdict == "passed":
            message = f"fast enough for n={n}: {seconds:.3f}s CPU ({basis})"
        elif verdict == "failed":
            message = (
                f"wrong answer for n={n}: returned {event.get('actual')},"
                f" expected {event.get('expected')}"
            )
        else:
            message = f"error for n={n}: {exception.describe() if exception else 'unknown'}"
        self.performance = PerformanceResult(
            verdict=verdict,
            n=n,
            reference_seconds=ref,
            limit_seconds=limit,
            seconds=seconds,
            exception=exception,
            message=message,
        )

    def report(
        self, returncode: int | None, timed_out: bool, wall: float, console: str
    ) -> RunReport:
        status: RunStatus
        if timed_out:
            fate = f"stopped after the run's wall-clock budget of {wall_budget(self.request):.0f}s"
            status = "timed_out"
        elif returncode is not None and returncode != 0 and self.status is None:
            fate = f"{isolation.exit_description(returncode)}: {isolation.crash_hint(returncode)}"
            status = "crashed"
        else:
            fate = ""
            status = self.status or "crashed"
            if self.status is None:
                fate = "the process exited before finishing (sys.exit or os._exit in the code?)"
        if self.status == "harness_error":
            fate = f"the sandbox harness failed: {self.harness_problem}"
        elif not self.ready and not timed_out:
            status = "harness_error"
            fate = f"the sandbox process did not start ({fate or 'no report'}): {console[-500:]}"
        cases = self._all_cases(status, fate, timed_out)
        performance = self._final_performance(fate, timed_out)
        return RunReport(
            status=status,
            message=fate if status != "completed" else "",
            cases=cases,
            performance=performance,
            static=self.static,
            load_exception=self.load_exception,
            load_output=self.load_output,
            console=console,
            exit=isolation.exit_description(returncode) if returncode is not None else "killed",
            wall_seconds=round(wall, 3),
            isolation=self.isolation,
        )

    def _all_cases(self, status: RunStatus, fate: str, timed_out: bool) -> list[CaseResult]:
        count = len(self.request.cases) + (self.request.check is not None)
        results = []
        for index in range(count):
            if index in self.cases:
                results.append(self.cases[index])
                continue
            name, kind = self._name(index)
            case_input = (
                _call_text(self.request.function, self.request.cases[index].args)
                if index < len(self.request.cases)
                else "check(candidate)"
            )
            if status in ("load_error", "missing_function"):
                why = (
                    f"the solution failed to load: {self.load_exception.describe()}"
                    if self.load_exception
                    else f"the code does not define {self.request.function}()"
                )
                verdict = "error"
            elif index == self.started:
                verdict = "timeout" if timed_out else "error"
                why = fate
            else:
                verdict = "error"
                why = f"not run: {fate}" if fate else "not run"
            results.append(
                CaseResult(
                    name=name,
                    kind=kind,
                    verdict=verdict,
                    input=case_input,
                    message=why,
                )
            )
        return results

    def _final_performance(self, fate: str, timed_out: bool) -> PerformanceResult | None:
        spec = self.request.performance
        if spec is None or self.performance is not None:
            return self.performance
        perf_index = len(self.request.cases) + (self.request.check is not None)
        if self.started == perf_index and timed_out:
            return PerformanceResult(
                verdict="too_slow",
                n=spec.n,
                reference_seconds=self.reference[0] if self.reference else None,
                limit_seconds=self.reference[1] if self.reference else None,
                message=f"too slow for n={spec.n}: {fate}",
            )
        return PerformanceResult(
            verdict="not_run", n=spec.n, message=f"not run: {fate or 'the solution did not load'}"
        )


def _call_text(function: str, args: list[Any]) -> str:
    return f"{function}({', '.join(repr(a) for a in args)})"[:300]


def _wait(
    process: subprocess.Popen[bytes],
    job: bytes,
    budget: float,
    cancel: threading.Event | None,
) -> bool:
    """Feed the job, wait for the child, kill its whole group; True if the budget ran out.

    A timer does the killing so the wait itself blocks instead of polling (polling adds up to
    50 ms to every run). A cancel event, when given, is watched from a side thread that kills
    the group as soon as it is set. The child is reaped only after its group is killed, so the
    group id cannot have been reused by an unrelated process.
    """
    expired = threading.Event()
    finished = threading.Event()

    def expire() -> None:
        expired.set()
        isolation.kill_group(process)

    def watch(event: threading.Event) -> None:
        while not finished.is_set():
            if event.wait(0.05):
                isolation.kill_group(process)
                return

    timer = threading.Timer(budget, expire)
    timer.start()
    watcher = threading.Thread(target=watch, args=(cancel,), daemon=True) if cancel else None
    if watcher is not None:
        watcher.start()
    try:
        _feed(process, job)
        isolation.wait_unreaped(process)
    finally:
        finished.set()
        timer.cancel()
        isolation.kill_group(process)
        process.wait()
    return expired.is_set()


def _feed(process: subprocess.Popen[bytes], job: bytes) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(job)
    except BrokenPipeError:
        pass  # the child died before reading; its fate is reported from what it left
    finally:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()


def _syntax_report(request: RunRequest, static: StaticReport, iso: Isolation) -> RunReport:
    assert static.syntax_error is not None
    err = static.syntax_error
    why = f"syntax error at line {err.line}, column {err.column}: {err.message}"
    cases = [
        CaseResult(
            name=c.name,
            kind=c.kind,
            verdict="error",
            input=_call_text(request.function, c.args),
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


def run_code(
    request: RunRequest, python: str = sys.executable, *, cancel: threading.Event | None = None
) -> RunReport:
    """Run ``request`` in a fresh sandbox process; ``SandboxError`` only if it cannot start.

    Setting ``cancel`` kills the run at once and raises :class:`RunCancelled`.
    """
    static = analyse(request.code, request.function)
    prefix = isolation.unshare_prefix()
    iso = Isolation(platform=sys.platform, network_namespace=bool(prefix), process_group=True)
    if static.syntax_error is not None:
        return _syntax_report(request, static, iso)
    base = Path(tempfile.mkdtemp(prefix="interview-sim-run-"))
    try:
        work = base / "work"
        work.mkdir()
        results = base / "results.jsonl"
        results.touch()
        console_path = base / "console.txt"
        budget = wall_budget(request)
        job = json.dumps(_job(request, work, results, budget)).encode()
        collector = _Collector(request, static, iso)
        started = time.perf_counter()
        with console_path.open("wb") as console:
            try:
                process = subprocess.Popen(
                    isolation.child_command(python),
                    stdin=subprocess.PIPE,
                    stdout=console,
                    stderr=console,
                    cwd=work,
                    env=isolation.scrubbed_env(work),
                    **isolation.popen_options(),
                )
            except OSError as exc:
                raise SandboxError(f"cannot start the sandbox interpreter: {exc}") from exc
            timed_out = _wait(process, job, budget, cancel)
        if cancel is not None and cancel.is_set():
            raise RunCancelled("the run was cancelled")
        wall = time.perf_counter() - started
        for event in _events(results):
            collector.feed(event)
        raw, truncated = _read_capped(console_path, CONSOLE_CAP)
        console_text = raw.decode("utf-8", errors="replace")
        if truncated:
            console_text += "\n[console output truncated]"
        return collector.report(
            None if timed_out else process.returncode, timed_out, wall, console_text
        )
    except ValidationError as exc:
        raise SandboxError(f"the sandbox reported something unreadable: {exc}") from exc
    finally:
        shutil.rmtree(base, ignore_errors=True)
