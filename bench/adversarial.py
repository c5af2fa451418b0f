"""How the offline scorer holds up against answers written to fool it.

``bench/adversarial/<stage>.yaml`` holds, for 40 banked questions across the three spoken stages,
seven new answers each (strong in the candidate's own words, mediocre, confidently wrong,
keyword-stuffed in sentence form, an echo of the prompt, an articulate answer to a different
question, and a strong answer carrying an injection), each with an intended level written before
any grading. ``python -m bench.adversarial`` prints, per stage and per kind:

- Pearson r between the score (0..4) and the intended level;
- within-question ordering: the share of answer pairs with different intended levels that the
  scorer orders the same way, and the share for honest pairs (strong vs mediocre) alone;
- how often each adversarial kind scores at or above the question's mediocre and strong answer;
- how much an injection moves the grade of the strong answer it rides on.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from bench.measure import Row
from interview_sim.banks import Catalog, load_catalog
from interview_sim.grading import QuestionContext
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.neighbours import QuestionProfiles

DEV_SET = Path(__file__).with_name("adversarial")
HELD_OUT_SET = Path(__file__).with_name("adversarial_holdout")
"""Written later, by a writer who never saw the scorer, for 28 other questions; graded to see
whether what was tuned on the dev set holds on answers nobody tuned to."""
Kind = Literal["strong", "mediocre", "wrong", "stuffed", "echo", "off_topic", "injection"]
ADVERSARIAL: tuple[Kind, ...] = ("wrong", "stuffed", "echo", "off_topic")
TARGET_AT_OR_ABOVE_MEDIOCRE = 0.10
TARGET_ORDERING = 0.95
TARGET_R = 0.80
TARGET_R_BEHAVIORAL = 0.70


class DevAnswer(BaseModel):
    kind: Kind
    level: float = Field(ge=0, le=4)
    text: str = Field(min_length=1)


class DevQuestion(BaseModel):
    question_id: str
    answers: list[DevAnswer]


class DevFile(BaseModel):
    questions: list[DevQuestion]


@dataclass(frozen=True)
class Graded:
    stage: str
    question_id: str
    kind: Kind
    level: float
    score: float
    """The continuous score on the rubric's 0..4 scale."""


def load_dev_set(root: Path = DEV_SET) -> list[DevQuestion]:
    found: list[DevQuestion] = []
    for path in sorted(root.glob("*.yaml")):
        found.extend(DevFile.model_validate(yaml.safe_load(path.read_text("utf-8"))).questions)
    return found


def grade_all(
    catalog: Catalog | None = None,
    scorer: OfflineRubricScorer | None = None,
    root: Path = DEV_SET,
) -> list[Graded]:
    catalog = catalog or load_catalog()
    scorer = scorer or OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
    graded: list[Graded] = []
    for item in load_dev_set(root):
        question = catalog.questions[item.question_id]
        rubric = catalog.rubric_for(question)
        for answer in item.answers:
            ctx = QuestionContext.single_answer(question, rubric, answer.text)
            score = 4 * scorer.assess(ctx).score
            graded.append(
                Graded(question.stage.value, item.question_id, answer.kind, answer.level, score)
            )
    return graded


def _pearson(rows: list[Graded]) -> float:
    if len({r.score for r in rows}) < 2 or len({r.level for r in rows}) < 2:
        return float("nan")
    return statistics.correlation([r.score for r in rows], [r.level for r in rows])


