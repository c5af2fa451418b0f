"""A bank's ``check(candidate)`` block, judged outside the candidate's process.

The judge process runs the check beside the problem's own code; each call it makes on the
candidate comes here as JSON, goes to the candidate's process as an ordinary call, and only the
JSON answer goes back. The check's verdict is the judge's: it ran bank code on plain values.
"""

from __future__ import annotations

import contextlib
import time

from interview_sim.sandbox.channel import ChannelError, ChannelTimeout
from interview_sim.sandbox.messages import (
    UNKNOWN_VALUE,
    CallReply,
    HarnessProblem,
    JudgeCall,
    JudgeVerdict,
    parse,
)
from interview_sim.sandbox.models import CaseResult, RunRequest
from interview_sim.sandbox.session import GRACE_SECONDS, Session
from interview_sim.sandbox.steps import Stop, guard


def judge_check(request: RunRequest, candidate: Session, judge: Session) -> CaseResult:
    """Run the check in ``judge``, relaying its calls to ``candidate``, within one test's time."""
    limit = request.limits.case_seconds
    job = {
        "role": "judge",
        "check": request.check,
        "helpers": request.helpers,
        "function": request.function,
    }
    try:
        judge.start(job)
    except (ChannelError, HarnessProblem) as exc:
        raise Stop("harness_error", f"the check process did not start: {exc}") from exc
    started = time.monotonic()
    deadline = started + limit + GRACE_SECONDS
    while True:
        try:
            message = parse(judge.receive(deadline), JudgeCall, JudgeVerdict)
        except ChannelTimeout as exc:
            why = f"the check block did not finish within {limit:g}s"
            raise Stop("timed_out", why, "timeout") from exc
        except (ChannelError, HarnessProblem) as exc:
            raise Stop("harness_error", f"the check process failed: {exc}") from exc
        if isinstance(message, JudgeVerdict):
            break
        reply = _relayed(candidate, message, deadline, limit)
        relay = reply.model_dump(include={"ok", "value", "timeout", "not_json", "exception"})
        if reply.too_large:
            relay["not_json"] = "value too large or nested too deeply to send"
        # The judge's own timer may have ended the check meanwhile: its verdict (or the
        # deadline) is read next. Raising here made a candidate that sleeps in a check's call
        # the sandbox's failure (run-code's exit 3).
        with contextlib.suppress(ChannelError):
            judge.send(relay, max(deadline, time.monotonic() + GRACE_SECONDS))
    return CaseResult(
        name="check",
        kind="check",
        verdict=message.verdict,
        input=message.input,
        exception=message.exception.info() if message.exception else None,
        stdout=message.stdout[: request.limits.output_bytes + 200],
        stdout_truncated=message.stdout_truncated,
        seconds=round(time.monotonic() - started, 4),
        message=f"the check block did not finish within {limit:g}s"
        if message.verdict == "timeout"
        else "",
    )


def _relayed(candidate: Session, call: JudgeCall, deadline: float, limit: float) -> CallReply:
    """One call from the check block, made on the candidate with the check's time left.

    The candidate's own timer gets that time less the grace, so an honest timeout comes back
    before the parent's deadline, with time to relay it.
    """
    left = max(0.01, deadline - GRACE_SECONDS - time.monotonic())
    return guard(
        lambda: candidate.answer(
            candidate.ask(call.args, left, None, deadline, typed=True, max_value=UNKNOWN_VALUE),
            deadline,
        ),
        limit,
    )
