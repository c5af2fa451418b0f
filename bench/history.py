"""A large synthetic history, and store-level timings on it.

:func:`build_database` is shared with :mod:`bench.history_screen`, which times what the user
waits for (the History screen and ``interview-sim progress``); the rows here are the listing
query alone and the database size. :func:`run_bench` returns the figures as a dict.

The database is filled with raw ``executemany`` inserts (building 10,000 sessions through the
repository would take minutes) after ``open_database`` has created the real schema. Sessions
mix one-stage drills and full loops over the built-in banks, each question with an answer, a
follow-up, a second answer, sometimes a hint, and a grade scored on every rubric criterion.
"""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.measure import Row, median_time
from interview_sim.banks import Catalog, load_catalog
from interview_sim.models import LOOP_ORDER, Stage
from interview_sim.progress.compute import compute_progress
from interview_sim.progress.drill import plan_recommended_drill
from interview_sim.store import Repository, open_database
from interview_sim.store.schema import default_candidate

START = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
LOOP_COUNTS = {Stage.CODING: 1, Stage.SYSTEM_DESIGN: 1, Stage.ML_DEPTH: 2, Stage.BEHAVIORAL: 2}
LOOP_SHARE = 0.5
"""Half loops (6 questions), half drills (1-3): about 4 graded answers per session, so 10,000
sessions hold about 40,000."""
ANSWER = (
    "I would start from the requirements and the metric we care about, then describe a simple"
    " baseline, how I would validate it offline on a time-based split, and what I would monitor"
    " once it is live, including delayed labels and drift in the input features. "
) * 3


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def build_database(path: Path, sessions: int, catalog: Catalog, seed: int = 7) -> None:
    """Fill a fresh database at ``path`` with ``sessions`` completed synthetic sessions."""
    open_database(str(path)).dispose()
    rng = random.Random(seed)
    by_stage = {stage: catalog.by_stage(stage) for stage in Stage}
    rows: dict[str, list[tuple[Any, ...]]] = {
        "sessions": [],
        "stages": [],
        "turns": [],
        "grades": [],
        "criterion_scores": [],
    }
    grade_id = 0
    for sid in range(1, sessions + 1):
        started = START + timedelta(hours=sid * 1.7)
        if rng.random() < LOOP_SHARE:
            stages = LOOP_ORDER
            picks = [q for s in stages for q in rng.sample(by_stage[s], LOOP_COUNTS[s])]
            mode = "loop"
        else:
            stage = rng.choice(LOOP_ORDER)
            picks = rng.sample(by_stage[stage], rng.randint(1, 3))
            mode = "drill"
        plan = [{"stage": q.stage.value, "question_id": q.id} for q in picks]
        at = started
        for q in picks:
            at += timedelta(seconds=30)
            rows["turns"].append((sid, q.stage.value, q.id, "question", q.prompt, None, _stamp(at)))
            if q.hints and rng.random() < 0.2:
                at += timedelta(seconds=40)
                rows["turns"].append(
                    (sid, q.stage.value, q.id, "hint", q.hints[0], None, _stamp(at))
                )
            at += timedelta(seconds=rng.randint(60, 400))
            rows["turns"].append((sid, q.stage.value, q.id, "answer", ANSWER, None, _stamp(at)))
            if q.follow_ups:
                at += timedelta(seconds=5)
                f = q.follow_ups[0]
                rows["turns"].append(
                    (sid, q.stage.value, q.id, "follow_up", f.text, f.criterion, _stamp(at))
                )
                at += timedelta(seconds=rng.randint(30, 200))
                rows["turns"].append((sid, q.stage.value, q.id, "answer", ANSWER, None, _stamp(at)))
            rubric = catalog.rubric_for(q)
            levels = [min(4, max(0, round(rng.gauss(2.2, 1.0)))) for _ in rubric.criteria]
            total = sum(levels) / len(levels)
            signal = rubric.signal_for(total).value
            grade_id += 1
            detail = {
                "question_id": q.id,
                "stage": q.stage.value,
                "total": total,
                "hire_signal": signal,
                "scorer": "bench",
                "scorer_version": "1",
                "rubric_id": rubric.id,
                "rubric_version": rubric.version,
                "hints_used": 0,
            }
            rows["grades"].append(
                (
                    grade_id,
                    sid,
                    q.stage.value,
                    q.id,
                    total,
                    signal,
                    rubric.id,
                    rubric.version,
                    json.dumps(detail),
                    _stamp(at),
                )
            )
            for c, level in zip(rubric.criteria, levels, strict=True):
                evidence = json.dumps([ANSWER[:120]] if level >= 2 else [])
                rows["criterion_scores"].append(
                    (grade_id, c.id, level, evidence, f"level {level}", "[]")
                )
        for stage in dict.fromkeys(q.stage for q in picks):
            rows["stages"].append((sid, stage.value, 1800, _stamp(started), _stamp(at)))
        rows["sessions"].append(
            (sid, mode, json.dumps(plan), _stamp(started), _stamp(at), f"{sid:032x}")
        )
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "INSERT INTO sessions (id, mode, status, plan, started_at, finished_at, uuid,"
            " candidate) VALUES (?, ?, 'completed', ?, ?, ?, ?, ?)",
            [(*row, default_candidate()) for row in rows["sessions"]],
        )
        con.executemany(
            "INSERT INTO stages (session_id, stage, budget_seconds, started_at, finished_at)"
            " VALUES (?, ?, ?, ?, ?)",
            rows["stages"],
        )
        con.executemany(
            "INSERT INTO turns (session_id, stage, question_id, kind, text, criterion, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows["turns"],
        )
        con.executemany(
            "INSERT INTO grades (id, session_id, stage, question_id, total, hire_signal, scorer,"
            " scorer_version, rubric_id, rubric_version, detail, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'bench', '1', ?, ?, ?, ?)",
            rows["grades"],
        )
        con.executemany(
            "INSERT INTO criterion_scores (grade_id, criterion, level, evidence, rationale, missed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows["criterion_scores"],
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _median(action: Callable[[], object], repeats: int) -> float:
    return round(median_time(action, repeats), 4)


def run_bench(
    sessions: int = 10_000, repeats: int = 5, workdir: Path | None = None
) -> dict[str, Any]:
    """Build the synthetic database and time the history listing and progress on it."""
    catalog = load_catalog()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        path = Path(tmp) / "bench.db"
        began = time.perf_counter()
        build_database(path, sessions, catalog)
        build_seconds = time.perf_counter() - began
        size = path.stat().st_size
        engine = open_database(str(path))
        repo = Repository(engine)
        now = datetime.now(UTC)

        def progress() -> None:
            report = compute_progress(repo, catalog, now=now)
            plan_recommended_drill(catalog, report.weak_areas, report.questions, now=now)

        result = {
            "sessions": sessions,
            "grades": sum(s.graded for s in repo.history()),
            "history_seconds": _median(repo.history, repeats),
            "history_page_seconds": _median(lambda: repo.history(limit=50), repeats),
            "progress_seconds": _median(progress, repeats),
            "db_bytes": size,
            "bytes_per_session": round(size / sessions),
            "build_seconds": round(build_seconds, 2),
            "targets": {"history_seconds": 0.3, "progress_seconds": 1.0},
        }
        engine.dispose()
    return result


def run() -> list[Row]:
    """Store-level figures only; what the user waits for is in :mod:`bench.history_screen`."""
    r = run_bench()
    n = f"{r['sessions']:,} sessions"
    return [
        Row(
            f"store only: `repo.history()` listing query, {n} (not the screen)",
            f"{r['history_seconds'] * 1000:.0f} ms",
        ),
        Row("database size per session", f"{r['bytes_per_session'] / 1024:.1f} KiB"),
    ]


if __name__ == "__main__":
    print(json.dumps(run_bench(), indent=2))
