"""Substance guards: answers that look like content but are not, scored down with a reason.

Each guard yields a factor in 0..1 that multiplies every criterion, and a sentence of feedback
that says why. Thresholds are relative to the length of the model answer, so a two-sentence
reference answer does not demand an essay and a 150-word model answer does not accept a phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_sim.scoring.claims import ClaimAnalysis
from interview_sim.scoring.text import STOPWORDS, Sentence

MIN_WORDS = 3
"""Fewer words than this is no answer at all, unless the model answer is itself a few words
("push" answers "Which operation adds to a stack?")."""
SHORT_SHARE = 0.2
"""An answer shorter than this share of the model answer (and under 8 words) is short. Low on
purpose: coverage already scores a brief answer for what it leaves out, so this only catches
answers too short to say anything (at 0.3 a plain 75-word design answer lost a fifth of every
criterion twice over)."""
LIST_FUNCTION_WORD_SHARE = 0.2
"""Explanations are ~40% function words; a bare keyword list has almost none."""
LIST_MIN_WORDS = 8
"""Shorter answers are often telegraphic ("Initialises members on creation"), not lists."""
ECHO_FLOOR = 0.6
"""Share of the answer's terms in clauses that restate the prompt from which it only echoes."""
RELEVANCE_FLOOR = 0.1
"""Share of the answer's terms found in the question's material below which it is plainly off
topic (a recipe for a metrics question)."""
RELEVANCE_GATE = 0.45
"""Below this share the answer is mostly about something else: every criterion is capped."""
OFF_TOPIC_LEVEL = 1
GATE_MIN_WORDS = 50
"""Shorter answers are not gated: a sentence or two has too few terms to tell its topic, and
coverage already scores it."""


@dataclass
class Substance:
    factor: float = 1.0
    reasons: list[str] = field(default_factory=list)
    keyword_list: bool = False
    off_topic: bool = False
    off_topic_reason: str = ""

    def gate(self, reason: str) -> None:
        """Off topic: every prose criterion is capped, and the scorecard says why."""
        self.off_topic = True
        self.off_topic_reason = reason

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
    analysis: ClaimAnalysis,
    expected_words: int,
    expected_function_share: float,
    measured: bool = False,
    story: bool = False,
) -> Substance:
    """``sentences`` are the unique ones; ``analysis`` the answer's claims.

    ``expected_function_share`` is the model answer's share of function words: when the model
    answer is itself a list, a list is not penalised. ``measured`` is set when submitted code
    was run: silence is then not "no answer", since the tests speak for the code. A ``story``
    (behavioral) is not gated on topical words: a true story is told in its own setting's words,
    so its relevance is judged by the stage (``stages.behavioral``).
    """
    substance = Substance()
    # Chat about something else adds no length and no function words: around a keyword list
    # it must not turn the list into prose (``claims.ClaimAnalysis.off_topic``). An answer that
    # is all chat is left whole, for the relevance checks below to name.
    ignored = analysis.off_topic if analysis.clauses else frozenset()
    tokens = [w for i, s in enumerate(sentences) if i not in ignored for w in s.words]
    n_words = len(tokens)
    if n_words < min(MIN_WORDS, max(1, expected_words // 4)):
        if not measured:
            substance.apply(0.0, f"only {n_words} word(s): too short to show understanding")
        return substance
    short = max(min(8.0, expected_words / 2), SHORT_SHARE * expected_words)
    if n_words < short:
        substance.apply((n_words / short) ** 0.7, f"short answer ({n_words} words)")
    if len(all_sentences) >= 3 and len(sentences) <= len(all_sentences) / 2:
        substance.apply(0.8, "the same sentence is repeated; repeats count once")
    function_share = function_word_share(tokens)
    prose_expected = expected_function_share >= LIST_FUNCTION_WORD_SHARE
    if prose_expected and n_words >= LIST_MIN_WORDS and function_share < LIST_FUNCTION_WORD_SHARE:
        substance.keyword_list = True
        substance.apply(0.45 + function_share, "reads as a list of terms with little explanation")
    elif analysis.stuffed:
        substance.keyword_list = True
        substance.apply(
            0.8,
            "names key terms without explaining any of them: say why or how, not only what",
        )
    if analysis.echo_share >= ECHO_FLOOR or not (analysis.clauses or analysis.off_topic):
        substance.apply(0.25, "mostly repeats the question")
    elif analysis.topic_share < RELEVANCE_FLOOR:
        substance.apply(0.3, "off topic: few of its terms relate to the question")
        substance.gate("off topic: few of its terms relate to the question")
    elif analysis.relevance < RELEVANCE_GATE and not story and n_words >= GATE_MIN_WORDS:
        reason = f"mostly about something else ({analysis.relevance:.0%} on topic)"
        substance.gate(reason)
        substance.reasons.append(f"{reason}: capped at level {OFF_TOPIC_LEVEL}")
    return substance
