"""How well the answer covers each weighted key point, and which clause shows it.

A key point and each of its alternative phrasings become sets of stemmed terms. A clause (or a
clause and its direct continuation, see ``clauses.windows``) covers a phrasing by the weighted
share of its terms it contains, with a bonus for matching the phrasing's word pairs in order, so
terms scattered over a sentence's separate claims do not add up to a point. Terms that also
occur in the question weigh less ("question demoting"): repeating the question's words is not
evidence of knowing the answer. A clause whose polarity differs from the point's keeps half its
coverage, so "I would not use a sliding window" is a weaker match for "sliding window" than a
clause that uses one (a full match still earns about 60% of the point: the credit floor applies
after the halving, and a lower share cost agreement with human grades when tried); a "not" in
another clause of the same sentence changes nothing. A clause that plainly denies a point is
a contradiction instead (``claims.py``), which earns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from interview_sim.models import KeyPoint
from interview_sim.scoring.clauses import opposed_pairs, split_clauses
from interview_sim.scoring.contrasts import sides_of
from interview_sim.scoring.semantic import SemanticModel
from interview_sim.scoring.text import (
    FUZZY_PREFIX,
    Sentence,
    content_stems,
    is_negated,
    negated_terms,
    split_sentences,
    words,
)

QUESTION_TERM_WEIGHT = 0.35
"""Weight of a key-point term that already appears in the question (others weigh 1)."""
CREDIT_FLOOR = 0.1
CREDIT_FULL = 0.75
"""Coverage below the floor earns nothing; at or above the full mark it earns the whole point."""
MENTION_CREDIT = 0.7
"""Share of a point's credit kept when it is named but not explained anywhere near."""
PACKED_CREDIT = 0.35
"""Share kept when the point is one of several strung together with no relation between them."""
SINGLE_TERM_SCALE = 0.8
"""A one-word phrasing is weaker evidence than a phrase, so its best coverage is scaled down."""
SEMANTIC_WEIGHT = 0.3
SEMANTIC_LOW = 0.4
SEMANTIC_HIGH = 0.9
"""With an embedding model, coverage is 0.7 x lexical + 0.3 x semantic, where the semantic part
maps the best sentence cosine linearly from 0 at 0.4 to 1 at 0.9. Chosen on the golden answers
(strong > mixed > weak ordering and agreement with intended levels), not per question."""


@dataclass(frozen=True)
class Phrasing:
    stems: tuple[str, ...]
    negated: bool
    negations: tuple[frozenset[str], ...] = ()
    """Per negated clause, the terms its negation governs (``negated_terms``): which part of
    the text each negation denies."""

    @classmethod
    def of(cls, text: str) -> Phrasing:
        return _phrasing(text)


@lru_cache(maxsize=8192)
def _phrasing(text: str) -> Phrasing:
    tokens = words(text)
    clauses = split_clauses(split_sentences(text))
    negations: list[frozenset[str]] = []
    for clause in clauses:
        denied = negated_terms(clause.words, clause.inherits_negation)
        if clause.inherits_negation and negations:
            # "No fallback when the model | or feature store is unavailable": one negation.
            negations[-1] |= denied
        elif denied:
            negations.append(denied)
    return Phrasing(
        content_stems(tokens),
        clauses[0].negated if clauses else is_negated(tokens),
        tuple(negations),
    )


@dataclass(frozen=True)
class PointMatch:
    point: KeyPoint
    coverage: float
    """Best coverage of any phrasing by any clause window, 0..1."""
    evidence: Sentence | None
    explained: bool = True
    """The evidence says why or how (a causal or contrastive link, a number, an example)."""
    packed: bool = False
    """The evidence strings this point together with several others and no relations."""
    contradicted: bool = False
    """A clause states the reverse of this point; it earns nothing."""

    @property
    def mention(self) -> float:
        """The share of the point's weight its words earn, 0..1, before any claim check."""
        span = CREDIT_FULL - CREDIT_FLOOR
        return min(1.0, max(0.0, (self.coverage - CREDIT_FLOOR) / span))

    @property
    def credit(self) -> float:
        """Credit for stating the point: a reversal earns nothing, a bare mention less."""
        if self.contradicted:
            return 0.0
        factor = PACKED_CREDIT if self.packed else 1.0 if self.explained else MENTION_CREDIT
        return self.mention * factor

    @property
    def explained_credit(self) -> float:
        """Credit for explaining the point: what depth and practical judgement count."""
        if self.contradicted or self.packed or not self.explained:
            return 0.0
        return self.mention


