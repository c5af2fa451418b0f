"""Plain subprocess harness for content tests until the sandbox lands.

Reads a JSON job on stdin: solution code, function name, cases, comparator; prints a JSON verdict
list. With ``perf`` set it instead times one call on ``generate(n)``.
"""

from __future__ import annotations

import json
import math
import sys
import time
from typing import Any


def _same(actual: Any, expected: Any, compare: str, tol: float) -> bool:
    if compare == "unordered" and isinstance(actual, list) and isinstance(expected, list):
        return sorted(map(repr, actual)) == sorted(map(repr, expected))
    if compare == "float":
        if isinstance(expected, list) and isinstance(actual, list):
            return len(actual) == len(expected) and all(
                _same(a, e, compare, tol) for a, e in zip(actual, expected, strict=True)
            )
        if isinstance(expected, int | float) and isinstance(actual, int | float):
            return math.isclose(actual, expected, rel_tol=tol, abs_tol=tol)
    return bool(actual == expected)


def main() -> None:
    job = json.load(sys.stdin)
    namespace: dict[str, Any] = {}
    exec(job["code"], namespace)
    fn = namespace[job["function"]]
    if job.get("perf"):
        perf_ns: dict[str, Any] = {}
        exec(job["perf"]["generator"], perf_ns)
        args = perf_ns["generate"](job["perf"]["n"])
        start = time.perf_counter()
        fn(*args)
        print(json.dumps({"seconds": time.perf_counter() - start}))
        return
    verdicts = []
    for case in job["cases"]:
        actual = fn(*case["args"])
        ok = _same(actual, case["expected"], job["compare"], job["tol"])
        verdicts.append({"ok": ok, "args": case["args"], "actual": repr(actual)})
    print(json.dumps(verdicts))


if __name__ == "__main__":
    main()
