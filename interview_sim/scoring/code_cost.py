"""Whether submitted code plainly makes one pass over its input, read with ``ast``, never run.

The coding scorer calls a stated complexity wrong when the code passed the performance test and
is plainly linear while the claim says it grows polynomially faster (``complexity_claims``).
That verdict must err towards "could be slow", so this reading is stricter than the sandbox's
static facts about nesting and recursion, which scoring may not import (sibling layers).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from interview_sim.python_source import UNPARSABLE, parse_python

_CHEAP_CALLS = frozenset(
    {
        "abs", "bool", "chr", "divmod", "enumerate", "float", "hash", "id", "int", "isinstance",
        "iter", "len", "next", "ord", "pow", "print", "range", "reversed", "round", "zip",
    }
)  # fmt: skip
"""Builtins that cost a constant (or, for ``pow``, a log) however large the input."""
_CHEAP_METHODS = frozenset(
    {
        "add", "append", "appendleft", "discard", "get", "heappop", "heappush", "heappushpop",
        "heapreplace", "items", "keys", "popleft", "setdefault", "values",
    }
)  # fmt: skip
"""Methods of dicts, sets, deques and heaps that cost a constant or a log per call."""
_HASHED = frozenset({"set", "dict", "frozenset", "Counter", "defaultdict", "OrderedDict"})
_COMBINATORIAL = frozenset(
    {"combinations", "combinations_with_replacement", "permutations", "product", "powerset"}
)
_SEQUENCES = (ast.List, ast.ListComp, ast.JoinedStr, ast.Tuple)
_SEQUENCE_CALLS = frozenset({"list", "str", "tuple", "sorted", "join", "bytes", "bytearray"})


class _Costly(Exception):
    """The code could cost more than one pass: it is not plainly single-pass."""


class _Pass(ast.NodeVisitor):
    """Raises ``_Costly`` at the first thing that could make the code more than one pass."""

    def __init__(self, functions: set[str], hashed: set[str], sequences: set[str]) -> None:
        self.functions = functions
        self.hashed = hashed
        self.sequences = sequences
        self.in_loop = False

    def _loop(self, once: Sequence[ast.AST], each: Sequence[ast.AST]) -> None:
        if self.in_loop:
            raise _Costly("a loop inside a loop")
        for node in once:
            if any(_multiplies(n) for n in ast.walk(node)):
                raise _Costly("a loop over a multiplied range (n * m, 1 << n)")
            self.visit(node)
        self.in_loop = True
        for node in each:
            self.visit(node)
        self.in_loop = False

    def visit_For(self, node: ast.For) -> None:
        self._loop([node.iter], [*node.body, *node.orelse])

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._loop([node.iter], [*node.body, *node.orelse])

    def visit_While(self, node: ast.While) -> None:
        self._loop([], [node.test, *node.body, *node.orelse])

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        if len(node.generators) > 1:
            raise _Costly("a comprehension over two sequences")
        first = node.generators[0]
        rest: list[ast.AST] = [*first.ifs]
        rest += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        self._loop([first.iter], rest)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._body(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._body(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._body(node)

    def _body(self, node: ast.AST) -> None:
        """A function's body costs what it costs where it is called, not where it is defined."""
        looping, self.in_loop = self.in_loop, False
        self.generic_visit(node)
        self.in_loop = looping

    def visit_Call(self, node: ast.Call) -> None:
        name = _called(node.func)
        if name in _COMBINATORIAL:
            raise _Costly(f"{name}()")
        if self.in_loop and not self._cheap(node, name):
            raise _Costly(f"{name}() inside a loop")
        self.generic_visit(node)

    def _cheap(self, node: ast.Call, name: str) -> bool:
        if name in self.functions:
            return False
        if isinstance(node.func, ast.Name):
            if name in ("max", "min"):  # max(a, b) compares two values; max(xs) scans xs
                return len(node.args) >= 2 and not any(
                    isinstance(a, ast.Starred) for a in node.args
                )
            return name in _CHEAP_CALLS or (name in _HASHED and not node.args)
        if name == "pop":
            return not node.args
        return name in _CHEAP_METHODS or (
            isinstance(node.func, ast.Attribute) and _called(node.func.value) == "math"
        )

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self.in_loop and isinstance(node.slice, ast.Slice):
            raise _Costly("a slice inside a loop")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if self.in_loop:
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In | ast.NotIn) and not self._hashed(right):
                    raise _Costly("a membership test on a sequence inside a loop")
        self.generic_visit(node)

    def _hashed(self, node: ast.expr) -> bool:
        """A set or dict (or a range, or a short literal): ``x in`` it costs a constant."""
        if isinstance(node, ast.Set | ast.Dict) or (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
        ):
            return True
        if isinstance(node, ast.Call) and _called(node.func) == "range":
            return True
        return isinstance(node, ast.Name) and node.id in self.hashed

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if self.in_loop and any(self._sequence(side) for side in (node.left, node.right)):
            raise _Costly("a list or string built inside a loop")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self.in_loop and (self._sequence(node.target) or self._sequence(node.value)):
            raise _Costly("a list or string grown by copying inside a loop")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        if self.in_loop and any(
            isinstance(t, ast.Subscript) and not self._hashed(t.value) for t in node.targets
        ):
            raise _Costly("deleting from a list inside a loop")
        self.generic_visit(node)

    def _sequence(self, node: ast.expr) -> bool:
        return _builds_sequence(node) or (isinstance(node, ast.Name) and node.id in self.sequences)


