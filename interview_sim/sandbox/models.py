"""What goes into a sandbox run and what comes out, as pydantic models.

A ``RunReport`` is stored as JSON in ``code_runs.report`` and printed by ``run-code --json``, so
it carries everything a reader needs: per-test verdicts with input, expected and actual values,
the performance verdict, the static checks, and which isolation layers were really in force.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from interview_sim.models import CodeOutcome, Comparator

Verdict = Literal["pass", "fail", "error", "timeout"]
CaseKind = Literal["example", "hidden", "check"]
PerformanceVerdict = Literal["passed", "too_slow", "failed", "error", "not_run"]
RunStatus = Literal[
    "completed",
    "syntax_error",
    "load_error",
    "missing_function",
    "crashed",
    "timed_out",
    "protocol_error",
    "harness_error",
]
IsolationLevel = Literal["bubblewrap", "fallback-in-process"]
"""``bubblewrap``: OS namespaces and a read-only view; ``fallback-in-process``: guards inside
the candidate's interpreter only. The README says what each contains."""
MAX_CODE_CHARS = 200_000


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RunLimits(_Input):
    """Per-run limits. Time limits are generous wall-clock caps; performance uses a ratio."""

    case_seconds: float = Field(default=5.0, gt=0, description="wall time per test")
    startup_seconds: float = Field(default=15.0, gt=0, description="interpreter start and load")
    memory_mb: int = Field(default=1024, ge=64, description="address space (RLIMIT_AS)")
    output_bytes: int = Field(default=8192, ge=256, description="output kept per test")
    file_mb: int = Field(default=16, ge=1, description="largest file the code may write")
    max_files: int = Field(default=32, ge=1, description="files and folders it may create")
    open_files: int = Field(default=64, ge=16)
    perf_ratio: float = Field(default=5.0, gt=1, description="limit = ratio x reference + floor")
    perf_floor_seconds: float = Field(default=1.0, ge=0)
    perf_wall_seconds: float = Field(default=60.0, gt=0, description="wall cap per timed call")
    audit_hooks: bool = Field(
        default=True,
        description="fallback level's in-interpreter guards; off only to test the OS layers",
    )


class CaseSpec(_Input):
    name: str
    kind: CaseKind
    args: list[Any]
    expected: Any = None


class PerformanceSpec(_Input):
    generator: str = Field(min_length=1)
    n: int = Field(gt=0)
    reference_solution: str = Field(min_length=1)


class RunRequest(_Input):
    """Everything the child needs; built from a banked question by ``request_for``."""

    code: str = Field(max_length=MAX_CODE_CHARS)
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    cases: list[CaseSpec] = Field(default_factory=list)
    check: str | None = None
    helpers: str | None = None
    """The problem's own code (its prompt), run beside ``check`` so the check may call helpers
    and the function by name, as HumanEval's harness allows. Never run in the candidate's
    process."""
    compare: Comparator = "exact"
    float_tolerance: float = Field(default=1e-6, ge=0)
    performance: PerformanceSpec | None = None
    limits: RunLimits = Field(default_factory=RunLimits)


class InputsRequest(_Input):
    """The candidate's own inputs, run on their code and on the reference solution."""

    code: str = Field(max_length=MAX_CODE_CHARS)
    reference_solution: str = Field(min_length=1)
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    inputs: list[list[Any]] = Field(min_length=1, max_length=50)
    compare: Comparator = "exact"
    float_tolerance: float = Field(default=1e-6, ge=0)
    limits: RunLimits = Field(default_factory=RunLimits)


class ExceptionInfo(BaseModel):
    type: str
    message: str
    line: int | None = None
    source: str | None = None
    where: Literal["solution", "check"] | None = None

    def describe(self) -> str:
        text = f"{self.type}: {self.message}" if self.message else self.type
        if self.line is not None:
            place = "check block" if self.where == "check" else "line"
            text += f" ({place} {self.line}" + (f": {self.source}" if self.source else "") + ")"
        return text


class CaseResult(BaseModel):
    name: str
    kind: CaseKind
    verdict: Verdict
    input: str
    expected: str | None = None
    actual: str | None = None
    exception: ExceptionInfo | None = None
    stdout: str = ""
    stdout_truncated: bool = False
    seconds: float | None = None
    message: str = ""


class PerformanceResult(BaseModel):
    verdict: PerformanceVerdict
    n: int
    reference_seconds: float | None = None
    limit_seconds: float | None = None
    seconds: float | None = None
    exception: ExceptionInfo | None = None
    message: str = ""


