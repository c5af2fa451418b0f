"""One phase-coverage rule for the design panel and the scorer, and it reads ordinary wording.

Issue 14 item 9: the side panel missed "Trade-offs:", "monitor", "retrain" and "deployed as a
microservice", and the panel (``tui/present.py``) and the scorer (``scoring/signals.py``)
disagreed. The panel now calls the scorer's ``phase_coverage``; these tests check the wording
is read, and that a phase the panel ticks is one whose sentence the grade cites.
"""

from __future__ import annotations

import pytest

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.models import PlannedQuestion, SessionMode, Stage, SystemDesignQuestion
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.signals import PHASE_COVERED, phase_coverage
from interview_sim.scoring.text import split_sentences
from interview_sim.store import Repository
from interview_sim.tui.present import covered_phases

ORDINARY = {
    "serving": "The model is deployed as a microservice behind the gateway.",
    "monitoring": "We monitor the error rate every hour.",
    "training": "We retrain it every week.",
    "trade_offs": "Trade-offs: a larger model costs more per request.",
}


def _designs(catalog: Catalog) -> list[SystemDesignQuestion]:
    return [q for q in catalog.by_stage(Stage.SYSTEM_DESIGN) if isinstance(q, SystemDesignQuestion)]


@pytest.mark.parametrize(("phase", "sentence"), ORDINARY.items())
def test_ordinary_wording_addresses_its_phase(catalog: Catalog, phase: str, sentence: str) -> None:
    for question in _designs(catalog):
        if phase not in question.phases:
            continue
        assert covered_phases(question, [sentence])[phase], (question.id, sentence)
        shares = phase_coverage(question.phases, split_sentences(sentence)).covered
        assert shares[phase] >= PHASE_COVERED


def test_nothing_said_about_design_ticks_nothing(catalog: Catalog) -> None:
    for question in _designs(catalog):
        ticked = covered_phases(question, ["I would start coding right away."])
        assert set(ticked) == set(question.phases) and not any(ticked.values())


def test_the_panel_and_the_scorer_agree_on_every_model_answer(catalog: Catalog) -> None:
    for question in _designs(catalog):
        for text in (question.model_answer, " ".join(ORDINARY.values())):
            shares = phase_coverage(question.phases, split_sentences(text)).covered
            ticked = covered_phases(question, [text])
            assert ticked == {p: share >= PHASE_COVERED for p, share in shares.items()}


def test_the_grade_cites_the_sentences_the_panel_ticked(catalog: Catalog, repo: Repository) -> None:
    scorer = OfflineRubricScorer()
    engine = InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer), follow_up_limit=0)
    question = _designs(catalog)[0]
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=question.stage, question_id=question.id)]
    )
    engine.advance(sid)
    answer = " ".join(ORDINARY.values())
    ticked = covered_phases(question, [answer])
    assert all(ticked[p] for p in ORDINARY)
    engine.submit_answer(sid, answer)
    (grade,) = repo.grades(sid)
    evidence = {s.criterion: s.evidence for s in grade.scores}
    for criterion in ("serving", "monitoring", "trade_offs"):
        assert ORDINARY[criterion] in evidence[criterion], criterion
