"""A full scripted loop offline: wall time, and the share spent grading (where the time goes)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.measure import Row
from interview_sim.config import load_settings
from interview_sim.engine import QuestionAsked, plan_loop
from interview_sim.engine.protocols import QuestionContext, Scorer
from interview_sim.models import Grade, SessionMode, Stage
from interview_sim.services import open_services

ANSWER = (
    "I would start from the requirements and the metric, check for leakage with a time-based"
    " split, compare a gradient boosted baseline with a deeper model, and monitor drift and"
    " calibration after launch, with a shadow deployment before ramping traffic."
)


class _TimedScorer:
    """Wraps the configured scorer and adds up the time spent inside it."""

    def __init__(self, inner: Scorer) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version
        self.seconds = 0.0

    def grade(self, ctx: QuestionContext) -> Grade:
        start = time.perf_counter()
        try:
            return self.inner.grade(ctx)
        finally:
            self.seconds += time.perf_counter() - start


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(db=str(Path(folder) / "loop.db"))
        services = open_services(settings)
        engine = services.engine
        timed = _TimedScorer(engine.scorer)
        engine.scorer = timed
        start = time.perf_counter()
        plan = plan_loop(services.catalog, {stage: 2 for stage in Stage}, set())
        session = engine.start(SessionMode.LOOP, plan)
        events = engine.advance(session)
        answers = 0
        while engine.position(session) is not None:
            events = engine.submit_answer(session, ANSWER)
            answers += 1
            if any(isinstance(e, QuestionAsked) for e in events):
                continue
        wall = time.perf_counter() - start
    return [
        Row("scripted loop (8 questions), wall", f"{wall:.2f} s ({answers} answers)"),
        Row("scripted loop, share in grading", f"{timed.seconds / wall:.0%}"),
    ]
