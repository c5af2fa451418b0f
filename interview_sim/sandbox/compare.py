"""The bank's comparators, applied by the parent to values that came back as JSON.

Both sides are plain JSON values here (the expected one is passed through JSON too, so a bank's
tuple or integer dict key matches what JSON makes of it), which is why no object the candidate
built can take part in a comparison: an ``__eq__`` that always says yes never reaches this code.
"""

from __future__ import annotations

import json
import math
from typing import Any


def as_json(value: Any) -> Any:
    """``value`` as it looks after a trip through JSON (a YAML date, say, becomes its text)."""
    return json.loads(json.dumps(value, allow_nan=True, default=str))


def _exact(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) != isinstance(expected, bool):
        return False
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(map(_exact, actual, expected))
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            _exact(actual[k], expected[k]) for k in actual
        )
    return bool(actual == expected)


def _close(actual: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            _close(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    numbers = (int, float)
    if (
        isinstance(actual, numbers)
        and isinstance(expected, numbers)
        and not isinstance(actual, bool)
        and not isinstance(expected, bool)
    ):
        try:
            return math.isclose(actual, expected, rel_tol=tolerance, abs_tol=tolerance)
        except OverflowError:  # an int past float's range: Python compares it exactly
            return bool(actual == expected)
    return _exact(actual, expected)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def same(actual: Any, expected: Any, compare: str, tolerance: float) -> bool:
    """``exact``, ``unordered`` (top-level order ignored, a multiset) or ``float``."""
    try:
        if compare == "unordered" and isinstance(actual, list) and isinstance(expected, list):
            # Lengths first: sorting a hostile 32 MB answer by its JSON keys costs the app seconds.
            if len(actual) != len(expected):
                return False
            return _exact(sorted(actual, key=_key), sorted(expected, key=_key))
        if compare == "float":
            return _close(actual, expected, tolerance)
        return _exact(actual, expected)
    except (RecursionError, TypeError, ValueError, ArithmeticError):
        return False
