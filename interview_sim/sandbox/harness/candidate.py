"""The candidate role: load the solution, then answer one call per request.

The process only ever holds the solution and the arguments of the call in hand (for the
performance case, the bank's generator that builds them). Expected values, hidden tests and the
reference solution stay outside, and the parent compares what comes back.
A value that JSON cannot carry is reported as such and counts as a wrong answer there.
"""

from __future__ import annotations

from .calls import (
    SOLUTION,
    CaseTimeout,
    captured,
    deadline,
    exception_info,
    invoke,
    load_source,
    shown,
    type_name,
)
from .codec import dumps, tagged, too_deep, untagged

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .wire import Wire


def load(job: dict[str, Any], wire: Wire) -> Any:
    """The candidate's function, or None after reporting why there is none."""
    seconds = job["limits"]["case_seconds"]
    with captured(job["limits"]["output_bytes"]) as out:
        try:
            with deadline(seconds):
                namespace = load_source(job["code"], SOLUTION, {"__name__": "solution"})
        except CaseTimeout:
            stuck = {"type": "Timeout", "message": f"top-level code ran over {seconds:g}s"}
            wire.send(event="load_error", exception=stuck, **out.fields())
            return None
        except BaseException as exc:
            wire.send(event="load_error", exception=exception_info(exc), **out.fields())
            return None
    fn = namespace.get(job["function"])
    if not callable(fn):
        wire.send(event="missing_function", **out.fields())
        return None
    wire.send(event="loaded", **out.fields())
    return fn


def reply_bytes(wire: Wire, reply: dict[str, Any], value: Any) -> bytes:
    """The reply with its value, or a note saying why the value cannot be sent.

    Nothing the value does while it is encoded (a ``dict`` subclass whose ``items`` raises, a
    string too large for memory) is a failure of the harness: it is the answer's own fault.
    """
    if not reply["ok"]:
        return wire.encode(reply) or b"{}\n"
    problem = "too_large"
    try:
        text = dumps(value)
    except (MemoryError, RecursionError):
        pass
    except BaseException:
        problem = "not_json"
    else:
        try:
            if len(text) <= wire.value_limit and not too_deep(text):
                head = wire.encode(reply)  # small: the value goes in after it, encoded once
                if head is not None:
                    data = head[:-2] + b',"value":' + text.encode() + b"}\n"
                    if len(data) <= wire.max_message:
                        return data
        except MemoryError:
            pass
        finally:
            del text
    if problem == "not_json":
        reply["not_json"] = type_name(value)[:100]
    else:
        reply["too_large"] = True
    reply["shown"] = shown(value)
    return wire.encode(reply) or b"{}\n"


def generated(spec: dict[str, Any], wire: Wire, call_id: int) -> Any:
    """The performance input, built here by the bank's generator; None after reporting a fault."""
    try:
        namespace = load_source(spec["generator"], "generator.py", {"__name__": "generator"})
        return list(namespace["generate"](spec["n"]))
    except BaseException as exc:
        info = {**exception_info(exc), "message": f"building the input failed: {exc!s}"[:500]}
        reply = {"id": call_id, "ok": False, "exception": info, "seconds": 0, "cpu_seconds": 0}
        wire.send_bytes(wire.encode(reply) or b"{}\n")
        return None


def serve(job: dict[str, Any], wire: Wire) -> None:
    fn = load(job, wire)
    if fn is None:
        return
    cap = job["limits"]["output_bytes"]
    while True:
        request = wire.read()
        if not isinstance(request, dict) or "args" not in request:
            return
        args = request["args"]
        typed = bool(request.get("typed"))
        wire.value_limit = min(request.get("max_value") or wire.max_message, wire.max_message)
        if typed:
            args = untagged(args)
        if request.get("generate"):
            args = generated(request["generate"], wire, request["id"])
            if args is None:
                continue
        reply, value = invoke(fn, args, request["wall"], request.get("cpu"), cap)
        reply["id"] = request["id"]
        if typed and reply["ok"]:
            try:  # noqa: SIM105 - contextlib would cost every run its import
                value = tagged(value)
            except BaseException:  # a hostile container's __iter__: sent untyped, as it is
                pass
        wire.send_bytes(reply_bytes(wire, reply, value))
