"""The offline scorer reads claims: clauses, reversals, negation scope, explanation, stuffing,
echoes, off-topic answers, story conduct and the sandbox verdict as evidence."""

from __future__ import annotations

from bench.adversarial import grade_all, summarise
from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import CodeOutcome
from interview_sim.scoring import Assessment, OfflineRubricScorer
from interview_sim.scoring.clauses import opposed_pairs, split_clauses, windows
from interview_sim.scoring.contrasts import Lexicon
from interview_sim.scoring.offline import LIMITS
from interview_sim.scoring.text import split_sentences

SCORER = OfflineRubricScorer()


def assess(catalog: Catalog, question_id: str, answer: str) -> Assessment:
    question = catalog.questions[question_id]
    ctx = QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    return SCORER.assess(ctx)


def levels(result: Assessment) -> dict[str, int]:
    return {s.criterion: s.level for s in result.grade.scores}


def missed(result: Assessment) -> list[str]:
    return [m for s in result.grade.scores for m in s.missed]


BANDITS_RIGHT = (
    "For the headlines I would run a bandit, because the article only matters for a day and "
    "short-lived content with fast feedback should not waste impressions on weak variants; "
    "Thompson sampling shifts traffic to the winners and minimises regret. For the checkout "
    "flow I would run an A/B test with fixed allocation, since the long-term revenue effect is "
    "delayed and we need an unbiased estimate with controlled error rates."
)
BANDITS_REVERSED = (
    "For the headlines I would run an A/B test, because the article only matters for a day and "
    "short-lived content with fast feedback should not waste impressions on weak variants; "
    "Thompson sampling shifts traffic to the winners and minimises regret. For the checkout "
    "flow I would run a bandit with adaptive allocation, since the long-term revenue effect is "
    "delayed and we need an unbiased estimate with controlled error rates."
)


def test_clauses_keep_exact_spans_and_their_own_polarity() -> None:
    answer = "A random split is always safe and it tests on a model that did not train on it."
    clauses = split_clauses(split_sentences(answer))
    assert [c.text for c in clauses] == [
        "A random split is always safe",
        "and it tests on a model",
        "that did not train on it.",
    ]
    assert all(answer[c.start : c.end] == c.text for c in clauses)
    assert [c.negated for c in clauses] == [False, False, True]


def test_a_coordinated_phrase_stays_inside_the_negation_before_it() -> None:
    clauses = split_clauses(split_sentences("I would not use a sliding window or a running sum."))
    assert [c.negated for c in clauses] == [True, True]


def test_opposite_sides_of_a_contrast_pair_are_not_read_as_one_claim() -> None:
    answer = "Use an A/B test for the short-lived headlines, and a bandit for the checkout flow."
    runs = windows(split_clauses(split_sentences(answer)))
    joined = [run for run in runs if len(run) == 2]
    assert joined
    assert all(opposed_pairs(run) for run in joined)


def test_the_lexicon_swaps_one_pair_and_keeps_bank_pairs() -> None:
    lexicon = Lexicon([("user", "request")])
    terms = frozenset({"l2", "drive", "weight", "zero"})
    (pair,) = lexicon.swappable(terms)
    assert "l1" in lexicon.swap(terms, pair)
    assert lexicon.swappable(frozenset({"l1", "l2", "weight"})) == []
    assert lexicon.swappable(frozenset({"request", "random"}))


def test_a_fluent_reversal_earns_less_than_the_same_words_bound_right(
    catalog: Catalog,
) -> None:
    right = assess(catalog, "bandits_vs_ab_tests", BANDITS_RIGHT)
    reversed_ = assess(catalog, "bandits_vs_ab_tests", BANDITS_REVERSED)
    assert reversed_.score < right.score
    assert levels(reversed_)["correctness"] <= levels(right)["correctness"]
    assert not any(m.startswith("contradicts: ") for m in missed(right))


