"""The loaded, validated set of questions and rubrics the engine selects from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from interview_sim.models import AnyQuestion, Difficulty, Rubric, Stage


def _data_root() -> Path:
    """Installed wheels carry the data inside the package; a source checkout keeps it at the top."""
    packaged = Path(__file__).resolve().parent.parent / "data"
    if (packaged / "question_banks").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent


def builtin_bank_dirs() -> list[Path]:
    return [_data_root() / "question_banks"]


def builtin_rubric_dir() -> Path:
    return _data_root() / "rubrics"


@dataclass(frozen=True)
class Catalog:
    questions: dict[str, AnyQuestion] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)

    def by_stage(
        self,
        stage: Stage,
        difficulty: Difficulty | None = None,
        tags: frozenset[str] = frozenset(),
    ) -> list[AnyQuestion]:
        """Questions of a stage, optionally filtered, in a stable (id) order."""
        found = [
            q
            for q in self.questions.values()
            if q.stage == stage
            and (difficulty is None or q.difficulty == difficulty)
            and (not tags or tags & set(q.tags))
        ]
        return sorted(found, key=lambda q: q.id)

    def rubric_for(self, question: AnyQuestion) -> Rubric:
        return self.rubrics[question.rubric]
