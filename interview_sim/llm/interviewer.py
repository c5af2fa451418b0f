"""The LLM interviewer: conversational follow-ups, streamed, aimed at missing evidence.

A fast offline pass decides *whether* to ask (criteria still below level 3, and the follow-up
limit not reached) and which criterion to aim at; the model only decides *how* to ask. That
keeps the interview bounded and lets the banked follow-up stand in whenever the model fails.
"""

from __future__ import annotations

import time
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
from interview_sim.llm.follow_ups import MAX_FOLLOW_UP_CHARS, VisibleText, problem
from interview_sim.llm.prompts import bounded_transcript, render
from interview_sim.llm.replies import REASONING_FIELDS, stream_chunks, text_of
from interview_sim.models import AnyQuestion, Criterion, FollowUp, TurnKind

DEFAULT_STREAM_SECONDS = 600.0
"""How long a follow-up may stream when the client has no timeout (it always has one)."""
COVERED_LEVEL = 3
"""A criterion at this offline level or above has enough evidence to stop asking about it."""
CRITERIA_IN_PROMPT = 2
"""Only the criteria being asked about go into the prompt, to keep it compact."""
FOLLOW_UP_MAX_TOKENS = 160


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
            chunks=self._stream(messages, ctx.question, _already_asked(ctx)),
            fallback=self._fallback.next_follow_up(ctx, limit),
        )

    def _lacking(self, ctx: QuestionContext) -> list[Criterion]:
        """Criteria below the covered level, weakest first, rubric order breaking ties."""
        levels = {s.criterion: s.level for s in self._offline.grade(ctx).scores}
        weak = [c for c in ctx.rubric.criteria if levels.get(c.id, 0) < COVERED_LEVEL]
        return sorted(weak, key=lambda c: levels.get(c.id, 0))

    def _stream(
        self,
        messages: list[ChatCompletionMessageParam],
        question: AnyQuestion,
        already_asked: list[str],
    ) -> Generator[str, None, None]:
        """Cleaned text pieces as they arrive (``follow_ups.VisibleText``); any failure,
        including an early end, a stream running past the timeout or a reply that is not a new
        short question, is a FollowUpFault."""
        seconds = _seconds(self._client.timeout)
        deadline = time.monotonic() + seconds
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
        visible = VisibleText()
        written: list[str] = []
        reasoned = called = too_long = False
        try:
            with stream:
                for chunk in stream_chunks(stream):
                    if chunk.usage is not None:
                        self._meter.record(
                            "interviewer", self._model, usage_of(chunk.usage), question
                        )
                    for choice in (chunk.choices or [])[:1]:  # keep-alives have none
                        finish = choice.finish_reason or finish
                        delta = choice.delta
                        if delta is None:
                            continue
                        if delta.refusal:
                            raise FollowUpFault("the LLM interviewer refused to ask a follow-up")
                        reasoned = reasoned or _has_reasoning(delta.model_extra)
                        called = called or bool(delta.tool_calls)
                        if too_long:
                            continue  # read on unseen, for the usage the last chunk carries
                        if shown := visible.feed(text_of(delta.content)):
                            written.append(shown)
                            yield shown
                    too_long = too_long or sum(map(len, written)) > MAX_FOLLOW_UP_CHARS
                    if time.monotonic() > deadline:
                        if too_long:
                            break
                        raise FollowUpFault(
                            f"the LLM stream timed out: it ran past the {seconds:g}s timeout"
                        )
        except openai.APITimeoutError as exc:
            raise FollowUpFault(explain(exc)) from exc
        except openai.APIConnectionError as exc:
            raise FollowUpFault(
                "the LLM stream broke off before the follow-up was finished"
            ) from exc
        except FollowUpFault:
            raise
        except openai.APIStatusError as exc:
            raise FollowUpFault(explain(exc)) from exc
        except openai.APIError as exc:  # an error event inside the stream
            raise FollowUpFault(
                "the LLM endpoint sent an error in the middle of the stream"
            ) from exc
        except ValueError as exc:  # a line of the stream that is not JSON
            raise FollowUpFault("the LLM stream sent a line that is not valid JSON") from exc
        except FAULTS as exc:
            raise FollowUpFault(explain(exc)) from exc
        if too_long:
            # Nothing past the cap is shown; the rest was read (within the timeout) only so the
            # tokens it cost are metered, as for any other reply.
            raise FollowUpFault(
                f"the LLM reply was not one short question (over {MAX_FOLLOW_UP_CHARS} characters)"
            )
        if rest := visible.flush():
            written.append(rest)
            yield rest
        text = "".join(written).strip()
        thought = reasoned or visible.thought
        if finish is None:
            raise FollowUpFault("the LLM stream ended before the follow-up was finished")
        if finish == "length":
            if not text and thought:
                self._compat.make_room_to_reason()
                raise FollowUpFault(
                    "the LLM spent its token limit reasoning before writing a follow-up;"
                    " the next one gets more room"
                )
            raise FollowUpFault("the LLM follow-up was cut off at its token limit")
        if not text and called:
            raise FollowUpFault("the LLM replied with a tool call instead of a follow-up")
        if not text and thought:
            raise FollowUpFault("the LLM wrote only its reasoning and no follow-up")
        if why := problem(text, already_asked):
            raise FollowUpFault(why)


def _already_asked(ctx: QuestionContext) -> list[str]:
    """The question and the follow-ups so far: a follow-up repeating one asks nothing new."""
    asked = [t.text for t in ctx.turns if t.kind == TurnKind.FOLLOW_UP]
    return [ctx.question.prompt, *asked]


def _has_reasoning(extra: dict[str, object] | None) -> bool:
    return any(isinstance((extra or {}).get(f), str) for f in REASONING_FIELDS)


def _seconds(timeout: object) -> float:
    """The client's timeout in seconds, whatever form it was given in (a number, or an
    ``httpx`` timeout whose read timeout bounds a stream)."""
    if isinstance(timeout, int | float):
        return float(timeout)
    read = getattr(timeout, "read", None)
    return float(read) if isinstance(read, int | float) else DEFAULT_STREAM_SECONDS
