"""A stated complexity the sandbox refutes earns nothing on Complexity and is never quoted in the
answer's favour; an honest one, a plan and a correct one are graded as before."""

from __future__ import annotations

import pytest

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import (
    CodeOutcome,
    CodingQuestion,
    CriterionScore,
    Grade,
    Turn,
    TurnKind,
)
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.complexity_claims import (
    EXPONENTIAL,
    LINEAR,
    Growth,
    banked_growth,
    claims_fast,
    claims_in,
    growth_of,
    stated_complexity,
)

SCORER = OfflineRubricScorer()
QUESTION = "all_token_segmentations"
WRONG = (
    "The time complexity is O(n) because each character is visited exactly once, so it is "
    "already optimal."
)
HONEST = (
    "This is exponential, too slow: every dead end is explored again. I'd use a word-break DP "
    "to get O(n * L) plus the output."
)
SLOW = CodeOutcome(
    passed=10,
    total=10,
    performance="too_slow",
    summary="10/10 tests passed; performance: too slow for n=40: stopped at the CPU limit",
)
FAST = CodeOutcome(passed=10, total=10, performance="passed", summary="10/10 tests passed")


def _grade(catalog: Catalog, turns: list[tuple[TurnKind, str]], outcome: CodeOutcome) -> Grade:
    question = catalog.questions[QUESTION]
    stored = [
        Turn(session_id=1, stage=question.stage, question_id=question.id, kind=kind, text=text)
        for kind, text in [(TurnKind.QUESTION, question.prompt), *turns]
    ]
    return SCORER.grade(QuestionContext(question, catalog.rubric_for(question), stored, outcome))


def _score(grade: Grade, criterion: str) -> CriterionScore:
    return next(s for s in grade.scores if s.criterion == criterion)


def _quoted(grade: Grade, sentence: str) -> bool:
    return any(sentence in quote for s in grade.scores for quote in s.evidence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (WRONG, [("O(n)", LINEAR, False), ("optimal", None, False)]),
        (HONEST, [("exponential", EXPONENTIAL, False), ("O(n * L)", Growth(degree=2), True)]),
        (
            "It is O(n^2) overall. I would bring it down to O(n).",
            [("O(n^2)", Growth(degree=2), False), ("O(n)", LINEAR, True)],
        ),
        (
            "Lookups are O(1), so the whole thing is O(n) time and O(n) space.",
            [("O(n)", LINEAR, False)],
        ),
        ("I said O(n), but it is actually exponential.", [("exponential", EXPONENTIAL, False)]),
        ("It's not linear: dead ends are explored again.", []),
        ("If I memoise, it becomes O(n * L).", [("O(n * L)", Growth(degree=2), True)]),
        (
            "It's O(n^2) because of the nested loop. Using a hash map, it becomes O(n).",
            [("O(n^2)", Growth(degree=2), False), ("O(n)", LINEAR, True)],
        ),
        ("It runs in linear time with constant extra space.", [("linear", LINEAR, False)]),
        ("I do a linear scan and keep a constant factor low.", []),
        ("It uses O(n) extra space.", []),
    ],
)
def test_what_a_text_claims(text: str, expected: list[tuple[str, Growth | None, bool]]) -> None:
    assert [(c.quoted, c.growth, c.planned) for c in claims_in(text)] == expected


@pytest.mark.parametrize(
    ("expression", "growth"),
    [
        ("n log n", Growth(degree=1, logs=1)),
        ("nlogn", Growth(degree=1, logs=1)),
        ("nm", Growth(degree=2)),
        ("n * L + n * L * S", Growth(degree=3)),
        ("2^n", EXPONENTIAL),
        ("n!", EXPONENTIAL),
        ("V + E", LINEAR),
        ("T^2 * (d_k + d_v)", Growth(degree=3)),
        ("total characters of names", None),
    ],
)
def test_growth_of_a_big_o(expression: str, growth: Growth | None) -> None:
    assert growth_of(expression) == growth


def test_every_banked_time_complexity_reads_or_is_prose(catalog: Catalog) -> None:
    for question in catalog.questions.values():
        if isinstance(question, CodingQuestion):
            growth = banked_growth(question.complexity.time)
            assert growth is None or not growth.exponential, question.id


def test_stated_complexity_tells_the_code_from_the_plan() -> None:
    stated = stated_complexity(["It is O(n^2) overall. I would bring it down to O(n) with a stack"])
    assert stated.current is not None and stated.planned is not None
    assert (stated.current.quoted, stated.planned.quoted) == ("O(n^2)", "O(n)")
    assert not claims_fast(stated.current) and claims_fast(stated.planned)
    said = claims_in("It is quadratic overall. This is already optimal.")
    assert [claims_fast(c) for c in said] == [False, True]


