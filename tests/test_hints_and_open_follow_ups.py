"""What a hint says and which follow-up is open, read from the stored turns.

A hint costs score, so it must say something about the question that the candidate has not
said; and code resubmitted while a follow-up waits does not answer that follow-up.
"""

from __future__ import annotations

from interview_sim.banks import Catalog, load_catalog
from interview_sim.engine import CodeSubmitted, InterviewEngine
from interview_sim.engine.hints import follow_up_hint, key_point_hint
from interview_sim.models import (
    CodingQuestion,
    PlannedQuestion,
    SessionMode,
    Stage,
    Turn,
    TurnKind,
    pending_follow_up,
)
from interview_sim.store import Repository
from tests.conftest import FIXTURES

SANDBOX = FIXTURES / "sandbox"
SQUARE_SUM = "fixture_square_sum"


def _engine(catalog: Catalog, repo: Repository, like: InterviewEngine) -> InterviewEngine:
    return InterviewEngine(catalog, repo, like.scorer, like.policy, follow_up_limit=2)


def _drill(engine: InterviewEngine, stage: Stage, question_id: str) -> int:
    sid = engine.start(SessionMode.DRILL, [PlannedQuestion(stage=stage, question_id=question_id)])
    engine.advance(sid)
    return sid


def _turns(engine: InterviewEngine, sid: int) -> list[Turn]:
    return engine.repo.turns(sid)


def test_resubmitted_code_leaves_the_follow_up_open(
    repo: Repository, engine: InterviewEngine
) -> None:
    catalog = load_catalog([SANDBOX / "bank"])
    coding = _engine(catalog, repo, engine)
    question = catalog.questions[SQUARE_SUM]
    assert isinstance(question, CodingQuestion) and question.naive_solution is not None
    sid = _drill(coding, Stage.CODING, SQUARE_SUM)
    coding.submit_code(sid, question.naive_solution)  # too slow: asked about it
    coding.submit_answer(sid, "It is O(n) because I visit every element.")
    challenge = pending_follow_up(_turns(coding, sid))
    assert challenge is not None and "Where does the extra work come from?" in challenge.text

    events = coding.submit_code(sid, (SANDBOX / "square_sum_solution.py").read_text())
    assert [type(e) for e in events] == [CodeSubmitted]  # nothing new is asked
    assert pending_follow_up(_turns(coding, sid)) == challenge
    hint = coding.hint(sid)
    assert hint is not None and hint.criterion == challenge.criterion  # about the open one


def _follow_up_turn(text: str, criterion: str) -> Turn:
    return Turn(
        stage=Stage.ML_DEPTH,
        question_id="active_learning",
        kind=TurnKind.FOLLOW_UP,
        text=text,
        criterion=criterion,
        id=3,
        session_id=1,
    )


def test_a_follow_up_hint_speaks_to_the_follow_up_or_is_not_given(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    interview = _engine(catalog, repo, engine)
    question = catalog.questions["active_learning"]
    sid = _drill(interview, Stage.ML_DEPTH, question.id)
    interview.submit_answer(
        sid, "I would score the pool with entropy or margin sampling and label the top ones."
    )
    [asked] = [t for t in _turns(interview, sid) if t.kind == TurnKind.FOLLOW_UP]
    hint = interview.hint(sid)
    assert hint is not None and hint.criterion == asked.criterion
    assert hint.text in question.hints or hint.text in {
        key_point_hint(k.text) for k in question.key_points
    }
    assert "This follow-up is about" not in hint.text

    # A follow-up no banked text speaks to gets the question's next banked hint; once those
    # are shown there is no hint at all, and nothing is charged for it.
    budget = _follow_up_turn(
        "Explain to the budget holder why active learning saves money, in two sentences.",
        "clarity",
    )
    assert follow_up_hint(question, budget, [budget]) == question.hints[0]
    shown = [_hint_turn(text) for text in question.hints]
    assert follow_up_hint(question, budget, [budget, *shown]) is None


def _hint_turn(text: str) -> Turn:
    return Turn(
        stage=Stage.ML_DEPTH,
        question_id="active_learning",
        kind=TurnKind.HINT,
        text=text,
        session_id=1,
    )


def test_no_banked_follow_up_gets_a_hint_that_only_restates_the_rubric(catalog: Catalog) -> None:
    """Every hint offered on any banked follow-up is banked text of its question."""
    offered = 0
    for question in catalog.questions.values():
        banked = set(question.hints) | {key_point_hint(k.text) for k in question.key_points}
        for follow_up in question.follow_ups:
            turn = _follow_up_turn(follow_up.text, follow_up.criterion)
            text = follow_up_hint(question, turn, [turn])
            assert text is None or text in banked, (question.id, follow_up.text)
            offered += text is not None
    assert offered, "most follow-ups have something banked to hint at"


def test_a_hint_already_shown_is_not_given_again(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    interview = _engine(catalog, repo, engine)
    question = catalog.questions["active_learning"]
    sid = _drill(interview, Stage.ML_DEPTH, question.id)
    first = interview.hint(sid)  # on the question itself: the first banked hint
    assert first is not None and first.text == question.hints[0] and first.criterion is None
    interview.submit_answer(
        sid, "I would score the pool with entropy or margin sampling and label the top ones."
    )
    about_follow_up = interview.hint(sid)
    assert about_follow_up is not None and about_follow_up.criterion is not None
    texts = [t.text for t in _turns(interview, sid) if t.kind == TurnKind.HINT]
    assert len(texts) == len(set(texts)) == 2
