"""Build the LLM interviewer and judge from settings, sharing one client and token meter."""

from __future__ import annotations

from dataclasses import dataclass

from interview_sim.config import LLMSettings
from interview_sim.grading import InterviewerPolicy, Scorer
from interview_sim.llm.client import Compat, UsageMeter, make_client
from interview_sim.llm.interviewer import LLMInterviewerPolicy
from interview_sim.llm.judge import LLMJudgeScorer


@dataclass(frozen=True)
class LLMComponents:
    interviewer: LLMInterviewerPolicy
    judge: LLMJudgeScorer
    meter: UsageMeter


def build_llm(settings: LLMSettings, offline: Scorer, banked: InterviewerPolicy) -> LLMComponents:
    """One client, one token meter and one record of refused request fields, shared by the
    interviewer and the judge."""
    client = make_client(settings)
    meter = UsageMeter()
    compat = Compat()
    interviewer = LLMInterviewerPolicy(
        client,
        settings.interviewer_model or settings.model,
        offline,
        banked,
        temperature=settings.temperature,
        meter=meter,
        compat=compat,
    )
    judge = LLMJudgeScorer(
        client, settings.judge_model or settings.model, offline, meter=meter, compat=compat
    )
    return LLMComponents(interviewer, judge, meter)
