"""Candidate code is parsed from several threads at once without CPython 3.11's AST race."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from interview_sim.reports.segments import looks_like_code
from interview_sim.sandbox.static import analyse

PACKAGE = Path(__file__).resolve().parents[1] / "interview_sim"

# Four threads parse at once while every garbage collection (forced often) sleeps briefly, so
# a thread yields the GIL in the middle of building a tree: on CPython 3.11 plain ``ast.parse``
# then fails with "AST constructor recursion depth mismatch" (python/cpython#106905).
_RACE = """
import ast, gc, sys, threading, time
from interview_sim.python_source import parse_python
parse = ast.parse if sys.argv[1] == "ast.parse" else parse_python
gc.set_threshold(5)
gc.callbacks.append(lambda phase, info: time.sleep(0.0002))
code = (
    "def f(x):\\n    if x:\\n        return [y for y in range(x) if y % 2]\\n"
    "    return {k: (v, [v]) for k, v in x.items()}\\n"
) * 20
failures = []
def parse_repeatedly():
    for _ in range(4):
        try:
            parse(code)
        except SystemError as exc:
            failures.append(exc)
threads = [threading.Thread(target=parse_repeatedly) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures))
"""


def _race_failures(parser: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _RACE, parser],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(done.stdout.strip())


def test_parsing_from_threads_at_once_never_fails_on_the_interpreters_shared_state() -> None:
    assert _race_failures("parse_python") == 0
    if sys.version_info[:2] == (3, 11):
        # The same conditions do break the unguarded parser here: the check above is not vacuous.
        assert _race_failures("ast.parse") > 0


def test_the_package_parses_python_in_one_place() -> None:
    callers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "parse"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "ast"
            ):
                callers.append(path.relative_to(PACKAGE).as_posix())
    assert callers == ["python_source.py"]


def test_text_with_a_null_byte_is_not_code_and_not_a_crash() -> None:
    text = "def f(xs):\n    return sorted(xs)\x00\n"
    assert looks_like_code(text) is False
    report = analyse(text, "f")
    assert report.syntax_error is not None
