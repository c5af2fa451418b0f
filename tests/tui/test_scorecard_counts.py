"""A scorecard states each count once: one word total for an answer, not two that differ."""

from __future__ import annotations

import re

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import PlannedQuestion, SessionMode, Stage
from interview_sim.progress.communication import communication
from interview_sim.store import Repository
from interview_sim.tui.render import scorecard_markdown

_WORD_TOTAL = re.compile(r"\b(\d+) words\b(?! per minute)")

ANSWER = (
    "Active learning is pool-based: train, score the unlabelled pool, label the most"
    " informative documents, retrain. Uncertainty sampling (least-confidence, margin, entropy)"
    " picks near-duplicates in a batch, so I'd add diversity with a core-set over k-means"
    " clusters. Keep a random test set: actively selected data are biased. O(n log n) per round."
)


def test_the_scorecard_gives_one_word_count_for_the_answers(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="active_learning")]
    )
    engine.advance(sid)
    engine.end_question(sid, ANSWER)
    [grade] = repo.grades(sid)
    assert any(" words in " in line for line in grade.feedback), "the scorer counts words too"
    turns = repo.turns(sid)
    card = scorecard_markdown([grade], catalog, turns, reveal=False)
    totals = {int(n) for n in _WORD_TOTAL.findall(card)}
    assert totals == {communication(turns).overall.words}
