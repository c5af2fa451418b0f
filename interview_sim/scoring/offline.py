"""The default grader: rubric scoring with no network, no API key and no randomness.

Pipeline: split the answer into sentences (keeping their exact spans), drop sentences that talk
to the grader, drop repeats, match the bank's weighted key points, find asserted or refuted
misconceptions, read the stage's signals, then scale every criterion by the substance guards.
Levels are rounded from continuous estimates; the continuous score is kept for benchmarks and
the batch ``grade`` command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from textwrap import shorten

from interview_sim.grading import QuestionContext
from interview_sim.models import (
    AnyQuestion,
    BehavioralQuestion,
    CodingQuestion,
    CriterionScore,
    Grade,
    KeyPoint,
    MlDepthQuestion,
    Rubric,
    SystemDesignQuestion,
    TurnKind,
)
from interview_sim.scoring import claims, guards, stages
from interview_sim.scoring.claims import ClaimAnalysis
from interview_sim.scoring.directives import split_directives
from interview_sim.scoring.guards import Substance, function_word_share, unique_sentences
from interview_sim.scoring.misconceptions import find_statements
from interview_sim.scoring.neighbours import QuestionProfiles
from interview_sim.scoring.semantic import SemanticModel
from interview_sim.scoring.signals import communication
from interview_sim.scoring.stages import Estimate, Signals
from interview_sim.scoring.story import read_story
from interview_sim.scoring.text import Sentence, split_sentences, terms, unwrap, words

FIT_COVERAGE = 0.35
"""A clause covering a story's point or signal this well shows the story fits the question."""

BASE_VERSION = "2.4"
KEYWORD_LIST_CAP = 1.0
"""A bare list of terms, or jargon strung into sentences, explains nothing: explanation criteria
are capped at this level."""
PROMPT_EXCERPT = 80
"""Characters of the other question's prompt quoted when an answer reads as an answer to it."""
OFF_TOPIC_CAP = 1.0
"""An answer to a different question earns at most this level on any criterion."""
_EXPLANATION_CRITERIA = frozenset(
    {"depth", "practical_judgement", "clarity", "communication", "star_structure", "trade_offs"}
)
EXPLAINED_MODEL_WORDS = 50
"""Explanation is expected where the model answer itself explains: a one-line reference
definition asks for the definition, not for why."""
LIMITS = (
    "Offline scorer: checks coverage of the bank's key points and consistency with it "
    "(reversed or denied claims, known misconceptions); subtle factual errors, and claims the "
    "bank does not mention, need the LLM judge."
)
"""What the offline scorer cannot judge, said on every scorecard it produces."""


@dataclass(frozen=True)
class Assessment:
    """A grade plus the continuous score (0..1) it was rounded from."""

    grade: Grade
    score: float


