"""The performance case: the reference timed in its own process, the candidate from outside.

The reference process builds the input with the bank's generator, times the reference solution
on it (CPU time, best of two) and sends back only the expected answer and its timings. The
candidate's process builds the same input and runs the solution once; the parent reads that
process's CPU time from ``/proc`` while it waits, and stops it at the limit, so neither a loop in
C nor a process that lies about its own timing can stretch the limit.
"""

from __future__ import annotations

import time
from functools import partial

from interview_sim.sandbox.channel import ChannelCancelled, ChannelError
from interview_sim.sandbox.compare import same
from interview_sim.sandbox.messages import (
    CallReply,
    HarnessProblem,
    Prepared,
    parse,
    shown,
    value_cap,
)
from interview_sim.sandbox.models import PerformanceResult, RunRequest
from interview_sim.sandbox.process import MESSAGE_CAP, StartFailed
from interview_sim.sandbox.session import GRACE_SECONDS, Session
from interview_sim.sandbox.steps import SandboxError, Stop, guard

CPU_SLACK_SECONDS = 0.25
"""CPU the candidate's process may spend on the messages of the performance call."""
POLL_SECONDS = 0.1


def reference_cpu_seconds(request: RunRequest) -> float:
    return 5.0 + 3 * request.limits.perf_wall_seconds


def prepare(request: RunRequest, reference: Session) -> Prepared | PerformanceResult:
    """The expected answer and timings, or the error verdict when the bank's code failed."""
    spec = request.performance
    assert spec is not None
    job = {
        "role": "reference",
        "generator": spec.generator,
        "reference": spec.reference_solution,
        "function": request.function,
        "n": spec.n,
    }
    try:
        reference.start(job)
        deadline = time.monotonic() + 3 * request.limits.perf_wall_seconds
        prepared: Prepared = parse(reference.receive(deadline), Prepared)
    except StartFailed as exc:
        raise SandboxError(str(exc)) from exc
    except ChannelCancelled as exc:
        raise Stop("harness_error", "the run was cancelled") from exc
    except (ChannelError, HarnessProblem) as exc:
        return PerformanceResult(
            verdict="error", n=spec.n, message=f"the performance case could not be prepared: {exc}"
        )
    finally:
        reference.process.kill()
    return prepared


def measure(request: RunRequest, candidate: Session, prepared: Prepared) -> PerformanceResult:
    spec = request.performance
    assert spec is not None
    limits = request.limits
    limit = limits.perf_ratio * prepared.seconds + limits.perf_floor_seconds
    basis = _basis(limit, prepared, request)
    result = PerformanceResult(
        verdict="error",
        n=spec.n,
        reference_seconds=round(prepared.seconds, 4),
        limit_seconds=round(limit, 4),
    )
    # Measured from outside, the CPU also covers building the input in the candidate's
    # process: allowed for at twice what building it took the reference's process.
    outside_limit = limit + 2 * prepared.generate_seconds + CPU_SLACK_SECONDS
    cpu_start = candidate.process.cpu_seconds()
    wall = limits.perf_wall_seconds + 2 * prepared.generate_seconds
    deadline = time.monotonic() + wall + GRACE_SECONDS
    generate = {"generator": spec.generator, "n": spec.n}
    cap = value_cap(prepared.expected, MESSAGE_CAP)
    call_id = guard(
        lambda: candidate.ask(
            [], limits.perf_wall_seconds, limit, deadline, generate, max_value=cap
        ),
        wall,
    )
    reply: CallReply | None = None
    while reply is None:
        step = min(deadline, time.monotonic() + POLL_SECONDS)
        try:
            reply = guard(partial(candidate.answer, call_id, step), wall)
        except Stop as stop:
            if stop.verdict != "timeout":
                raise
        used = _used(candidate, cpu_start)
        clock = ""
        if reply is None and used is not None and used > outside_limit:
            clock = "CPU"
        elif reply is None and time.monotonic() >= deadline:
            clock = "wall-clock"
        if clock:
            candidate.process.kill()
            return _too_slow(result, spec.n, clock, basis)
    used = _used(candidate, cpu_start)
    # Where /proc is missing (not Linux) the child's own figure is all there is.
    measured = used if used is not None else reply.cpu_seconds
    if reply.timeout is not None or not measured <= outside_limit:  # NaN counts as over
        clock = "wall-clock" if reply.timeout == "wall" else "CPU"
        return _too_slow(result, spec.n, clock, basis)
    if not reply.ok:
        result.exception = reply.exception.info("solution") if reply.exception else None
        what = result.exception.describe() if result.exception else "unknown"
        result.message = f"error for n={spec.n}: {what}"
        return result
    answered = reply.not_json is None and reply.too_large is None
    if answered and same(reply.value, prepared.expected, request.compare, request.float_tolerance):
        # The child's own figure leaves out building the input, so it is shown when smaller;
        # but it is the child's word, so it may not go below what was measured less the
        # allowance for building the input (a patched process_time claimed 0.000s).
        claim = reply.cpu_seconds if reply.cpu_seconds >= 0 else 0.0
        seconds = min(max(claim, measured - (outside_limit - limit)), measured)
        result.verdict = "passed"
        result.seconds = round(seconds, 4)
        result.message = f"fast enough for n={spec.n}: {seconds:.3f}s CPU ({basis})"
        return result
    actual = shown(reply.value) if answered else reply.shown
    result.verdict = "failed"
    result.message = (
        f"wrong answer for n={spec.n}: returned {actual}, expected {shown(prepared.expected)}"
    )
    return result


def _used(candidate: Session, start: float | None) -> float | None:
    now = candidate.process.cpu_seconds()
    return None if now is None or start is None else now - start


def _basis(limit: float, prepared: Prepared, request: RunRequest) -> str:
    limits = request.limits
    return (
        f"limit {limit:.2f}s CPU = {limits.perf_ratio:g}x the reference"
        f" ({prepared.seconds:.3f}s) + {limits.perf_floor_seconds:g}s"
    )


def _too_slow(result: PerformanceResult, n: int, clock: str, basis: str) -> PerformanceResult:
    result.verdict = "too_slow"
    result.message = f"too slow for n={n}: stopped at the {clock} limit ({basis})"
    return result
