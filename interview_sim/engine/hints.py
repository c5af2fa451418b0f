"""What a hint says: something about the question the candidate has not said yet, or nothing.

A hint costs score (the rubric's hint penalty), so it must carry content: a banked hint, or a
key point of the question. A line that only restates the rubric ("this follow-up is about
practical judgement: applies the concept...") tells the candidate nothing they could not read
off the follow-up itself; when there is no banked text left, there is no hint and nothing is
charged.
"""

from __future__ import annotations

from collections.abc import Sequence

from interview_sim.engine.policy import COVERED_FRACTION
from interview_sim.models import AnyQuestion, Turn, TurnKind
from interview_sim.scoring.text import terms


def _shown(turns: Sequence[Turn]) -> set[str]:
    return {t.text for t in turns if t.kind == TurnKind.HINT}


def question_hint(question: AnyQuestion, turns: Sequence[Turn]) -> str | None:
    """The next banked hint of the question not shown yet (in bank order)."""
    shown = _shown(turns)
    return next((h for h in question.hints if h not in shown), None)


def key_point_hint(text: str) -> str:
    """How a key point reads as a hint."""
    return f"Think about this point: {text.rstrip('.')}."


def follow_up_hint(question: AnyQuestion, follow_up: Turn, turns: Sequence[Turn]) -> str | None:
    """A hint about the follow-up: the banked text that speaks to what it asks, or None.

    Candidates are the question's banked hints and the key points the answers have not made
    yet. One fits when it shares terms with what the follow-up asks beyond the question
    itself (its own terms), or is a key point aimed at the follow-up's criterion. A fitting
    banked hint comes first, since it was written not to give the answer away; then the key
    point sharing the most terms (one aimed at the criterion first between equals). When
    nothing fits, the question's next banked hint: still about the question, and written as a
    hint. Hints shown before are not repeated.
    """
    asked = terms(follow_up.text) - terms(question.prompt)
    answers = [t.text for t in turns if t.kind == TurnKind.ANSWER]
    said = frozenset().union(*(terms(a) for a in answers)) if answers else frozenset()
    shown = _shown(turns)
    # (banked 0 or key point 1, shared terms, aimed at the criterion, bank order, text)
    ranked: list[tuple[int, int, bool, int, str]] = []
    for order, hint in enumerate(question.hints):
        if hint not in shown:
            ranked.append((0, len(terms(hint) & asked), False, order, hint))
    for order, point in enumerate(question.key_points):
        text = key_point_hint(point.text)
        own = terms(point.text)
        if text in shown or (own and len(own & said) / len(own) >= COVERED_FRACTION):
            continue
        aimed = point.criterion is not None and point.criterion == follow_up.criterion
        ranked.append((1, len(own & asked), aimed, order, text))
    fitting = [r for r in ranked if r[1] > 0 or r[2]]
    if not fitting:
        return question_hint(question, turns)
    return min(fitting, key=lambda r: (r[0], -r[1], not r[2], r[3]))[4]