class SyntaxIssue(BaseModel):
    line: int
    column: int
    message: str
    text: str = ""


class NameAtLine(BaseModel):
    name: str
    line: int


class StaticReport(BaseModel):
    """What reading the code says, before running it; feeds the complexity follow-up."""

    syntax_error: SyntaxIssue | None = None
    defines_function: bool = False
    max_loop_depth: int = 0
    max_nesting: int = 0
    loops: int = 0
    recursive_functions: list[str] = Field(default_factory=list)
    shadowed_builtins: list[NameAtLine] = Field(default_factory=list)
    imports: list[str] = Field(default_factory=list)
    lines: int = 0
    notes: list[str] = Field(default_factory=list)


class Isolation(BaseModel):
    """The layers that were really in force for this run, so the report never overclaims."""

    level: IsolationLevel = "fallback-in-process"
    namespaces: list[str] = Field(default_factory=list)
    platform: str
    network_namespace: bool = False
    resource_limits: list[str] = Field(default_factory=list)
    seccomp: bool = False
    audit_hooks: bool = False
    process_group: bool = False


class RunReport(BaseModel):
    status: RunStatus
    message: str = ""
    cases: list[CaseResult] = Field(default_factory=list)
    performance: PerformanceResult | None = None
    static: StaticReport = Field(default_factory=StaticReport)
    load_exception: ExceptionInfo | None = None
    load_output: str = ""
    console: str = ""
    exit: str = ""
    wall_seconds: float = 0.0
    isolation: Isolation

    @property
    def passed(self) -> int:
        return sum(1 for c in self.cases if c.verdict == "pass")

    @property
    def total(self) -> int:
        return len(self.cases)

    def first_failure(self) -> CaseResult | None:
        return next((c for c in self.cases if c.verdict != "pass"), None)

    def summary(self) -> str:
        """One line a person (or the interviewer) can read back to the candidate."""
        if self.status == "syntax_error" and self.static.syntax_error is not None:
            err = self.static.syntax_error
            return f"syntax error at line {err.line}, column {err.column}: {err.message}"
        if self.status == "harness_error":
            return f"the sandbox could not run the code: {self.message}"
        parts = [f"{self.passed}/{self.total} tests passed"]
        failure = self.first_failure()
        if failure is not None:
            parts.append(f"first problem: {failure.name} ({describe_case(failure)})")
        if self.performance is not None:
            parts.append(f"performance: {self.performance.message}")
        if self.status not in ("completed",):
            parts.append(self.message)
        return "; ".join(p for p in parts if p)

    def outcome(self) -> CodeOutcome:
        """The measured result the coding scorer reads."""
        perf = self.performance.verdict if self.performance else "not_run"
        return CodeOutcome(
            passed=self.passed,
            total=self.total,
            performance="failed" if perf == "error" else perf,
            summary=self.summary(),
        )


def describe_case(case: CaseResult) -> str:
    if case.verdict == "fail":
        if case.kind == "check":
            return f"assertion failed: {case.input}"
        return f"{case.input} returned {case.actual}, expected {case.expected}"
    if case.verdict == "error":
        if case.exception is not None:
            return f"{case.input} raised {case.exception.describe()}"
        return f"{case.input}: {case.message}"
    if case.verdict == "timeout":
        return f"{case.input}: {case.message or 'timed out'}"
    return f"{case.input} returned {case.actual}"


CallVerdict = Literal["returned", "error", "timeout", "not_json", "not_run"]


class CallOutcome(BaseModel):
    """What one call of one function did, as the parent saw it."""

    verdict: CallVerdict
    value: str | None = None
    exception: ExceptionInfo | None = None
    stdout: str = ""
    message: str = ""

    def describe(self) -> str:
        if self.verdict == "returned":
            return f"returned {self.value}"
        if self.verdict == "error" and self.exception is not None:
            return f"raised {self.exception.describe()}"
        return self.message or self.verdict.replace("_", " ")


class InputResult(BaseModel):
    input: str
    candidate: CallOutcome
    reference: CallOutcome
    same: bool | None = None
    """Whether the two returned equal values under the bank's comparator; None if either
    did not return."""


class InputsReport(BaseModel):
    status: RunStatus
    message: str = ""
    results: list[InputResult] = Field(default_factory=list)
    load_exception: ExceptionInfo | None = None
    static: StaticReport = Field(default_factory=StaticReport)
    isolation: Isolation