def test_a_swapped_contrast_pair_is_shown_as_a_contradiction(catalog: Catalog) -> None:
    wrong = (
        "L2 produces exact zeros because of the corners of its constraint region, so ridge is "
        "the tool for feature selection, while L1 spreads weight across correlated features."
    )
    right = (
        "L1 produces exact zeros because of the corners of its constraint region, so lasso is "
        "the tool for feature selection, while L2 spreads weight across correlated features."
    )
    wrong_result = assess(catalog, "l1_vs_l2_regularisation", wrong)
    right_result = assess(catalog, "l1_vs_l2_regularisation", right)
    assert any(f.startswith("contradicts: ") for f in wrong_result.grade.feedback)
    assert any(m.startswith("contradicts: ") for m in missed(wrong_result))
    assert not any(f.startswith("contradicts: ") for f in right_result.grade.feedback)
    assert levels(wrong_result)["correctness"] <= min(2, levels(right_result)["correctness"])
    assert levels(wrong_result)["depth"] <= levels(right_result)["depth"]
    assert wrong_result.score < right_result.score - 0.1


def test_negation_is_read_per_clause(catalog: Catalog) -> None:
    answer = (
        "A random train/test split is always safe if the data is shuffled, and cross-validation "
        "prevents leakage automatically, because it tests on a model that did not train on it."
    )
    result = assess(catalog, "data_leakage", answer)
    stated = [m for m in missed(result) if m.startswith("stated as fact")]
    assert len(stated) >= 2, missed(result)


def test_stuffed_sentences_score_below_one_point_explained(catalog: Catalog) -> None:
    stuffed = (
        "We leverage CUPED, power analysis and sequential testing with SRM checks and "
        "guardrails. Novelty effects, MDE and pre-registration ensure robust significance. "
        "Bonferroni correction, multiple comparisons and p-value interpretation round out "
        "the randomisation unit and the fixed horizon."
    )
    plain = (
        "Three days is too short to trust p = 0.04: if the team checked the result every day "
        "and stopped at the first significant day, the false-positive rate is far above 5%, so "
        "I would fix the sample size and duration in advance from a power calculation."
    )
    stuffed_result = assess(catalog, "ab_test_statistics", stuffed)
    plain_result = assess(catalog, "ab_test_statistics", plain)
    assert stuffed_result.score < plain_result.score
    assert levels(stuffed_result)["depth"] <= 1
    assert any(
        "without explaining" in f or "list of terms" in f for f in stuffed_result.grade.feedback
    )


def test_restating_the_prompt_is_no_evidence(catalog: Catalog) -> None:
    question = catalog.questions["bandits_vs_ab_tests"]
    echo = "So the question is: " + question.prompt + " There are many factors to consider."
    result = assess(catalog, "bandits_vs_ab_tests", echo)
    assert result.score < 0.2
    prompt_sentences = {s.text for s in split_sentences(question.prompt)}
    quoted = {q for s in result.grade.scores for q in s.evidence}
    assert not quoted & prompt_sentences


def test_an_articulate_answer_to_another_question_earns_at_most_level_1(
    catalog: Catalog,
) -> None:
    boosting = (
        "Gradient boosting builds an ensemble of shallow trees sequentially. Each new tree is "
        "fitted to the negative gradient of the loss with respect to the current predictions, "
        "which for squared error is simply the residuals. A learning rate shrinks each tree's "
        "contribution, so more trees are needed but the model generalises better. Depth, the "
        "minimum child weight and row and column subsampling control variance, and early "
        "stopping on a validation set picks the number of rounds. XGBoost adds a second-order "
        "approximation and L2 penalties on leaf weights, which makes split finding fast and "
        "regularised, while LightGBM grows trees leaf-wise with histogram binning for speed."
    )
    result = assess(catalog, "ab_test_statistics", boosting)
    assert max(levels(result).values()) <= 1
    assert result.score < 0.3


def test_red_flag_conduct_lowers_ownership_however_well_told(catalog: Catalog) -> None:
    story = (
        "Last year a peer wanted to ship a deep model for churn and I thought gradient-boosted "
        "trees were better. I refused to sign off on his design review, and when he kept "
        "pushing I stopped replying to his messages. I went over his head to our director, who "
        "sided with me, so we shipped the trees two weeks later and AUC rose from 0.81 to 0.84. "
        "What I took away is that data wins arguments."
    )
    result = assess(catalog, "conflict_with_peer", story)
    assert levels(result)["ownership"] <= 1
    assert any(m.startswith("red flag: ") for m in missed(result))


def test_what_i_took_away_is_a_reflection(catalog: Catalog) -> None:
    from interview_sim.scoring.signals import StarPart, star_parts

    sentences = split_sentences(
        "We missed the launch. I rewrote the pipeline. What I took away is to test the data first."
    )
    assert star_parts(sentences)[-1] == StarPart.REFLECTION


