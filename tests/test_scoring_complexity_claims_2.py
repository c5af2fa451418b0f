"""A stated complexity polynomially worse than single-pass code that passed the performance test
is wrong; where the code could really be that slow, or the claim only pessimistic, it stands.
A refutation is said once, and code that defines its function twice is not top-level code."""

from __future__ import annotations

import pytest

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import CodeOutcome, CriterionScore, Grade, Turn, TurnKind
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.code_cost import single_pass

SCORER = OfflineRubricScorer()
QUESTION = "non_adjacent_slot_value"  # banked O(n)
ONE_PASS = """
def best_schedule_value(values):
    take, skip = 0, 0
    for value in values:
        take, skip = skip + value, max(take, skip)
    return max(take, skip)
"""
NAIVE = """
def best_schedule_value(values):
    def best(i):
        if i >= len(values):
            return 0
        return max(best(i + 1), values[i] + best(i + 2))
    return best(0)
"""
FAST = CodeOutcome(passed=10, total=10, performance="passed", summary="10/10 tests passed")
SLOW = CodeOutcome(
    passed=10,
    total=10,
    performance="too_slow",
    summary="10/10 tests passed; performance: too slow for n=60: stopped at the CPU limit",
)
QUADRATIC = "The time complexity is O(n^2) because of the max inside the loop, and space is O(n)."


def _grade(catalog: Catalog, code: str, answers: list[str], outcome: CodeOutcome) -> Grade:
    question = catalog.questions[QUESTION]
    kinds = [(TurnKind.QUESTION, question.prompt), (TurnKind.CODE_RUN, code)]
    kinds += [(TurnKind.ANSWER, a) for a in answers]
    stored = [
        Turn(session_id=1, stage=question.stage, question_id=question.id, kind=kind, text=text)
        for kind, text in kinds
    ]
    return SCORER.grade(QuestionContext(question, catalog.rubric_for(question), stored, outcome))


def _score(grade: Grade, criterion: str) -> CriterionScore:
    return next(s for s in grade.scores if s.criterion == criterion)


def _quoted(grade: Grade, text: str) -> bool:
    return any(text in quote for s in grade.scores for quote in s.evidence)


def test_a_quadratic_claim_about_a_fast_single_pass_earns_nothing(catalog: Catalog) -> None:
    answer = "I keep two running values, take and skip, and update them for each slot. "
    grade = _grade(catalog, ONE_PASS, [answer + QUADRATIC], FAST)
    complexity = _score(grade, "complexity")
    assert complexity.level <= 1
    assert "single pass" in complexity.rationale and "O(n^2)" in complexity.capped
    assert not _quoted(grade, "O(n^2)")  # not even the clause "The time complexity is O(n^2)"


def test_the_same_claim_with_the_right_one_scores_well(catalog: Catalog) -> None:
    right = "The time complexity is O(n) since each slot is visited once, and space is O(1)."
    grade = _grade(catalog, ONE_PASS, [right], FAST)
    assert _score(grade, "complexity").level >= 2
    assert "stated" not in _score(grade, "complexity").capped


@pytest.mark.parametrize(
    "answer",
    [
        "It is O(n log n) time at worst, which is a safe upper bound, and O(1) space.",
        "The brute force is O(n^2) but mine is O(n) time.",
        "It is O(n^2) in the worst case if the hash table collides, O(n) on average.",
        "Enumerating subsets would be exponential; this is linear time.",
        "My first idea was a double loop over every pair of slots, which is O(n^2).",
    ],
    ids=["pessimistic-log", "compares", "worst-case", "plan", "first-idea"],
)
def test_pessimistic_or_comparing_claims_are_not_penalised(catalog: Catalog, answer: str) -> None:
    complexity = _score(_grade(catalog, ONE_PASS, [answer], FAST), "complexity")
    assert "stated" not in complexity.capped
    assert not any("refutes" in m for m in complexity.missed)


