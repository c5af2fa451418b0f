"""Build run requests from banked coding questions: the visible examples, or the full submission.

Examples are what the candidate sees and may run any number of times. A submission adds the
hidden tests, the ``check(candidate)`` block when the bank has one (run beside the problem's
starter code, so it may call the helpers defined there), and the performance case, timed against
the bank's reference solution on this machine at run time.
"""

from __future__ import annotations

from typing import Any, Literal

from interview_sim.models import CodingQuestion, IOCase
from interview_sim.sandbox.models import (
    CaseKind,
    CaseSpec,
    InputsRequest,
    PerformanceSpec,
    RunLimits,
    RunRequest,
)

Suite = Literal["examples", "submission"]


def _cases(cases: list[IOCase], kind: CaseKind) -> list[CaseSpec]:
    return [
        CaseSpec(name=c.name or f"{kind}_{i + 1}", kind=kind, args=c.args, expected=c.expected)
        for i, c in enumerate(cases)
    ]


def request_for(
    question: CodingQuestion, code: str, suite: Suite, limits: RunLimits | None = None
) -> RunRequest:
    """The request for ``suite`` of ``question``, run against ``code``."""
    cases = _cases(question.examples, "example")
    check = None
    helpers = None
    performance = None
    if suite == "submission":
        cases = _cases(question.tests, "hidden")
        check = question.check
        helpers = question.starter_code if check is not None else None
        if question.performance is not None:
            performance = PerformanceSpec(
                generator=question.performance.generator,
                n=question.performance.n,
                reference_solution=question.reference_solution,
            )
    return RunRequest(
        code=code,
        function=question.function,
        cases=cases,
        check=check,
        helpers=helpers,
        compare=question.compare,
        float_tolerance=question.float_tolerance,
        performance=performance,
        limits=limits or RunLimits(),
    )


def inputs_for(
    question: CodingQuestion,
    code: str,
    inputs: list[list[Any]],
    limits: RunLimits | None = None,
) -> InputsRequest:
    """The candidate's own ``inputs`` (argument lists) for ``code`` and the bank's reference."""
    return InputsRequest(
        code=code,
        reference_solution=question.reference_solution,
        function=question.function,
        inputs=inputs,
        compare=question.compare,
        float_tolerance=question.float_tolerance,
        limits=limits or RunLimits(),
    )
