"""The LLM judge: rubric levels with quoted evidence, checked against the answer.

Fallback chain, each step only when the previous one cannot work:

1. The :class:`Verdict` model as a strict json_schema. Every reply is read the same lenient
   way (``verdicts.read_verdict``: fences, prose and ``<think>`` blocks around the JSON, names
   in another case), since many servers accept the schema and then ignore it.
2. On endpoints that reject json_schema or return an unusable reply: JSON mode (or, where that
   is rejected too, the prompt alone asking for JSON), validated with the same model, with one
   repair retry that shows the model its error.
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

from typing import Any

import openai
from openai.lib._parsing import type_to_response_format_param
from openai.types import CompletionUsage
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam

from interview_sim.grading import QuestionContext, Scorer
from interview_sim.llm.client import FAULTS, Compat, LLMFault, UsageMeter, explain, usage_of
from interview_sim.llm.grounding import Grounded, Haystack, discredit_reason, ground
from interview_sim.llm.prompts import PROMPT_VERSION, render
from interview_sim.llm.replies import (
    ReasoningCutOff,
    answer_text,
    first_message,
    printable,
    without_reasoning,
)
from interview_sim.llm.verdicts import Verdict as Verdict
from interview_sim.llm.verdicts import problem, read_verdict
from interview_sim.models import CriterionScore, CrossCheck, Grade, Rubric, TokenUsage

JUDGE_MAX_TOKENS = 900
DISAGREEMENT = 2
"""Levels apart at which judge and offline scorer are flagged as disagreeing."""
LEAD_OVER_OFFLINE = 1
"""Most levels a criterion may show above the offline scorer's level for it."""
SCHEMA_FORMAT = type_to_response_format_param(Verdict)
"""The strict json_schema ``chat.completions.parse`` would send. The judge sends it with
``create`` and reads the reply itself (``verdicts.read_verdict``): a server that ignores the
schema and wraps the JSON in prose or fences still gives a usable grade from the first call."""


class UnusableReply(ValueError):
    """A reply came back but holds no answer to read (empty, or only reasoning): worth one
    repair retry like a malformed one."""


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
        compat: Compat | None = None,
    ) -> None:
        self._client = client
        self._compat = compat or Compat()
        self._model = model
        self._offline = offline
        self._temperature = temperature
        self._meter = meter or UsageMeter()
        self._json_schema_works = True
        """Cleared after the endpoint rejects json_schema, so later grades skip that attempt."""
        self._json_object_works = True
        """Cleared after the endpoint rejects JSON mode too: then the prompt alone asks for JSON
        (llama.cpp builds and gateways that know neither response format)."""

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
        content = self._reply(self._messages(ctx, json_mode=False), ctx, SCHEMA_FORMAT)
        return read_verdict(content, ctx.rubric)

    def _json_mode(self, ctx: QuestionContext) -> Verdict:
        """JSON mode, validated here; one repair retry that shows the model its mistake."""
        messages = self._messages(ctx, json_mode=True)
        content = ""
        try:
            content = self._json_reply(messages, ctx)
            return read_verdict(content, ctx.rubric)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            shown: list[ChatCompletionMessageParam] = (
                [{"role": "assistant", "content": content}] if content else []
            )
            messages = [
                *messages,
                *shown,
                {"role": "user", "content": _repair_prompt(exc, ctx.rubric)},
            ]
        try:
            return read_verdict(self._json_reply(messages, ctx), ctx.rubric)
        except UnusableReply as exc:
            raise LLMFault(str(exc)) from exc
        except ValueError as exc:
            raise LLMFault(
                f"the LLM reply was not valid JSON in the expected shape ({problem(exc)})"
            ) from exc

    def _json_reply(self, messages: list[ChatCompletionMessageParam], ctx: QuestionContext) -> str:
        """JSON mode where the endpoint has it; where it rejects it, the prompt alone asks."""
        if self._json_object_works:
            try:
                return self._reply(messages, ctx, {"type": "json_object"})
            except (openai.BadRequestError, openai.UnprocessableEntityError):
                self._json_object_works = False
        return self._reply(messages, ctx, None)

    def _reply(
        self,
        messages: list[ChatCompletionMessageParam],
        ctx: QuestionContext,
        response_format: Any,
    ) -> str:
        """The text of one reply; ``UnusableReply`` when it holds none."""
        extra: dict[str, Any] = {"response_format": response_format} if response_format else {}
        completion = self._compat.call(
            self._client.chat.completions.create,
            model=self._model,
            messages=messages,
            temperature=self._temperature,
            max_tokens=JUDGE_MAX_TOKENS,
            **extra,
        )
        if isinstance(completion, ChatCompletion):
            self._record(completion.usage, ctx)
        try:
            message = first_message(completion)
        except ReasoningCutOff as exc:  # the next attempt gets room to reason
            self._compat.make_room_to_reason()
            raise UnusableReply(f"{exc}; the retry allowed it more tokens") from exc
        if message.refusal:
            raise LLMFault("the LLM judge refused to grade this answer")
        try:
            return answer_text(message)
        except LLMFault as exc:
            raise UnusableReply(str(exc)) from exc

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
                    rationale=_shown(said.rationale) + note,
                    missed=offline_score.missed if offline_score else [],
                )
            )
        total = ctx.rubric.total(scores, ctx.hints_used)
        feedback = [_shown(f) for f in verdict.strong_answer_would_add if _shown(f)][:3] or [
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


def _shown(text: str) -> str:
    """The judge's own words as the scorecard may show them: no reasoning, escape codes or
    tags."""
    return printable(without_reasoning(text)).strip()


def _repair_prompt(error: Exception, rubric: Rubric) -> str:
    return render(
        "judge_repair.j2", error=problem(error), criterion_ids=[c.id for c in rubric.criteria]
    )
