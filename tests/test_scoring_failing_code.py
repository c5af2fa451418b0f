"""Code that fails most tests earns no complexity, no "working approach" and, as a stub, no code
quality, however well the talk-through reads; the same prose with working code still does."""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import CodeOutcome, CodingQuestion, CriterionScore, Grade, Turn, TurnKind
from interview_sim.scoring import OfflineRubricScorer

SCORER = OfflineRubricScorer()
QUESTION = "all_token_segmentations"
STUB = "def all_segmentations(text, vocab):\n    return []\n"
TALK = (
    "I clarify first: can the vocabulary repeat tokens and how long are the strings? The brute"
    " force tries every split point, which is exponential. Instead I backtrack over prefixes"
    " that are vocabulary tokens, appending and popping a path, and memoise for each start index"
    " whether the suffix can be segmented at all, so dead ends like 'aaaa...ab' are cut at once."
    " That is O(n * L) for the reachability table plus the size of the output, because each"
    " start index is explored once; space is O(n) for the table and the recursion. Edge cases:"
    " the empty text has one segmentation, and a text no token fits has none."
)
FAILING_BUT_FAST = CodeOutcome(
    passed=2, total=10, performance="passed", summary="2/10 tests passed; performance: fast enough"
)
WORKING = CodeOutcome(passed=10, total=10, performance="passed", summary="10/10 tests passed")


def _grade(catalog: Catalog, code: str, outcome: CodeOutcome) -> Grade:
    question = catalog.questions[QUESTION]
    turns = [
        Turn(session_id=1, stage=question.stage, question_id=question.id, kind=kind, text=text)
        for kind, text in [
            (TurnKind.QUESTION, question.prompt),
            (TurnKind.CODE_RUN, code),
            (TurnKind.ANSWER, TALK),
        ]
    ]
    return SCORER.grade(QuestionContext(question, catalog.rubric_for(question), turns, outcome))


def _score(grade: Grade, criterion: str) -> CriterionScore:
    return next(s for s in grade.scores if s.criterion == criterion)


def test_a_fast_stub_that_fails_most_tests_earns_no_complexity_and_no_code_quality(
    catalog: Catalog,
) -> None:
    grade = _grade(catalog, STUB, FAILING_BUT_FAST)

    complexity = _score(grade, "complexity")
    assert complexity.level <= 1
    assert "fails most tests (2/10 passed)" in complexity.capped
    assert "performance test passed" not in complexity.rationale
    assert _score(grade, "problem_solving").level <= 2
    quality = _score(grade, "code_quality")
    assert quality.level == 0 and "a stub" in quality.rationale
    assert "a stub" in quality.capped  # the scorecard says why, not "single-letter names"


def test_the_same_talk_through_with_working_code_is_credited(catalog: Catalog) -> None:
    question = catalog.questions[QUESTION]
    assert isinstance(question, CodingQuestion)
    working = _grade(catalog, question.reference_solution, WORKING)
    stub = _grade(catalog, STUB, FAILING_BUT_FAST)

    assert _score(working, "complexity").level >= 2
    assert _score(working, "complexity").capped == ""
    assert _score(working, "code_quality").level >= 2
    assert working.total > stub.total + 1.0
