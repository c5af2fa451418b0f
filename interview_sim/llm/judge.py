"""The LLM judge: rubric levels with quoted evidence, checked against the answer.

Fallback chain, each step only when the previous one cannot work:

1. ``chat.completions.parse`` with the :class:`Verdict` pydantic model (json_schema).
2. On endpoints that reject json_schema or return unusable structured output: JSON mode,
   validated with the same model, with one repair retry that shows the model its error.
3. The offline scorer (any :class:`Scorer`), whose grade then carries ``fallback_reason``.
   A reply whose evidence is (almost) all invented (``grounding.discredit_reason``) is unusable
   too: its rationales and advice would be shown beside levels it did not earn.

The offline scorer always runs too: its missed key points fill ``missed``, and a criterion
where the two differ by two levels or more is recorded in ``cross_checks`` and flags the grade.
It also bounds the judge: a criterion shows at most one level above the offline scorer's, so an
answer that talks a gullible model into top levels gains at most one level per criterion, and
the cross-check records that the bound applied (``bounded_to``). An answer with sentences
addressed to the grader flags the grade too, as it does the offline scorer's.
"""

from __future__ import annotations

import openai
from openai.types import CompletionUsage
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, Field

from interview_sim.grading import QuestionContext, Scorer
from interview_sim.llm.client import FAULTS, LLMFault, UsageMeter, explain, usage_of
from interview_sim.llm.grounding import Grounded, Haystack, discredit_reason, ground
from interview_sim.llm.prompts import PROMPT_VERSION, render
from interview_sim.models import CriterionScore, CrossCheck, Grade, Rubric, TokenUsage

JUDGE_MAX_TOKENS = 900
DISAGREEMENT = 2
"""Levels apart at which judge and offline scorer are flagged as disagreeing."""
LEAD_OVER_OFFLINE = 1
"""Most levels a criterion may show above the offline scorer's level for it."""


class CriterionVerdict(BaseModel):
    criterion: str
    level: int = Field(ge=0, le=4)
    evidence: list[str]
    rationale: str


class Verdict(BaseModel):
    """What the judge must return; sent to the endpoint as a strict json_schema."""

    criteria: list[CriterionVerdict]
    strong_answer_would_add: list[str]


def check_complete(verdict: Verdict, rubric: Rubric) -> None:
    """Every rubric criterion exactly once; raises ``ValueError`` with what is wrong."""
    wanted = [c.id for c in rubric.criteria]
    given = [c.criterion for c in verdict.criteria]
    problems = []
    if missing := [c for c in wanted if c not in given]:
        problems.append(f"missing criteria {missing}")
    if unknown := [c for c in given if c not in wanted]:
        problems.append(f"unknown criteria {unknown}")
    if len(given) != len(set(given)):
        problems.append("a criterion is graded twice")
    if problems:
        raise ValueError("; ".join(problems))


