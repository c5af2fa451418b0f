"""Run candidate code in a separate, limited process and report per-test verdicts.

UI-free and engine-free: the engine and the ``run-code`` command call ``run_code`` with a
``RunRequest`` (usually built by ``request_for`` from a banked question) and get a ``RunReport``;
``run_inputs`` runs the candidate's own inputs beside the reference solution. Verdicts are
decided in the calling process; the report names the isolation level the runs had.
"""

from interview_sim.sandbox.custom import run_inputs
from interview_sim.sandbox.models import (
    CallOutcome,
    CaseResult,
    CaseSpec,
    ExceptionInfo,
    InputResult,
    InputsReport,
    InputsRequest,
    Isolation,
    IsolationLevel,
    PerformanceResult,
    RunLimits,
    RunReport,
    RunRequest,
    StaticReport,
)
from interview_sim.sandbox.problems import Suite, inputs_for, request_for
from interview_sim.sandbox.runner import run_code
from interview_sim.sandbox.static import analyse
from interview_sim.sandbox.steps import RunCancelled, SandboxError

__all__ = [
    "CallOutcome",
    "CaseResult",
    "CaseSpec",
    "ExceptionInfo",
    "InputResult",
    "InputsReport",
    "InputsRequest",
    "Isolation",
    "IsolationLevel",
    "PerformanceResult",
    "RunCancelled",
    "RunLimits",
    "RunReport",
    "RunRequest",
    "SandboxError",
    "StaticReport",
    "Suite",
    "analyse",
    "inputs_for",
    "request_for",
    "run_code",
    "run_inputs",
]