class OfflineRubricScorer:
    """Deterministic rubric grading from key points, misconceptions and stage signals."""

    name = "offline-rubric"

    def __init__(
        self, semantic: SemanticModel | None = None, profiles: QuestionProfiles | None = None
    ) -> None:
        """``semantic`` defaults to the packaged embedding model, loaded on first grade.
        ``profiles`` (the bank's questions) let an answer to another banked question be told
        from an answer to this one; without them that check is off."""
        self.semantic = semantic if semantic is not None else SemanticModel()
        self.profiles = profiles
        self.version = self._version()

    def _version(self) -> str:
        """The base version plus what matched meaning: ``1.0+static-0.1.1`` or ``1.0+lexical``."""
        return f"{BASE_VERSION}+{self.semantic.label}"

    def grade(self, ctx: QuestionContext) -> Grade:
        return self.assess(ctx).grade

    def assess(self, ctx: QuestionContext) -> Assessment:
        question, rubric = ctx.question, ctx.rubric
        answer = "\n".join(t.text for t in ctx.turns if t.kind == TurnKind.ANSWER)
        submissions = [t.text for t in ctx.turns if t.kind == TurnKind.CODE_RUN]
        code = submissions[-1] if submissions else ""
        all_sentences, directives = split_directives(split_sentences(answer))
        sentences = unique_sentences(all_sentences)
        question_terms = terms(question.prompt)
        points = _points(question)
        point_terms = terms(" ".join(t for p in points for t in (p.text, *p.alternatives)))
        topic = question_terms | terms(question.model_answer) | point_terms
        model_words = words(question.model_answer)
        explains = len(model_words) >= EXPLAINED_MODEL_WORDS
        analysis = claims.analyse(
            points,
            sentences,
            question.prompt,
            question.model_answer,
            topic,
            self.semantic,
            explanation_matters=not isinstance(question, BehavioralQuestion) and explains,
        )
        substance = guards.assess(
            all_sentences,
            sentences,
            analysis,
            len(model_words),
            function_word_share(model_words),
            measured=ctx.code_outcome is not None,
            story=isinstance(question, BehavioralQuestion),
        )
        self._check_fit(question, sentences, substance)
        statements = list(question.misconceptions)
        if isinstance(question, SystemDesignQuestion):
            statements += question.red_flags
        kept = {c.sentence_index for c in analysis.clauses}
        content = [s for i, s in enumerate(sentences) if i in kept]
        story = (
            read_story(question, analysis.clauses, analysis.evidence(FIT_COVERAGE))
            if isinstance(question, BehavioralQuestion)
            else None
        )
        signals = Signals(
            sentences=content,
            clauses=analysis.clauses,
            matches=analysis.matches,
            statements=find_statements(
                statements, analysis.clauses, question_terms, question_terms | point_terms
            ),
            communication=communication(content, _answer_minutes(ctx)),
            code=code,
            code_outcome=ctx.code_outcome,
            story=story,
            expects_explanation=explains,
            turns=ctx.turns,
        )
        self.version = self._version()
        estimates = _estimate(question, signals)
        wrong_claims = stages.apply_wrong_claims(estimates, analysis, signals, rubric)
        scores, continuous = _criterion_scores(rubric, estimates, signals, substance)
        penalty = ctx.hints_used * rubric.hint_penalty
        total = rubric.total(scores, ctx.hints_used)
        confidence = _confidence(analysis, substance, signals, self.semantic, wrong_claims)
        feedback = [
            *substance.reasons,
            *(f'contradicts: {c.claim} ("{c.clause.text}")' for c in analysis.contradictions),
            *signals.communication.feedback(),
        ]
        if self.semantic.unavailable_reason:
            feedback.append(
                f"semantic matching off: {self.semantic.unavailable_reason}; lexical matching only"
            )
        if directives:
            feedback.append(f"{len(directives)} sentence(s) addressed the grader and were ignored")
        grade = Grade(
            question_id=question.id,
            stage=question.stage,
            scores=scores,
            total=round(total, 3),
            hire_signal=rubric.signal_for(total),
            scorer=self.name,
            scorer_version=self.version,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            hints_used=ctx.hints_used,
            flagged=bool(directives),
            feedback=feedback,
            confidence=confidence.value,
            confidence_reasons=confidence.reasons,
            limits=LIMITS,
        )
        return Assessment(grade, round(max(0.0, continuous - penalty) / 4, 4))

    def _check_fit(
        self, question: AnyQuestion, sentences: Sequence[Sentence], substance: Substance
    ) -> None:
        """Gate an articulate answer to another banked question (see ``neighbours``)."""
        if self.profiles is None or substance.off_topic:
            return
        if sum(len(s.words) for s in sentences) < guards.GATE_MIN_WORDS:
            return
        fit = self.profiles.better_fit(question, [t for s in sentences for t in s.stems])
        if fit is not None:
            prompt = shorten(unwrap(fit.prompt), PROMPT_EXCERPT, placeholder=" ...")
            reason = f'reads as an answer to another question ("{prompt}")'
            substance.gate(reason)
            substance.reasons.append(f"{reason}: capped at level {guards.OFF_TOPIC_LEVEL}")


def _points(question: AnyQuestion) -> list[KeyPoint]:
    """The bank's key points; behavioral signals count as half-weight points too."""
    points = list(question.key_points)
    if isinstance(question, BehavioralQuestion):
        points += [KeyPoint(text=s, weight=0.5) for s in question.signals]
    return points