class TermIndex:
    """The answer's terms, with prefix lookup for fuzzy matching of technical words."""

    def __init__(self, terms: frozenset[str], prefixes: frozenset[str] | None = None) -> None:
        self.terms = terms
        self.prefixes = (
            frozenset(t[:FUZZY_PREFIX] for t in terms if len(t) >= FUZZY_PREFIX)
            if prefixes is None
            else prefixes
        )

    @classmethod
    def of(cls, sentences: Sequence[Sentence]) -> TermIndex:
        """The terms of a run of sentences, from each sentence's own (cached) terms."""
        if len(sentences) == 1:
            return cls(sentences[0].terms, sentences[0].prefixes)
        terms = frozenset().union(*(s.terms for s in sentences))
        return cls(terms, frozenset().union(*(s.prefixes for s in sentences)))

    def hit(self, term: str) -> float:
        if term in self.terms:
            return 1.0
        if len(term) >= FUZZY_PREFIX and term[:FUZZY_PREFIX] in self.prefixes:
            return 0.7
        return 0.0


@dataclass(frozen=True)
class Target:
    """A phrasing prepared for one question: unique terms, their weights, its word pairs."""

    phrasing: Phrasing
    terms: tuple[tuple[str, float], ...]
    total: float
    pairs: tuple[tuple[str, str], ...]
    term_set: frozenset[str]
    prefix_set: frozenset[str]
    sides: frozenset[tuple[int, int]]
    keyed: tuple[tuple[str, float, str | None], ...]
    """Each term with its weight and fuzzy prefix (``None`` when too short for one), so the
    hot coverage loop does no slicing or method calls."""
    lookup_keys: tuple[str, ...]
    """Its terms and ``~``-marked prefixes: the keys of the answer's inverted index."""
    one_sided: frozenset[int]
    """Contrast pairs it names one side of: a run holding both sides apart cannot cover it."""

    @classmethod
    def of(cls, phrasing: Phrasing, question_terms: frozenset[str]) -> Target:
        unique = tuple(dict.fromkeys(phrasing.stems))
        weighted = tuple((t, QUESTION_TERM_WEIGHT if t in question_terms else 1.0) for t in unique)
        pairs = tuple(zip(phrasing.stems, phrasing.stems[1:], strict=False))
        prefixes = frozenset(t[:FUZZY_PREFIX] for t in unique if len(t) >= FUZZY_PREFIX)
        total = sum(w for _, w in weighted)
        sides = frozenset(sides_of(unique))
        keyed = tuple(
            (t, w, t[:FUZZY_PREFIX] if len(t) >= FUZZY_PREFIX else None) for t, w in weighted
        )
        term_set = frozenset(unique)
        keys = (*term_set, *(f"~{p}" for p in prefixes))
        one_sided = frozenset(pair for pair, side in sides if (pair, 1 - side) not in sides)
        return cls(
            phrasing, weighted, total, pairs, term_set, prefixes, sides, keyed, keys, one_sided
        )

    def coverage(self, index: TermIndex, bigrams: frozenset[tuple[str, str]]) -> float:
        """Weighted share of the phrasing's terms present, with an in-order word-pair bonus."""
        if not self.terms or (
            index.terms.isdisjoint(self.term_set) and index.prefixes.isdisjoint(self.prefix_set)
        ):
            return 0.0
        terms, prefixes = index.terms, index.prefixes
        recall = (
            sum(
                w if t in terms else w * 0.7 if p is not None and p in prefixes else 0.0
                for t, w, p in self.keyed
            )
            / self.total
        )
        if not self.pairs:
            return recall * SINGLE_TERM_SCALE
        if recall == 0.0:
            return 0.0
        pair_recall = sum(p in bigrams for p in self.pairs) / len(self.pairs)
        return 0.85 * recall + 0.15 * pair_recall


