"""Evidence quotes a reader can trust: whole notation, no one-word fragments, no repeats, and
always a verbatim substring of the answer."""

from __future__ import annotations

from itertools import pairwise

import pytest

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import Turn, TurnKind
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.clauses import split_clauses
from interview_sim.scoring.stages import evidence_quotes
from interview_sim.scoring.text import Sentence, split_sentences

SCORER = OfflineRubricScorer()

COMPLEXITY_ANSWER = (
    "Honestly this version is exponential, about O(2^n), because best_from calls itself twice "
    "per slot and recomputes the same suffixes; that is why it was too slow at n=60. I'd memoise "
    "best_from on i to get O(n) time and O(n) space, or keep two running values take and skip "
    "for O(1) space. Edge cases: empty list returns 0 and all-negative values return 0 since "
    "taking nothing is allowed."
)
DRIFT_ANSWER = (
    "Data drift is P(x) changing; concept drift is P(y|x) changing, so only the latter needs "
    "labels to see. Before labels arrive I'd watch PSI on features and predictions; once labels "
    "mature, check performance per cohort, rule out pipeline bugs, then retrain on recent data."
)


def clause_texts(answer: str) -> list[str]:
    return [c.text for c in split_clauses(split_sentences(answer))]


@pytest.mark.parametrize(
    ("answer", "whole"),
    [
        ("Space is O(n log n) in the worst case.", "Space is O(n log n) in the worst case."),
        ("Concept drift is P(y|x) changing over time.", "Concept drift is P(y|x) changing"),
        ("The loss is f(x, y) summed over the batch.", "The loss is f(x, y) summed"),
        ("It runs in O(n log(n)) per query.", "It runs in O(n log(n)) per query."),
        ("I'd memoise best_from(i) to get O(n*L) time.", "I'd memoise best_from(i) to get"),
    ],
)
def test_notation_written_as_a_call_stays_in_its_clause(answer: str, whole: str) -> None:
    texts = clause_texts(answer)
    assert any(t.startswith(whole) for t in texts), texts
    assert not any(t.endswith(("O", "P", "f")) for t in texts), texts


def test_a_parenthetical_aside_still_splits() -> None:
    texts = clause_texts("Use a holdout (like last month's data) to check calibration.")
    assert texts == ["Use a holdout", "like last month's data", "to check calibration."]


def sentences_of(answer: str) -> list[Sentence]:
    return split_sentences(answer)


def clause_at(answer: str, text: str) -> Sentence:
    return next(c for c in split_clauses(split_sentences(answer)) if c.text == text)


def test_a_one_word_quote_is_widened_across_its_clauses() -> None:
    answer = "We keep a tiny cache, and evict when full."
    sentences = sentences_of(answer)
    start = answer.index("full")
    word = Sentence("full", start, start + 4, ("full",), ("full",))
    quotes = evidence_quotes([word], sentences)
    assert quotes == ["and evict when full."]


def test_a_short_quote_that_leans_on_the_clause_before_is_widened_backwards() -> None:
    answer = "Latency matters most, or cost."
    quotes = evidence_quotes([clause_at(answer, "or cost.")], sentences_of(answer))
    assert quotes == ["Latency matters most, or cost."]


@pytest.mark.parametrize("term", ["PSI", "O(n) time", "decline-rate alerts", "p99 latency"])
def test_a_short_technical_term_stands_as_it_is(term: str) -> None:
    answer = f"Monitoring: {term}, plus a weekly review of the labelled sample."
    start = answer.index(term)
    item = Sentence(term, start, start + len(term), (), ())
    assert evidence_quotes([item], sentences_of(answer)) == [term]


def test_a_short_line_of_its_own_is_quoted_whole() -> None:
    answer = "covariate shift\nthreshold changes"
    sentences = sentences_of(answer)
    assert evidence_quotes([sentences[1]], sentences) == ["threshold changes"]


def test_a_short_quote_outside_every_sentence_is_not_shown() -> None:
    item = Sentence("time", 100, 104, ("time",), ("time",))
    assert evidence_quotes([item], sentences_of("Something else entirely here.")) == []


def test_overlapping_quotes_of_one_sentence_are_shown_once() -> None:
    answer = (
        "Peeking at the p-value daily and stopping when it is small inflates the false-positive "
        "rate. Fix the sample size first."
    )
    sentences = sentences_of(answer)
    first = answer[: answer.index(" when")]
    second_start = answer.index("and stopping")
    second_end = answer.index(" the false")
    items = [
        Sentence(first, 0, len(first), (), ()),
        Sentence(answer[second_start:second_end], second_start, second_end, (), ()),
    ]
    quotes = evidence_quotes(items, sentences)
    assert quotes == ["Peeking at the p-value daily and stopping when it is small inflates"]


def test_a_sentence_and_its_own_clause_are_quoted_once_and_free_a_slot() -> None:
    answer = "Data drift, or covariate shift, is a change in P(x). Retrain on recent data weekly."
    sentences = sentences_of(answer)
    items = [sentences[0], clause_at(answer, "or covariate shift"), sentences[1]]
    assert evidence_quotes(items, sentences, limit=2) == [sentences[0].text, sentences[1].text]


def grade_quotes(catalog: Catalog, question_id: str, answer: str) -> dict[str, list[str]]:
    question = catalog.questions[question_id]
    turn = Turn(
        session_id=1,
        stage=question.stage,
        question_id=question.id,
        kind=TurnKind.ANSWER,
        text=answer,
    )
    grade = SCORER.grade(QuestionContext(question, catalog.rubric_for(question), [turn]))
    return {s.criterion: s.evidence for s in grade.scores}


@pytest.mark.parametrize(
    ("question_id", "answer"),
    [("non_adjacent_slot_value", COMPLEXITY_ANSWER), ("concept_drift", DRIFT_ANSWER)],
)
def test_graded_quotes_are_whole_verbatim_and_distinct(
    catalog: Catalog, question_id: str, answer: str
) -> None:
    quotes = grade_quotes(catalog, question_id, answer)
    assert any(quotes.values())
    for criterion, shown in quotes.items():
        for quote in shown:
            assert quote in answer, (criterion, quote)
            assert len(quote.split()) >= 3 or "(" in quote, (criterion, quote)
            assert quote.count("(") == quote.count(")"), (criterion, quote)
        spans = sorted((answer.index(q), answer.index(q) + len(q)) for q in shown)
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), shown


@pytest.mark.parametrize(
    ("answer", "clause", "quote"),
    [
        (
            "Report the true positive rate (equal opportunity), false negative rates too.",
            "equal opportunity",
            "(equal opportunity), false negative rates too.",
        ),
        (
            "The leaf adds G w + 0.5 (H + lambda) w squared to the objective.",
            "H + lambda",
            "(H + lambda) w squared to the objective.",
        ),
    ],
)
def test_a_widened_quote_keeps_its_brackets_paired(answer: str, clause: str, quote: str) -> None:
    assert evidence_quotes([clause_at(answer, clause)], sentences_of(answer)) == [quote]
