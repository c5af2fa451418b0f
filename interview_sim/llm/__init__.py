"""The optional LLM interviewer and judge, reached through any OpenAI-compatible endpoint.

Nothing here is required: without an endpoint the offline policy and scorer run, and with one
every failure falls back to them visibly (see ``engine.engine`` for the streaming contract).
"""

from __future__ import annotations

from dataclasses import dataclass

from interview_sim.config import LLMSettings
from interview_sim.engine.protocols import InterviewerPolicy, Scorer
from interview_sim.llm.client import LLMFault, UsageMeter, llm_configured, make_client
from interview_sim.llm.interviewer import LLMInterviewerPolicy
from interview_sim.llm.judge import LLMJudgeScorer


@dataclass(frozen=True)
class LLMComponents:
    interviewer: LLMInterviewerPolicy
    judge: LLMJudgeScorer
    meter: UsageMeter


def build_llm(settings: LLMSettings, offline: Scorer, banked: InterviewerPolicy) -> LLMComponents:
    """One client and one token meter shared by the interviewer and the judge."""
    client = make_client(settings)
    meter = UsageMeter()
    interviewer = LLMInterviewerPolicy(
        client,
        settings.interviewer_model or settings.model,
        offline,
        banked,
        temperature=settings.temperature,
        meter=meter,
    )
    judge = LLMJudgeScorer(client, settings.judge_model or settings.model, offline, meter=meter)
    return LLMComponents(interviewer, judge, meter)


__all__ = [
    "LLMComponents",
    "LLMFault",
    "LLMInterviewerPolicy",
    "LLMJudgeScorer",
    "UsageMeter",
    "build_llm",
    "llm_configured",
]
