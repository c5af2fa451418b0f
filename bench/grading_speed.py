"""Offline grading throughput on one core: answers of about 100 words against banked questions.

``python -m bench.grading_speed`` grades every golden answer (cycled to a fixed count, trimmed or
padded to ~100 words) and reports the median answers per second over several runs. Grading is
single-threaded and timed by the process's CPU time, so this is the one-core figure even when
other work shares the machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bench.measure import Row
from interview_sim.banks import Catalog, load_catalog
from interview_sim.banks.golden import load_golden
from interview_sim.grading import QuestionContext
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.scoring.neighbours import QuestionProfiles

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
ANSWERS = 600
WORDS = 100
REPEATS = 3
TARGET = 200.0


def _contexts(catalog: Catalog) -> list[QuestionContext]:
    contexts: list[QuestionContext] = []
    for item in load_golden(GOLDEN):
        question = catalog.questions[item.question_id]
        for answer in item.answers:
            words = answer.text.split()
            while len(words) < WORDS:
                words += answer.text.split()
            contexts.append(
                QuestionContext.single_answer(
                    question, catalog.rubric_for(question), " ".join(words[:WORDS])
                )
            )
    return [contexts[i % len(contexts)] for i in range(ANSWERS)]


def answers_per_second() -> float:
    catalog = load_catalog()
    contexts = _contexts(catalog)
    scorer = OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
    scorer.grade(contexts[0])
    rates = []
    for _ in range(REPEATS):
        start = time.process_time()
        for ctx in contexts:
            scorer.grade(ctx)
        rates.append(len(contexts) / (time.process_time() - start))
    return statistics.median(rates)


def run() -> list[Row]:
    rate = answers_per_second()
    return [
        Row(
            f"offline grading, ~{WORDS}-word answers",
            f"{rate:.0f}/s",
            f">= {TARGET:.0f}/s",
            rate >= TARGET,
        )
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.value} (target {row.target}, {'met' if row.met else 'NOT met'})")
    sys.exit(0)