@lru_cache(maxsize=8192)
def target_of(text: str, question_terms: frozenset[str]) -> Target:
    return Target.of(Phrasing.of(text), question_terms)


def match_points(
    points: Sequence[KeyPoint],
    windows: Sequence[tuple[Sentence, ...]],
    question_terms: frozenset[str],
    semantic: SemanticModel | None = None,
    units: Sequence[Sentence] = (),
) -> list[PointMatch]:
    """Each point's best coverage and the clause that shows it, in the points' order.

    ``windows`` are the clause runs a point may span; ``units`` the single clauses compared by
    meaning when an embedding model is available.
    """
    lexical = _lexical_matches(points, windows, question_terms)
    similarities = (
        semantic.similarities([s.text for s in units], [[p.text, *p.alternatives] for p in points])
        if semantic is not None and units
        else None
    )
    if similarities is None:
        return lexical
    blended: list[PointMatch] = []
    for match, row in zip(lexical, similarities, strict=True):
        best = max(range(len(row)), key=row.__getitem__)
        closeness = min(1.0, max(0.0, (row[best] - SEMANTIC_LOW) / (SEMANTIC_HIGH - SEMANTIC_LOW)))
        coverage = (1 - SEMANTIC_WEIGHT) * match.coverage + SEMANTIC_WEIGHT * closeness
        evidence = match.evidence or (units[best] if closeness >= 0.5 else None)
        blended.append(PointMatch(match.point, round(coverage, 6), evidence))
    return blended


def _lexical_matches(
    points: Sequence[KeyPoint],
    windows_: Sequence[tuple[Sentence, ...]],
    question_terms: frozenset[str],
) -> list[PointMatch]:
    windows = [
        (
            window,
            TermIndex.of(window),
            frozenset().union(*(s.bigrams for s in window)),
            1.0 - 0.03 * (len(window) - 1),
        )
        for window in windows_
    ]
    opposed = [opposed_pairs(window) for window, _, _, _ in windows]
    # Inverted index: only windows sharing a term (or a fuzzy prefix) with a phrasing can cover it.
    by_key: dict[str, list[int]] = {}
    for position, (_, index, _, _) in enumerate(windows):
        for key in index.terms | {f"~{p}" for p in index.prefixes}:
            by_key.setdefault(key, []).append(position)
    results: list[PointMatch] = []
    for point in points:
        targets = [target_of(text, question_terms) for text in (point.text, *point.alternatives)]
        best, best_sentence = 0.0, None
        for target in targets:
            candidates = sorted({i for key in target.lookup_keys for i in by_key.get(key, ())})
            one_sided = target.one_sided
            for position in candidates:
                window, index, bigrams, scale = windows[position]
                if one_sided & opposed[position]:
                    continue
                value = scale * target.coverage(index, bigrams)
                if value <= best:
                    continue
                sentence = _strongest(window, target)
                if sentence.negated != target.phrasing.negated:
                    value *= 0.5
                if value > best:
                    best, best_sentence = value, sentence
        results.append(PointMatch(point, round(best, 6), best_sentence))
    return results


def _strongest(window: tuple[Sentence, ...], target: Target) -> Sentence:
    """The clause of a run that shows the phrasing best: the one quoted as evidence."""
    if len(window) == 1:
        return window[0]
    return max(window, key=lambda s: target.coverage(TermIndex.of((s,)), s.bigrams))


def weighted_credit(matches: Sequence[PointMatch], explained: bool = False) -> float:
    """The weighted share of the points' credit earned; ``explained`` counts explanations only."""
    total = sum(m.point.weight for m in matches)
    if total == 0:
        return 0.0
    earned = (m.explained_credit if explained else m.credit for m in matches)
    return sum(m.point.weight * c for m, c in zip(matches, earned, strict=True)) / total
