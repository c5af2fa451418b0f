"""The coding stage's own rules, kept out of the engine's main loop.

Everything here is a pure function of committed rows (turns and stored code runs), so a session
killed at any point resumes into exactly the same next step.
"""

from __future__ import annotations

import threading
from typing import Protocol

from pydantic import ValidationError

from interview_sim.models import (
    CodeOutcome,
    CodeRunRecord,
    CodingQuestion,
    FollowUp,
    Turn,
    TurnKind,
    pending_follow_up,
)
from interview_sim.sandbox import RunReport, RunRequest
from interview_sim.sandbox.models import describe_case
from interview_sim.scoring.complexity_claims import claims_fast, stated_complexity


class CodeRunner(Protocol):
    """Runs a request in the sandbox; the engine takes one so tests and the TUI can choose it."""

    def __call__(self, request: RunRequest, *, cancel: threading.Event | None = None) -> RunReport:
        """Setting ``cancel`` stops the run (raising ``RunCancelled``)."""


def stored_report(run: CodeRunRecord) -> RunReport | None:
    """The report of a stored run, or None if it was written by an incompatible version."""
    try:
        return RunReport.model_validate(run.report)
    except ValidationError:
        return None


def latest_outcome(submissions: list[CodeRunRecord]) -> CodeOutcome | None:
    """The measured result of the most recent submission, for the scorer, with every
    submission's own outcome in order (``CodeOutcome.submissions``) when all of them can be
    read, so the scorer holds what was said after each one against its own measurement."""
    reports = [stored_report(run) for run in submissions]
    readable = [r for r in reports if r is not None]
    if not readable:
        return None
    latest = readable[-1].outcome()
    if len(readable) < len(reports):
        return latest
    return latest.model_copy(update={"submissions": tuple(r.outcome() for r in readable)})


def submission_opens_follow_up(turns: list[Turn]) -> bool:
    """After a submission the interviewer speaks next, unless a follow-up is still unanswered."""
    if not turns or turns[-1].kind != TurnKind.CODE_RUN:
        return False
    return pending_follow_up(turns) is None


def measured_follow_up(
    question: CodingQuestion, report: RunReport, turns: list[Turn], limit: int
) -> FollowUp | None:
    """A follow-up about what the tests measured: the failed edge case, a too-slow solution,
    or a stated complexity the performance test contradicts.

    Asked once per distinct text and within the follow-up limit; when nothing measured needs
    discussing, the interviewer policy picks the next (banked or LLM) follow-up instead.
    """
    asked = [t.text for t in turns if t.kind == TurnKind.FOLLOW_UP]
    if len(asked) >= limit:
        return None
    candidates: list[FollowUp] = []
    failure = report.first_failure()
    if report.status == "syntax_error":
        candidates.append(
            FollowUp(
                text=f"Your submission did not parse: {report.summary()}. What would you change?",
                criterion="correctness",
            )
        )
    elif failure is not None:
        candidates.append(
            FollowUp(
                text=f"Your code did not pass the hidden test '{failure.name}':"
                f" {describe_case(failure)}. Why does that case fail, and how would you test"
                " for cases like it?",
                criterion="correctness",
            )
        )
    if report.performance is not None and report.performance.verdict == "too_slow":
        slow = report.performance.message.split(":")[0]
        nested = (
            f" Your code nests loops {report.static.max_loop_depth} deep."
            if report.static.max_loop_depth >= 2
            else ""
        )
        stated = stated_complexity(t.text for t in turns if t.kind == TurnKind.ANSWER)
        current, planned = stated.current, stated.planned
        if current is not None and claims_fast(current):
            text = (
                f"You said your solution is {current.quoted}, but it was {slow}.{nested}"
                " Where does the extra work come from?"
            )
        elif planned is not None:
            said = f" You estimated {current.quoted}." if current else ""
            text = (
                f"Your solution was {slow}.{nested}{said} Walk me through the {planned.quoted}"
                f" version you mentioned for {question.function}(): what changes in the code?"
            )
        elif current is not None:
            text = (
                f"Your solution was {slow}.{nested} You estimated {current.quoted}: how would"
                f" you bring it down for {question.function}()?"
            )
        else:
            text = (
                f"Your solution was {slow}.{nested} What is the time complexity of your code,"
                f" and how would you bring it down for {question.function}()?"
            )
        candidates.append(FollowUp(text=text, criterion="complexity"))
    return next((f for f in candidates if f.text not in asked), None)
