"""The judge role: run a bank's ``check(candidate)`` block outside the candidate's process.

HumanEval semantics: the check runs in one namespace with the problem's own code (its helper
functions), and the function's name is bound to the candidate, so ``check`` may call helpers and
the function by name. The candidate here is a proxy: each call is sent to the parent, which
passes the arguments to the candidate's process and hands back only the JSON result.
"""

from __future__ import annotations

from .calls import CHECK, PROBLEM, CaseTimeout, captured, deadline, exception_info, load_source
from .codec import tagged, untagged

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .wire import Wire


class CandidateRaised(Exception):
    """The candidate's code raised; the check ends with the candidate's error."""

    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__(f"{info.get('type')}: {info.get('message')}")
        self.info = info


class CandidateAnswerNotJSON(AssertionError):
    """The candidate returned something JSON cannot carry: a wrong answer."""


class CandidateTimedOut(BaseException):
    """The candidate's call ran out of time; not catchable by ``except Exception``."""


class Proxy:
    """Stands in for the candidate's function inside the check block."""

    def __init__(self, wire: Wire, name: str) -> None:
        self._wire = wire
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError("the sandbox passes positional arguments only")
        data = self._wire.encode({"event": "call", "args": tagged(list(args))})
        if data is None:
            raise TypeError("the check passed an argument that cannot leave this process")
        self._wire.send_bytes(data)
        reply = self._wire.read()
        if not isinstance(reply, dict):
            raise CandidateTimedOut()
        if reply.get("ok"):
            return untagged(reply.get("value"))
        if reply.get("not_json"):
            raise CandidateAnswerNotJSON(
                f"the candidate returned a {reply['not_json']}, which is not JSON-safe"
            )
        if reply.get("timeout"):
            raise CandidateTimedOut()
        raise CandidateRaised(reply.get("exception") or {"type": "Error", "message": ""})


def judge(job: dict[str, Any], wire: Wire) -> None:
    seconds = job["limits"]["case_seconds"]
    result: dict[str, Any] = {"event": "verdict", "exception": None, "input": "check(candidate)"}
    with captured(job["limits"]["output_bytes"]) as out:
        try:
            with deadline(seconds):
                namespace: dict[str, Any] = {"__name__": "__main__"}
                if job.get("helpers"):
                    load_source(job["helpers"], PROBLEM, namespace)
                load_source(job["check"], CHECK, namespace)
                proxy = Proxy(wire, job["function"])
                namespace[job["function"]] = proxy
                namespace["check"](proxy)
        except (CaseTimeout, CandidateTimedOut):
            result["verdict"] = "timeout"
        except CandidateRaised as raised:
            result["verdict"] = "error"
            result["exception"] = {**raised.info, "where": "solution"}
        except AssertionError as exc:
            info = exception_info(exc)
            result["exception"] = info
            result["verdict"] = "fail" if info["where"] == "check" else "error"
            if info["where"] == "check" and info["source"]:
                result["input"] = info["source"]
        except BaseException as exc:
            result["verdict"] = "error"
            result["exception"] = exception_info(exc)
        else:
            result["verdict"] = "pass"
    wire.send(**result, **out.fields())
