"""What a sandbox process may say, as strict pydantic models: the parent's only way to read it.

Everything here arrives from a process that may be running hostile code, so every field has a
type and every string a length cap; anything else is a :class:`ProtocolViolation`, which ends
the run with a clear verdict instead of a traceback. Every string is also made inert for a
terminal (:func:`inert`): what the code printed or put in an exception message is shown in the
user's terminal, where escape sequences could clear the screen, overwrite ``ERROR`` with
``PASS`` or set the clipboard.
"""

from __future__ import annotations

import json
import reprlib
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from interview_sim.sandbox.channel import ProtocolViolation
from interview_sim.sandbox.control import inert, inert_line
from interview_sim.sandbox.models import ExceptionInfo

Short = Annotated[str, StringConstraints(max_length=1_000), AfterValidator(inert)]
Line = Annotated[str, StringConstraints(max_length=1_000), AfterValidator(inert_line)]
"""Text a report prints within a line: kept on it (``inert_line``)."""
Text = Annotated[str, StringConstraints(max_length=1_000_000), AfterValidator(inert)]
VALUE_CHARS = 300


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class WireException(_Message):
    type: Line
    message: Line
    line: int | None = None
    source: Line | None = None
    where: Literal["solution", "check"] | None = None

    def info(self, where: Literal["solution", "check"] | None = None) -> ExceptionInfo:
        fields = self.model_dump()
        if where is not None:
            fields["where"] = where
        return ExceptionInfo.model_validate(fields)


class _Output(_Message):
    stdout: Text = ""
    stdout_truncated: bool = False


class Ready(_Message):
    event: Literal["ready"]
    limits: list[Short]
    seccomp: bool
    audit_hooks: bool


class Loaded(_Output):
    event: Literal["loaded", "missing_function"]


class LoadFailed(_Output):
    event: Literal["load_error"]
    exception: WireException


class HarnessFailed(_Message):
    event: Literal["harness_error"]
    message: Annotated[str, StringConstraints(max_length=5_000), AfterValidator(inert)]


class CallReply(_Output):
    id: int
    ok: bool
    value: Any = None
    exception: WireException | None = None
    timeout: Literal["wall", "cpu"] | None = None
    not_json: Line | None = None
    too_large: bool | None = None
    shown: Line | None = None
    seconds: float
    cpu_seconds: float


class JudgeCall(_Message):
    event: Literal["call"]
    args: list[Any]


class JudgeVerdict(_Output):
    event: Literal["verdict"]
    verdict: Literal["pass", "fail", "error", "timeout"]
    exception: WireException | None = None
    input: Line


class Prepared(_Message):
    event: Literal["prepared"]
    expected: Any
    seconds: float
    generate_seconds: float


def parse(message: dict[str, Any], *models: type[_Message], trusted: bool = True) -> Any:
    """The first model ``message`` fits, or a ProtocolViolation saying what it was not.

    A ``harness_error`` is the sandbox's own failure (run-code exits 3) only from a process
    that is ``trusted``: once candidate code has run in a process, that code could have written
    the message itself, or broken the harness on purpose, so there it is a protocol violation.
    """
    if message.get("event") == "harness_error" and HarnessFailed not in models:
        try:
            failed = HarnessFailed.model_validate(message)
        except ValidationError:
            pass
        else:
            if not trusted:
                raise ProtocolViolation(
                    "the process reported a failure of the sandbox after the code ran, which"
                    f" only the code can cause ({inert_line(failed.message[-300:])})"
                )
            raise HarnessProblem(failed.message)
    problem = ""
    for model in models:
        try:
            return model.model_validate(message)
        except ValidationError as exc:
            first = exc.errors()[0]
            # The location holds the child's own keys: bounded and inert, as all its text.
            where = inert_line(".".join(str(p) for p in first["loc"]))[:200] or "message"
            problem = f"{where}: {inert_line(first['msg'])[:300]}"
    names = " or ".join(m.__name__ for m in models)
    raise ProtocolViolation(f"the process sent a message that is not a valid {names} ({problem})")


class HarnessProblem(Exception):
    """The harness reported its own failure (a broken bank entry, say): not the candidate's."""


def shown(value: Any) -> str:
    """A bounded repr of a JSON value the child sent."""
    limited = reprlib.Repr()
    limited.maxlevel, limited.maxlist, limited.maxdict = 6, 40, 20
    limited.maxstring, limited.maxother = VALUE_CHARS, VALUE_CHARS
    try:
        text = limited.repr(value)
    except RecursionError:
        text = "<too deeply nested to show>"
    limit = VALUE_CHARS
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more chars)"


VALUE_FLOOR = 1 << 20
"""The largest answer any test accepts, however small its expected value (1 MiB)."""
VALUE_RATIO = 8
"""How much longer than the expected value's JSON an answer may be: a float list written
``0.1`` in a bank comes back as ``0.30000000000000004``."""
UNKNOWN_VALUE = 4 << 20
"""The cap for a call whose expected value the app does not hold (a check block's calls, the
candidate's custom inputs)."""


def value_cap(expected: Any, ceiling: int) -> int:
    """How many bytes of JSON an answer to a test expecting ``expected`` may take.

    Parsing JSON multiplies it in memory: ``[[], [], ...]`` is 3 bytes an element in the
    message and about 80 in the app, so the old 32 MB cap on every reply let one test hold
    some 800 MB of the app's memory. A correct answer is about as long as the expected one,
    so a reply far longer is a wrong answer the harness reports as too large, unparsed.
    """
    try:
        size = len(json.dumps(expected, allow_nan=True, default=str))
    except (TypeError, ValueError, RecursionError):
        return ceiling
    return min(ceiling, max(VALUE_FLOOR, VALUE_RATIO * size))


def reply_cap(max_value: int, output_chars: int) -> int:
    """The longest reply line to a call whose value may take ``max_value`` bytes: the value
    plus the call's output (each character at most 12 bytes escaped) and the small fields."""
    return max_value + 12 * output_chars + (64 << 10)


def call_text(function: str, args: list[Any]) -> str:
    """How a call reads in a report: ``f(1, [2, 3])``, cut at a few hundred characters."""
    return f"{function}({', '.join(repr(a) for a in args)})"[:VALUE_CHARS]
