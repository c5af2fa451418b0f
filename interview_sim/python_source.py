"""Parse Python source into a tree from any thread: the one place the package calls ``ast.parse``.

CPython 3.11 counts the AST constructor's recursion depth in state shared by the whole
interpreter. When two threads build trees at once and one yields the GIL mid-build (a garbage
collection can run Python code there), the count is corrupted and a parse fails with
``SystemError: AST constructor recursion depth mismatch`` (python/cpython#106905), whatever the
code. The sandbox's static facts, the coding scorer and the reports all parse candidate code,
from worker threads and from concurrent sandbox runs, so every parse takes one lock.
"""

from __future__ import annotations

import ast
import threading

_TREE_BUILDING = threading.Lock()

UNPARSABLE: tuple[type[Exception], ...] = (SyntaxError, ValueError, RecursionError, MemoryError)
"""What parsing text that is not Python can raise: bad syntax, a null byte (``ValueError`` on
3.11), nesting too deep for the parser or the tree builder."""


def parse_python(code: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse(code)`` under the lock; raises what it raises (``SyntaxError``...)."""
    with _TREE_BUILDING:
        return ast.parse(code, filename=filename)
