"""Coding: the sandbox's measured results, the code itself, and how the approach was told."""

from __future__ import annotations

import ast
import re

from interview_sim.models import CodeOutcome, CodingQuestion, TurnKind
from interview_sim.python_source import UNPARSABLE, parse_python
from interview_sim.scoring.complexity_claims import WRONG_CLAIM_LEVEL, refuted_sentences
from interview_sim.scoring.coverage import weighted_credit
from interview_sim.scoring.signals import cue_sentences
from interview_sim.scoring.stages.common import (
    Estimate,
    Signals,
    blend,
    misconception_adjust,
    saturation,
)
from interview_sim.scoring.text import plain_lowercase

_APPROACH = re.compile(
    r"\b(brute[- ]force|naive|alternative|instead|versus|vs\.?|trade-?offs?|compare|better than|"
    r"rather than|would also work|another approach|optimi[sz]e)\b"
)
_EDGE = re.compile(r"\b(edge case|empty|test|tests|duplicate|negative|zero|single|invalid|none)\b")
_STDLIB = re.compile(
    r"\b(collections|heapq|bisect|itertools|functools|deque|counter|defaultdict|dict|set|heap|"
    r"stack|queue|sorted|key=)\b"
)


def coding(question: CodingQuestion, signals: Signals) -> dict[str, Estimate]:
    text = " ".join(plain_lowercase(s.text) for s in signals.sentences)
    outcome = signals.code_outcome
    edge = [s for s in signals.sentences if _EDGE.search(plain_lowercase(s.text))]
    approach = [s for s in signals.sentences if _APPROACH.search(plain_lowercase(s.text))]
    wrong = refuted_sentences(
        question.complexity.time, signals.sentences, signals.turns, outcome, signals.code
    )
    stated = cue_sentences(signals.sentences, "big_o")
    big_o = [s for s in stated if s not in wrong]  # a refuted claim earns no credit

    solving = signals.coverage("problem_solving")
    solving = blend(
        solving, solving.value * 0.75 + 4 * 0.25 * saturation(len(approach), 2), approach[:1]
    )
    if outcome is not None and outcome.total > 0 and outcome.passed == outcome.total:
        # Passing every hidden test is evidence of a workable approach, explained or not.
        floor = 3.0 if outcome.performance != "too_slow" else 2.0
        if solving.value < floor:
            solving.value = floor
            solving.measured = True
            solving.notes.append(
                f"all {outcome.total} hidden tests passed: a workable approach"
                + ("" if approach else ", though the approach was not explained")
            )

    failing = _fails_most_tests(outcome)
    if failing is not None:  # described well, perhaps, but not "a working approach"
        solving.cap(FAILING_CODE_SOLVING_LEVEL, failing)

    correctness = signals.coverage("correctness")
    text_value = correctness.value * 0.8 + 4 * 0.2 * saturation(len(edge), 2)
    if outcome is not None and outcome.total > 0:
        rate = outcome.passed / outcome.total
        measured = 0.0 if rate < MOST_FAILED else 1.0 if rate < 0.8 else 2.0 if rate < 1 else 3.0
        retried = _not_first_time(outcome, signals)
        if rate == 1 and text_value >= 2.0 and retried is None:
            measured = 4.0
        note = f"tests passed {outcome.passed}/{outcome.total}"
        if rate == 1 and retried is not None:
            note += f"; level 4 needs every test passed first time, but {retried}"
        correctness = blend(correctness, measured, edge[:1], note)
        correctness.measured = True
    else:
        correctness = blend(correctness, text_value, edge[:1], "no test results: judged on prose")
    correctness = misconception_adjust(correctness, signals)

    complexity = signals.coverage("complexity")
    value = complexity.value * 0.7 + 4 * 0.3 * saturation(len(big_o), 1)
    if outcome is not None and outcome.performance == "too_slow":
        value = min(value, 1.0)
        complexity.notes.append("performance test too slow")
    elif (
        outcome is not None and outcome.performance == "passed" and outcome.passed == outcome.total
    ):
        value = max(value, 2.0)
        complexity.notes.append("performance test passed")
    complexity = blend(complexity, value, big_o[:1])
    if failing is not None:
        # Levels 2-4 need "an optimal solution written": a fast run of code that fails most
        # tests (it may do almost nothing) and an analysis of code that is not there are not it.
        complexity.cap(1.0, failing)
    for sentence, why in wrong.items():
        complexity.missed.append(f'stated complexity the measurement refutes: "{sentence.text}"')
        if why not in complexity.notes:  # two sentences refuted alike: say it once
            complexity.notes.append(why)
        complexity.value = min(complexity.value, WRONG_CLAIM_LEVEL)
        complexity.capped = complexity.capped or why  # the reason, even where the too-slow
        # verdict alone already held the level this low

    overall = signals.overall()
    code_quality = _code_quality(signals.code)
    if code_quality is None:
        stdlib = saturation(len(_STDLIB.findall(text)), 2)
        code_quality = Estimate(
            1.0 + 2.0 * weighted_credit(signals.matches) + stdlib,
            notes=["no code submitted: judged from the described structures"],
        )

    comm = signals.communication
    communication = blend(
        overall,
        overall.value * 0.5 + 4 * 0.25 * comm.structure + 4 * 0.25 * saturation(len(approach), 2),
        note=f"{comm.sentences} sentence(s)",
    )
    if not stated and not wrong:
        communication.notes.append("complexity never stated")
        complexity.notes.append("complexity never stated: judged from the measurement only")
    if comm.words < 10:
        communication.value = min(communication.value, 1.0)
        communication.notes.append("the approach was not explained")
    estimates = {
        "problem_solving": solving,
        "correctness": correctness,
        "complexity": complexity,
        "code_quality": code_quality,
        "communication": communication,
    }
    for estimate in estimates.values():  # a refuted claim is never quoted in the answer's favour,
        # whole or by its clauses ("The time complexity is O(n^2)")
        estimate.evidence = [
            s for s in estimate.evidence if not any(w.start <= s.start < w.end for w in wrong)
        ]
    return estimates