class LLMJudgeScorer:
    name = "llm-judge"
    version = "2"

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        offline: Scorer,
        *,
        temperature: float = 0.0,
        meter: UsageMeter | None = None,
    ) -> None:
        self._client = client
        self._model = model
        self._offline = offline
        self._temperature = temperature
        self._meter = meter or UsageMeter()
        self._json_schema_works = True
        """Cleared after the endpoint rejects json_schema, so later grades skip that attempt."""

    def grade(self, ctx: QuestionContext) -> Grade:
        """Grade with the LLM; ``usage`` counts every LLM call on this question, follow-ups too."""
        offline = self._offline.grade(ctx)
        try:
            verdict = self._verdict(ctx)
        except FAULTS as exc:
            return self._fallback(ctx, offline, explain(exc))
        haystack = Haystack.of("\n".join(ctx.answers))
        grounded = {v.criterion: ground(v.level, v.evidence, haystack) for v in verdict.criteria}
        if reason := discredit_reason(grounded.values()):
            return self._fallback(ctx, offline, reason)
        usage = self._meter.for_question(ctx.question.id)
        return self._grade_from(ctx, verdict, grounded, haystack, offline, usage)

    def _fallback(self, ctx: QuestionContext, offline: Grade, why: str) -> Grade:
        """The offline grade, saying why the judge's was not used; one home for the wording."""
        reason = f"{why}; graded by the offline scorer ({offline.scorer}) instead"
        usage = self._meter.for_question(ctx.question.id)
        return offline.model_copy(update={"fallback_reason": reason, "usage": usage})

    def _messages(
        self, ctx: QuestionContext, *, json_mode: bool
    ) -> list[ChatCompletionMessageParam]:
        system = render("judge_system.j2", rubric=ctx.rubric, json_mode=json_mode)
        user = render(
            "judge_user.j2",
            question=ctx.question,
            answer="\n\n".join(ctx.answers),
            code_outcome=ctx.code_outcome,
            hints_used=ctx.hints_used,
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _verdict(self, ctx: QuestionContext) -> Verdict:
        if self._json_schema_works:
            try:
                return self._structured(ctx)
            except (openai.BadRequestError, openai.UnprocessableEntityError):
                self._json_schema_works = False
            except ValueError:  # includes pydantic's ValidationError: unusable structured reply
                pass
        return self._json_mode(ctx)

    def _structured(self, ctx: QuestionContext) -> Verdict:
        completion = self._client.chat.completions.parse(
            model=self._model,
            messages=self._messages(ctx, json_mode=False),
            response_format=Verdict,
            temperature=self._temperature,
            max_tokens=JUDGE_MAX_TOKENS,
        )
        self._record(completion.usage, ctx)
        message = completion.choices[0].message
        if message.refusal:
            raise LLMFault("the LLM judge refused to grade this answer")
        if message.parsed is None:
            raise ValueError("structured output was empty")
        check_complete(message.parsed, ctx.rubric)
        return message.parsed

    def _json_mode(self, ctx: QuestionContext) -> Verdict:
        """JSON mode, validated here; one repair retry that shows the model its mistake."""
        messages = self._messages(ctx, json_mode=True)
        content = self._json_reply(messages, ctx)
        try:
            return _validated(content, ctx.rubric)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            messages = [
                *messages,
                {"role": "assistant", "content": content},
                {"role": "user", "content": _repair_prompt(exc, ctx.rubric)},
            ]
        return _validated(self._json_reply(messages, ctx), ctx.rubric)

    def _json_reply(self, messages: list[ChatCompletionMessageParam], ctx: QuestionContext) -> str:
        completion = self._client.chat.completions.create(
            model=self._model,
            messages=messages,
            response_format={"type": "json_object"},
            temperature=self._temperature,
            max_tokens=JUDGE_MAX_TOKENS,
        )
        self._record(completion.usage, ctx)
        choice = completion.choices[0]
        if choice.finish_reason == "length":
            raise openai.LengthFinishReasonError(completion=completion)
        if choice.message.refusal:
            raise LLMFault("the LLM judge refused to grade this answer")
        return choice.message.content or ""

    def _record(self, raw: CompletionUsage | None, ctx: QuestionContext) -> None:
        self._meter.record("judge", self._model, usage_of(raw), ctx.question)

    def _grade_from(
        self,
        ctx: QuestionContext,
        verdict: Verdict,
        grounded_by_id: dict[str, Grounded],
        haystack: Haystack,
        offline: Grade,
        usage: TokenUsage,
    ) -> Grade:
        by_id = {v.criterion: v for v in verdict.criteria}
        offline_by_id = {s.criterion: s for s in offline.scores}
        scores: list[CriterionScore] = []
        cross_checks: list[CrossCheck] = []
        for criterion in ctx.rubric.criteria:
            said = by_id[criterion.id]
            grounded = grounded_by_id[criterion.id]
            offline_score = offline_by_id.get(criterion.id)
            level, note = grounded.level, grounded.note
            if offline_score:
                bound = offline_score.level + LEAD_OVER_OFFLINE
                if level > bound:
                    note += (
                        f" [lowered from {level} to {bound}: at most {LEAD_OVER_OFFLINE} level "
                        f"above the offline scorer's {offline_score.level}]"
                    )
                if abs(offline_score.level - level) >= DISAGREEMENT:
                    cross_checks.append(
                        CrossCheck(
                            criterion=criterion.id,
                            judge_level=level,
                            offline_level=offline_score.level,
                            bounded_to=bound if level > bound else None,
                        )
                    )
                level = min(level, bound)
            scores.append(
                CriterionScore(
                    criterion=criterion.id,
                    level=level,
                    evidence=grounded.evidence,
                    rationale=said.rationale.strip() + note,
                    missed=offline_score.missed if offline_score else [],
                )
            )
        total = ctx.rubric.total(scores, ctx.hints_used)
        feedback = [f for f in verdict.strong_answer_would_add if f.strip()][:3] or [
            m for s in scores for m in s.missed
        ][:3]
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
            model=self._model,
            hints_used=ctx.hints_used,
            flagged=bool(cross_checks) or haystack.directives > 0,
            feedback=feedback,
            prompt_version=PROMPT_VERSION,
            usage=usage,
            cross_checks=cross_checks,
        )


def _validated(content: str, rubric: Rubric) -> Verdict:
    verdict = Verdict.model_validate_json(content)
    check_complete(verdict, rubric)
    return verdict


def _repair_prompt(error: Exception, rubric: Rubric) -> str:
    detail = str(error).splitlines()[0][:300] if str(error) else type(error).__name__
    return render("judge_repair.j2", error=detail, criterion_ids=[c.id for c in rubric.criteria])
