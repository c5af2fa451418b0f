"""Markdown for scorecards and the loop summary, from jinja2 templates in ``tui/templates``."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from interview_sim.banks import Catalog
from interview_sim.models import Grade, SessionSummary, Turn
from interview_sim.progress.communication import communication
from interview_sim.progress.packet import build_packet
from interview_sim.reports.feedback import shown_feedback
from interview_sim.reports.flags import flag_reasons
from interview_sim.templating import template_environment
from interview_sim.tui.present import STAGE_LABELS, signal_label

_ENV = template_environment("tui/templates")
_ENV.globals.update(stage_label=STAGE_LABELS.__getitem__, signal_label=signal_label)


def _criteria(grade: Grade, catalog: Catalog) -> list[dict[str, object]]:
    rubric = catalog.rubrics.get(grade.rubric_id)
    disagreements = {c.criterion: c for c in grade.cross_checks}
    rows: list[dict[str, object]] = []
    for score in grade.scores:
        criterion = rubric.criterion(score.criterion) if rubric else None
        rows.append(
            {
                "name": criterion.name if criterion else score.criterion,
                "level": score.level,
                "anchor": criterion.levels[score.level] if criterion else "",
                "capped": score.capped,
                "evidence": score.evidence,
                "missed": score.missed,
                "cross_check": disagreements.get(score.criterion),
            }
        )
    return rows


def scorecard_markdown(
    grades: Sequence[Grade], catalog: Catalog, turns: Sequence[Turn], *, reveal: bool
) -> str:
    """One section per graded question; model answers only when the user asks for them."""
    cards = []
    for grade in grades:
        question = catalog.questions.get(grade.question_id)
        own = [t for t in turns if t.question_id == grade.question_id]
        criteria = _criteria(grade, catalog)
        names = {s.criterion: str(c["name"]) for s, c in zip(grade.scores, criteria, strict=True)}
        cards.append(
            {
                "grade": grade,
                "title": question.title if question else grade.question_id,
                "criteria": criteria,
                "flag_reasons": flag_reasons(grade, own, names),
                "feedback": shown_feedback(grade),
                "talk": communication(own).overall,
                "model_answer": question.model_answer if question else "",
            }
        )
    return _ENV.get_template("scorecard.md.j2").render(cards=cards, reveal=reveal)


def summary_markdown(
    summary: SessionSummary,
    catalog: Catalog,
    *,
    drill_key: bool,
    mastered: Collection[str] = (),
) -> str:
    """The hiring-committee packet: per-stage signals, the overall call, strengths and gaps.

    ``summary`` must carry its stage results (``InterviewEngine.summary``); ``mastered``
    questions (``progress.packet.mastered_questions``) are never suggested as practice.
    """
    grades = [g for r in summary.results for g in r.grades]
    packet = build_packet(summary, grades, catalog, mastered=mastered)
    titles = {  # each strength and gap names the question it comes from
        item.question_id: question.title
        for item in (*packet.strengths, *packet.gaps)
        if (question := catalog.questions.get(item.question_id)) is not None
    }
    return _ENV.get_template("summary.md.j2").render(
        summary=summary, packet=packet, drill_key=drill_key, titles=titles
    )