def _not_first_time(outcome: CodeOutcome, signals: Signals) -> str | None:
    """Why the tests were not passed first time (performance included), or None if they were.

    The first submission's own outcome when the history is known; without it, a session with
    more than one submission cannot show a first-time pass.
    """
    runs = sum(t.kind == TurnKind.CODE_RUN for t in signals.turns)
    first = outcome.submissions[0] if outcome.submissions else outcome if runs <= 1 else None
    if first is None:
        return f"there were {runs} submissions"
    if first.passed < first.total:
        return f"the first submission passed {first.passed}/{first.total}"
    if first.performance in ("too_slow", "failed"):
        verdict = "was too slow" if first.performance == "too_slow" else "failed"
        return f"the first submission's performance test {verdict}"
    return None


_CONVENTIONAL_NAMES = frozenset({"i", "j", "k", "n", "_"})
_BLOCKS = (ast.For, ast.While, ast.If, ast.With, ast.Try)


MOST_FAILED = 0.4
"""A pass rate below this is "fails most hidden tests": Correctness 0 from the measurement, and
no working solution for Problem solving and Complexity to credit."""
FAILING_CODE_SOLVING_LEVEL = 2.0
"""The highest Problem solving level when the submitted code fails most tests: the rubric's
level 3 "moves to an efficient approach", level 2 "reaches a working approach" only with help."""


def _fails_most_tests(outcome: CodeOutcome | None) -> str | None:
    """Why the latest submission shows no working solution, or None: it failed most tests."""
    if outcome is None or outcome.total == 0 or outcome.passed / outcome.total >= MOST_FAILED:
        return None
    return f"the submitted code fails most tests ({outcome.passed}/{outcome.total} passed)"


def _code_quality(code: str) -> Estimate | None:
    """Readability from the code itself: descriptive names, standard-library use, nesting.

    The code is parsed with ``ast`` (never executed) to find the names it binds. A cap (a stub,
    dead code) is the estimate's ``capped`` reason, which the scorecard shows instead of the
    level's anchor ("single-letter names everywhere" is not what is wrong with a stub).
    """
    if not code.strip():
        return None
    try:
        tree = parse_python(code)
        depth = _nesting(tree)
    except UNPARSABLE:
        reason = "the submitted code does not parse"
        return Estimate(1.0, notes=[reason], measured=True, capped=reason)
    names = [
        node.arg if isinstance(node, ast.arg) else node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.arg)
        or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store))
    ]
    chosen = [n for n in names if n not in _CONVENTIONAL_NAMES]
    descriptive = sum(len(n) >= 3 for n in chosen) / len(chosen) if chosen else 1.0
    stdlib = bool(_STDLIB.search(code.lower()))
    value = 1.0 + 2.0 * descriptive + (1.0 if stdlib else 0.0) - (1.0 if depth > 3 else 0.0)
    estimate = Estimate(
        value, notes=[f"{descriptive:.0%} descriptive names, nesting depth {depth}"], measured=True
    )
    if _stub(tree):
        stub = "a stub (its functions only pass, raise or return a constant): no code to review"
        estimate.notes = [stub]
        estimate.cap(STUB_LEVEL, stub)
        return estimate
    dead = _redefined(tree)
    if dead:
        why = f"defines {', '.join(dead)} more than once: the earlier definitions are dead code"
        estimate.notes.append(why)
        estimate.cap(DEAD_CODE_LEVEL, why)
    return estimate


DEAD_CODE_LEVEL = 2.0
"""The highest Code quality level for code that defines a top-level function twice: the
rubric's level 3 is "no duplication", level 2 "some clutter ... repeated logic"."""


STUB_LEVEL = 0.0
"""Code quality for a stub: readable names on an empty body are not code that was written."""


def _stub(tree: ast.Module) -> bool:
    """Whether every function only passes, raises or returns a constant (``return []``)."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if not functions:
        return False
    for function in functions:
        body = function.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # a docstring
        if len(body) > 1:
            return False
        for statement in body:
            if isinstance(statement, ast.Pass | ast.Raise):
                continue
            if isinstance(statement, ast.Return) and _constant(statement.value):
                continue
            return False
    return True


def _constant(node: ast.expr | None) -> bool:
    """``None``, a literal, or a container of literals: a value computed from nothing."""
    if node is None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            _constant(k) and _constant(v) for k, v in zip(node.keys, node.values, strict=True)
        )
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    return False


def _redefined(tree: ast.Module) -> list[str]:
    """Top-level functions and classes defined more than once (``@overload`` stubs aside).

    The sandbox's static facts note the same for the interviewer; scoring may not import the
    sandbox (sibling layers), so the grade reads it from the tree it already parsed.
    """
    seen: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stub = any("overload" in ast.unparse(d) for d in node.decorator_list)
            if node.name != "_" and not stub:
                seen[node.name] = seen.get(node.name, 0) + 1
    return [name for name, count in seen.items() if count > 1]


def _nesting(node: ast.AST, depth: int = 0) -> int:
    deeper = depth + isinstance(node, _BLOCKS)
    return max([deeper, *(_nesting(child, deeper) for child in ast.iter_child_nodes(node))])
