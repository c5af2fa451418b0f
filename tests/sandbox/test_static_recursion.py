"""The static facts never call a recursive solution linear: recursion decides its cost."""

from __future__ import annotations

import pytest

from interview_sim.sandbox.static import analyse

BACKTRACKING = """
def all_segmentations(text, vocab):
    words = set(vocab)
    found, path = [], []

    def extend(i):
        if i == len(text):
            found.append(list(path))
            return
        for j in range(i + 1, len(text) + 1):
            if text[i:j] in words:
                path.append(text[i:j])
                extend(j)
                path.pop()

    extend(0)
    return found
"""
MUTUAL = """
def is_even(n):
    for _ in range(1):
        pass
    return True if n == 0 else is_odd(n - 1)

def is_odd(n):
    return False if n == 0 else is_even(n - 1)
"""
BINARY_SEARCH = """
def find(xs, lo, hi, target):
    for _ in range(1):
        pass
    mid = (lo + hi) // 2
    if xs[mid] < target:
        return find(xs, mid + 1, hi, target)
    return find(xs, lo, mid, target)
"""
FIB = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
CACHED = "from functools import cache\n\n@cache\n" + FIB


def _branches(code: str) -> bool:
    return any("several times per call" in note for note in analyse(code).notes)


@pytest.mark.parametrize("code", [BACKTRACKING, MUTUAL, BINARY_SEARCH, FIB])
def test_recursive_code_is_never_called_linear(code: str) -> None:
    report = analyse(code)
    assert report.recursive_functions
    assert not any("linear" in note for note in report.notes)
    assert any("depends on how many calls the recursion makes" in note for note in report.notes)


def test_mutual_recursion_is_found() -> None:
    report = analyse(MUTUAL)
    assert report.recursive_functions == ["is_even", "is_odd"]
    assert any("call each other" in note for note in report.notes)


def test_branching_is_told_from_a_single_path() -> None:
    assert _branches(BACKTRACKING) and _branches(FIB)
    assert not _branches(BINARY_SEARCH) and not _branches(MUTUAL) and not _branches(CACHED)


def test_a_plain_loop_is_still_a_linear_pass() -> None:
    report = analyse("def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n")
    assert report.recursive_functions == []
    assert any("linear passes" in note for note in report.notes)
