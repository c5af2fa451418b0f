"""Time to commit one answer: the cost of "nothing is lost" on every submit."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.measure import Row, percentile
from interview_sim.models import PlannedQuestion, SessionMode, Stage, Turn, TurnKind
from interview_sim.store import Repository, open_database

ANSWERS = 300


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(str(Path(folder) / "bench.db"))
        repo = Repository(engine)
        plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="data_leakage")]
        session = repo.create_session(SessionMode.DRILL, plan).id
        samples: list[float] = []
        for index in range(ANSWERS):
            turn = Turn(
                session_id=session,
                stage=Stage.ML_DEPTH,
                question_id="data_leakage",
                kind=TurnKind.ANSWER,
                text=f"answer {index}: " + "leakage drift calibration " * 40,
            )
            start = time.perf_counter()
            repo.add_turn(turn)
            samples.append(time.perf_counter() - start)
        engine.dispose()
    median_ms = percentile(samples, 0.5) * 1000
    p95_ms = percentile(samples, 0.95) * 1000
    return [
        Row("answer commit, median", f"{median_ms:.2f} ms"),
        Row("answer commit, p95", f"{p95_ms:.2f} ms"),
    ]
