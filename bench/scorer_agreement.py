"""How well the offline scorer agrees with human graders and with the golden answers.

Two measurements, one command (``python -m bench.scorer_agreement``):

- Human agreement on the short-answer development set in ``../shared/eval/asag-dev/`` (read in
  place, never copied), graded in reference-answer mode: Pearson and Spearman r between the
  scorer's continuous score and the mean human grade, and RMSE / MAE of a linear map from score
  to the 0-5 scale, fitted on the other questions and evaluated on the held-out one
  (leave-one-question-out), so the error is for questions the map never saw. The scorer itself
  has no parameters fitted to this data.
- Golden answers (``tests/golden``): the share of strong > mixed > weak pairs ordered correctly per
  stage, graded with the banked key points and again in reference-answer mode (model answer
  only), and the Pearson r between the levels given and the levels the golden file intends.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.measure import Row
from interview_sim.banks import Catalog, load_catalog
from interview_sim.banks.golden import Quality, load_golden
from interview_sim.grading import QuestionContext
from interview_sim.models import AnyQuestion
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.neighbours import QuestionProfiles
from interview_sim.scoring.reference import reference_question
from interview_sim.scoring.semantic import SemanticModel

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "asag-dev" / "asag_dev.jsonl"
GOLDEN = ROOT / "tests" / "golden"
TARGET_R = 0.55
TARGET_ORDERING = 0.95


def _context(question: AnyQuestion, catalog: Catalog, answer: str) -> QuestionContext:
    return QuestionContext.single_answer(question, catalog.rubric_for(question), answer)


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _dev_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def human_agreement(
    path: Path = DEV_SET,
    catalog: Catalog | None = None,
    scorer: OfflineRubricScorer | None = None,
) -> dict[str, Any] | None:
    """Agreement with the human grades, or None when the development set is not there."""
    if not path.is_file():
        return None
    catalog = catalog or load_catalog()
    scorer = scorer or OfflineRubricScorer()
    questions: dict[str, AnyQuestion] = {}
    rows: list[tuple[str, float, float]] = []
    for row in _dev_rows(path):
        qid = str(row["question_id"])
        if qid not in questions:
            questions[qid] = reference_question(row["question"], row["reference_answer"])
        score = scorer.assess(_context(questions[qid], catalog, row["student_answer"])).score
        rows.append((qid, score, float(row["score_avg"])))
    predicted = [r[1] for r in rows]
    human = [r[2] for r in rows]
    errors: list[float] = []
    for qid in questions:
        train = [(p, h) for q, p, h in rows if q != qid]
        slope, intercept = statistics.linear_regression(
            [p for p, _ in train], [h for _, h in train]
        )
        errors.extend(slope * p + intercept - h for q, p, h in rows if q == qid)
    per_question = [
        statistics.correlation(
            [p for q, p, _ in rows if q == qid], [h for q, _, h in rows if q == qid]
        )
        for qid in questions
        if len({p for q, p, _ in rows if q == qid}) > 1
        and len({h for q, _, h in rows if q == qid}) > 1
    ]
    return {
        "answers": len(rows),
        "questions": len(questions),
        "pearson_r": statistics.correlation(predicted, human),
        "spearman_r": statistics.correlation(_ranks(predicted), _ranks(human)),
        "rmse_loqo": math.sqrt(statistics.fmean(e * e for e in errors)),
        "mae_loqo": statistics.fmean(abs(e) for e in errors),
        "median_per_question_r": statistics.median(per_question) if per_question else float("nan"),
    }


def golden_agreement(
    catalog: Catalog | None = None, scorer: OfflineRubricScorer | None = None
) -> dict[str, Any]:
    """Ordering rate per stage (banked and reference-answer mode) and level agreement."""
    catalog = catalog or load_catalog()
    scorer = scorer or OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
    ordered: dict[str, list[bool]] = defaultdict(list)
    ordered_reference: dict[str, list[bool]] = defaultdict(list)
    given: list[float] = []
    intended: list[float] = []
    scores: list[float] = []
    reference_scores: list[float] = []
    intended_means: list[float] = []
    for item in load_golden(GOLDEN):
        question = catalog.questions[item.question_id]
        adhoc = reference_question(question.prompt, question.model_answer)
        banked: dict[Quality, float] = {}
        reference: dict[Quality, float] = {}
        for answer in item.answers:
            result = scorer.assess(_context(question, catalog, answer.text))
            banked[answer.quality] = result.score
            reference[answer.quality] = scorer.assess(_context(adhoc, catalog, answer.text)).score
            scores.append(result.score)
            reference_scores.append(reference[answer.quality])
            intended_means.append(statistics.fmean(answer.levels.values()))
            for score in result.grade.scores:
                given.append(score.level)
                intended.append(answer.levels[score.criterion])
        for better, worse in combinations((Quality.STRONG, Quality.MIXED, Quality.WEAK), 2):
            ordered[question.stage.value].append(banked[better] > banked[worse])
            ordered_reference[question.stage.value].append(reference[better] > reference[worse])
    every = [ok for oks in ordered.values() for ok in oks]
    every_reference = [ok for oks in ordered_reference.values() for ok in oks]
    return {
        "pairs": len(every),
        "ordering": sum(every) / len(every) if every else float("nan"),
        "ordering_by_stage": {s: sum(o) / len(o) for s, o in sorted(ordered.items())},
        "ordering_reference_mode": (
            sum(every_reference) / len(every_reference) if every_reference else float("nan")
        ),
        "level_pearson_r": statistics.correlation(given, intended) if given else float("nan"),
        "score_pearson_r": statistics.correlation(scores, intended_means),
        "score_pearson_r_reference_mode": statistics.correlation(reference_scores, intended_means),
        "level_mae": statistics.fmean(abs(a - b) for a, b in zip(given, intended, strict=True)),
    }


def agreement() -> dict[str, Any]:
    """Both measurements, with the embedding model and without it (``*_lexical``).

    ``human`` is None when ``../shared`` is absent.
    """
    catalog = load_catalog()
    lexical = OfflineRubricScorer(
        SemanticModel(module="no embedding model"), QuestionProfiles(catalog.questions.values())
    )
    return {
        "scorer_version": OfflineRubricScorer().version,
        "human": human_agreement(catalog=catalog),
        "human_lexical": human_agreement(catalog=catalog, scorer=lexical),
        "golden": golden_agreement(catalog),
        "golden_lexical": golden_agreement(catalog, lexical),
    }


def run() -> list[Row]:
    result = agreement()
    rows: list[Row] = [Row("scorer version", result["scorer_version"])]
    human = result["human"]
    if human is None:
        rows.append(Row("human agreement (dev set)", f"skipped: {DEV_SET} not found"))
    else:
        lexical_r = result["human_lexical"]["pearson_r"]
        rows += [
            Row(
                "Pearson r with human grades, lexical only (no embedding model)", f"{lexical_r:.3f}"
            ),
            Row(
                f"Pearson r with human grades ({human['answers']} answers)",
                f"{human['pearson_r']:.3f}",
                f">= {TARGET_R}",
                human["pearson_r"] >= TARGET_R,
            ),
            Row("Spearman r with human grades", f"{human['spearman_r']:.3f}"),
            Row(
                "RMSE / MAE on 0-5, leave-one-question-out linear map",
                f"{human['rmse_loqo']:.3f} / {human['mae_loqo']:.3f}",
            ),
        ]
    golden = result["golden"]
    rows.append(
        Row(
            f"golden strong > mixed > weak ({golden['pairs']} pairs)",
            f"{golden['ordering']:.1%}",
            f">= {TARGET_ORDERING:.0%}",
            golden["ordering"] >= TARGET_ORDERING,
        )
    )
    for stage, rate in golden["ordering_by_stage"].items():
        rows.append(Row(f"golden ordering, {stage}", f"{rate:.1%}"))
    lexical = result["golden_lexical"]
    rows += [
        Row("golden ordering, reference-answer mode", f"{golden['ordering_reference_mode']:.1%}"),
        Row(
            "golden, lexical only: ordering / reference-mode ordering / score r / reference-mode r",
            f"{lexical['ordering']:.1%} / {lexical['ordering_reference_mode']:.1%} / "
            f"{lexical['score_pearson_r']:.3f} / {lexical['score_pearson_r_reference_mode']:.3f}",
        ),
        Row(
            "golden score vs mean intended level: Pearson r (banked / reference mode)",
            f"{golden['score_pearson_r']:.3f} / {golden['score_pearson_r_reference_mode']:.3f}",
        ),
        Row(
            "golden levels vs intended: Pearson r / MAE",
            f"{golden['level_pearson_r']:.3f} / {golden['level_mae']:.2f}",
        ),
    ]
    return rows


def main() -> int:
    for row in run():
        met = "" if row.met is None else ("  (met)" if row.met else "  (NOT met)")
        target = f"  target {row.target}" if row.target else ""
        print(f"{row.name}: {row.value}{target}{met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
