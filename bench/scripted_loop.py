"""A full scripted loop offline: wall time, and how much of it is grading and the sandbox."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from bench.measure import Row
from interview_sim.config import load_settings
from interview_sim.engine import plan_loop
from interview_sim.models import CodingQuestion, SessionMode, Stage, TurnKind
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.services import open_services

P = ParamSpec("P")
R = TypeVar("R")

ANSWER = (
    "I would start from the requirements and the metric, check for leakage with a time-based"
    " split, compare a gradient boosted baseline with a deeper model, and monitor drift and"
    " calibration after launch, with a shadow deployment before ramping traffic."
)


def _timed(function: Callable[P, R], totals: dict[str, float], key: str) -> Callable[P, R]:
    """The same function, adding the seconds spent inside it to ``totals[key]``."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[key] += time.perf_counter() - start

    return wrapper


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        services = open_services(load_settings(db=str(Path(folder) / "loop.db")), use_llm=False)
        engine = services.engine
        totals = {"grading": 0.0, "sandbox": 0.0}
        # Grading also runs inside the follow-up policy, so time the scorer class itself.
        original_assess = OfflineRubricScorer.assess
        OfflineRubricScorer.assess = _timed(original_assess, totals, "grading")  # type: ignore[method-assign]
        engine.code_runner = _timed(engine.code_runner, totals, "sandbox")
        start = time.perf_counter()
        plan = plan_loop(services.catalog, {stage: 2 for stage in Stage}, set())
        session = engine.start(SessionMode.LOOP, plan)
        engine.advance(session)
        while (pos := engine.position(session)) is not None:
            submitted = any(t.kind == TurnKind.CODE_RUN for t in pos.turns)
            if isinstance(pos.question, CodingQuestion) and not submitted:
                engine.submit_code(session, pos.question.reference_solution or "")
            else:
                engine.submit_answer(session, ANSWER)
        wall = time.perf_counter() - start
        OfflineRubricScorer.assess = original_assess  # type: ignore[method-assign]
    grading, sandbox = totals["grading"], totals["sandbox"]
    return [
        Row("scripted loop (8 questions, 2 code submissions), wall", f"{wall:.2f} s"),
        Row(
            "scripted loop, share in grading / sandbox / rest",
            f"{grading / wall:.0%} / {sandbox / wall:.0%}"
            f" / {(wall - grading - sandbox) / wall:.0%}",
        ),
    ]