def _multiplies(node: ast.AST) -> bool:
    """``n * m``, ``2 ** n`` or ``1 << n``: a count that grows faster than its parts."""
    if not isinstance(node, ast.BinOp):
        return False
    if isinstance(node.op, ast.Pow | ast.LShift):
        return True
    constant = isinstance(node.left, ast.Constant) or isinstance(node.right, ast.Constant)
    return isinstance(node.op, ast.Mult) and not constant


def _called(node: ast.expr) -> str:
    """The last name of ``f``, ``x.f`` or ``a.b.f``; empty for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _recursive(tree: ast.Module) -> bool:
    """Whether any function of the code reaches itself, directly or through others."""
    calls: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            named = {_called(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)}
            calls[node.name] = calls.get(node.name, set()) | named
    for start in calls:
        seen: set[str] = set()
        frontier = [c for c in calls[start] if c in calls]
        while frontier:
            current = frontier.pop()
            if current == start:
                return True
            if current not in seen:
                seen.add(current)
                frontier.extend(c for c in calls[current] if c in calls)
    return False


def single_pass(code: str) -> bool:
    """Whether ``code`` plainly makes one pass over its input: linear, up to log factors.

    Read with ``ast``, never run. True only when nothing in it could cost more: no loop or
    comprehension inside another, no recursion, no function of the code called inside a loop,
    nothing inside a loop that costs more than a constant or a log (``max(xs)``, ``sorted``, a
    slice, ``x in some_list``, ``s += "..."``, ``del xs[i]``), and no loop over ``range(n *
    n)``, ``range(1 << n)`` or ``combinations``. The sandbox's static facts tell the
    interviewer the same about nesting and recursion, but scoring may not import the sandbox
    (sibling layers), and this reading decides that a stated complexity is wrong, so it errs
    further towards "could be slow".
    """
    try:
        tree = parse_python(code)
        if not code.strip() or _recursive(tree):
            return False
        functions = {
            n.name
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        hashed: set[str] = set()
        sequences: set[str] = set()
        other: set[str] = set()
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            for target in _assigned(node):
                if isinstance(value, ast.Set | ast.Dict | ast.SetComp | ast.DictComp) or (
                    isinstance(value, ast.Call) and _called(value.func) in _HASHED
                ):
                    hashed.add(target)
                elif value is not None and _builds_sequence(value):
                    sequences.add(target)
                else:
                    other.add(target)
        _Pass(functions, hashed - sequences - other, sequences).visit(tree)
    except _Costly:
        return False
    except UNPARSABLE:
        return False
    return True


def _assigned(node: ast.AST) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    return [t.id for t in targets if isinstance(t, ast.Name)]


def _builds_sequence(node: ast.expr) -> bool:
    """Whether ``node`` makes a list or a string, which ``+`` then copies whole."""
    if isinstance(node, _SEQUENCES) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
    ):
        return True
    return isinstance(node, ast.Call) and _called(node.func) in _SEQUENCE_CALLS
