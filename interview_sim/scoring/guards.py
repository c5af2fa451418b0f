"""Substance guards: answers that look like content but are not, scored down with a reason.

Each guard yields a factor in 0..1 that multiplies every criterion, and a sentence of feedback
that says why. Thresholds are relative to the length of the model answer, so a two-sentence
reference answer does not demand an essay and a 150-word model answer does not accept a phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_sim.scoring.text import STOPWORDS, Sentence

MIN_WORDS = 3
"""Fewer unique words than this is no answer at all."""
SHORT_SHARE = 0.3
"""An answer shorter than this share of the model answer (and under 8 words) is short."""
LIST_FUNCTION_WORD_SHARE = 0.2
"""Explanations are ~40% function words; a bare keyword list has almost none."""
LIST_MIN_WORDS = 8
"""Shorter answers are often telegraphic ("Initialises members on creation"), not lists."""
NOVELTY_FLOOR = 0.2
"""Share of the answer's terms not in the question below which it only repeats the question."""
RELEVANCE_FLOOR = 0.1
"""Share of the answer's terms found in the question or model material below which it is
off topic."""


@dataclass
class Substance:
    factor: float = 1.0
    reasons: list[str] = field(default_factory=list)
    keyword_list: bool = False

    def apply(self, factor: float, reason: str) -> None:
        self.factor *= factor
        self.reasons.append(reason)


def function_word_share(text_words: Sequence[str]) -> float:
    return sum(t in STOPWORDS for t in text_words) / len(text_words) if text_words else 0.0


def unique_sentences(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The first occurrence of each sentence, compared by its words."""
    seen: set[tuple[str, ...]] = set()
    kept: list[Sentence] = []
    for sentence in sentences:
        if sentence.words not in seen:
            seen.add(sentence.words)
            kept.append(sentence)
    return kept


def assess(
    all_sentences: Sequence[Sentence],
    sentences: Sequence[Sentence],
    question_terms: frozenset[str],
    topic_terms: frozenset[str],
    expected_words: int,
    expected_function_share: float,
) -> Substance:
    """``sentences`` are the unique ones; ``topic_terms`` the question, model answer and points.

    ``expected_function_share`` is the model answer's share of function words: when the model
    answer is itself a list, a list is not penalised.
    """
    substance = Substance()
    tokens = [w for s in sentences for w in s.words]
    n_words = len(tokens)
    answer_terms = frozenset(t for s in sentences for t in s.stems)
    if n_words < MIN_WORDS:
        substance.apply(0.0, f"only {n_words} word(s): too short to show understanding")
        return substance
    short = max(8.0, SHORT_SHARE * expected_words)
    if n_words < short:
        substance.apply((n_words / short) ** 0.7, f"short answer ({n_words} words)")
    if len(all_sentences) >= 3 and len(sentences) <= len(all_sentences) / 2:
        substance.apply(0.8, "the same sentence is repeated; repeats count once")
    function_share = function_word_share(tokens)
    prose_expected = expected_function_share >= LIST_FUNCTION_WORD_SHARE
    if prose_expected and n_words >= LIST_MIN_WORDS and function_share < LIST_FUNCTION_WORD_SHARE:
        substance.keyword_list = True
        substance.apply(0.45 + function_share, "reads as a list of terms with little explanation")
    if answer_terms:
        novelty = len(answer_terms - question_terms) / len(answer_terms)
        if novelty < NOVELTY_FLOOR:
            substance.apply(0.25, "mostly repeats the question")
        relevance = len(answer_terms & topic_terms) / len(answer_terms)
        if relevance < RELEVANCE_FLOOR:
            substance.apply(0.3, "off topic: few of its terms relate to the question")
    return substance
