"""Offline follow-ups read the answer: what it claims about the code, what it already covers."""

from __future__ import annotations

from interview_sim.banks import Catalog
from interview_sim.engine import FollowUpAsked, InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy, coverage
from interview_sim.grading import QuestionContext
from interview_sim.models import CodingQuestion, Stage, Turn, TurnKind
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.complexity_claims import stated_complexity
from tests.test_coding_flow import PROBLEM, _start, coding_engine, fixture_catalog

__all__ = ["coding_engine", "fixture_catalog"]  # fixtures used below


def _answer(text: str) -> Turn:
    return Turn(session_id=1, stage=Stage.CODING, question_id="q", kind=TurnKind.ANSWER, text=text)


def test_a_planned_complexity_is_not_read_as_the_codes() -> None:
    def quoted(*texts: str) -> tuple[str | None, str | None]:
        said = stated_complexity(texts)
        return (
            said.current.quoted if said.current else None,
            said.planned.quoted if said.planned else None,
        )

    assert quoted("It is O(n^2) overall. I would bring it down to O(n) with a stack.") == (
        "O(n^2)",
        "O(n)",
    )
    assert quoted("My loop runs in O(n log n) time and O(1) space.") == ("O(n log n)", None)
    assert quoted("Ideally this would be O(n).") == (None, "O(n)")
    # A claim in words after one in big-O replaces it: the last thing said is what was said.
    assert quoted("I think it runs in O(n).", "Actually it is quadratic overall.") == (
        "quadratic",
        None,
    )
    assert quoted("It is O(n). I believe this is already optimal.") == ("optimal", None)


def _first_follow_up_on_slow_code(engine: InterviewEngine, catalog: Catalog, answer: str) -> str:
    """Submit the problem's naive (too slow) solution, answer, and return the first follow-up."""
    question = catalog.questions[PROBLEM]
    assert isinstance(question, CodingQuestion) and question.naive_solution is not None
    sid = _start(engine)
    engine.submit_code(sid, question.naive_solution)
    asked = [e.turn.text for e in engine.submit_answer(sid, answer) if isinstance(e, FollowUpAsked)]
    assert asked, "the performance result is discussed"
    return asked[0]


def test_too_slow_code_is_asked_about_with_the_candidates_own_words(
    coding_engine: InterviewEngine, fixture_catalog: Catalog
) -> None:
    asked = _first_follow_up_on_slow_code(
        coding_engine,
        fixture_catalog,
        "It is O(n^2) overall. I would bring it down to O(n) with a stack.",
    )
    assert not asked.startswith("You said your solution is O(n),")
    assert "You estimated O(n^2)" in asked and "the O(n) version you mentioned" in asked


def test_a_complexity_corrected_in_words_is_what_the_follow_up_quotes(
    coding_engine: InterviewEngine, fixture_catalog: Catalog
) -> None:
    """ "O(n)" then "actually it is quadratic": the interviewer must not say "you said O(n)"."""
    asked = _first_follow_up_on_slow_code(
        coding_engine,
        fixture_catalog,
        "At first I thought it was O(n). Actually it is quadratic overall, two nested loops.",
    )
    assert "O(n)" not in asked
    assert "You estimated quadratic: how would you bring it down" in asked


def test_a_follow_up_the_answer_already_covers_is_not_asked(catalog: Catalog) -> None:
    question = catalog.questions["ab_test_statistics"]
    rubric = catalog.rubric_for(question)
    srm = next(f for f in question.follow_ups if "sample-ratio" in f.text)
    answer = (
        "Before reading results I check for a sample-ratio mismatch: detect it with a"
        " chi-square test of the observed split against the expected ratio."
    )
    assert coverage(srm, question.prompt, [answer]) >= 0.6
    turns = [
        Turn(
            session_id=1,
            stage=question.stage,
            question_id=question.id,
            kind=TurnKind.QUESTION,
            text=question.prompt,
        ),
        _answer(answer).model_copy(update={"stage": question.stage}),
    ]
    policy = BankedFollowUpPolicy(OfflineRubricScorer())
    asked: list[str] = []
    for _ in question.follow_ups:
        ctx = QuestionContext(question, rubric, turns)
        follow_up = policy.next_follow_up(ctx, limit=len(question.follow_ups))
        if follow_up is None:
            break
        asked.append(follow_up.text)
        turns.append(
            Turn(
                session_id=1,
                stage=question.stage,
                question_id=question.id,
                kind=TurnKind.FOLLOW_UP,
                text=follow_up.text,
                criterion=follow_up.criterion,
            )
        )
    assert asked and srm.text not in asked


def test_code_submitted_as_the_stage_closes_stores_no_unseen_follow_up(
    coding_engine: InterviewEngine, fixture_catalog: Catalog
) -> None:
    question = fixture_catalog.questions[PROBLEM]
    assert isinstance(question, CodingQuestion) and question.naive_solution is not None
    sid = _start(coding_engine)

    coding_engine.submit_code(sid, question.naive_solution, follow_up=False)
    coding_engine.end_stage(sid)

    kinds = [t.kind for t in coding_engine.repo.turns(sid)]
    assert kinds == [TurnKind.QUESTION, TurnKind.CODE_RUN]
    [grade] = coding_engine.repo.grades(sid)
    assert not grade.skipped
