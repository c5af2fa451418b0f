"""Whatever text a candidate submits, the offline scorer answers with a grade in range.

Hostile-looking input is the normal case for a grader: pasted terminal output carries control
characters and NULs, right-to-left scripts carry direction marks, chat apps insert zero-width
joiners and emoji. The scorer must never raise on any of it, and every level, total and
continuous score must stay inside the rubric's scale, at every stage and at any size.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import CodeOutcome, Stage, Turn, TurnKind, utcnow
from interview_sim.scoring import Assessment, OfflineRubricScorer

SCORER = OfflineRubricScorer()
ONE_PER_STAGE = {
    Stage.CODING: "max_window_sum",
    Stage.SYSTEM_DESIGN: "feed_ranking",
    Stage.ML_DEPTH: "imbalanced_pr_auc",
    Stage.BEHAVIORAL: "conflict_with_peer",
}
ONE_MB = 1024 * 1024

NUL_AND_CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\r\t\n"
ZERO_WIDTH_AND_BIDI = (
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, joiners, word joiner, BOM
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi
)
RTL_LETTERS = "שלום עולם مرحبا بالعالم"
EMOJI = "😀🚀🔥👍🏽👩‍💻🇫🇷❤️✅🧠"
COMBINING = "e\u0301a\u0308\u0336\u20dd"
ODD_SPACES = "\u00a0\u2028\u2029\u3000\u1680"
SPECIALS = NUL_AND_CONTROLS + ZERO_WIDTH_AND_BIDI + RTL_LETTERS + EMOJI + COMBINING + ODD_SPACES
"""Characters that break naive text handling, mixed with the random ones below."""

ON_TOPIC = [
    "I'd keep a running window sum and track the max, so it is O(n) time.",
    "Rank candidates with a two-tower retrieval model, then a heavier ranker on features.",
    "PR-AUC is better than ROC-AUC when positives are rare because it ignores true negatives.",
    "I disagreed with a peer, listened first, and we agreed on an experiment; latency fell 30%.",
]
"""Real answer sentences, so fuzzed text also reaches key-point matching and evidence."""

_characters = st.characters(codec="utf-8")  # every code point except surrogates
_fragment = st.one_of(
    st.text(_characters, max_size=200),
    st.text(st.sampled_from(SPECIALS), max_size=60),
    st.text(st.sampled_from(SPECIALS) | _characters, max_size=120),
    st.sampled_from(ON_TOPIC),
    st.sampled_from(ON_TOPIC).map(lambda s: "\u202e" + s.replace(" ", "\u200b \x00")),
)
_answer = st.lists(_fragment, max_size=12).map("".join)


def _context(
    catalog: Catalog,
    stage: Stage,
    answers: list[str],
    *,
    hints: int = 0,
    code: str | None = None,
    outcome: CodeOutcome | None = None,
) -> QuestionContext:
    question = catalog.questions[ONE_PER_STAGE[stage]]
    start = utcnow()
    kinds = [(TurnKind.QUESTION, question.prompt)]
    kinds += [(TurnKind.HINT, f"hint {i}") for i in range(hints)]
    kinds += [(TurnKind.ANSWER, text) for text in answers]
    if code is not None:
        kinds.append((TurnKind.CODE_RUN, code))
    turns = [
        Turn(
            session_id=1,
            stage=stage,
            question_id=question.id,
            kind=kind,
            text=text,
            created_at=start + timedelta(seconds=40 * i),
        )
        for i, (kind, text) in enumerate(kinds)
    ]
    return QuestionContext(question, catalog.rubric_for(question), turns, outcome)


def _assert_in_range(result: Assessment, ctx: QuestionContext) -> None:
    grade = result.grade
    assert [s.criterion for s in grade.scores] == [c.id for c in ctx.rubric.criteria]
    assert all(0 <= s.level <= 4 for s in grade.scores)
    assert 0.0 <= grade.total <= 4.0
    assert 0.0 <= result.score <= 1.0
    answer = "\n".join(ctx.answers)
    for score in grade.scores:
        assert all(quote and quote in answer for quote in score.evidence)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    stage=st.sampled_from(list(ONE_PER_STAGE)),
    answers=st.lists(_answer, min_size=1, max_size=3),
    hints=st.integers(0, 3),
)
def test_any_unicode_answer_gets_levels_in_range(
    catalog: Catalog, stage: Stage, answers: list[str], hints: int
) -> None:
    ctx = _context(catalog, stage, answers, hints=hints)
    _assert_in_range(SCORER.assess(ctx), ctx)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=_answer,
    code=_answer,
    passed=st.integers(0, 30),
    failed=st.integers(0, 30),
    performance=st.sampled_from(["passed", "too_slow", "failed", "not_run"]),
)
def test_any_coding_submission_gets_levels_in_range(
    catalog: Catalog, answer: str, code: str, passed: int, failed: int, performance: str
) -> None:
    outcome = CodeOutcome.model_validate(
        {"passed": passed, "total": passed + failed, "performance": performance, "summary": code}
    )
    ctx = _context(catalog, Stage.CODING, [answer], code=code, outcome=outcome)
    _assert_in_range(SCORER.assess(ctx), ctx)


def _one_megabyte(stage: Stage) -> str:
    """On-topic sentences interleaved with every special character, cut to exactly 1 MB."""
    unit = f"{ON_TOPIC[list(ONE_PER_STAGE).index(stage)]} {SPECIALS} "
    return (unit * (ONE_MB // len(unit) + 1))[:ONE_MB]


@pytest.mark.parametrize("stage", list(ONE_PER_STAGE))
def test_a_one_megabyte_answer_gets_levels_in_range(catalog: Catalog, stage: Stage) -> None:
    answer = _one_megabyte(stage)
    assert len(answer) == ONE_MB
    ctx = _context(catalog, stage, [answer])
    _assert_in_range(SCORER.assess(ctx), ctx)
