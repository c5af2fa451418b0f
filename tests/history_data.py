"""Fixture history for the progress, report and export tests, built through the Repository API.

Four sessions with fixed timestamps and explicit grades (not live scoring), so every figure the
tests check can be worked out by hand from the table below.

    session  started           question    stage          levels        total
    1 drill  2026-03-01 09:00  metrics_a   ml_depth       1, 1 (hint)   1.0
                               trees_a     ml_depth       2, 3          2.5
    2 drill  2026-03-03 09:00  metrics_b   ml_depth       2, 2          2.0
    3 loop   2026-03-06 09:00  pair_sum    coding         3, 4          3.5
                               fraud       system_design  3, 2          2.5
                               trees_a     ml_depth       3, 3 (f-up)   3.0
                               incident    behavioral     3, 3          3.0
    4 loop   2026-03-08 09:00  pair_sum    coding         1, 0          0.5
                               fraud       system_design  3, 3          3.0
                               metrics_a   ml_depth       2, 1          1.5
                               incident    behavioral     4, 3          3.5

Each question is asked at the session start plus ten minutes per position; the answer comes
90 s later (or a hint after 60 s and the answer 120 s after the hint); a follow-up is asked 30 s
after the answer and answered 30 s later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from interview_sim.banks import Catalog, load_catalog
from interview_sim.models import (
    AnyQuestion,
    CriterionScore,
    Grade,
    PlannedQuestion,
    SessionMode,
    Turn,
    TurnKind,
)
from interview_sim.store import Repository

HISTORY = Path(__file__).resolve().parent / "fixtures" / "history"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def fixture_catalog() -> Catalog:
    return load_catalog([HISTORY / "bank"], include_builtin=False, rubric_dir=HISTORY / "rubrics")


@dataclass(frozen=True)
class Answered:
    question_id: str
    levels: tuple[int, int]
    answer: str
    hint: bool = False
    follow_up_answer: str | None = None
    missed: tuple[str, ...] = ()
    feedback: tuple[str, ...] = field(default=())


def _first_sentence(text: str) -> str:
    return text.split(".")[0].strip() + "."


def _turn(
    repo: Repository,
    session_id: int,
    question: AnyQuestion,
    kind: TurnKind,
    text: str,
    at: datetime,
    criterion: str | None = None,
) -> None:
    repo.add_turn(
        Turn(
            session_id=session_id,
            stage=question.stage,
            question_id=question.id,
            kind=kind,
            text=text,
            criterion=criterion,
            created_at=at,
        )
    )


def add_session(
    repo: Repository,
    catalog: Catalog,
    mode: SessionMode,
    started_at: datetime,
    answered: list[Answered],
) -> int:
    plan = [
        PlannedQuestion(stage=catalog.questions[a.question_id].stage, question_id=a.question_id)
        for a in answered
    ]
    sid = repo.create_session(mode, plan, started_at=started_at).id
    end = started_at
    for index, a in enumerate(answered):
        question = catalog.questions[a.question_id]
        rubric = catalog.rubric_for(question)
        base = started_at + timedelta(minutes=10 * index)
        if index == 0 or plan[index - 1].stage != question.stage:
            repo.start_stage(sid, question.stage, 1800, at=base)
        _turn(repo, sid, question, TurnKind.QUESTION, question.prompt, base)
        if a.hint:
            _turn(
                repo, sid, question, TurnKind.HINT, question.hints[0], base + timedelta(seconds=60)
            )
            end = base + timedelta(seconds=180)
        else:
            end = base + timedelta(seconds=90)
        _turn(repo, sid, question, TurnKind.ANSWER, a.answer, end)
        if a.follow_up_answer is not None:
            follow_up = question.follow_ups[0]
            _turn(
                repo,
                sid,
                question,
                TurnKind.FOLLOW_UP,
                follow_up.text,
                end + timedelta(seconds=30),
                follow_up.criterion,
            )
            end += timedelta(seconds=60)
            _turn(repo, sid, question, TurnKind.ANSWER, a.follow_up_answer, end)
        criteria = [c.id for c in rubric.criteria]
        total = sum(a.levels) / len(a.levels)
        scores = [
            CriterionScore(
                criterion=criterion,
                level=level,
                evidence=[_first_sentence(a.answer)] if level >= 2 else [],
                rationale=f"{criterion} at level {level}",
                missed=list(a.missed) if level <= 2 else [],
            )
            for criterion, level in zip(criteria, a.levels, strict=True)
        ]
        repo.add_grade(
            sid,
            Grade(
                question_id=question.id,
                stage=question.stage,
                scores=scores,
                total=total,
                hire_signal=rubric.signal_for(total),
                scorer="fixture",
                scorer_version="1",
                rubric_id=rubric.id,
                rubric_version=rubric.version,
                hints_used=1 if a.hint else 0,
                feedback=list(a.feedback),
            ),
            at=end + timedelta(seconds=5),
        )
        last = index == len(answered) - 1
        if last or plan[index + 1].stage != question.stage:
            repo.finish_stage(sid, question.stage, at=end + timedelta(seconds=10))
    repo.finish_session(sid, at=end + timedelta(seconds=10))
    return sid


CODE_ANSWER = """def find_pair(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
    return []"""

FENCED_ANSWER = """I would brute force it. Basically, um, two loops.

```python
def find_pair(nums, target):
    for i in range(len(nums)):
        for j in range(i):
            if nums[i] + nums[j] == target:
                return [j, i]
```"""


def build_history(repo: Repository, catalog: Catalog) -> list[int]:
    """The four sessions of the module docstring; returns their ids."""
    return [
        add_session(
            repo,
            catalog,
            SessionMode.DRILL,
            T0,
            [
                Answered(
                    "metrics_a",
                    (1, 1),
                    "ROC-AUC looks fine. I would just use accuracy.",
                    hint=True,
                    missed=("PR-AUC baseline equals the positive rate",),
                ),
                Answered("trees_a", (2, 3), "Averaging many trees reduces variance. It helps."),
            ],
        ),
        add_session(
            repo,
            catalog,
            SessionMode.DRILL,
            T0 + timedelta(days=2),
            [Answered("metrics_b", (2, 2), "NDCG at ten is what users see. It is standard.")],
        ),
        add_session(
            repo,
            catalog,
            SessionMode.LOOP,
            T0 + timedelta(days=5),
            [
                Answered("pair_sum", (3, 4), CODE_ANSWER),
                Answered(
                    "fraud",
                    (3, 2),
                    "Stream features into a boosted model. Labels arrive late.",
                    missed=("delayed-label monitoring",),
                ),
                Answered(
                    "trees_a",
                    (3, 3),
                    "Bagging averages decorrelated trees. Variance drops with more trees.",
                    follow_up_answer="Random feature subsets decorrelate them.",
                ),
                Answered("incident", (3, 3), "I led the rollback myself. Errors fell by 90%."),
            ],
        ),
        add_session(
            repo,
            catalog,
            SessionMode.LOOP,
            T0 + timedelta(days=7),
            [
                Answered(
                    "pair_sum",
                    (1, 0),
                    FENCED_ANSWER,
                    missed=("a one-pass hash map", "O(n) time"),
                    feedback=("Start from the brute force, then improve it.",),
                ),
                Answered(
                    "fraud",
                    (3, 3),
                    "Kafka streams features to a GBDT. I monitor delayed labels weekly.",
                ),
                Answered(
                    "metrics_a",
                    (2, 1),
                    "PR-AUC is better here. Precision counts false positives.",
                    missed=("random PR-AUC equals prevalence",),
                ),
                Answered(
                    "incident",
                    (4, 3),
                    "I paged the team and rolled back in ten minutes. We lost no payments.",
                ),
            ],
        ),
    ]
