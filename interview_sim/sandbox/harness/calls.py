"""Running one piece of code under a deadline with its output captured.

Deadlines here are a courtesy to honest code: they interrupt a slow Python loop so the next
test can still run in the same process. The parent enforces its own deadlines from outside,
which is what binds a loop stuck in C.
"""

from __future__ import annotations

import builtins
import io
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and friends stay out of start-up: every import costs each run
    import signal
    from collections.abc import Callable
    from types import FrameType, TracebackType
    from typing import Any
else:
    import _signal as signal  # what ``signal`` wraps, without its enum import

SOLUTION = "solution.py"
CHECK = "check.py"
PROBLEM = "problem.py"
MESSAGE_CHARS = 500
VALUE_CHARS = 300


class CaseTimeout(BaseException):
    """Raised by a timer signal; a BaseException so ``except Exception`` does not swallow it."""

    def __init__(self, clock: str) -> None:
        super().__init__(clock)
        self.clock = clock


class CappedOutput(io.TextIOBase):
    """Stands in for stdout/stderr during a call: keeps the first ``cap`` characters only."""

    def __init__(self, cap: int) -> None:
        self._cap = cap
        self._parts: list[str] = []
        self._kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type_name(text)}")
        text = str.__str__(text)  # a plain copy: a subclass's slicing or len() could lie
        room = self._cap - self._kept
        if room > 0:
            piece = text[:room]
            self._parts.append(piece)
            self._kept += len(piece)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    @property
    def buffer(self) -> _ByteSink:
        """``sys.stdout.buffer``, which some solutions write bytes to."""
        return _ByteSink(self)

    def fields(self) -> dict[str, Any]:
        text = sendable("".join(self._parts))
        if self.dropped:
            text += f"\n[output truncated: {self.dropped} more characters not shown]"
        return {"stdout": text, "stdout_truncated": bool(self.dropped)}


class _ByteSink:
    def __init__(self, text: CappedOutput) -> None:
        self._text = text

    def write(self, data: bytes) -> int:
        self._text.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        pass


class captured:
    """Send stdout and stderr to a :class:`CappedOutput` for the duration of a block."""

    def __init__(self, cap: int) -> None:
        self.out = CappedOutput(cap)
        self._saved = sys.stdout, sys.stderr

    def __enter__(self) -> CappedOutput:
        self._saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out
        return self.out

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self._saved


def _on_wall(_sig: int, _frame: FrameType | None) -> None:
    raise CaseTimeout("wall")


def _on_cpu(_sig: int, _frame: FrameType | None) -> None:
    raise CaseTimeout("cpu")


class deadline:
    """Interrupt the code after ``wall`` seconds, or ``cpu`` seconds of CPU time."""

    def __init__(self, wall: float, cpu: float | None = None) -> None:
        self.wall = wall
        self.cpu = cpu
        self.armed = hasattr(signal, "setitimer")

    def __enter__(self) -> None:
        if not self.armed:
            return  # no timers: the parent's deadline is the only limit
        signal.signal(signal.SIGALRM, _on_wall)
        signal.signal(signal.SIGPROF, _on_cpu)
        signal.setitimer(signal.ITIMER_REAL, self.wall)
        if self.cpu is not None:
            signal.setitimer(signal.ITIMER_PROF, self.cpu)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)


def clip(text: str, limit: int = VALUE_CHARS) -> str:
    text = str.__str__(text)  # a str subclass's own slicing could return anything
    text = text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more chars)"
    return sendable(text)


def sendable(text: str) -> str:
    """``text`` with lone surrogates (``"\\ud800"``) replaced: the parent reads strict UTF-8 text
    and would end the run over a character an honest solution printed."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text


def shown(value: Any) -> str:
    """A bounded repr: a huge or deeply nested value costs no more than a small one."""
    import reprlib

    limited = reprlib.Repr()
    limited.maxlevel, limited.maxlist, limited.maxdict, limited.maxtuple = 6, 40, 20, 40
    limited.maxset, limited.maxstring, limited.maxother = 20, VALUE_CHARS, VALUE_CHARS
    try:
        return clip(limited.repr(value))
    except BaseException as exc:  # a candidate's __repr__ may raise anything
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"


def type_name(value: Any) -> str:
    """The type's real name: a metaclass may dress ``__name__`` up as anything."""
    name: str = type.__dict__["__name__"].__get__(type(value))
    return name


def exception_info(exc: BaseException) -> dict[str, Any]:
    """Type, message and the line of the candidate's (or check block's) code that raised.

    Whatever the exception does when looked at (a ``__traceback__`` that is no traceback, a
    ``__str__`` that raises), the answer is a plain description: never a failure of the harness.
    """
    try:
        return _exception_info(exc)
    except BaseException:
        return {"type": type_name(exc)[:100], "message": "<unprintable exception>"}


def _exception_info(exc: BaseException) -> dict[str, Any]:
    import linecache
    import traceback

    for filename, code in SOURCES.items():
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    names = {SOLUTION: "solution", CHECK: "check", PROBLEM: "check"}
    where: str | None = None
    line: int | None = None
    source: str | None = None
    if isinstance(exc, SyntaxError) and exc.filename in names:
        where, line, source = exc.filename, exc.lineno, (exc.text or "").strip() or None
    else:
        try:
            frames = traceback.extract_tb(exc.__traceback__)
        except RecursionError:
            frames = traceback.StackSummary()
        ours = [f for f in frames if f.filename in names]
        if ours:
            frame = ours[-1]
            where, line, source = frame.filename, frame.lineno, (frame.line or None)
    try:
        message = clip(str(exc), MESSAGE_CHARS)
    except BaseException:
        message = "<unprintable message>"
    return {
        "type": clip(type_name(exc), 100),
        "message": message,
        "line": line if type(line) is int and 0 <= line < 1 << 31 else None,
        "source": clip(source, MESSAGE_CHARS) if isinstance(source, str) and source else None,
        "where": names.get(where or ""),
    }


SOURCES: dict[str, str] = {}
"""Code run under each file name, given to ``linecache`` only when a traceback needs it."""


def load_source(code: str, filename: str, namespace: dict[str, Any]) -> dict[str, Any]:
    SOURCES[filename] = code
    namespace.setdefault("__builtins__", builtins)
    exec(compile(code, filename, "exec"), namespace)
    return namespace


def invoke(
    fn: Callable[..., Any], args: list[Any], wall: float, cpu: float | None, cap: int
) -> tuple[dict[str, Any], Any]:
    """Call ``fn(*args)``: the reply fields (without the value) and the value itself."""
    reply: dict[str, Any] = {"ok": False}
    value: Any = None
    started, cpu_started = time.perf_counter(), time.process_time()
    with captured(cap) as out:
        try:
            with deadline(wall, cpu):
                value = fn(*args)
        except CaseTimeout as timeout:
            reply["timeout"] = timeout.clock
        except BaseException as exc:
            reply["exception"] = exception_info(exc)
        else:
            reply["ok"] = True
    reply["seconds"] = round(time.perf_counter() - started, 4)
    reply["cpu_seconds"] = round(time.process_time() - cpu_started, 4)
    reply.update(out.fields())
    return reply, value
