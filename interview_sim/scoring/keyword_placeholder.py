"""PLACEHOLDER scorer: key-point keyword overlap, quoted sentence by sentence.

It exists so the engine runs end to end offline until the real offline scorer lands. It is
deterministic and grounds every level in sentences quoted verbatim from the answer, but it does
not understand language; its name says so in every stored grade.
"""

from __future__ import annotations

import re

from interview_sim.engine.protocols import QuestionContext
from interview_sim.models import CriterionScore, Grade, KeyPoint

_WORD = re.compile(r"[a-z0-9][a-z0-9+\-]*")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "with",
        "what",
        "when",
        "why",
        "you",
        "your",
        "do",
        "does",
        "can",
        "will",
        "would",
    }
)
MIN_SUBSTANTIVE_WORDS = 25


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _sentences(answer: str) -> list[str]:
    return [m.group(0).strip() for m in _SENTENCE.finditer(answer) if m.group(0).strip()]


def _covering_sentence(point: KeyPoint, sentences: list[str]) -> str | None:
    """The first sentence sharing at least half of some phrasing's content words."""
    for phrasing in [point.text, *point.alternatives]:
        wanted = _terms(phrasing)
        if not wanted:
            continue
        for sentence in sentences:
            if len(wanted & _terms(sentence)) * 2 >= len(wanted):
                return sentence
    return None


class PlaceholderKeywordScorer:
    name = "placeholder-keyword"
    version = "0.1"

    def grade(self, ctx: QuestionContext) -> Grade:
        answer = "\n".join(ctx.answers)
        sentences = _sentences(answer)
        words = len(_WORD.findall(answer.lower()))
        question_terms = _terms(ctx.question.prompt)
        answer_terms = _terms(answer)
        scores: list[CriterionScore] = []
        for criterion in ctx.rubric.criteria:
            points = [p for p in ctx.question.key_points if p.criterion == criterion.id] or list(
                ctx.question.key_points
            )
            evidence: list[str] = []
            missed: list[str] = []
            for point in points:
                hit = _covering_sentence(point, sentences)
                if hit is None:
                    missed.append(point.text)
                elif hit not in evidence:
                    evidence.append(hit)
            coverage = (len(points) - len(missed)) / len(points) if points else 0.0
            if not points and answer_terms - question_terms:
                coverage = min(1.0, words / 150)
                evidence = sentences[:1]
            level = round(coverage * 4)
            if words < MIN_SUBSTANTIVE_WORDS:
                level = min(level, 1)
            scores.append(
                CriterionScore(
                    criterion=criterion.id,
                    level=level,
                    evidence=evidence[:3],
                    rationale=f"placeholder: {len(points) - len(missed)}/{len(points)} key points"
                    f" matched by keywords; {words} words",
                    missed=missed,
                )
            )
        weight = sum(c.weight for c in ctx.rubric.criteria)
        total = sum(s.level * ctx.rubric.criterion(s.criterion).weight for s in scores) / weight
        total = max(0.0, total - ctx.hints_used * ctx.rubric.hint_penalty)
        return Grade(
            question_id=ctx.question.id,
            stage=ctx.question.stage,
            scores=scores,
            total=round(total, 3),
            hire_signal=ctx.rubric.signal_for(total),
            scorer=self.name,
            scorer_version=self.version,
            rubric_id=ctx.rubric.id,
            rubric_version=ctx.rubric.version,
            hints_used=ctx.hints_used,
        )