def test_passing_hidden_tests_is_evidence_of_a_workable_approach(catalog: Catalog) -> None:
    from interview_sim.models import Turn, TurnKind

    question = catalog.questions["max_window_sum"]
    code = (
        "def max_window_sum(nums, k):\n"
        "    best = window = sum(nums[:k])\n"
        "    for i in range(k, len(nums)):\n"
        "        window += nums[i] - nums[i - k]\n"
        "        best = max(best, window)\n"
        "    return best\n"
    )
    turns = [
        Turn(
            session_id=1,
            stage=question.stage,
            question_id=question.id,
            kind=TurnKind.CODE_RUN,
            text=code,
        )
    ]
    outcome = CodeOutcome(passed=10, total=10, performance="passed")
    result = SCORER.assess(QuestionContext(question, catalog.rubric_for(question), turns, outcome))
    by = {s.criterion: s for s in result.grade.scores}
    assert by["problem_solving"].level >= 3
    assert "hidden tests passed" in by["problem_solving"].rationale
    assert by["correctness"].level >= 3
    assert by["communication"].level <= 1
    assert "complexity never stated" in by["communication"].rationale


def test_every_offline_grade_says_how_far_to_trust_it(catalog: Catalog) -> None:
    short = assess(catalog, "ab_test_statistics", "Run it for longer, three days is short.")
    long = assess(catalog, "ab_test_statistics", BANDITS_RIGHT + " " + BANDITS_RIGHT)
    for result in (short, long):
        assert result.grade.confidence is not None
        assert 0.0 < result.grade.confidence <= 1.0
        assert result.grade.limits == LIMITS
    assert short.grade.confidence is not None and long.grade.confidence is not None
    assert short.grade.confidence < long.grade.confidence
    assert any("short" in r for r in short.grade.confidence_reasons)


def test_adversarial_dev_set_keeps_its_floor() -> None:
    """Regression floor on the dev set (the README quotes the current figures)."""
    summary = summarise(grade_all())
    overall = summary["all"]
    assert overall["pearson_r"] >= 0.8
    assert overall["honest_ordering"] >= 0.95
    for kind in ("wrong", "stuffed", "echo"):
        at_or_above_mediocre, at_or_above_strong, _ = overall["rates"][kind]
        assert at_or_above_strong <= 0.05, kind
        assert at_or_above_mediocre <= 0.5, kind
    assert summary["behavioral"]["pearson_r"] >= 0.7


def test_jargon_joined_by_loose_links_is_stuffing(catalog: Catalog) -> None:
    """'while', 'cost' and 'uses' link nothing: six points, no reason, one short plain answer."""
    stuffed = (
        "Precision, recall, true positives, false positives and false negatives define the "
        "confusion matrix for fraud detection. Threshold selection uses the precision-recall "
        "curve, cost-sensitive decision theory, expected cost and calibrated probabilities. "
        "Review capacity, alert budgets and precision at k are operational constraints, while "
        "monitoring and recalibration keep the threshold aligned with business costs."
    )
    plain = (
        "I would lower the threshold below 0.5, because a missed fraud costs far more than a "
        "false alarm, as long as the review team can handle the extra alerts."
    )
    stuffed_result = assess(catalog, "precision_recall_thresholds", stuffed)
    assert any("names key terms without explaining" in f for f in stuffed_result.grade.feedback)
    assert levels(stuffed_result)["depth"] <= 1
    assert stuffed_result.score < assess(catalog, "precision_recall_thresholds", plain).score


def test_a_stuffing_rule_spares_a_plain_answer_in_the_candidates_voice(catalog: Catalog) -> None:
    plain = (
        "I'd build a trie of past search queries and, for each prefix, return the most popular "
        "completions. To keep it fast, the trie should be in memory and results for common "
        "prefixes can be cached. I'd update popularity counts regularly so new trends show up, "
        "and filter out offensive queries with a blocklist."
    )
    result = assess(catalog, "search_autocomplete", plain)
    assert not any("names key terms without explaining" in f for f in result.grade.feedback)


def test_dismissing_a_step_does_not_cover_it() -> None:
    from interview_sim.scoring.text import is_negated, terms, words

    assert is_negated(tuple(words("skip calibration entirely")))
    assert is_negated(tuple(words("recalibration is unnecessary here")))
    assert not is_negated(tuple(words("skip connections keep gradients flowing")))
    assert not is_negated(tuple(words("do not skip calibration")))
    # Negation words carry polarity, not content: these two share every term.
    assert terms("never suitable for user-facing features") == terms(
        "cannot be suitable for user-facing features"
    )


