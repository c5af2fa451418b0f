"""What every stage's estimator shares: the estimate, the signals it reads, and the few
blending helpers.

Every estimate is a continuous level in 0..4 with the sentences that support it. Key-point
coverage carries most of the weight everywhere; the stage signals (STAR parts, phases, measured
test results, explanation cues) refine it. The blend weights are few, generic and fixed; they are
not fitted to any question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from interview_sim.models import CodeOutcome, Turn
from interview_sim.scoring.clauses import clause_spans, opens_with_connective
from interview_sim.scoring.coverage import PointMatch, weighted_credit
from interview_sim.scoring.misconceptions import StatementHit
from interview_sim.scoring.signals import Communication
from interview_sim.scoring.story import StoryReading
from interview_sim.scoring.text import Sentence, terms

EVIDENCE_PER_CRITERION = 3
QUOTE_WORDS = 3
"""An evidence quote of fewer words ("time", "changing") cannot justify a level on its own: it is
widened across its sentence's neighbouring clauses, unless it names a technical term."""
_TECHNICAL = re.compile(r"\d|[A-Z]{2,}|\w\(|[^\W_][-_/][^\W_]")
"""A token that is a term in its own right: a number ("p99"), an acronym ("PSI"), notation
("O(n)") or a compound ("decline-rate", "best_from")."""
MISCONCEPTION_PENALTY = 1.0
"""Levels lost on correctness for each misconception stated as fact. The caps that follow from
wrong claims (on correctness and on the answer as a whole) live in ``wrong_claims``."""
REFUTATION_BONUS = 0.5
"""Levels gained (once) for correcting a misconception unprompted in an otherwise good answer."""


@dataclass
class Estimate:
    value: float
    evidence: list[Sentence] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measured: bool = False
    """Read from the submitted code or its test results, not the prose, so the prose
    substance guards do not scale it."""
    capped: str = ""
    """Why a cap held the value down (see ``cap``)."""

    def cap(self, level: float, reason: str) -> None:
        """Hold the value at ``level`` at most, saying why when that lowers it."""
        if self.value > level:
            self.value = level
            self.capped = self.capped or reason


@dataclass(frozen=True)
class Signals:
    """Everything the estimators read, computed once per grade."""

    sentences: Sequence[Sentence]
    clauses: Sequence[Sentence]
    """The answer's clauses that are not echoes of the prompt."""
    matches: Sequence[PointMatch]
    statements: Sequence[StatementHit]
    communication: Communication
    code: str
    code_outcome: CodeOutcome | None
    story: StoryReading | None = None
    """Conduct, substance and fit of a behavioral story."""
    expects_explanation: bool = True
    """The model answer explains (why, how, at what cost), so the answer is held to that."""
    turns: Sequence[Turn] = ()
    """The question's turns in order: which answers followed which code submission."""

    def matches_for(self, criterion: str) -> list[PointMatch]:
        own = [m for m in self.matches if m.point.criterion == criterion]
        return own or list(self.matches)

    def overall(self) -> Estimate:
        """Coverage of all the question's key points, whatever criterion they belong to."""
        return self._estimate(list(self.matches))

    def coverage(self, criterion: str) -> Estimate:
        """Level 0..4 from the weighted credit of the criterion's key points (or all points).

        A criterion with no points of its own (clarity, communication) is judged on all of
        them but lists none as missed when they belong to other criteria: each is listed under
        its own, and a scorecard that repeats correctness's points under clarity says nothing
        new. Points that belong to no criterion (reference-answer mode) are listed everywhere.
        """
        estimate = self._estimate(self.matches_for(criterion))
        owners = {m.point.criterion for m in self.matches}
        if criterion not in owners and owners - {None}:
            estimate.missed = []
        return estimate

    def explained(self, criterion: str) -> Estimate:
        """Level 0..4 from the key points the answer explains (says why or how), not names."""
        return self._estimate(self.matches_for(criterion), explained=True)

    def _estimate(self, matches: list[PointMatch], explained: bool = False) -> Estimate:
        credit = weighted_credit(matches, explained=explained)
        covered = sorted(
            (m for m in matches if m.evidence is not None and m.credit >= 0.5),
            key=lambda m: m.evidence.start if m.evidence else 0,
        )
        if explained:
            covered = [m for m in covered if m.explained_credit >= 0.5]
        evidence = unique([m.evidence for m in covered if m.evidence is not None])
        missed = [m.point.text for m in matches if m.credit < 0.5]
        if explained:
            note = f"{len(covered)}/{len(matches)} key points explained ({credit:.0%})"
            missed = []
        else:
            note = f"{len(matches) - len(missed)}/{len(matches)} key points covered ({credit:.0%})"
        return Estimate(4 * credit, evidence, missed, [note] if matches else [])


