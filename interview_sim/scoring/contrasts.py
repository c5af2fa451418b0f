"""The domain's contrast pairs: two terms a candidate can confuse, where swapping one for the
other turns a right claim into a wrong one.

"L2 drives weights exactly to zero" uses every word of the key point "L1 drives weights exactly
to zero"; word overlap calls it coverage. Swapping the pair (L1, L2) in the candidate's clause
makes it match the key point *better*, which is what a reversed claim looks like, so the scorer
reads it as a contradiction instead (see ``claims.py``).

Each side lists surface words; they are stemmed like the answer. The list is deliberately small
and generic (the same confusions recur across ML interviews); a bank's key point adds its own
pairs with ``contrasts: [[user, request]]``. Direction words that are also stopwords ("more",
"less", "before", "after") are kept as claim terms here because the direction *is* the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from interview_sim.scoring.text import content_stems, stem

CONTRAST_PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("l1", "lasso"), ("l2", "ridge")),
    (("precision",), ("recall",)),
    (("bias",), ("variance",)),
    (("overfitting", "overfit", "overfits"), ("underfitting", "underfit", "underfits")),
    (
        ("increase", "raise", "rise", "grow", "higher", "more", "greater", "inflate"),
        ("decrease", "reduce", "lower", "drop", "fall", "shrink", "less", "fewer", "deflate"),
    ),
    (("high",), ("low",)),
    (("train", "training"), ("test", "testing")),
    (("online",), ("offline",)),
    (("ab",), ("bandit", "bandits")),
    (("computebound",), ("memorybound",)),
    (("batch",), ("realtime", "streaming")),
    (("positive", "positives"), ("negative", "negatives")),
    (("supervised",), ("unsupervised",)),
    (("prefill",), ("decode", "decoding")),
    (("encoder",), ("decoder",)),
    (("biencoder",), ("crossencoder",)),
    (("sparse",), ("dense",)),
    (("before",), ("after",)),
    (("fast", "faster", "quick", "quicker"), ("slow", "slower")),
    (("cheap", "cheaper"), ("expensive", "costlier")),
    (("small", "smaller", "tiny"), ("large", "larger", "big", "bigger", "huge")),
    (("short", "shorter"), ("long", "longer")),
    (("random", "randomly"), ("chronological", "temporal", "timebased")),
    (("roc",), ("pr",)),
    (("micro",), ("macro",)),
    (("exploration", "explore"), ("exploitation", "exploit")),
    (("stateless",), ("stateful",)),
    (("synchronous", "sync"), ("asynchronous", "async")),
    (("generative",), ("discriminative",)),
    (("underestimate", "underestimates"), ("overestimate", "overestimates")),
    (("upstream",), ("downstream",)),
    (("pre",), ("post",)),
    (("bagging",), ("boosting",)),
    (("horizontal",), ("vertical",)),
    (("convex",), ("nonconvex",)),
    (("robust",), ("sensitive",)),
    (("symmetric",), ("asymmetric",)),
    (("parallel", "independently"), ("sequential", "sequentially")),
    (("linear", "linearly"), ("quadratic", "quadratically")),
    (("stack", "stacks", "lifo"), ("queue", "queues", "fifo")),
)
"""The built-in pairs. Add one only when confusing its sides is a common, wrong claim."""

DIRECTIONAL_PAIRS = frozenset(
    i
    for i, (left, _) in enumerate(CONTRAST_PAIRS)
    if left[0] in {"increase", "high", "before", "fast", "cheap", "small", "short"}
)
"""Pairs whose sides are directions or magnitudes rather than two named things."""

KEPT_FUNCTION_WORDS = frozenset({"more", "less", "before", "after", "fewer"})
"""Stopwords that carry a claim's direction, so contrast checks keep them."""

Side = tuple[int, int]
"""(pair index, side 0 or 1)."""


@lru_cache(maxsize=1)
def _builtin_index() -> dict[str, Side]:
    return _index(CONTRAST_PAIRS, offset=0)


def _index(pairs: Sequence[tuple[Sequence[str], Sequence[str]]], offset: int) -> dict[str, Side]:
    found: dict[str, Side] = {}
    for number, pair in enumerate(pairs, start=offset):
        for side, surface in enumerate(pair):
            for word in surface:
                for term in _terms_of(word):
                    found.setdefault(term, (number, side))
    return found


def _terms_of(word: str) -> tuple[str, ...]:
    lowered = word.lower()
    if lowered in KEPT_FUNCTION_WORDS:
        return (lowered,)
    return content_stems([lowered]) or (stem(lowered),)


def claim_terms(tokens: Sequence[str], stems: Iterable[str]) -> frozenset[str]:
    """A clause's stems plus its direction words: what a contrast check compares."""
    return frozenset(stems) | frozenset(t for t in tokens if t in KEPT_FUNCTION_WORDS)


class Lexicon:
    """The built-in pairs plus a question's own, with swapping by pair."""

    def __init__(self, extra: Sequence[tuple[str, str]] = ()) -> None:
        builtin = _builtin_index()
        self.index = dict(builtin)
        offset = len(CONTRAST_PAIRS)
        for term, side in _index([((a,), (b,)) for a, b in extra], offset).items():
            self.index[term] = side
        self._first: dict[Side, str] = {}
        for term, side in self.index.items():
            self._first.setdefault(side, term)
        # A pair whose side lost every term to an earlier pair cannot be swapped.
        self._complete = {pair for pair, side in self._first if (pair, 1 - side) in self._first}

    def directional(self, pair: int) -> bool:
        """Whether the pair is a direction (up/down, high/low, before/after), whose reversal
        depends on what goes up or down."""
        return pair in DIRECTIONAL_PAIRS

    def sides(self, terms: Iterable[str]) -> set[Side]:
        return {self.index[t] for t in terms if t in self.index}

    def swappable(self, terms: Iterable[str]) -> list[int]:
        """Pairs with exactly one side present: swapping them changes the claim."""
        sides = self.sides(terms)
        return sorted(
            {
                pair
                for pair, side in sides
                if (pair, 1 - side) not in sides and pair in self._complete
            }
        )

    def swap(self, terms: frozenset[str], pair: int) -> frozenset[str]:
        """The terms with one pair's side replaced by the other side's first term."""
        swapped: set[str] = set()
        for term in terms:
            side = self.index.get(term)
            if side is not None and side[0] == pair:
                swapped.add(self._first[(pair, 1 - side[1])])
            else:
                swapped.add(term)
        return frozenset(swapped)

    def canonical(self, terms: Iterable[str]) -> frozenset[str]:
        """Each contrast term replaced by its side's first term, so synonyms on one side meet."""
        return frozenset(self._first[self.index[t]] if t in self.index else t for t in terms)


def sides_of(stems: Iterable[str]) -> set[Side]:
    """Built-in sides present in ``stems`` (used to keep opposed clauses apart)."""
    index = _builtin_index()
    return {index[t] for t in stems if t in index}