def test_a_reworded_red_flag_is_caught_by_its_core(catalog: Catalog) -> None:
    """'Uses a random split instead of a time-based split on click logs': the mistake is the
    part before 'instead of', and a clause stating it plainly states the red flag."""
    wrong = (
        "For evaluation, a random 80/20 split across all logged impressions gives the most "
        "representative test set. I'd measure quality with document-level accuracy."
    )
    warned = (
        "A random split across logged impressions leaks the future, so I'd split by time and "
        "train on weeks one to three, then test on week four."
    )
    assert any(
        m.startswith("red flag: Uses a random split")
        for m in missed(assess(catalog, "ads_ctr_prediction", wrong))
    )
    assert not any(
        m.startswith("red flag") for m in missed(assess(catalog, "ads_ctr_prediction", warned))
    )
    document = assess(catalog, "document_extraction", wrong)
    assert any(m.startswith("red flag: Measures document-level accuracy") for m in missed(document))


def test_three_wrong_claims_hold_every_criterion_at_level_1(catalog: Catalog) -> None:
    wrong = (
        "I'd make every use case real-time, because real-time inference is always better since "
        "it is fresher. Batch inference cannot be used for user-facing features such as home "
        "page recommendations. And the inference mode has no influence on feature design, so "
        "the data scientists can build features first and let the platform team decide later."
    )
    result = assess(catalog, "batch_vs_realtime_inference", wrong)
    assert len([m for m in missed(result) if m.startswith("stated as fact")]) >= 3
    assert all(level <= 1 for level in levels(result).values()), levels(result)


def test_blaming_hiding_and_cherry_picking_are_red_flags_not_the_checklists_silence(
    catalog: Catalog,
) -> None:
    from interview_sim.scoring.story import _red_flag
    from interview_sim.scoring.text import plain_lowercase

    def red_flag_conduct(clause: str) -> str | None:
        return _red_flag(plain_lowercase(clause))

    flagged = {
        "but really that was down to the data engineering team": "blamed others",
        "so I kept reporting green in the weekly status": "hid a problem",
        "I didn't consult the team, since consensus slows things down": "went around people",
        "I excluded the segments where the new flow did well": "cherry-picked the evidence",
        "any hesitation about AI tools is just resistance to change": "dismissed people or checks",
    }
    for clause, label in flagged.items():
        assert red_flag_conduct(clause) == label, clause
    assert red_flag_conduct("my deploy checklist didn't mention the index") is None


def test_robust_and_sensitive_are_a_contrast_pair(catalog: Catalog) -> None:
    wrong = "MAE is the metric that is more sensitive to outliers, since it adds up every error."
    right = "MAE is the metric that is robust to outliers, since it does not square the errors."
    wrong_result = assess(catalog, "regression_metrics", wrong)
    assert any(f.startswith("contradicts: MAE is robust") for f in wrong_result.grade.feedback)
    assert not any(
        f.startswith("contradicts")
        for f in assess(catalog, "regression_metrics", right).grade.feedback
    )


def test_a_statements_analogy_is_not_part_of_its_core(catalog: Catalog) -> None:
    """'Gradient boosting trains its trees independently and averages them | like a random
    forest': the mistake is stated without the analogy; a contrast naming both is not it."""
    wrong = "Gradient boosting trains its trees in parallel and independently, then averages them."
    right = (
        "Random forests train trees independently and average them, while gradient boosting "
        "trains them sequentially, each tree fitting the errors of the ensemble so far."
    )
    assert any(
        m.startswith("stated as fact: Gradient boosting trains its trees independently")
        for m in missed(assess(catalog, "boosting_vs_deep_learning", wrong))
    )
    assert not any(
        m.startswith("stated as fact")
        for m in missed(assess(catalog, "boosting_vs_deep_learning", right))
    )


def test_one_wrong_claim_caps_every_prose_criterion_below_level_2(catalog: Catalog) -> None:
    answer = (
        "I would make every use case real-time, because real-time inference is always better "
        "since it is fresher. Fraud must be decided during the payment, so it needs a "
        "low-latency model behind the checkout with features from a streaming store; churn "
        "scores feed a weekly campaign, and recommendations can be precomputed nightly for "
        "most users with a real-time re-ranker on top for the session."
    )
    result = assess(catalog, "batch_vs_realtime_inference", answer)
    assert any(m.startswith("stated as fact") for m in missed(result))
    assert max(levels(result).values()) <= 2, levels(result)
    assert 4 * result.score <= 1.5


