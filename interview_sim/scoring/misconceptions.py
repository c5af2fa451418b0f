"""Which of the bank's wrong statements (misconceptions, red flags) the answer asserts or refutes.

A sentence asserts a misconception when it contains most of its terms with the same polarity;
with the opposite polarity ("accuracy is not a good metric here", "it's a myth that ...") it
refutes it, which a strong answer does unprompted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_sim.scoring.coverage import Phrasing, TermIndex
from interview_sim.scoring.text import Sentence, content_stems, is_negated

MATCH_THRESHOLD = 0.75
"""Share of a misconception's terms one clause must contain to be about it."""
_CLAUSE_BREAKS = frozenset({"but", "while", "whereas", "although", "though", "however", "yet"})
MIN_SHARED_TERMS = 2


@dataclass(frozen=True)
class StatementHit:
    statement: str
    sentence: Sentence
    asserted: bool
    """True when the sentence states it; False when it contradicts it."""


def find_statements(
    statements: Sequence[str], sentences: Sequence[Sentence], question_terms: frozenset[str]
) -> list[StatementHit]:
    """The best matching sentence for each statement the answer talks about.

    When the question contrasts two things (ROC-AUC and PR-AUC), a clause that swaps one for
    the other ("a random classifier has ROC-AUC 0.5") is about the other thing, not the
    misconception ("PR-AUC of a random classifier is 0.5"), so such swaps do not match.
    """
    hits: list[StatementHit] = []
    for statement in statements:
        phrasing = Phrasing.of(statement)
        stems = sorted(set(phrasing.stems))
        if not stems:
            continue
        best: tuple[float, Sentence, bool] | None = None
        for sentence in sentences:
            for clause_words in _clauses(sentence.words):
                clause_terms = frozenset(content_stems(clause_words))
                if _swaps(set(stems), clause_terms, question_terms):
                    continue
                index = TermIndex(clause_terms)
                shared = sum(index.hit(t) for t in stems)
                share = shared / len(stems)
                enough = shared >= min(MIN_SHARED_TERMS, len(stems))
                if share >= MATCH_THRESHOLD and enough and (best is None or share > best[0]):
                    best = (share, sentence, is_negated(clause_words))
        if best is not None:
            _, sentence, negated = best
            hits.append(StatementHit(statement, sentence, negated == phrasing.negated))
    return hits


def _swaps(stems: set[str], clause: frozenset[str], question_terms: frozenset[str]) -> bool:
    missing = {t for t in stems - clause if t in question_terms}
    extra = {t for t in clause - stems if t in question_terms}
    return bool(missing and extra)


def _clauses(tokens: tuple[str, ...]) -> list[list[str]]:
    """Split at contrast words so "ROC-AUC is 0.5 but PR-AUC is the base rate" is two claims."""
    clauses: list[list[str]] = [[]]
    for token in tokens:
        if token in _CLAUSE_BREAKS:
            clauses.append([])
        else:
            clauses[-1].append(token)
    return [c for c in clauses if c]