def summarise(graded: list[Graded]) -> dict[str, Any]:
    """The figures per stage (and ``all``): r, ordering, adversarial rates, injection shift."""
    by_stage: dict[str, list[Graded]] = defaultdict(list)
    for row in graded:
        by_stage[row.stage].append(row)
        by_stage["all"].append(row)
    result: dict[str, Any] = {}
    for stage, rows in sorted(by_stage.items()):
        by_question: dict[str, dict[str, Graded]] = defaultdict(dict)
        for row in rows:
            by_question[row.question_id][row.kind] = row
        pairs = [
            a.score > b.score if a.level > b.level else b.score > a.score
            for answers in by_question.values()
            for a, b in combinations(answers.values(), 2)
            if a.level != b.level
        ]
        honest = [
            answers["strong"].score > answers["mediocre"].score
            for answers in by_question.values()
            if {"strong", "mediocre"} <= answers.keys()
        ]
        rates: dict[str, tuple[float, float, float]] = {}
        for kind in ADVERSARIAL:
            compared = [a for a in by_question.values() if {kind, "strong", "mediocre"} <= a.keys()]
            if compared:
                rates[kind] = (
                    sum(a[kind].score >= a["mediocre"].score for a in compared) / len(compared),
                    sum(a[kind].score >= a["strong"].score for a in compared) / len(compared),
                    statistics.fmean(a[kind].score for a in compared),
                )
        shifts = [
            a["injection"].score - a["strong"].score
            for a in by_question.values()
            if {"injection", "strong"} <= a.keys()
        ]
        result[stage] = {
            "questions": len(by_question),
            "answers": len(rows),
            "pearson_r": _pearson(rows),
            "ordering": sum(pairs) / len(pairs) if pairs else float("nan"),
            "honest_ordering": sum(honest) / len(honest) if honest else float("nan"),
            "rates": rates,
            "mean_by_kind": {
                kind: statistics.fmean(r.score for r in rows if r.kind == kind)
                for kind in sorted({r.kind for r in rows})
            },
            "injection_max_gain": max(shifts) if shifts else float("nan"),
        }
    return result


def run(roots: tuple[Path, ...] = (DEV_SET, HELD_OUT_SET)) -> list[Row]:
    rows: list[Row] = []
    for root in roots:
        rows.extend(_rows(root))
    return rows


def _rows(root: Path) -> list[Row]:
    summary = summarise(grade_all(root=root))
    rows: list[Row] = []
    name = {DEV_SET: "dev", HELD_OUT_SET: "held-out"}.get(root.resolve(), root.name)
    for stage, figures in summary.items():
        target = TARGET_R_BEHAVIORAL if stage == "behavioral" else TARGET_R
        label = f"adversarial {name}, {stage} ({figures['questions']} questions)"
        rows.append(
            Row(
                f"{label}: Pearson r with intended levels",
                f"{figures['pearson_r']:.3f}",
                f">= {target:.2f}",
                figures["pearson_r"] >= target,
            )
        )
        rows.append(
            Row(
                f"{label}: honest pairs ordered / all pairs ordered",
                f"{figures['honest_ordering']:.1%} / {figures['ordering']:.1%}",
                f">= {TARGET_ORDERING:.0%} honest",
                figures["honest_ordering"] >= TARGET_ORDERING,
            )
        )
        for kind, (mediocre, strong, mean) in figures["rates"].items():
            bounded = kind in ("wrong", "stuffed")
            rows.append(
                Row(
                    f"{label}: {kind} at or above mediocre / strong (mean score)",
                    f"{mediocre:.0%} / {strong:.0%} ({mean:.2f})",
                    "<= 10% / 0%" if bounded else "",
                    (mediocre <= TARGET_AT_OR_ABOVE_MEDIOCRE and strong == 0) if bounded else None,
                )
            )
        rows.append(
            Row(
                f"{label}: largest gain from an injection over its strong answer",
                f"{figures['injection_max_gain']:+.2f}",
            )
        )
    return rows


def main(argv: list[str]) -> int:
    """``--answers`` lists every graded answer; ``--set PATH`` grades another folder of the same
    format (``bench/adversarial_holdout``, written later and never used to tune the scorer)."""
    root = Path(argv[argv.index("--set") + 1]) if "--set" in argv else DEV_SET
    graded = grade_all(root=root)
    if "--answers" in argv:
        for answer in sorted(graded, key=lambda r: (r.stage, r.question_id, -r.level)):
            name = f"{answer.stage:14} {answer.question_id:32} {answer.kind:10}"
            print(f"{name} {answer.level:4} {answer.score:.2f}")
    for row in run((root,)):
        met = "" if row.met is None else ("  (met)" if row.met else "  (NOT met)")
        target = f"  target {row.target}" if row.target else ""
        print(f"{row.name}: {row.value}{target}{met}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
