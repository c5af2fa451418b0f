"""Round-3 audit of the offline grader: fixes found with new adversarial answers.

Each test pairs an honest answer with a bad one written for it (short, in the candidate's own
words), and checks the honest one scores above the bad one and the bad one below the rubric's
"mediocre" level (the lean-hire signal).
"""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import HireSignal
from interview_sim.scoring import Assessment, OfflineRubricScorer
from interview_sim.scoring.text import negated_terms, words

SCORER = OfflineRubricScorer()
MEDIOCRE = 2.25
"""The lean-hire band's floor in every rubric: a bad answer must stay below it."""


def assess(catalog: Catalog, question_id: str, answer: str) -> Assessment:
    question = catalog.questions[question_id]
    ctx = QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    return SCORER.assess(ctx)


def contradictions(result: Assessment) -> list[str]:
    return [f for f in result.grade.feedback if f.startswith("contradicts")]


def test_rubric_mediocre_level_is_the_lean_hire_floor(catalog: Catalog) -> None:
    for rubric in catalog.rubrics.values():
        floor = next(b.min_total for b in rubric.hire_bands if b.signal == HireSignal.LEAN_HIRE)
        assert floor == MEDIOCRE, rubric.id


SVM_HONEST = (
    "An SVM maximises the margin, and only the support vectors end up defining the boundary. "
    "The kernel trick computes inner products in a higher-dimensional space without ever "
    "building that space, so an RBF kernel can separate the ring. C trades margin width "
    "against training errors, and a large gamma makes each point's influence local and overfits."
)
SVM_WRONG = (
    "An SVM minimises squared error, and every training point pulls on the boundary equally. "
    "The kernel trick does not compute inner products in a high-dimensional space: it "
    "explicitly writes out every polynomial feature as a new column, which is why memory grows. "
    "A larger C always generalises better, and the raw scores are already probabilities."
)


def test_a_negation_of_something_else_does_not_deny_the_point(catalog: Catalog) -> None:
    """ "... without ever building that space" restates "computes inner products ...
    implicitly"; only a negation governing the point's own terms denies it."""
    honest = assess(catalog, "svm_kernels", SVM_HONEST)
    wrong = assess(catalog, "svm_kernels", SVM_WRONG)
    assert contradictions(honest) == []
    assert contradictions(wrong)
    assert honest.grade.total > wrong.grade.total
    assert wrong.grade.total < MEDIOCRE


def test_a_negated_passive_or_judgement_denies_its_subject() -> None:
    def denied(text: str) -> frozenset[str]:
        return negated_terms(tuple(words(text)))

    assert "ndcg" in denied("NDCG can't really be computed offline")
    assert "posit" in denied("position stops mattering once you have enough data")
    assert "check" in denied("sample ratio checks aren't necessary with hashing")
    assert denied("computes inner products without building it") == {"build"}
    assert denied("fit on data the model wasn't trained on") == {"train"}
