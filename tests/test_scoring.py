"""The offline scorer: substance guards, misconceptions, evidence, determinism, golden ordering."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.banks.golden import Quality, load_golden
from interview_sim.grading import QuestionContext
from interview_sim.models import AnyQuestion, CodeOutcome, Turn, TurnKind
from interview_sim.scoring import Assessment, OfflineRubricScorer
from interview_sim.scoring.semantic import SemanticModel
from interview_sim.scoring.signals import StarPart, star_parts
from interview_sim.scoring.text import split_sentences

GOLDEN = Path(__file__).with_name("golden")
SCORER = OfflineRubricScorer()

PR_AUC_EXPLANATION = (
    "ROC-AUC plots the true-positive rate against the false-positive rate, and because the FPR "
    "is divided by the huge number of negatives, thousands of false positives barely move it. "
    "The precision-recall curve uses precision, which counts false positives relative to true "
    "positives, so it exposes a poor model on the rare class. A random classifier has ROC-AUC "
    "0.5 but its PR-AUC equals the positive rate, about 0.005 here. I would report average "
    "precision and pick the threshold from the business cost of false alarms, and use class "
    "weights and then recalibrate the probabilities."
)


def turn(question: AnyQuestion, text: str, kind: TurnKind = TurnKind.ANSWER) -> Turn:
    return Turn(session_id=1, stage=question.stage, question_id=question.id, kind=kind, text=text)


def assess(
    catalog: Catalog, question_id: str, *answers: str, outcome: CodeOutcome | None = None
) -> Assessment:
    question = catalog.questions[question_id]
    turns = [turn(question, a) for a in answers]
    return SCORER.assess(QuestionContext(question, catalog.rubric_for(question), turns, outcome))


def levels(result: Assessment) -> dict[str, int]:
    return {s.criterion: s.level for s in result.grade.scores}


def test_real_explanation_scores_well(catalog: Catalog) -> None:
    result = assess(catalog, "imbalanced_pr_auc", PR_AUC_EXPLANATION)
    assert result.score >= 0.6
    assert levels(result)["correctness"] >= 3


@pytest.mark.parametrize("answer", ["", "AUC", "precision recall", "I don't know."])
def test_one_word_and_very_short_answers_score_low(catalog: Catalog, answer: str) -> None:
    result = assess(catalog, "imbalanced_pr_auc", answer)
    assert result.score < 0.15
    assert max(levels(result).values()) <= 1


def test_off_topic_answer_scores_low(catalog: Catalog) -> None:
    recipe = (
        "To make pancakes, whisk two eggs with a cup of milk and a cup of flour. Let the batter "
        "rest for ten minutes, then fry spoonfuls in butter until golden on both sides. Serve "
        "them warm with maple syrup and fresh berries for a weekend breakfast."
    )
    result = assess(catalog, "imbalanced_pr_auc", recipe)
    assert result.score < 0.15
    assert any("off topic" in note for note in result.grade.feedback)


def test_repeating_the_question_scores_low(catalog: Catalog) -> None:
    question = catalog.questions["imbalanced_pr_auc"]
    result = assess(catalog, "imbalanced_pr_auc", question.prompt)
    assert result.score < 0.2
    assert any("repeats the question" in note for note in result.grade.feedback)


def test_keyword_list_scores_clearly_below_an_explanation_with_the_same_terms(
    catalog: Catalog,
) -> None:
    keywords = (
        "ROC-AUC, PR-AUC, false-positive rate, true-positive rate, precision, recall, average "
        "precision, positive rate 0.005, threshold, business cost, class weights, recalibrate, "
        "probabilities, rare class, negatives."
    )
    listed = assess(catalog, "imbalanced_pr_auc", keywords)
    explained = assess(catalog, "imbalanced_pr_auc", PR_AUC_EXPLANATION)
    assert listed.score <= explained.score - 0.2
    assert levels(listed)["depth"] <= 1 and levels(listed)["clarity"] <= 1
    assert any("list of terms" in note for note in listed.grade.feedback)


def test_same_sentence_pasted_many_times_gains_nothing(catalog: Catalog) -> None:
    sentence = "The precision-recall curve uses precision, which counts false positives. "
    once = assess(catalog, "imbalanced_pr_auc", sentence)
    pasted = assess(catalog, "imbalanced_pr_auc", sentence * 40)
    assert pasted.score <= once.score
    assert any("repeated" in note for note in pasted.grade.feedback)


def test_asserted_misconception_lowers_correctness_but_its_negation_does_not(
    catalog: Catalog,
) -> None:
    base = PR_AUC_EXPLANATION
    asserted = assess(
        catalog, "imbalanced_pr_auc", base, "Accuracy is a good metric for imbalanced data."
    )
    negated = assess(
        catalog, "imbalanced_pr_auc", base, "Accuracy is not a good metric for imbalanced data."
    )
    assert levels(asserted)["correctness"] < levels(negated)["correctness"]
    [correctness] = [s for s in asserted.grade.scores if s.criterion == "correctness"]
    assert any("Accuracy is a good metric" in m for m in correctness.missed)
    [negated_correctness] = [s for s in negated.grade.scores if s.criterion == "correctness"]
    assert not any(m.startswith("stated as fact") for m in negated_correctness.missed)


def test_refuting_a_misconception_is_not_asserting_it(catalog: Catalog) -> None:
    refuted = assess(
        catalog,
        "imbalanced_pr_auc",
        PR_AUC_EXPLANATION,
        "It is a myth that a high ROC-AUC guarantees high precision on the rare class.",
    )
    assert (
        levels(refuted)["correctness"]
        >= levels(assess(catalog, "imbalanced_pr_auc", PR_AUC_EXPLANATION))["correctness"]
    )


def test_negated_sentence_does_not_cover_the_point(catalog: Catalog) -> None:
    said = assess(catalog, "max_window_sum", "I would use a sliding window with a running sum.")
    denied = assess(catalog, "max_window_sum", "I would not use a sliding window or a running sum.")
    assert denied.score < said.score


def test_star_parts_on_a_labelled_story() -> None:
    story = (
        "Situation: our churn model was slipping. Task: I had to fix it in two weeks. "
        "Action: I rebuilt the features and ran a backtest. Result: AUC rose by 4 points. "
        "I learned to backtest before every launch."
    )
    assert star_parts(split_sentences(story)) == [
        StarPart.SITUATION,
        StarPart.TASK,
        StarPart.ACTION,
        StarPart.RESULT,
        StarPart.REFLECTION,
    ]


def test_star_parts_on_an_unlabelled_story_and_a_hypothetical() -> None:
    story = (
        "At my last job our fraud model flagged too many good customers. "
        "I pulled a month of declines and found two merchant segments drove most errors. "
        "I proposed a separate threshold for them and wrote the rollout plan. "
        "False declines fell 30% within a month. "
        "Since then I check segment-level errors before any launch."
    )
    assert star_parts(split_sentences(story)) == [
        StarPart.SITUATION,
        StarPart.ACTION,
        StarPart.ACTION,
        StarPart.RESULT,
        StarPart.REFLECTION,
    ]
    hypothetical = "I would usually talk to the person first. I would try to find common ground."
    assert StarPart.ACTION not in star_parts(split_sentences(hypothetical))


def test_behavioral_story_beats_hypothetical_answer(catalog: Catalog) -> None:
    story = (
        "At my last job a peer and I disagreed about shipping a deep model for churn. "
        "I met him one to one and wrote down both positions and the decision criteria. "
        "I proposed a two-day bake-off on the same out-of-time split and built the baseline. "
        "As a result we shipped the boosted trees on time at a tenth of the latency, and AUC "
        "was within 0.5%. I learned to agree on criteria before debating, and I now open "
        "design reviews with them."
    )
    hypothetical = (
        "I would usually try to talk to the person and find common ground. If we still "
        "disagreed I would probably escalate to the manager. Generally I think communication "
        "is key."
    )
    strong = assess(catalog, "conflict_with_peer", story)
    weak = assess(catalog, "conflict_with_peer", hypothetical)
    assert strong.score > weak.score + 0.2
    assert levels(strong)["impact"] >= 3 and levels(weak)["impact"] <= 1


def test_measured_test_results_drive_coding_correctness(catalog: Catalog) -> None:
    answer = (
        "I keep a running window sum: add the entering element and subtract the leaving one, "
        "starting best from the first window so all-negative input works. O(n) time, O(1) space."
    )
    passed = assess(catalog, "max_window_sum", answer, outcome=CodeOutcome(passed=9, total=9))
    failed = assess(catalog, "max_window_sum", answer, outcome=CodeOutcome(passed=1, total=9))
    assert levels(passed)["correctness"] >= 3
    assert levels(failed)["correctness"] <= 1
    slow = assess(
        catalog,
        "max_window_sum",
        answer,
        outcome=CodeOutcome(passed=9, total=9, performance="too_slow"),
    )
    assert levels(slow)["complexity"] <= 1


def test_system_design_notices_requirements_before_architecture(catalog: Catalog) -> None:
    ordered = assess(
        catalog,
        "feed_ranking",
        "First the requirements: the objective is long-term satisfaction with guardrail "
        "metrics, 200 million daily users and a 300 ms latency budget. Then the architecture: "
        "candidate generation with two-tower retrieval, a light ranker, and a multi-task heavy "
        "ranker, then re-ranking for diversity.",
    )
    [communication] = [s for s in ordered.grade.scores if s.criterion == "communication"]
    assert "requirements before architecture" in communication.rationale


def test_grading_is_deterministic(catalog: Catalog) -> None:
    first = assess(
        catalog, "feed_ranking", PR_AUC_EXPLANATION, "A funnel of retrieval then ranking."
    )
    again = OfflineRubricScorer().assess(
        QuestionContext(
            catalog.questions["feed_ranking"],
            catalog.rubric_for(catalog.questions["feed_ranking"]),
            [
                turn(catalog.questions["feed_ranking"], PR_AUC_EXPLANATION),
                turn(catalog.questions["feed_ranking"], "A funnel of retrieval then ranking."),
            ],
        )
    )
    assert first.grade.model_dump() == again.grade.model_dump()
    assert first.score == again.score


def test_grade_records_provenance_and_hint_penalty(catalog: Catalog) -> None:
    question = catalog.questions["imbalanced_pr_auc"]
    rubric = catalog.rubric_for(question)
    turns = [turn(question, "a hint", TurnKind.HINT), turn(question, PR_AUC_EXPLANATION)]
    hinted = SCORER.grade(QuestionContext(question, rubric, turns))
    plain = SCORER.grade(QuestionContext(question, rubric, turns[1:]))
    assert hinted.scorer == "offline-rubric" and hinted.scorer_version
    assert hinted.rubric_id == rubric.id and hinted.rubric_version == rubric.version
    assert hinted.hints_used == 1
    assert hinted.total == pytest.approx(max(0.0, plain.total - rubric.hint_penalty), abs=1e-3)


def test_communication_metrics_are_feedback(catalog: Catalog) -> None:
    result = assess(
        catalog,
        "imbalanced_pr_auc",
        "Um, basically I think PR-AUC is, you know, maybe better. I guess precision probably "
        "matters.",
    )
    assert any("filler" in note for note in result.grade.feedback)
    assert any("hedges" in note for note in result.grade.feedback)


def test_golden_answers_order_strong_over_mixed_over_weak_with_verbatim_evidence(
    catalog: Catalog,
) -> None:
    pairs = correct = 0
    for item in load_golden(GOLDEN):
        score: dict[Quality, float] = {}
        for answer in item.answers:
            result = assess(catalog, item.question_id, answer.text)
            score[answer.quality] = result.score
            for criterion in result.grade.scores:
                for quote in criterion.evidence:
                    assert quote in answer.text, (item.question_id, quote)
        assert score[Quality.STRONG] > score[Quality.WEAK], item.question_id
        for better, worse in [
            (Quality.STRONG, Quality.MIXED),
            (Quality.MIXED, Quality.WEAK),
            (Quality.STRONG, Quality.WEAK),
        ]:
            pairs += 1
            correct += score[better] > score[worse]
    assert correct / pairs >= 0.95


def test_without_the_embedding_model_grading_degrades_and_says_so(catalog: Catalog) -> None:
    lexical = OfflineRubricScorer(SemanticModel(module="no_such_embedding_package"))
    question = catalog.questions["imbalanced_pr_auc"]
    ctx = QuestionContext(
        question, catalog.rubric_for(question), [turn(question, PR_AUC_EXPLANATION)]
    )
    grade = lexical.grade(ctx)
    assert grade.scorer_version.endswith("+lexical")
    assert any("semantic matching off" in note for note in grade.feedback)
    assert grade.total >= 2
    assert lexical.grade(ctx).model_dump() == grade.model_dump()


def test_code_quality_reads_the_last_submission(catalog: Catalog) -> None:
    question = catalog.questions["max_window_sum"]
    rubric = catalog.rubric_for(question)
    explanation = turn(question, "I slide the window keeping a running sum; O(n) time.")
    terse = "def max_window_sum(a, k):\n    s = sum(a[:k])\n    m = s\n    return m\n"
    clear = (
        "def max_window_sum(nums, k):\n"
        "    window = best = sum(nums[:k])\n"
        "    for index in range(k, len(nums)):\n"
        "        window += nums[index] - nums[index - k]\n"
        "        best = max(best, window)\n"
        "    return best\n"
    )

    def quality(*code: str) -> int:
        turns = [explanation, *(turn(question, c, TurnKind.CODE_RUN) for c in code)]
        grade = SCORER.grade(QuestionContext(question, rubric, turns))
        return next(s.level for s in grade.scores if s.criterion == "code_quality")

    assert quality(terse, clear) > quality(clear, terse)


def test_ml_depth_clarity_says_what_its_structure_part_rests_on(catalog: Catalog) -> None:
    """Clarity blends key-point coverage with structure; a rationale naming only coverage
    ("7/7 key points covered") cannot explain a level 2."""
    question = catalog.questions["ab_test_statistics"]
    answer = (
        "First, three days is too short. Then I would pre-register the sample size, about "
        "150,000 users per arm for a 0.2 point effect. Finally I would check for peeking."
    )
    grade = OfflineRubricScorer().grade(
        QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    )
    clarity = next(s for s in grade.scores if s.criterion == "clarity")
    assert "structure 100% (3 signpost(s)" in clarity.rationale
