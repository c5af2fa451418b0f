"""Clauses: the unit a claim lives in.

A sentence often makes several claims ("an A/B test for the headlines, a bandit for checkout"),
and a key point is only shown where its terms occur *together in one claim*. Sentences are split
at punctuation and at connectives; each clause keeps its exact span in the answer (evidence is
quoted verbatim) and its own polarity, so a "not" in one clause never flips another.

A clause may be read together with the other clauses of its sentence and with a next sentence
that continues it ("This means ...", "Because ..."); but a run whose clauses hold opposite sides
of a contrast pair only covers claims that name both sides, which is how a reversed claim is kept
from borrowing the other half of the sentence (``opposed_pairs``).

This is a regular-expression approximation of what a dependency parser gives; see the README's
grading section for why it is the default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from interview_sim.scoring.contrasts import Side, sides_of
from interview_sim.scoring.text import Sentence, content_stems, is_negated, words

_PUNCTUATION_BREAK = re.compile(
    r"\s*(?:[;:()\[\]]|(?<!\d),|,(?!\d{3}\b)|\s[-\u2013\u2014]+\s|\u2014)\s*"
)
"""Clause breaks; a comma between digits ("1,500 searches") is a thousands separator."""
_NOTATION = re.compile(r"(?<=\w)\((?:[^()\n]|\([^()\n]*\)){1,60}\)")
"""The argument list of notation written as a call: "O(n log n)", "P(y|x)", "f(x, y)",
"O(n log(n))". A letter or digit directly before "(" makes it part of its term, so no clause
breaks inside it (or the claim "space is O(n)" would be quoted as "space is O"); a parenthetical
aside opens after a space, " (like this)", and still splits."""
_CONTRAST = ("but", "whereas", "while", "whilst", "although", "though", "however", "yet")
_CONTRAST_STARTS = frozenset((*_CONTRAST, "instead", "unlike", "rather", "otherwise"))
_CONTINUATION = (
    "because",
    "since",
    "so",
    "hence",
    "therefore",
    "thus",
    "which",
    "who",
    "whose",
    "unless",
    "and",
    "or",
    "then",
    "meaning",
    "until",
)
_CONNECTIVE_BREAK = re.compile(
    r"\s+(?=(?:" + "|".join((*_CONTRAST, *_CONTINUATION, "instead", "rather than")) + r")\b)",
    re.IGNORECASE,
)
_RELATIVE_THAT = re.compile(
    r"\s+(?=that\s+(?:is|was|are|were|does|did|do|has|had|can|will|would|doesn't|didn't|"
    r"isn't|wasn't|never|not)\b)",
    re.IGNORECASE,
)
_SENTENCE_CONTINUATION = frozenset(
    {"this", "that", "it", "so", "because", "which", "hence", "therefore", "thus", "that's"}
)
CONNECTIVES = frozenset((*_CONTRAST, *_CONTINUATION, "instead", "rather", "nor"))
"""Words a clause may open with to continue the clause before it."""
MAX_RUN = 4
"""A window joins at most this many linked clauses."""


@dataclass(frozen=True)
class Clause(Sentence):
    """A clause of one sentence; ``text`` is exactly ``answer[start:end]`` like a sentence's."""

    sentence_index: int = 0
    opener: str = ""
    """The clause's first word, lower-cased: its link to the clause before it."""
    inherits_negation: bool = False
    """Set for "or a running sum" after "I would not use a sliding window": a coordinated
    phrase with no verb of its own stays inside the negation before it."""

    @property
    def negated(self) -> bool:
        return is_negated(self.words) or self.inherits_negation

    @property
    def contrastive(self) -> bool:
        return self.opener in _CONTRAST_STARTS


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses inside ``text``, split at punctuation, then at connectives."""
    kept = [m.span() for m in _NOTATION.finditer(text)]
    spans: list[tuple[int, int]] = []
    for outer in _split(text, _PUNCTUATION_BREAK, 0, len(text), kept):
        for middle in _split(text, _CONNECTIVE_BREAK, *outer, kept):
            spans.extend(_split(text, _RELATIVE_THAT, *middle, kept))
    return spans


def clause_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """The answer spans of ``sentence``'s pieces, function-word pieces ("and") included: what a
    too-short evidence quote is widened across (``stages.common.evidence_quotes``)."""
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(sentence.text):
        raw = sentence.text[start:end]
        stripped = raw.strip()
        if stripped:
            offset = sentence.start + start + raw.index(stripped)
            spans.append((offset, offset + len(stripped)))
    return spans


def opens_with_connective(text: str) -> bool:
    """Whether ``text`` starts with a connective ("or covariate shift", "and O(1) space"): a
    clause that leans on the one before it."""
    tokens = words(text)
    return bool(tokens) and tokens[0] in CONNECTIVES


def _split(
    text: str,
    pattern: re.Pattern[str],
    start: int,
    end: int,
    kept: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` between the matches of ``pattern``, never breaking inside
    a ``kept`` span (notation such as "O(n log n)")."""
    found: list[tuple[int, int]] = []
    position = start
    for match in pattern.finditer(text, start, end):
        if any(match.start() < high and match.end() > low for low, high in kept):
            continue
        if match.start() > position:
            found.append((position, match.start()))
        position = match.end()
    if end > position:
        found.append((position, end))
    return found


