"""How a step of a run ends when a sandbox process misbehaves, and the errors callers see.

Every exchange with a child goes through :func:`guard`, which turns what the channel reports
(silence past a deadline, a closed pipe, a protocol violation, a harness failure) into a
:class:`Stop` carrying the run's status and a sentence for the report. Nothing a child does can
surface as a traceback in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from interview_sim.sandbox.channel import (
    ChannelCancelled,
    ChannelClosed,
    ChannelTimeout,
    ProtocolViolation,
)
from interview_sim.sandbox.messages import HarnessProblem
from interview_sim.sandbox.models import RunStatus
from interview_sim.sandbox.process import StartFailed

T = TypeVar("T")


class SandboxError(Exception):
    """The sandbox itself could not run (not a problem with the candidate's code)."""


class RunCancelled(SandboxError):
    """The caller cancelled the run: its processes were killed and nothing is reported."""


class Stop(Exception):
    """Ends the run early: the status, why, and the verdict of the test under way."""

    def __init__(self, status: RunStatus, message: str, verdict: str = "error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.verdict = verdict


def guard(step: Callable[[], T], limit: float) -> T:
    """Run one step; ``limit`` is the per-test time the message names if it runs out."""
    try:
        return step()
    except ChannelCancelled as exc:
        raise Stop("harness_error", "the run was cancelled") from exc
    except ChannelTimeout as exc:
        raise Stop(
            "timed_out",
            f"no result within {limit:g}s; the process was stopped from outside",
            "timeout",
        ) from exc
    except ChannelClosed as exc:
        raise Stop("crashed", "the process ended before finishing") from exc
    except ProtocolViolation as exc:
        raise Stop("protocol_error", f"the sandbox stopped the run: {exc}") from exc
    except HarnessProblem as exc:
        raise Stop("harness_error", f"the sandbox harness failed: {exc}") from exc
    except StartFailed as exc:
        raise SandboxError(str(exc)) from exc