def test_a_statement_is_not_stated_by_a_clause_that_never_names_what_it_denies(
    catalog: Catalog,
) -> None:
    """'The calibrator can be fit on the training set without bias' denies bias; 'fit a
    calibrator on held-out data the model wasn't trained on' holds a negation of its own, on
    other words, and says the opposite."""
    right = (
        "To fix it, fit a calibrator on held-out data the model wasn't trained on: Platt "
        "scaling if the distortion is sigmoid-shaped, isotonic regression with plenty of data."
    )
    result = assess(catalog, "probability_calibration", right)
    assert not [m for m in missed(result) if m.startswith("stated as fact")]


def test_a_statement_takes_the_polarity_of_the_part_the_answer_holds(catalog: Catalog) -> None:
    """The negation of 'always safe because LLM calls have no side effects' is in its second
    clause; an answer saying that LLM calls have no side effects states it."""
    wrong = (
        "On a provider outage we just retry on the second provider, since LLM calls have no "
        "side effects, and count rate limits in requests per second."
    )
    result = assess(catalog, "multi_tenant_llm_gateway", wrong)
    assert any(m.startswith("red flag: Retrying on a second provider") for m in missed(result))


def test_a_non_prefix_negates_and_linear_is_opposed_to_quadratic() -> None:
    from interview_sim.scoring.contrasts import sides_of
    from interview_sim.scoring.text import is_negated, negated_terms, terms, words

    assert is_negated(words("agents are non-deterministic even at temperature zero"))
    assert negated_terms(tuple(words("fit on data the model wasn't trained on"))) == {"train"}
    (pair, side), *_ = sides_of(terms("quadratic cost"))
    assert (pair, 1 - side) in sides_of(terms("linearly"))


def test_red_flag_conduct_caps_every_criterion_like_a_wrong_claim(catalog: Catalog) -> None:
    story = (
        "The work I'm proudest of is our new search ranker, which I led. Revenue went up 20% "
        "the quarter it launched. The ranker was built by two other engineers while I was on "
        "another project, but I presented it to the executives, so it's fair to call it my "
        "win. We didn't run an A/B test, those just slow you down when the lift is obvious."
    )
    result = assess(catalog, "measured_impact", story)
    assert any(m.startswith("red flag") for m in missed(result))
    assert max(levels(result).values()) <= 1, levels(result)


def test_a_clause_inside_the_previous_negation_does_not_cancel_it(catalog: Catalog) -> None:
    """'there's no need to measure prevalence or precision after launch' states the red flag
    'No measurement of prevalence or precision after launch': the 'or precision' clause is
    inside the same 'no', not a second negation."""
    wrong = (
        "Once the model reaches 98 percent accuracy offline we're done, and there's no need to "
        "measure prevalence or precision after launch."
    )
    result = assess(catalog, "content_moderation", wrong)
    assert any(m.startswith("red flag: No measurement of prevalence") for m in missed(result))


def test_a_second_mistake_joined_by_and_is_not_part_of_the_first(catalog: Catalog) -> None:
    """'Trains only on user reports | and treats unreported content as clean'."""
    wrong = "Training labels come from user reports, which gives us millions of free labels."
    result = assess(catalog, "content_moderation", wrong)
    assert any(m.startswith("red flag: Trains only on user reports") for m in missed(result))


def test_a_sentence_that_opens_by_describing_the_question_is_an_echo(catalog: Catalog) -> None:
    echo = (
        "The question is about a time when a way of working that was fine for a small team "
        "started to break down as the team grew, and I changed it. It asks what was breaking, "
        "what I introduced, and how I got people to adopt it."
    )
    result = assess(catalog, "scaling_team_process", echo)
    assert any("repeats the question" in f for f in result.grade.feedback)
    assert max(levels(result).values()) <= 1


def test_a_thousands_separator_does_not_split_a_clause() -> None:
    clauses = split_clauses(split_sentences("There are 1,500 searches a second, and 3, 4 or 5."))
    assert clauses[0].text == "There are 1,500 searches a second"


