"""Gather everything a session report shows into one model the templates read."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from pydantic import BaseModel

from interview_sim.banks import Catalog
from interview_sim.models import CodingQuestion, Grade, SessionSummary, Stage, Turn, TurnStatus
from interview_sim.progress.communication import SessionCommunication, communication
from interview_sim.progress.packet import HiringPacket, build_packet
from interview_sim.progress.weak_areas import criterion_label
from interview_sim.reports.feedback import shown_feedback
from interview_sim.reports.flags import flag_reasons
from interview_sim.reports.segments import Segment, segments


class ReportTurn(BaseModel):
    role: str
    kind: str
    created_at: datetime
    cancelled: bool
    segments: list[Segment]


class ReportQuestion(BaseModel):
    number: int
    stage: Stage
    question_id: str
    title: str
    prompt: str
    turns: list[ReportTurn]
    grade: Grade | None
    not_reached: bool = False
    """Its stage ended before it was shown (``StageResult.not_reached``): not graded, not 0/4."""
    criterion_names: dict[str, str]
    flag_reasons: list[str] = []
    """Why the grade is flagged for review, one sentence per cause (``reports.flags``)."""
    feedback: list[str] = []
    """The grade's feedback as every view shows it (``reports.feedback``)."""
    model_answer: str | None
    reference_solution: str | None


class SessionReport(BaseModel):
    session: SessionSummary
    packet: HiringPacket
    communication: SessionCommunication
    questions: list[ReportQuestion]
    generated_at: datetime


def _turn(turn: Turn) -> ReportTurn:
    return ReportTurn(
        role=turn.role,
        kind=turn.kind.value,
        created_at=turn.created_at,
        cancelled=turn.status == TurnStatus.CANCELLED,
        segments=segments(turn),
    )


def build_session_report(
    summary: SessionSummary,
    grades: list[Grade],
    turns: list[Turn],
    catalog: Catalog,
    *,
    generated_at: datetime,
    mastered: Collection[str] = (),
) -> SessionReport:
    """A report from what the engine already computed (``engine.summary`` gives the stage
    results), so this layer sits below the engine. Questions since removed from the banks still
    appear, with their stored transcript and grade but no model answer. ``mastered`` questions
    (``progress.packet.mastered_questions``) are never suggested as practice."""
    by_question = {g.question_id: g for g in grades}
    unreached = {q for r in summary.results for q in r.not_reached}
    questions = []
    for number, planned in enumerate(summary.plan, start=1):
        question = catalog.questions.get(planned.question_id)
        own = [t for t in turns if t.question_id == planned.question_id]
        grade = by_question.get(planned.question_id)
        names = {
            s.criterion: criterion_label(catalog, planned.stage, s.criterion)
            for s in (grade.scores if grade else [])
        }
        questions.append(
            ReportQuestion(
                number=number,
                stage=planned.stage,
                question_id=planned.question_id,
                title=question.title if question else planned.question_id,
                prompt=question.prompt.strip() if question else (own[0].text if own else ""),
                turns=[_turn(t) for t in own if t.kind != "question"],
                grade=grade,
                not_reached=grade is None and planned.question_id in unreached,
                criterion_names=names,
                flag_reasons=flag_reasons(grade, own, names) if grade else [],
                feedback=shown_feedback(grade) if grade else [],
                model_answer=question.model_answer.strip() if question else None,
                reference_solution=(
                    question.reference_solution.strip("\n")
                    if isinstance(question, CodingQuestion)
                    else None
                ),
            )
        )
    return SessionReport(
        session=summary,
        packet=build_packet(summary, grades, catalog, mastered=mastered),
        communication=communication(turns),
        questions=questions,
        generated_at=generated_at,
    )