SLOW_BUT_PASSING = {
    "nested": "def f(xs):\n    for x in xs:\n        for y in xs:\n            pass\n",
    "sorted in loop": "def f(xs):\n    for x in xs:\n        ys = sorted(xs)\n",
    "max of a prefix": "def f(xs):\n    for i in range(len(xs)):\n        m = max(xs[:i + 1])\n",
    "list membership": "def f(xs):\n    seen = []\n    for x in xs:\n        if x in seen:\n"
    "            return True\n        seen.append(x)\n",
    "sum in loop": "def f(xs):\n    for x in xs:\n        s = sum(xs)\n",
    "helper in loop": "def g(xs):\n    return len(xs)\n\ndef f(xs):\n    for x in xs:\n"
    "        g(xs)\n",
    "comprehension in loop": "def f(xs):\n    for x in xs:\n        ys = [y for y in xs]\n",
    "recursion": NAIVE,
    "pairs": "from itertools import combinations\n\ndef f(xs):\n"
    "    for a, b in combinations(xs, 2):\n        pass\n",
    "square range": "def f(n):\n    for i in range(n * n):\n        pass\n",
    "bitmask": "def f(n):\n    for mask in range(1 << n):\n        pass\n",
    "string concatenation": "def f(xs):\n    out = ''\n    for x in xs:\n        out += x\n",
    "pop front": "def f(xs):\n    while xs:\n        xs.pop(0)\n",
    "syntax error": "def f(:\n",
    "no code": "",
}


@pytest.mark.parametrize("code", SLOW_BUT_PASSING.values(), ids=SLOW_BUT_PASSING.keys())
def test_code_that_could_be_slower_is_not_a_single_pass(code: str) -> None:
    assert not single_pass(code)


ONE_PASSES = {
    "two running values": ONE_PASS,
    "hash map": "def f(nums, target):\n    seen = {}\n    for j, v in enumerate(nums):\n"
    "        if target - v in seen:\n            return [seen[target - v], j]\n"
    "        seen[v] = j\n    return []\n",
    "sort then scan": "def f(xs):\n    xs = sorted(xs)\n    best = 0\n"
    "    for i in range(len(xs) - 1):\n"
    "        best = max(best, xs[i + 1] - xs[i])\n    return best\n",
    "heap": "import heapq\n\ndef f(xs, k):\n    heap = []\n    for x in xs:\n"
    "        heapq.heappush(heap, x)\n        if len(heap) > k:\n            heapq.heappop(heap)\n"
    "    return heap[0]\n",
    "binary search": "def f(xs, t):\n    lo, hi = 0, len(xs)\n    while lo < hi:\n"
    "        mid = (lo + hi) // 2\n        if xs[mid] < t:\n            lo = mid + 1\n"
    "        else:\n            hi = mid\n    return lo\n",
}


@pytest.mark.parametrize("code", ONE_PASSES.values(), ids=ONE_PASSES.keys())
def test_plain_passes_are_single_pass(code: str) -> None:
    assert single_pass(code)


def test_a_quadratic_claim_about_code_that_could_be_quadratic_stands(catalog: Catalog) -> None:
    code = (
        "def best_schedule_value(values):\n    best = [0] * (len(values) + 2)\n"
        "    for i in range(len(values)):\n        best[i + 2] = max(best[: i + 2])"
        " + max(values[i], 0)\n    return max(best)\n"
    )
    complexity = _score(_grade(catalog, code, [QUADRATIC], FAST), "complexity")
    assert "stated" not in complexity.capped


def test_a_refutation_is_said_once(catalog: Catalog) -> None:
    answers = [
        "It runs in linear time and it's already optimal: every slot is looked at once.",
        "It's the optimal approach, linear time, I don't think it can be made faster.",
    ]
    complexity = _score(_grade(catalog, NAIVE, answers, SLOW), "complexity")
    assert complexity.level <= 1
    assert complexity.rationale.count('stated "linear"') == 1
    assert len([m for m in complexity.missed if "refutes" in m]) == 2  # each sentence named


def test_a_function_defined_twice_is_not_top_level_code(catalog: Catalog) -> None:
    twice = NAIVE + "\n" + ONE_PASS
    answer = "I keep two running values for each slot, so it is O(n) time and O(1) space."
    once = _score(_grade(catalog, ONE_PASS, [answer], FAST), "code_quality")
    dead = _score(_grade(catalog, twice, [answer], FAST), "code_quality")
    assert once.level >= 3 and dead.level <= 2
    assert "best_schedule_value more than once" in dead.rationale
    assert "dead code" in dead.rationale
