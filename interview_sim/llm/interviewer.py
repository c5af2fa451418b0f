"""The LLM interviewer: conversational follow-ups, streamed, aimed at missing evidence.

A fast offline pass decides *whether* to ask (criteria still below level 3, and the follow-up
limit not reached) and which criterion to aim at; the model only decides *how* to ask. That
keeps the interview bounded and lets the banked follow-up stand in whenever the model fails.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import cast

import openai
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam

from interview_sim.grading import (
    FollowUpDraft,
    FollowUpFault,
    InterviewerPolicy,
    QuestionContext,
    Scorer,
)
from interview_sim.llm.client import FAULTS, Compat, UsageMeter, explain, usage_of
from interview_sim.llm.prompts import bounded_transcript, render
from interview_sim.models import AnyQuestion, Criterion, FollowUp, TurnKind

COVERED_LEVEL = 3
"""A criterion at this offline level or above has enough evidence to stop asking about it."""
CRITERIA_IN_PROMPT = 2
"""Only the criteria being asked about go into the prompt, to keep it compact."""
FOLLOW_UP_MAX_TOKENS = 160
MAX_FOLLOW_UP_CHARS = 500
"""Longer, or without a question mark, and the model is lecturing or echoing its prompt."""


class LLMInterviewerPolicy:
    name = "llm"

    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        offline: Scorer,
        fallback: InterviewerPolicy,
        *,
        temperature: float = 0.3,
        meter: UsageMeter | None = None,
        compat: Compat | None = None,
    ) -> None:
        self._client = client
        self._compat = compat or Compat()
        self._model = model
        self._offline = offline
        self._fallback = fallback
        self._temperature = temperature
        self._meter = meter or UsageMeter()

    def next_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUp | None:
        """Non-streaming use: the whole follow-up at once, the banked one if the model fails."""
        draft = self.draft_follow_up(ctx, limit)
        if draft is None:
            return None
        try:
            text = "".join(draft.chunks).strip()
        except FollowUpFault:
            return draft.fallback
        return FollowUp(text=text, criterion=draft.criterion)

    def draft_follow_up(self, ctx: QuestionContext, limit: int) -> FollowUpDraft | None:
        asked = sum(1 for t in ctx.turns if t.kind == TurnKind.FOLLOW_UP)
        if asked >= limit:
            return None
        lacking = self._lacking(ctx)
        if not lacking:
            return None
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": render("interviewer_system.j2", stage=ctx.rubric.stage)},
            {
                "role": "user",
                "content": render(
                    "interviewer_user.j2",
                    question=ctx.question,
                    criteria=lacking[:CRITERIA_IN_PROMPT],
                    transcript=bounded_transcript(ctx.turns),
                    asked=asked,
                    limit=limit,
                ),
            },
        ]
        return FollowUpDraft(
            criterion=lacking[0].id,
            chunks=self._stream(messages, ctx.question),
            fallback=self._fallback.next_follow_up(ctx, limit),
        )

    def _lacking(self, ctx: QuestionContext) -> list[Criterion]:
        """Criteria below the covered level, weakest first, rubric order breaking ties."""
        levels = {s.criterion: s.level for s in self._offline.grade(ctx).scores}
        weak = [c for c in ctx.rubric.criteria if levels.get(c.id, 0) < COVERED_LEVEL]
        return sorted(weak, key=lambda c: levels.get(c.id, 0))

    def _stream(
        self, messages: list[ChatCompletionMessageParam], question: AnyQuestion
    ) -> Generator[str, None, None]:
        """Text pieces as they arrive; any failure, including an early end, is a FollowUpFault."""
        try:
            created: object = self._compat.call(
                self._client.chat.completions.create,
                model=self._model,
                messages=messages,
                temperature=self._temperature,
                max_tokens=FOLLOW_UP_MAX_TOKENS,
                stream=True,
                stream_options={"include_usage": True},
            )
            stream = cast(openai.Stream[ChatCompletionChunk], created)  # stream=True
        except FAULTS as exc:
            raise FollowUpFault(explain(exc)) from exc
        finish: str | None = None
        written: list[str] = []
        try:
            with stream:
                for chunk in stream:
                    if chunk.usage is not None:
                        self._meter.record(
                            "interviewer", self._model, usage_of(chunk.usage), question
                        )
                    for choice in chunk.choices:
                        if choice.delta.refusal:
                            raise FollowUpFault("the LLM interviewer refused to ask a follow-up")
                        if choice.delta.content:
                            written.append(choice.delta.content)
                            yield choice.delta.content
                        finish = choice.finish_reason or finish
        except openai.APITimeoutError as exc:
            raise FollowUpFault(explain(exc)) from exc
        except openai.APIConnectionError as exc:
            raise FollowUpFault(
                "the LLM stream broke off before the follow-up was finished"
            ) from exc
        except FAULTS as exc:
            raise FollowUpFault(explain(exc)) from exc
        if finish is None:
            raise FollowUpFault("the LLM stream ended before the follow-up was finished")
        if finish == "length":
            raise FollowUpFault("the LLM follow-up was cut off at its token limit")
        text = "".join(written).strip()
        if not text:
            raise FollowUpFault("the LLM returned an empty follow-up")
        if "?" not in text or len(text) > MAX_FOLLOW_UP_CHARS:
            raise FollowUpFault("the LLM reply was not one short question")
