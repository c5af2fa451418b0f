"""Read the candidate's code with ``ast``, without running it.

A syntax error is reported with its line and column before any process starts. Loop nesting
and recursion are facts the complexity follow-up can hold the candidate's stated complexity
against; names that hide built-ins are a readability signal for the code-quality criterion.
"""

from __future__ import annotations

import ast
import builtins

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
        calls_itself = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == node.name
            for n in ast.walk(node)
        )
        if calls_itself and node.name not in self.recursive:
            self.recursive.append(node.name)
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


def analyse(code: str, function: str | None = None) -> StaticReport:
    """Static facts about ``code``; never raises, whatever the text."""
    try:
        tree = ast.parse(code, filename="solution.py")
    except SyntaxError as exc:
        issue = SyntaxIssue(
            line=exc.lineno or 0,
            column=exc.offset or 0,
            message=exc.msg,
            text=(exc.text or "").strip(),
        )
        return StaticReport(syntax_error=issue, lines=len(code.splitlines()))
    except (ValueError, RecursionError, MemoryError) as exc:
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
    elif walker.max_loop_depth == 1:
        notes.append("single loop level: linear passes, unless calls inside hide more work")
    if walker.recursive:
        notes.append(f"recursive: {', '.join(walker.recursive)} (mind the recursion limit)")
    if walker.shadowed:
        names = ", ".join(f"{s.name} (line {s.line})" for s in walker.shadowed)
        notes.append(f"hides built-in names: {names}")
    defines = _defines(tree, function) if function else False
    if function and not defines:
        notes.append(f"no top-level definition of {function}()")
    return StaticReport(
        defines_function=defines,
        max_loop_depth=walker.max_loop_depth,
        max_nesting=walker.max_nesting,
        loops=walker.loops,
        recursive_functions=walker.recursive,
        shadowed_builtins=walker.shadowed,
        imports=walker.imports,
        lines=len([ln for ln in code.splitlines() if ln.strip()]),
        notes=notes,
    )