def test_restating_the_prompts_figures_is_an_echo_but_a_conclusion_is_not(
    catalog: Catalog,
) -> None:
    restated = (
        "OK, so the travel site sorts hotels by a hand-tuned formula of price, review score and "
        "commission, and we want to replace it with a machine-learned ranking. There are about "
        "1,500 searches a second, up to 2,000 hotels each, and ranking has to finish in 120 "
        "milliseconds. Bookings are rare, about one in 40 searches."
    )
    result = assess(catalog, "search_ranking", restated)
    assert any("repeats the question" in f for f in result.grade.feedback)
    concluded = "The latency is over budget, so we can't ship it as is."
    kept = assess(catalog, "inference_cost_latency", concluded)
    assert not any("repeats the question" in f for f in kept.grade.feedback)


def test_an_example_explains_a_point(catalog: Catalog) -> None:
    """'like "closure requested"' gives the point an example, as 'such as' does."""
    named = "Watch for target leakage from post-outcome features."
    shown = "Watch for target leakage from post-outcome features, like a 'closure requested' flag."
    named_result = assess(catalog, "data_leakage", named)
    shown_result = assess(catalog, "data_leakage", shown)
    assert shown_result.score > named_result.score
    assert levels(shown_result)["depth"] >= levels(named_result)["depth"]


def test_the_issues_confidently_wrong_l2_answer_is_caught(catalog: Catalog) -> None:
    """Light verbs carry no claim: 'L2 drives more weights exactly to zero' states the bank's
    'L2 regularisation also sets many weights exactly to zero'."""
    wrong = (
        "L2 drives more weights exactly to zero, which is why ridge is the standard tool for "
        "feature selection."
    )
    result = assess(catalog, "l1_vs_l2_regularisation", wrong)
    assert any(m.startswith("stated as fact: L2 regularisation") for m in missed(result))
    assert result.grade.total < 1.5


def test_stopping_an_action_denies_it_but_stop_words_are_a_name() -> None:
    from interview_sim.scoring.text import is_negated, words

    assert is_negated(words("Thompson sampling stops exploring once one arm is ahead"))
    assert not is_negated(words("we drop stop words before TF-IDF"))


def test_a_claim_carried_by_its_continuation_is_stated(catalog: Catalog) -> None:
    """'Static batching gives lower time to first token than continuous batching': the claim
    runs over a clause and the one continuing it."""
    wrong = (
        "Static batching is actually better for TTFT because the batch is formed up front and "
        "everyone starts together, whereas continuous batching keeps interrupting running "
        "sequences."
    )
    from interview_sim.scoring.misconceptions import find_statements
    from interview_sim.scoring.text import terms

    question = catalog.questions["llm_serving_latency_batching"]
    known = terms(question.prompt) | terms(" ".join(p.text for p in question.key_points))
    hits = find_statements(
        question.misconceptions,
        split_clauses(split_sentences(wrong)),
        terms(question.prompt),
        known,
    )
    assert [h.statement for h in hits if h.asserted] == [
        "Static batching gives lower time to first token than continuous batching"
    ]


def test_an_answer_to_another_banked_question_is_capped_and_says_which(
    catalog: Catalog,
) -> None:
    """A story told well, but for another competency: key-point coverage cannot tell it from a
    weak story, the bank's other questions can."""
    from interview_sim.scoring.neighbours import QuestionProfiles

    scorer = OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
    story = catalog.questions["mentoring_engineer"].model_answer
    question = catalog.questions["saying_no_to_feature"]
    result = scorer.assess(
        QuestionContext.single_answer(question, catalog.rubric_for(question), story)
    )
    assert max(levels(result).values()) <= 1, levels(result)
    assert any("reads as an answer to another question" in f for f in result.grade.feedback)

    own = catalog.questions["mentoring_engineer"]
    fits = scorer.assess(QuestionContext.single_answer(own, catalog.rubric_for(own), story))
    assert not any("another question" in f for f in fits.grade.feedback)
    assert max(levels(fits).values()) >= 3


def test_a_question_outside_the_bank_has_no_neighbours(catalog: Catalog) -> None:
    from interview_sim.scoring.neighbours import QuestionProfiles
    from interview_sim.scoring.reference import reference_question
    from interview_sim.scoring.text import terms

    profiles = QuestionProfiles(catalog.questions.values())
    adhoc = reference_question("What is a hash map?", "An array of buckets indexed by hash.")
    assert profiles.better_fit(adhoc, sorted(terms("buckets hash collisions chaining"))) is None


