"""Why a grade is flagged for review, in plain words: one home for the scorecard and reports.

A grade is flagged for different reasons: the LLM judge and the offline scorer disagree on a
criterion (``cross_checks``), or the answer had sentences addressed to the grader, which both
graders give no credit (``scoring.directives``). A single "the graders disagreed" line
was wrong for the second, above all on an offline grade where only one grader ran. A grade
stores ``flagged`` but not why, so the reasons are read back from what it does keep: its
cross-checks, and the answer's grader-addressed sentences found by the rule's own detector.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from interview_sim.models import Grade, Turn, TurnKind
from interview_sim.scoring.directives import split_directives
from interview_sim.scoring.text import split_sentences

UNKNOWN_REASON = "the grader flagged this answer for review"
"""Said for a flag none of the known causes explains (a grade stored by another version)."""


def flag_reasons(
    grade: Grade, turns: Sequence[Turn], names: Mapping[str, str] | None = None
) -> list[str]:
    """One sentence per cause of ``grade.flagged`` (none when it is not flagged).

    ``turns`` may hold the whole session: only this question's answers are read, as the
    graders read them. ``names`` maps criterion ids to the names shown beside them.
    """
    if not grade.flagged:
        return []
    names = names or {}
    reasons = []
    if grade.cross_checks:
        gaps = ", ".join(
            f"{names.get(c.criterion, c.criterion)} (LLM judge {c.judge_level}/4, offline scorer "
            f"{c.offline_level}/4)"
            for c in grade.cross_checks
        )
        reasons.append(f"the LLM judge and the offline scorer disagree on {gaps}")
    answer = "\n".join(
        t.text for t in turns if t.question_id == grade.question_id and t.kind == TurnKind.ANSWER
    )
    _, directives = split_directives(split_sentences(answer))
    if directives:
        count = len(directives)
        sentences = f"{count} sentence{'s' if count != 1 else ''}"
        reasons.append(f"the answer has {sentences} addressed to the grader; they earn no credit")
    return reasons or [UNKNOWN_REASON]
