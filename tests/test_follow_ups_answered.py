"""Which follow-ups count as answered: one rule (``models.answered_follow_ups``) for the
scorecard, ``interview-sim report`` and progress, read from a real session's turns."""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import (
    PlannedQuestion,
    SessionMode,
    Stage,
    Turn,
    TurnKind,
    answered_follow_ups,
    pending_follow_up,
)
from interview_sim.progress.communication import communication
from interview_sim.store import Repository
from interview_sim.tui.render import scorecard_markdown


def _active_learning_with_a_hint_and_done(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> int:
    """The question, a follow-up answered after a hint, a follow-up answered with "done"."""
    interview = InterviewEngine(catalog, repo, engine.scorer, engine.policy, follow_up_limit=2)
    sid = interview.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="active_learning")]
    )
    interview.advance(sid)
    interview.submit_answer(sid, "Score the pool with entropy sampling and label the top ones.")
    assert interview.hint(sid) is not None
    interview.submit_answer(sid, "Pure uncertainty picks near duplicates; sample across clusters.")
    interview.end_question(sid, "Keep a random test set, because the labelled data are biased.")
    return sid


def test_an_answer_after_a_hint_or_with_done_answers_its_follow_up(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    turns = repo.turns(_active_learning_with_a_hint_and_done(catalog, repo, engine))
    kinds = [t.kind for t in turns]
    assert kinds.count(TurnKind.FOLLOW_UP) == 2 and TurnKind.HINT in kinds
    assert answered_follow_ups(turns) == 2


def _turn(kind: TurnKind, text: str = "t") -> Turn:
    return Turn(stage=Stage.CODING, question_id="q", kind=kind, text=text, session_id=1)


def test_resubmitted_code_leaves_the_follow_up_open_until_it_is_answered() -> None:
    follow_up = _turn(TurnKind.FOLLOW_UP, "Where does the extra work come from?")
    turns = [_turn(TurnKind.QUESTION), _turn(TurnKind.CODE_RUN), follow_up]
    turns += [_turn(TurnKind.HINT), _turn(TurnKind.CODE_RUN)]
    assert pending_follow_up(turns) == follow_up
    assert answered_follow_ups(turns) == 0
    turns.append(_turn(TurnKind.ANSWER, "The inner loop rescans the list."))
    assert pending_follow_up(turns) is None
    assert answered_follow_ups(turns) == 1
    turns.append(_turn(TurnKind.ANSWER, "And a second answer answers nothing new."))
    assert answered_follow_ups(turns) == 1


def test_the_scorecard_and_the_report_count_with_the_same_rule(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    sid = _active_learning_with_a_hint_and_done(catalog, repo, engine)
    turns = repo.turns(sid)
    assert communication(turns).overall.follow_ups_answered == 2
    card = scorecard_markdown(repo.grades(sid), catalog, turns, reveal=False)
    assert "2 follow-ups answered" in card