def test_a_statement_is_stated_in_any_of_its_phrasings() -> None:
    from interview_sim.models import Statement
    from interview_sim.scoring.misconceptions import find_statements
    from interview_sim.scoring.text import terms

    plain = Statement.model_validate("Optimises click-through rate only")
    assert plain == Statement(text="Optimises click-through rate only")
    reworded = Statement(
        text="Optimises click-through rate only",
        alternatives=["the objective is simply to maximise clicks"],
    )
    answer = "The objective is simply to maximise clicks, since they are the most direct signal."
    clauses = split_clauses(split_sentences(answer))
    question = terms("Design the ranking system for a social feed")
    assert not [h for h in find_statements([plain], clauses, question) if h.asserted]
    hits = find_statements([reworded], clauses, question)
    assert [(h.statement, h.asserted) for h in hits] == [(reworded.text, True)]


def test_a_negation_after_its_terms_governs_them_and_one_scope_counts_once() -> None:
    from interview_sim.models import Statement
    from interview_sim.scoring.misconceptions import find_statements
    from interview_sim.scoring.text import negated_terms, terms, words

    assert {"retriev", "window"} <= negated_terms(
        tuple(words("a larger context window makes retrieval unnecessary"))
    )
    question = terms("Should we still chunk and retrieve with a 200k context window?")
    for statement, answer in [
        (
            "A larger context window makes retrieval unnecessary",
            "With a larger context window, retrieval is unnecessary now.",
        ),
        (
            "No fallback when the model or feature store is unavailable",
            "There is no fallback when the model or the feature store is unavailable.",
        ),
    ]:
        clauses = split_clauses(split_sentences(answer))
        hits = find_statements([Statement(text=statement)], clauses, question)
        assert [h.asserted for h in hits] == [True], statement


def test_stems_come_from_the_pure_python_porter2_stemmer() -> None:
    """PyStemmer's older C algorithm stems "adding" to "ad": grades must not depend on
    whether it happens to be installed."""
    from interview_sim.scoring.text import stem

    assert [stem(w) for w in ("adding", "internally", "evening")] == [
        "add",
        "internal",
        "evening",
    ]


def test_a_result_in_words_is_measured_and_silence_or_deflection_are_red_flags() -> None:
    from interview_sim.scoring.signals import star_signals
    from interview_sim.scoring.story import _red_flag
    from interview_sim.scoring.text import plain_lowercase

    story = (
        "I paired with her twice a week. Her review cycle time dropped from five days to one. "
        "Engagement went up by around five percent after we launched."
    )
    measured = star_signals(split_sentences(story)).measured
    assert [s.text for s in measured] == [
        "Her review cycle time dropped from five days to one.",
        "Engagement went up by around five percent after we launched.",
    ]

    def conduct(clause: str) -> str | None:
        return _red_flag(plain_lowercase(clause))

    assert conduct("I didn't update the incident channel while I was investigating") == (
        "hid a problem"
    )
    assert conduct("the report explained that the platform team's change caused it") == (
        "blamed others"
    )
    assert conduct("nothing in our own setup needed changing") == "blamed others"
    assert conduct("I didn't escalate; I went to talk to their lead") is None


def test_a_capped_criterion_says_why_instead_of_its_level_anchor(catalog: Catalog) -> None:
    from interview_sim.scoring.neighbours import QuestionProfiles
    from interview_sim.tui.render import scorecard_markdown

    scorer = OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
    story = catalog.questions["mentoring_engineer"].model_answer
    question = catalog.questions["saying_no_to_feature"]
    grade = scorer.grade(
        QuestionContext.single_answer(question, catalog.rubric_for(question), story)
    )
    assert all(s.capped.startswith("reads as an answer to another question") for s in grade.scores)
    card = scorecard_markdown([grade], catalog, [], reveal=False)
    assert "*Held at this level: reads as an answer to another question" in card
    rubric = catalog.rubric_for(question)
    assert not any(f"*{c.levels[1]}*" in card for c in rubric.criteria)


def test_a_short_correct_answer_is_labelled_short_not_wrong(catalog: Catalog) -> None:
    answer = (
        "PR-AUC is better. ROC-AUC is misleading because negatives dominate, so I'd report "
        "precision at the operating threshold too."
    )
    result = assess(catalog, "imbalanced_pr_auc", answer)
    assert all(s.capped.startswith("short answer") for s in result.grade.scores if s.level < 2)
