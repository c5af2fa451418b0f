"""Hand-written memoisation is read as caching, and a function defined twice as dead code."""

from __future__ import annotations

import pytest

from interview_sim.sandbox.static import analyse

MEMBERSHIP = """
def best_schedule_value(values):
    memo = {}
    def best_from(i):
        if i in memo:
            return memo[i]
        if i >= len(values):
            return 0
        memo[i] = max(best_from(i + 1), values[i] + best_from(i + 2))
        return memo[i]
    return best_from(0)
"""
GET = """
cache = {}
def ways(n):
    hit = cache.get(n)
    if hit is not None:
        return hit
    result = 1 if n < 2 else ways(n - 1) + ways(n - 2)
    cache[n] = result
    return result
"""
ARGUMENT = """
def fib(n, memo=None):
    if memo is None:
        memo = {}
    if n not in memo:
        memo[n] = n if n < 2 else fib(n - 1, memo) + fib(n - 2, memo)
    return memo[n]
"""
SENTINEL_LIST = """
def climb(n, dp):
    if n <= 1:
        return 1
    if dp[n] != -1:
        return dp[n]
    dp[n] = climb(n - 1, dp) + climb(n - 2, dp)
    return dp[n]
"""
METHOD = """
class Solver:
    def __init__(self):
        self.memo = {}

    def count(self, n):
        try:
            return self.memo[n]
        except KeyError:
            pass
        value = 1 if n < 2 else self.count(n - 1) + self.count(n - 2)
        self.memo[n] = value
        return value
"""
DECORATED = """
import functools

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
"""
PERMUTATIONS = """
def permutations(xs):
    used = [False] * len(xs)
    out, path = [], []
    def go():
        if len(path) == len(xs):
            out.append(list(path))
            return
        for i, x in enumerate(xs):
            if used[i]:
                continue
            used[i] = True
            path.append(x)
            go()
            path.pop()
            used[i] = False
    go()
    return out
"""
FRESH_EVERY_CALL = """
def fib(n):
    memo = {}
    if n in memo:
        return memo[n]
    memo[n] = n if n < 2 else fib(n - 1) + fib(n - 2)
    return memo[n]
"""


def _notes(code: str) -> list[str]:
    return analyse(code).notes


@pytest.mark.parametrize(
    "code",
    [MEMBERSHIP, GET, ARGUMENT, SENTINEL_LIST, METHOD, DECORATED],
    ids=["membership", "get", "argument", "sentinel", "method", "decorated"],
)
def test_memoised_recursion_is_said_to_be_cached(code: str) -> None:
    notes = _notes(code)
    assert not any("exponential" in note for note in notes)
    assert any("caches its results" in note for note in notes)
    assert any("recursive:" in note for note in notes)  # still recursion: no "linear pass"


def test_the_cache_is_named() -> None:
    assert any("best_from (in memo)" in note for note in _notes(MEMBERSHIP))
    assert any("count (in self.memo)" in note for note in _notes(METHOD))


@pytest.mark.parametrize("code", [PERMUTATIONS, FRESH_EVERY_CALL])
def test_state_that_answers_nothing_is_not_a_cache(code: str) -> None:
    notes = _notes(code)
    assert any("several times per call" in note for note in notes)
    assert not any("caches its results" in note for note in notes)


def test_a_function_defined_twice_is_dead_code() -> None:
    code = (
        "def best(values):\n    return 0\n\n\n"
        "def best(values):\n    take = skip = 0\n    for v in values:\n"
        "        take, skip = skip + v, max(take, skip)\n    return max(take, skip)\n"
    )
    notes = _notes(code)
    assert any("defines best 2 times (lines 1, 5)" in n and "dead code" in n for n in notes)


def test_overloads_and_nested_redefinitions_are_not_dead_code() -> None:
    code = (
        "from typing import overload\n\n"
        "@overload\ndef f(x: int) -> int: ...\n"
        "@overload\ndef f(x: str) -> str: ...\n"
        "def f(x):\n    return x\n\n"
        "try:\n    from fast import g\nexcept ImportError:\n    def g(x):\n        return x\n"
    )
    assert not any("dead code" in note for note in _notes(code))
