from __future__ import annotations

from pathlib import Path

from interview_sim.banks import Catalog
from interview_sim.banks.golden import Quality, load_golden

GOLDEN = Path(__file__).with_name("golden")


def test_golden_answers_match_banked_questions_and_rubrics(catalog: Catalog) -> None:
    golden = load_golden(GOLDEN)
    for item in golden:
        question = catalog.questions[item.question_id]
        criteria = {c.id for c in catalog.rubric_for(question).criteria}
        assert {a.quality for a in item.answers} == set(Quality), item.question_id
        for answer in item.answers:
            assert set(answer.levels) == criteria, item.question_id
        by_quality = {a.quality: sum(a.levels.values()) for a in item.answers}
        assert by_quality[Quality.STRONG] > by_quality[Quality.MIXED] > by_quality[Quality.WEAK]