def test_a_claim_the_too_slow_run_refutes_earns_nothing(catalog: Catalog) -> None:
    grade = _grade(catalog, [(TurnKind.CODE_RUN, "def f(): ..."), (TurnKind.ANSWER, WRONG)], SLOW)
    complexity = _score(grade, "complexity")
    assert complexity.level <= 1
    assert not _quoted(grade, "O(n) because each character")
    assert '"O(n)"' in complexity.capped and "too slow for n=40" in complexity.capped
    assert any("O(n) because each character" in m for m in complexity.missed)


def test_an_honest_account_of_a_slow_run_is_not_a_wrong_claim(catalog: Catalog) -> None:
    grade = _grade(catalog, [(TurnKind.CODE_RUN, "def f(): ..."), (TurnKind.ANSWER, HONEST)], SLOW)
    complexity = _score(grade, "complexity")
    assert "stated" not in complexity.capped
    assert not any("refutes" in m for m in complexity.missed)
    assert complexity.level == 1  # the too-slow verdict's own ceiling, nothing taken for honesty


def test_a_correct_claim_about_a_fast_solution_scores_as_before(catalog: Catalog) -> None:
    right = (
        "A word-break DP from the end marks which positions can finish, then backtracking only "
        "enters those, so it is O(n * L) plus time proportional to the output; plain "
        "backtracking would be exponential on dead ends."
    )
    grade = _grade(catalog, [(TurnKind.CODE_RUN, "def f(): ..."), (TurnKind.ANSWER, right)], FAST)
    complexity = _score(grade, "complexity")
    assert "stated" not in complexity.capped and complexity.level >= 2
    assert _quoted(grade, "O(n * L)")


def test_a_claim_about_an_earlier_too_slow_submission_is_refuted_by_its_own_run(
    catalog: Catalog,
) -> None:
    """The tester's session: naive code (too slow), "it is O(n), already optimal", then the
    good code (fast). The claim was about the slow code, so the later pass does not save it."""
    turns = [
        (TurnKind.CODE_RUN, "naive"),
        (TurnKind.FOLLOW_UP, "Your solution was too slow for n=40. What is its complexity?"),
        (TurnKind.ANSWER, WRONG),
        (TurnKind.CODE_RUN, "good"),
        (TurnKind.ANSWER, "I added a can-finish table so dead ends are pruned."),
    ]
    history = FAST.model_copy(update={"submissions": (SLOW, FAST)})
    grade = _grade(catalog, turns, history)
    assert _score(grade, "complexity").level <= 1
    assert not _quoted(grade, "O(n) because each character")
    correctness = _score(grade, "correctness")
    assert correctness.level <= 3
    assert "first submission's performance test was too slow" in correctness.rationale


def test_an_honest_fix_after_a_slow_run_is_credited(catalog: Catalog) -> None:
    turns = [
        (TurnKind.CODE_RUN, "naive"),
        (TurnKind.ANSWER, HONEST),
        (TurnKind.CODE_RUN, "good"),
        (TurnKind.ANSWER, "Now it is O(n * L) plus the output, since only live positions recurse."),
    ]
    grade = _grade(catalog, turns, FAST.model_copy(update={"submissions": (SLOW, FAST)}))
    complexity = _score(grade, "complexity")
    assert "stated" not in complexity.capped and complexity.level >= 2
    assert not any("refutes" in m for m in complexity.missed)


def test_a_resubmission_cannot_show_a_first_time_pass(catalog: Catalog) -> None:
    answer = (
        "Backtracking over vocabulary prefixes with a path I append and pop, pruned by a "
        "word-break DP of positions that can reach the end. The empty text has one "
        "segmentation, duplicates in the vocabulary go through a set, and I walked through the "
        "empty text, an empty vocabulary, a dead-end prefix and a token longer than the text."
    )
    once = _grade(catalog, [(TurnKind.ANSWER, answer), (TurnKind.CODE_RUN, "good")], FAST)
    twice = _grade(
        catalog,
        [(TurnKind.CODE_RUN, "naive"), (TurnKind.ANSWER, answer), (TurnKind.CODE_RUN, "good")],
        FAST,
    )
    assert _score(once, "correctness").level == 4
    assert _score(twice, "correctness").level == 3
    assert "2 submissions" in _score(twice, "correctness").rationale
