"""Filler words are counted with one list and named as found, on the scorecard and in progress."""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import TurnKind
from interview_sim.progress.communication import communication
from interview_sim.scoring import OfflineRubricScorer
from tests.test_follow_ups_answered import _turn


def test_feedback_names_the_fillers_used_and_progress_counts_the_same(catalog: Catalog) -> None:
    question = catalog.questions["imbalanced_pr_auc"]
    answer = (
        "So, I mean, the ROC-AUC of 0.97 is literally inflated by the true negatives at 0.5%"
        " positives. Um, I would trust PR-AUC because it ignores the true negatives."
    )
    grade = OfflineRubricScorer().grade(
        QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    )
    (note,) = [f for f in grade.feedback if "filler" in f]
    assert note == "3 filler word(s) (i mean, literally, um)"
    turns = [_turn(TurnKind.QUESTION), _turn(TurnKind.ANSWER, answer)]
    assert communication(turns).overall.filler_words == 3
    assert [m.filler_words for m in communication(turns).stages] == [3]


def test_no_filler_no_note(catalog: Catalog) -> None:
    question = catalog.questions["imbalanced_pr_auc"]
    answer = (
        "Accuracy hides the minority class, so I would report PR-AUC and recall at a threshold."
    )
    grade = OfflineRubricScorer().grade(
        QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    )
    assert not [f for f in grade.feedback if "filler" in f]
