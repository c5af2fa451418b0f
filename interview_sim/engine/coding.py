"""The coding stage's own rules, kept out of the engine's main loop.

Everything here is a pure function of committed rows (turns and stored code runs), so a session
killed at any point resumes into exactly the same next step.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
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
    """The measured result of the most recent submission, for the scorer."""
    for run in reversed(submissions):
        report = stored_report(run)
        if report is not None:
            return report.outcome()
    return None


def submission_opens_follow_up(turns: list[Turn]) -> bool:
    """After a submission the interviewer speaks next, unless a follow-up is still unanswered."""
    if not turns or turns[-1].kind != TurnKind.CODE_RUN:
        return False
    return pending_follow_up(turns) is None


_BIG_O = re.compile(r"\bO\(\s*([^()]{1,24}?)\s*\)")
_SUPERLINEAR = re.compile(r"\^\s*[2-9]|²|³|n\s*\*\s*n|2\s*\^|n!|\bn\s*m\b|\bn\s*k\b")
_CLAUSE = re.compile(r"[^.;!?\n]+")
_PLANNED = re.compile(
    r"\b(would|could|might|plan|bring|reduce|improve|optimi[sz]e|speed|faster|instead|"
    r"better|ideally|target|aim|get it|down to|goal)\b",
    re.IGNORECASE,
)
"""Words that make a big-O a plan ("I would bring it down to O(n)"), not a claim about the
code that was submitted."""


@dataclass(frozen=True)
class StatedComplexity:
    """What the candidate said about time complexity: of their code, and what they would aim at."""

    current: str | None
    planned: str | None


def stated_complexity(turns: list[Turn]) -> StatedComplexity:
    """The last big-O the candidate gave for their code, and the last one they planned.

    "It is O(n^2) overall. I would bring it down to O(n) with a stack" states O(n^2) for the
    code and plans O(n): the follow-up must not say "you said your solution is O(n)".
    """
    current: str | None = None
    planned: str | None = None
    for turn in turns:
        if turn.kind != TurnKind.ANSWER:
            continue
        for clause in _CLAUSE.finditer(turn.text):
            text = clause.group(0)
            for match in _BIG_O.finditer(text):
                if _PLANNED.search(text[: match.start()]):
                    planned = match.group(1)
                else:
                    current = match.group(1)
    return StatedComplexity(current, planned)


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
        stated = stated_complexity(turns)
        if stated.current is not None and not _SUPERLINEAR.search(stated.current):
            text = (
                f"You said your solution is O({stated.current}), but it was {slow}.{nested}"
                " Where does the extra work come from?"
            )
        elif stated.planned is not None:
            said = f" You estimated O({stated.current})." if stated.current else ""
            text = (
                f"Your solution was {slow}.{nested}{said} Walk me through the O({stated.planned})"
                f" version you mentioned for {question.function}(): what changes in the code?"
            )
        else:
            text = (
                f"Your solution was {slow}.{nested} What is the time complexity of your code,"
                f" and how would you bring it down for {question.function}()?"
            )
        candidates.append(FollowUp(text=text, criterion="complexity"))
    return next((f for f in candidates if f.text not in asked), None)
