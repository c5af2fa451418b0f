"""Which of the bank's wrong statements (misconceptions, red flags) the answer asserts or refutes.

A sentence asserts a misconception when it contains most of its terms with the same polarity;
with the opposite polarity ("accuracy is not a good metric here", "it's a myth that ...") it
refutes it, which a strong answer does unprompted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview_sim.scoring.clauses import Clause, opposed_pairs, windows
from interview_sim.scoring.contrasts import sides_of
from interview_sim.scoring.coverage import Phrasing, TermIndex
from interview_sim.scoring.text import Sentence

MATCH_THRESHOLD = 0.75
"""Share of a misconception's terms one clause must contain to be about it."""
MIN_SHARED_TERMS = 2
ANCHORS_NEEDED = 2
"""Anchor terms (see ``_anchored``) a clause must hold, with one more term of the statement."""


@dataclass(frozen=True)
class StatementHit:
    statement: str
    sentence: Sentence
    asserted: bool
    """True when the sentence states it; False when it contradicts it."""


_DISMISSIVE = frozenset(
    {
        "misleading",
        "meaningless",
        "useless",
        "pointless",
        "avoid",
        "trap",
        "pitfall",
        "naive",
        "flawed",
        "dangerous",
        "instead",
        "rather",
        "unless",
        "tempting",
    }
)
"""Words that hold a statement at arm's length: "accuracy is misleading here" does not
recommend accuracy."""


def find_statements(
    statements: Sequence[str],
    clauses: Sequence[Clause],
    question_terms: frozenset[str],
    known_terms: frozenset[str] = frozenset(),
) -> list[StatementHit]:
    """The best matching clause (or linked clauses) for each statement the answer talks about.

    Polarity is the matched clause's own: "a random split is always safe and five-fold CV
    prevents leakage, because it tests on a model that did not train on it" asserts both wrong
    statements; the later "did not" belongs to another clause.

    When the question contrasts two things (ROC-AUC and PR-AUC), a clause that swaps one for
    the other ("a random classifier has ROC-AUC 0.5") is about the other thing, not the
    misconception ("PR-AUC of a random classifier is 0.5"), so such swaps do not match.
    """
    runs = windows(clauses)
    hits: list[StatementHit] = []
    for statement in statements:
        phrasing = Phrasing.of(statement)
        stems = sorted(set(phrasing.stems))
        if not stems:
            continue
        best: tuple[float, Sentence, bool] | None = None
        statement_sides = sides_of(stems)
        one_sided = {p for p, side in statement_sides if (p, 1 - side) not in statement_sides}
        for run in runs:
            if one_sided & opposed_pairs(run):
                continue
            run_terms = frozenset().union(*(c.terms for c in run))
            if _swaps(set(stems), run_terms, question_terms):
                continue
            index = TermIndex(run_terms)
            shared = sum(index.hit(t) for t in stems)
            share = shared / len(stems) - 0.05 * (len(run) - 1)
            enough = shared >= min(MIN_SHARED_TERMS, len(stems))
            if share >= MATCH_THRESHOLD and enough and (best is None or share > best[0]):
                head = max(run, key=lambda c: len(c.terms & set(stems)))
                best = (share, head, _run_negated(run, set(stems)))
        if best is None and known_terms and not phrasing.negated:
            anchored = _anchored(set(stems), clauses, known_terms)
            if anchored is not None:
                best = (0.0, anchored, False)
        if best is not None:
            _, sentence, negated = best
            hits.append(StatementHit(statement, sentence, negated == phrasing.negated))
    return hits


def _anchored(
    stems: set[str], clauses: Sequence[Clause], known_terms: frozenset[str]
) -> Clause | None:
    """A clause stating the statement's *anchor*: the terms only a wrong answer would use.

    A reworded misconception ("we evaluate on accuracy") shares few words with the bank's
    wording ("uses accuracy as the main metric on 0.1% positives"), but it keeps the word that
    makes it wrong, one the key points, model answer and prompt never use. A clause holding
    every anchor and another of the statement's terms, said plainly (not negated, not held at
    arm's length), states it.
    """
    anchors = {t for t in stems - known_terms if not t[0].isdigit() and len(t) > 2}
    if len(anchors) < ANCHORS_NEEDED:
        return None  # one telltale word is too little to tell a claim from a mention
    others = stems - anchors
    needed = ANCHORS_NEEDED
    named = sides_of(stems)
    for clause in clauses:
        terms_ = clause.terms
        if not named <= sides_of(terms_):
            continue  # "L2 sets weights to zero" needs a clause that names L2
        held = len(anchors & terms_)
        if held < needed or clause.negated or _DISMISSIVE & set(clause.words):
            continue
        if others & terms_ or held >= 2:
            return clause
    return None


def _run_negated(run: Sequence[Clause], stems: set[str]) -> bool:
    """A run's polarity: that of the clauses holding the statement's terms."""
    holding = [c for c in run if c.terms & stems] or list(run)
    return sum(c.negated for c in holding) % 2 == 1


def _swaps(stems: set[str], clause: frozenset[str], question_terms: frozenset[str]) -> bool:
    missing = {t for t in stems - clause if t in question_terms}
    extra = {t for t in clause - stems if t in question_terms}
    return bool(missing and extra)