def unique(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Each sentence once, in first-seen order: evidence lists quote a sentence only once."""
    return list(dict.fromkeys(sentences))


def evidence_quotes(
    evidence: Sequence[Sentence],
    sentences: Sequence[Sentence],
    limit: int = EVIDENCE_PER_CRITERION,
) -> list[str]:
    """The first ``limit`` quotes a reader can check, in answer order, each a verbatim
    substring of the answer.

    A quote too short to justify anything is widened across the neighbouring clauses of its
    sentence (``sentences``: the answer's, which hold every evidence span), or left out when it
    has no sentence to widen into. Quotes that overlap within one sentence (a sentence and one of
    its clauses, "Peeking at the p-value daily and stopping" and "and stopping when it is
    small") are shown once, as the span they cover together.
    """
    spans: list[tuple[int, int, Sentence]] = []
    for item in dict.fromkeys(evidence):
        home = next((s for s in sentences if s.start <= item.start and item.end <= s.end), None)
        if home is None:
            if _stands(item.text):
                spans.append((item.start, item.end, item))
            continue
        spans.append((*_bracketed(*_widened(item.start, item.end, home), home), home))
    merged: list[tuple[int, int, Sentence]] = []
    for start, end, home in sorted(spans, key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            low, high, first = merged[-1]
            if end <= high:
                continue
            if first == home:
                merged[-1] = (low, end, home)
                continue
        merged.append((start, end, home))
    return [home.text[start - home.start : end - home.start] for start, end, home in merged][:limit]


def _stands(quote: str) -> bool:
    """Long enough to be read on its own, or a technical term however short."""
    tokens = [t for t in quote.split() if any(c.isalnum() for c in t)]
    return len(tokens) >= QUOTE_WORDS or (bool(tokens) and bool(_TECHNICAL.search(quote)))


def _widened(start: int, end: int, home: Sentence) -> tuple[int, int]:
    """``start..end`` grown clause by clause inside ``home`` until it stands: backwards first
    when it leans on the clause before it ("or ..."), else forwards."""
    text = home.text[start - home.start : end - home.start]
    if _stands(text):
        return start, end
    pieces = clause_spans(home) or [(home.start, home.end)]
    first = next((i for i, p in enumerate(pieces) if p[1] > start), len(pieces) - 1)
    last = max(first, max((i for i, p in enumerate(pieces) if p[0] < end), default=first))
    start, end = min(start, pieces[first][0]), max(end, pieces[last][1])
    while not _stands(home.text[start - home.start : end - home.start]):
        if first > 0 and (
            last == len(pieces) - 1 or opens_with_connective(home.text[start - home.start :])
        ):
            first -= 1
        elif last < len(pieces) - 1:
            last += 1
        else:
            return home.start, home.end
        start, end = min(start, pieces[first][0]), max(end, pieces[last][1])
    return start, end


def _bracketed(start: int, end: int, home: Sentence) -> tuple[int, int]:
    """``start..end`` grown inside ``home`` to the brackets it opens or closes: a quote that
    reaches into an aside reads "(equal opportunity), false negative rates", not
    "equal opportunity), false negative rates"."""
    text, low, high = home.text, start - home.start, end - home.start
    unclosed = unopened = 0
    for char in text[low:high]:
        if char == "(":
            unclosed += 1
        elif char == ")":
            unclosed, unopened = (unclosed - 1, unopened) if unclosed else (0, unopened + 1)
    depth = 0
    while unopened and low > 0:
        low -= 1
        if text[low] == ")":
            depth += 1
        elif text[low] == "(":
            depth, unopened = (depth - 1, unopened) if depth else (0, unopened - 1)
    depth = 0
    while unclosed and high < len(text):
        high += 1
        if text[high - 1] == "(":
            depth += 1
        elif text[high - 1] == ")":
            depth, unclosed = (depth - 1, unclosed) if depth else (0, unclosed - 1)
    if unopened or unclosed:  # the sentence itself is unbalanced: leave the quote as it was
        return start, end
    return home.start + low, home.start + high


def blend(base: Estimate, value: float, extra: Sequence[Sentence] = (), note: str = "") -> Estimate:
    """``base`` with a new value, more evidence and a note: a stage signal refining coverage."""
    evidence = unique([*base.evidence, *extra])
    return Estimate(value, evidence, base.missed, [*base.notes, note] if note else base.notes)


def saturation(count: int, enough: int) -> float:
    """0..1: how far ``count`` cues go towards ``enough`` of them (more add nothing)."""
    return min(1.0, count / enough)


def misconception_adjust(estimate: Estimate, signals: Signals) -> Estimate:
    """Correctness less each misconception stated as fact (capped at 2, or 1 for two or more);
    a correction of one, unprompted in a good answer, earns a little."""
    asserted = [h for h in signals.statements if h.asserted]
    refuted = [h for h in signals.statements if not h.asserted]
    value = estimate.value
    if asserted:
        value = min(
            value - MISCONCEPTION_PENALTY * len(asserted), 2.0 if len(asserted) == 1 else 1.0
        )
        estimate.notes.append(f"states {len(asserted)} misconception(s)")
        estimate.missed.extend(f"stated as fact: {h.statement}" for h in asserted)
    elif refuted and value >= 2.0:
        value += REFUTATION_BONUS
        estimate.notes.append("corrects a common misconception")
    evidence = unique([*estimate.evidence, *(h.sentence for h in asserted + refuted)])
    return Estimate(value, evidence, estimate.missed, estimate.notes, estimate.measured)


def closest_criterion(statement: str, signals: Signals) -> str | None:
    """The criterion of the key point sharing most terms with a wrong statement: where a red
    flag or reversed claim belongs when the bank does not say."""
    wanted = terms(statement)
    best = max(
        signals.matches,
        key=lambda m: len(wanted & terms(" ".join([m.point.text, *m.point.alternatives]))),
        default=None,
    )
    return best.point.criterion if best is not None else None
