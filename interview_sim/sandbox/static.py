"""Read the candidate's code with ``ast``, without running it.

A syntax error is reported with its line and column before any process starts. Loop nesting
and recursion are facts the complexity follow-up can hold the candidate's stated complexity
against; names that hide built-ins are a readability signal for the code-quality criterion.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass

from interview_sim.python_source import UNPARSABLE, parse_python
from interview_sim.sandbox.models import NameAtLine, StaticReport, SyntaxIssue

_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_BLOCKS = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)


class _Walker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.loop_depth = 0
        self.max_loop_depth = 0
        self.deepest_loop_line = 0
        self.nesting = 0
        self.max_nesting = 0
        self.loops = 0
        self.functions: list[str] = []
        self.recursive: list[str] = []
        self.branching: list[str] = []
        """Recursive functions that call themselves more than once per call (in a loop, or
        at two or more places): the number of calls can grow exponentially."""
        self.memoised: dict[str, str] = {}
        """Functions that cache their results, with how (\"in memo\")."""
        self.calls: dict[str, set[str]] = {}
        self.shadowed: list[NameAtLine] = []
        self.imports: list[str] = []

    def _shadow(self, name: str, line: int) -> None:
        if name in _BUILTINS and all(s.name != name for s in self.shadowed):
            self.shadowed.append(NameAtLine(name=name, line=line))

    def generic_visit(self, node: ast.AST) -> None:
        is_loop = isinstance(node, _LOOPS)
        is_block = isinstance(node, _BLOCKS)
        generators = len(node.generators) if isinstance(node, _COMPREHENSIONS) else 0
        added = int(is_loop) + generators
        self.loops += added
        self.loop_depth += added
        if self.loop_depth > self.max_loop_depth:
            self.max_loop_depth = self.loop_depth
            self.deepest_loop_line = getattr(node, "lineno", 0)
        self.nesting += is_block
        self.max_nesting = max(self.max_nesting, self.nesting)
        super().generic_visit(node)
        self.loop_depth -= added
        self.nesting -= is_block

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self._shadow(node.name, node.lineno)
        all_args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        all_args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        for arg in all_args:
            self._shadow(arg.arg, arg.lineno)
        self.calls[node.name] = self.calls.get(node.name, set()) | _called_names(node)
        sites = _call_sites(node, node.name)
        if sites.count and node.name not in self.recursive:
            self.recursive.append(node.name)
        if sites.branching and node.name not in self.branching:
            self.branching.append(node.name)
        cached = _memoised(node)
        if cached is not None:
            self.memoised[node.name] = cached
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._shadow(node.id, node.lineno)

    def visit_Import(self, node: ast.Import) -> None:
        self.imports.extend(alias.name for alias in node.names)
        for alias in node.names:
            if alias.asname:
                self._shadow(alias.asname, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.imports.append(node.module or ".")
        for alias in node.names:
            self._shadow(alias.asname or alias.name, node.lineno)


@dataclass(frozen=True)
class _Sites:
    count: int
    branching: bool


def _called_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the function calls, plain (``f()``) or as a method (``self.f()``)."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                names.add(node.func.attr)
    return names


_Arm = tuple[int, str]
_ENDS_BRANCH = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _call_sites(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> _Sites:
    """How often the body calls ``name``, and whether one call can make several.

    Several: a call inside a loop or comprehension, or two calls that can both run, i.e. not
    in different arms of one ``if`` (``fib(n - 1) + fib(n - 2)`` branches; a binary search's
    ``return go(lo, mid)`` / ``return go(mid, hi)`` does not).
    """
    sites: list[tuple[_Arm, ...]] = []
    looped = False

    def block(statements: list[ast.stmt], looping: bool, path: tuple[_Arm, ...]) -> None:
        for statement in statements:
            node(statement, looping, path)
            if (
                isinstance(statement, ast.If)
                and statement.body
                and isinstance(statement.body[-1], _ENDS_BRANCH)
            ):
                path = (*path, (id(statement), "orelse"))  # the rest runs only otherwise

    def node(current: ast.AST, looping: bool, path: tuple[_Arm, ...]) -> None:
        nonlocal looped
        nested = isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if nested and current is not function:
            return  # a nested function's calls are its own
        if isinstance(current, ast.Call) and _names(current.func, name):
            sites.append(path)
            looped = looped or looping
        looping = looping or isinstance(current, (*_LOOPS, *_COMPREHENSIONS))
        for field, value in ast.iter_fields(current):
            arm = path
            if isinstance(current, ast.If | ast.IfExp) and field in ("body", "orelse"):
                arm = (*path, (id(current), field))
            if isinstance(value, list):
                if value and all(isinstance(v, ast.stmt) for v in value):
                    block(value, looping, arm)
                else:
                    for item in value:
                        if isinstance(item, ast.AST):
                            node(item, looping, arm)
            elif isinstance(value, ast.AST):
                node(value, looping, arm)

    node(function, False, ())
    together = any(not _exclusive(a, b) for i, a in enumerate(sites) for b in sites[i + 1 :])
    return _Sites(len(sites), looped or together)


def _exclusive(first: tuple[_Arm, ...], second: tuple[_Arm, ...]) -> bool:
    arms = dict(first)
    return any(key in arms and arms[key] != arm for key, arm in second)


def _names(func: ast.expr, name: str) -> bool:
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


def _memoised(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """How the function caches its results, or None: each distinct call then runs once.

    ``functools.cache`` or ``lru_cache``, or by hand: a dict or list the function both stores
    into (``memo[key] = value``) and answers from (``return memo[key]``, ``return
    cache.get(key)``, or a name read from it and returned), where that container outlives the
    call (a parameter, a closure's variable, an attribute, or created only ``if memo is None``).
    A ``used[i] = True`` of backtracking is not a cache: nothing is answered from it.
    """
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _names(target, "cache") or _names(target, "lru_cache"):
            return "functools cache"
    nodes = list(_own_nodes(function))
    stored = {_key(t.value) for n in nodes for t in _targets(n) if isinstance(t, ast.Subscript)}
    stored |= {
        _key(n.func.value)
        for n in nodes
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in ("setdefault", "update", "__setitem__")
    }
    read_into: dict[str, str] = {}  # hit = cache.get(key): the name and the container
    for n in nodes:
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            source = _read_from(n.value)
            if source is not None:
                read_into[n.targets[0].id] = source
    answered: set[str] = set()
    for n in nodes:
        if isinstance(n, ast.Return) and n.value is not None:
            for part in ast.walk(n.value):
                source = _read_from(part)
                if source is not None:
                    answered.add(source)
                elif isinstance(part, ast.Name) and part.id in read_into:
                    answered.add(read_into[part.id])
    fresh = {  # ``memo = {}`` in the body is made anew on every call: it remembers nothing
        t.id
        for n in function.body
        for t in _targets(n)
        if isinstance(t, ast.Name)
        and isinstance(n, ast.Assign)
        and not any(isinstance(v, ast.Name) and v.id == t.id for v in ast.walk(n.value))
    }
    cached = sorted((stored & answered) - fresh)
    return f"in {cached[0]}" if cached else None


def _own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The function's nodes, leaving out those of functions nested in it."""
    stack: list[ast.AST] = list(ast.iter_child_nodes(function))
    while stack:
        current = stack.pop()
        if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        yield current
        stack.extend(ast.iter_child_nodes(current))


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


def _key(node: ast.expr) -> str:
    """The container as written (``memo``, ``self.memo``), to match its reads to its writes."""
    return ast.unparse(node)


def _read_from(node: ast.AST) -> str | None:
    """The container ``node`` reads a stored value from: ``memo[key]`` or ``memo.get(key)``."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return _key(node.value)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
    ):
        return _key(node.func.value)
    return None


LISTED = 10
"""Names a note lists before it counts the rest: 5,000 generated functions made one note
200 KB long, in the report and in every prompt that quotes the static facts."""


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    return shown + (f" and {len(names) - LISTED} more" if len(names) > LISTED else "")


def _mutual(calls: dict[str, set[str]]) -> list[str]:
    """Functions that reach themselves through other functions of the code (``a -> b -> a``).

    Those are the members of the call graph's strongly connected components of two or more
    functions, found in one pass (Tarjan's, without recursion): a search from every function
    took quadratic time, and 5,000 chained functions held the app for seconds before the run.
    """
    graph = {name: [c for c in callees if c in calls] for name, callees in calls.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    in_cycle: set[str] = set()
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, callees = work[-1]
            for callee in callees:
                if callee not in index:
                    index[callee] = low[callee] = len(index)
                    stack.append(callee)
                    on_stack.add(callee)
                    work.append((callee, iter(graph[callee])))
                    break
                if callee in on_stack:
                    low[node] = min(low[node], index[callee])
            else:
                work.pop()
                if work:
                    caller = work[-1][0]
                    low[caller] = min(low[caller], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        in_cycle.update(component)
    return [name for name in calls if name in in_cycle]


def _mutual_only(walker: _Walker) -> list[str]:
    return [f for f in _mutual(walker.calls) if f not in walker.recursive]


def _recursion_notes(walker: _Walker) -> list[str]:
    """What the recursion says about cost: never "linear", since the loops do not bound it."""
    mutual = _mutual_only(walker)
    recursive = [*walker.recursive, *mutual]
    if not recursive:
        return []
    notes = [
        f"recursive: {_listed(recursive)}"
        + (f" ({_listed(mutual)} call each other)" if mutual else "")
        + ": the cost depends on how many calls the recursion makes, not on the loops"
        " (mind the recursion limit)"
    ]
    branching = [f for f in walker.branching if f not in walker.memoised]
    if branching:
        notes.append(
            f"{_listed(branching)} can call itself several times per call: the calls can"
            " multiply at every level (exponential in the depth) unless repeated subproblems"
            " are cached or dead branches pruned"
        )
    cached = [f for f in walker.branching if f in walker.memoised]
    if cached:
        how = _listed([f"{f} ({walker.memoised[f]})" for f in cached])
        notes.append(
            f"{how} calls itself more than once per call but caches its results: each distinct"
            " subproblem is solved once, so the cost is the number of distinct arguments times"
            " the work per call"
        )
    return notes


def _defines(tree: ast.Module, function: str) -> bool:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function:
            return True
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == function for t in node.targets
        ):
            return True
        if isinstance(node, ast.ImportFrom) and any(
            (a.asname or a.name) == function for a in node.names
        ):
            return True
    return False


def _redefined(tree: ast.Module) -> list[str]:
    """Notes for top-level functions and classes defined more than once.

    Only the last definition is ever called, so the earlier ones are dead code (usually a first
    attempt left above the fix). ``@overload`` stubs and ``_`` are meant to repeat.
    """
    lines: dict[str, list[int]] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        overload = any(
            _names(d.func if isinstance(d, ast.Call) else d, "overload")
            for d in node.decorator_list
        )
        if node.name != "_" and not overload:
            lines.setdefault(node.name, []).append(node.lineno)
    return [
        f"defines {name} {len(at)} times (lines {_listed([str(n) for n in at])}): only the last"
        " definition is used, the earlier ones are dead code"
        for name, at in lines.items()
        if len(at) > 1
    ]


def analyse(code: str, function: str | None = None) -> StaticReport:
    """Static facts about ``code``; never raises, whatever the text."""
    try:
        tree = parse_python(code, filename="solution.py")
    except SyntaxError as exc:
        issue = SyntaxIssue(
            line=exc.lineno or 0,
            column=exc.offset or 0,
            message=exc.msg,
            text=(exc.text or "").strip(),
        )
        return StaticReport(syntax_error=issue, lines=len(code.splitlines()))
    except UNPARSABLE as exc:
        issue = SyntaxIssue(line=0, column=0, message=f"cannot parse the code: {exc}")
        return StaticReport(syntax_error=issue, lines=len(code.splitlines()))
    walker = _Walker()
    notes: list[str] = []
    try:
        walker.visit(tree)
    except RecursionError:  # parses, but nests deeper than the walker's recursion allows
        notes.append("nested too deeply to read in full: the facts below are partial")
    if walker.max_loop_depth >= 2:
        notes.append(
            f"loops nested {walker.max_loop_depth} deep (line {walker.deepest_loop_line}):"
            f" likely O(n^{walker.max_loop_depth}) unless the inner loop is bounded"
        )
    recursion = _recursion_notes(walker)
    if walker.max_loop_depth == 1 and not recursion:
        notes.append("single loop level: linear passes, unless calls inside hide more work")
    notes.extend(recursion)
    notes.extend(_redefined(tree))
    if walker.shadowed:
        names = _listed([f"{s.name} (line {s.line})" for s in walker.shadowed])
        notes.append(f"hides built-in names: {names}")
    defines = _defines(tree, function) if function else False
    if function and not defines:
        notes.append(f"no top-level definition of {function}()")
    return StaticReport(
        defines_function=defines,
        max_loop_depth=walker.max_loop_depth,
        max_nesting=walker.max_nesting,
        loops=walker.loops,
        recursive_functions=[*walker.recursive, *_mutual_only(walker)],
        shadowed_builtins=walker.shadowed,
        imports=walker.imports,
        lines=len([ln for ln in code.splitlines() if ln.strip()]),
        notes=notes,
    )