def _estimate(question: AnyQuestion, signals: Signals) -> dict[str, Estimate]:
    if isinstance(question, CodingQuestion):
        return stages.coding(question, signals)
    if isinstance(question, SystemDesignQuestion):
        return stages.system_design(question, signals)
    if isinstance(question, BehavioralQuestion):
        return stages.behavioral(question, signals)
    assert isinstance(question, MlDepthQuestion)
    return stages.ml_depth(question, signals)


def _criterion_scores(
    rubric: Rubric, estimates: dict[str, Estimate], signals: Signals, substance: Substance
) -> tuple[list[CriterionScore], float]:
    """Rounded levels per criterion and the weighted continuous total (0..4)."""
    scores: list[CriterionScore] = []
    weighted = 0.0
    for criterion in rubric.criteria:
        estimate = estimates.get(criterion.id) or signals.coverage(criterion.id)
        value = max(0.0, min(4.0, estimate.value))
        capped = estimate.capped
        if not estimate.measured:
            scaled = value * substance.factor
            if int(scaled + 0.5) < int(value + 0.5) and substance.reasons and not capped:
                capped = substance.reasons[0]  # "short answer (24 words)", not "wrong"
            value = scaled
            if substance.off_topic and value > OFF_TOPIC_CAP:
                value, capped = OFF_TOPIC_CAP, substance.off_topic_reason
        explained = criterion.id in _EXPLANATION_CRITERIA
        if substance.keyword_list and explained and value > KEYWORD_LIST_CAP:
            value, capped = KEYWORD_LIST_CAP, "names terms without explaining them"
        weighted += value * criterion.weight
        level = int(value + 0.5)
        notes = [*estimate.notes, *substance.reasons]
        scores.append(
            CriterionScore(
                criterion=criterion.id,
                level=level,
                evidence=stages.evidence_quotes(estimate.evidence, signals.sentences),
                rationale=f"level {level} ({value:.1f}): " + "; ".join(notes),
                missed=list(dict.fromkeys(estimate.missed)),
                capped=capped,
            )
        )
    return scores, weighted / sum(c.weight for c in rubric.criteria)


def _answer_minutes(ctx: QuestionContext) -> float | None:
    """Time from each question or follow-up to the answer after it, when timings are real."""
    seconds = 0.0
    asked_at = None
    for turn in ctx.turns:
        if turn.role == "interviewer":
            asked_at = turn.created_at
        elif turn.kind == TurnKind.ANSWER and asked_at is not None:
            seconds += (turn.created_at - asked_at).total_seconds()
            asked_at = None
    return seconds / 60 if seconds >= 15 else None


@dataclass(frozen=True)
class Confidence:
    value: float
    reasons: list[str]


def _confidence(
    analysis: ClaimAnalysis,
    substance: Substance,
    signals: Signals,
    semantic: SemanticModel,
    wrong_claims: int,
) -> Confidence:
    """How far to trust this offline grade, 0..1, and why it is not higher.

    Low where the scorer is known to be weak: short answers, points only partly matched (a
    paraphrase the lexicon missed, or a subtle error it cannot see), no embedding model, and
    answers whose claims the bank does not cover.
    """
    value = 0.9
    reasons: list[str] = []
    if signals.communication.words < 40:
        value -= 0.25
        reasons.append("short answer: little to go on")
    partial = [m for m in analysis.matches if 0.25 <= m.coverage < 0.6]
    if analysis.matches and len(partial) / len(analysis.matches) >= 0.4:
        value -= 0.2
        reasons.append("several key points only partly matched: paraphrases may be missed")
    unmatched = [c for c in analysis.clauses if c not in {m.evidence for m in analysis.matches}]
    if (
        analysis.clauses
        and len(unmatched) / len(analysis.clauses) >= 0.7
        and not substance.off_topic
    ):
        value -= 0.15
        reasons.append("most of the answer makes claims the bank does not cover")
    if semantic.unavailable_reason:
        value -= 0.15
        reasons.append("no embedding model: wording matched literally")
    if wrong_claims:
        value -= 0.1
        reasons.append("wrong claims found: check the quoted clauses")
    return Confidence(round(max(0.1, value), 2), reasons)
