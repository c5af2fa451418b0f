"""Least-squares trend of a short series, against session order and against calendar time."""

from __future__ import annotations

from collections.abc import Sequence

from interview_sim.progress.models import Direction, Trend, TrendPoint

STEADY_BAND = 0.1
"""A slope smaller than this many levels per session counts as steady."""

_WEEK_SECONDS = 7 * 24 * 3600
MIN_WEEK_SPAN_DAYS = 7.0
"""A per-week rate needs points at least this far apart: fitted over a day or two, it is an
extrapolation (two same-day sessions a few minutes apart gave -2221.80/week)."""


def _slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def trend(points: Sequence[TrendPoint]) -> Trend:
    """``points`` oldest first."""
    ys = [p.level for p in points]
    per_session = _slope([float(i) for i in range(len(points))], ys)
    first = points[0].at if points else None
    weeks = [(p.at - first).total_seconds() / _WEEK_SECONDS for p in points] if first else []
    span_days = round((max(weeks) - min(weeks)) * 7, 3) if weeks else None
    enough = span_days is not None and span_days >= MIN_WEEK_SPAN_DAYS
    per_week = _slope(weeks, ys) if enough else None
    direction: Direction
    if per_session is None:
        direction = "unknown"
    elif per_session > STEADY_BAND:
        direction = "improving"
    elif per_session < -STEADY_BAND:
        direction = "declining"
    else:
        direction = "steady"
    return Trend(
        per_session=None if per_session is None else round(per_session, 3),
        per_week=None if per_week is None else round(per_week, 3),
        span_days=span_days,
        direction=direction,
        points=list(points),
    )