def split_clauses(sentences: Sequence[Sentence]) -> list[Clause]:
    """Every sentence's clauses in answer order; a clause of function words only ("and") is
    dropped, so it cannot break a run."""
    clauses: list[Clause] = []
    for index, sentence in enumerate(sentences):
        previous: Clause | None = None
        for start, end in _pieces(sentence.text):
            raw = sentence.text[start:end]
            stripped = raw.strip()
            tokens = tuple(words(stripped))
            stems = content_stems(list(tokens))
            if not stems:
                continue
            offset = sentence.start + start + raw.index(stripped)
            clause = Clause(
                text=stripped,
                start=offset,
                end=offset + len(stripped),
                words=tokens,
                stems=stems,
                sentence_index=index,
                opener=tokens[0],
                inherits_negation=previous is not None
                and previous.negated
                and _coordinated_phrase(tokens),
            )
            clauses.append(clause)
            previous = clause
    return clauses


def _coordinated_phrase(tokens: tuple[str, ...]) -> bool:
    """ "or a running sum", "nor X", "and Y": a short coordinated phrase, not a new claim."""
    return tokens[0] in {"or", "nor"} or (tokens[0] == "and" and len(tokens) <= 4)


def _links(before: Clause, after: Clause) -> bool:
    """Whether ``after`` may be read with ``before``: the same sentence, or a continuation."""
    return after.sentence_index == before.sentence_index or (
        after.opener in _SENTENCE_CONTINUATION and not after.contrastive
    )


def windows(clauses: Sequence[Clause]) -> list[tuple[Clause, ...]]:
    """Each clause alone, then each run of up to ``MAX_RUN`` linked clauses."""
    found: list[tuple[Clause, ...]] = [(c,) for c in clauses]
    for first in range(len(clauses)):
        run = [clauses[first]]
        for nxt in clauses[first + 1 : first + MAX_RUN]:
            if not _links(run[-1], nxt):
                break
            run.append(nxt)
            found.append(tuple(run))
    return found


def opposed_pairs(window: Sequence[Sentence]) -> frozenset[int]:
    """Contrast pairs whose two sides sit in different clauses of ``window``.

    Such a window may only cover a claim that itself names both sides ("PR-AUC equals the
    positive rate while ROC-AUC is 0.5"); a one-sided claim ("a bandit for short-lived content")
    must be made by one clause, or "an A/B test for the headlines, a bandit for checkout" would
    cover it.
    """
    if len(window) < 2:
        return frozenset()
    per_clause = [_sides(c.stems) for c in window]
    found: set[int] = set()
    for i, sides in enumerate(per_clause):
        for pair, side in sides:
            if any((pair, 1 - side) in other for j, other in enumerate(per_clause) if j != i):
                found.add(pair)
    return frozenset(found)


@lru_cache(maxsize=65_536)
def _sides(stems: tuple[str, ...]) -> frozenset[Side]:
    """A clause's contrast sides: runs overlap, so each clause is read by several of them."""
    return frozenset(sides_of(stems))
