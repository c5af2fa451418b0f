"""Reference-answer mode: grade an ad-hoc question from its reference answer alone.

With no banked key points, each sentence of the reference answer (each clause, for a long
sentence) becomes a key point weighted by how many content terms it carries, and the question
is graded by the same machinery as a banked ML-depth question. This is how users grade their own
questions and how agreement with human graders is measured.
"""

from __future__ import annotations

import re

from interview_sim.models import KeyPoint, MlDepthQuestion
from interview_sim.scoring.text import split_sentences, terms, unwrap

LONG_SENTENCE_TERMS = 12
"""A reference sentence with more content terms than this is split into clauses."""
_CLAUSE = re.compile(r"\s*(?:;|,\s*(?:and|but|while|which|so)\b|\s\band\b(?=\s+\w+\s+\w+))\s*")
ADHOC_ID = "adhoc"


def derive_key_points(reference_answer: str) -> list[KeyPoint]:
    """One point per reference sentence or clause, weighted by its share of content terms."""
    pieces: list[str] = []
    for sentence in split_sentences(unwrap(reference_answer)):
        if len(sentence.terms) > LONG_SENTENCE_TERMS:
            pieces.extend(p for p in _CLAUSE.split(sentence.text) if p and p.strip())
        else:
            pieces.append(sentence.text)
    points = []
    for piece in pieces:
        count = len(terms(piece))
        if count:
            points.append(KeyPoint(text=piece.strip(), weight=min(3.0, 0.5 + count / 4)))
    return points


def reference_question(
    question: str,
    reference_answer: str,
    key_points: list[str] | None = None,
    rubric: str = "ml_depth",
) -> MlDepthQuestion:
    """An ad-hoc question whose key points come from ``key_points`` or the reference answer."""
    given = [KeyPoint(text=p.strip()) for p in key_points or [] if p.strip()]
    points = given or derive_key_points(reference_answer)
    return MlDepthQuestion(
        id=ADHOC_ID,
        title=question[:80] or "ad-hoc question",
        prompt=question,
        model_answer=reference_answer,
        rubric=rubric,
        key_points=points,
    )
