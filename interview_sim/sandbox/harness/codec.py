"""JSON for the harness, from the C accelerator directly.

``import json`` pulls in ``re`` and ``enum`` (its pure-Python fallbacks need them), which is a
third of a sandbox run's start-up. The C scanner and encoder that ``json`` itself uses need
neither, so the harness builds them here and falls back to ``json`` where they are missing.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON-safe")


try:
    import _json
except ImportError:  # another interpreter: the standard module does the same work
    import json

    def loads(text: str) -> Any:
        return json.loads(text)

    def dumps(value: Any) -> str:
        return json.dumps(value, allow_nan=True)

else:
    _INF = float("inf")

    class _Context:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        parse_constant = {"-Infinity": -_INF, "Infinity": _INF, "NaN": float("nan")}.__getitem__

    _scan = _json.make_scanner(_Context())  # type: ignore[arg-type]
    _encode = _json.make_encoder(
        {}, _refuse, _json.encode_basestring_ascii, None, ":", ",", False, False, True
    )

    def loads(text: str) -> Any:
        """One JSON value at the start of ``text`` (a line: nothing but a newline follows)."""
        try:
            value, _end = _scan(text, 0)
        except StopIteration as exc:
            raise ValueError(f"not JSON at character {exc.value}") from None
        return value

    def dumps(value: Any) -> str:
        return "".join(_encode(value, 0))


MAX_DEPTH = 200
"""The deepest value sent back. The parent parses replies on its own stack, at whatever depth
its caller is: a value the child could encode after raising its recursion limit (a list 900
deep) would make the parent's parser fail, and an honest answer end the run as a protocol
error. Deeper values are reported as too large to send: a wrong answer."""
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``text`` (ASCII, as :func:`dumps` writes it) nests deeper than ``limit``.

    Read from the text, in C: counting brackets settles nearly every answer; otherwise strings
    are cut out (escaped backslashes, then escaped quotes, so each quote left delimits one) and
    the running depth of the brackets left is accumulated. A million pairs take tens of ms.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    from itertools import accumulate

    if '"' in text:
        text = "".join(text.replace("\\\\", "").replace('\\"', "").split('"')[::2])
    brackets = text.encode("ascii", errors="replace").translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


TUPLE = "__tuple__"
"""A tuple crossing between a check block and the candidate travels as ``{"__tuple__": [...]}``.

JSON has no tuples, and a HumanEval check compares with them (``candidate([]) == (0, 1)``): a
correct solution returning ``(0, 1)`` must not reach the check as ``[0, 1]``. Only the check's
calls are typed; the app's own comparisons treat tuples as lists.
"""


def tagged(value: Any) -> Any:
    """``value`` with every tuple (inside lists, tuples and dict values) marked as one."""
    if isinstance(value, tuple):
        return {TUPLE: [tagged(item) for item in value]}
    if isinstance(value, list):
        return [tagged(item) for item in value]
    if isinstance(value, dict):
        return {key: tagged(item) for key, item in value.items()}
    return value


def untagged(value: Any) -> Any:
    """The inverse of :func:`tagged`: marked lists become tuples again."""
    if isinstance(value, list):
        return [untagged(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get(TUPLE), list):
            return tuple(untagged(item) for item in value[TUPLE])
        return {key: untagged(item) for key, item in value.items()}
    return value
