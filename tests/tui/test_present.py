"""The converter layer: countdown colours, phase coverage, history rows and trend bars."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from interview_sim.banks import Catalog
from interview_sim.models import (
    Stage,
    SystemDesignQuestion,
)
from interview_sim.tui.present import clock_text, covered_phases, trend_bars
from interview_sim.tui.timing import Countdown

START = datetime(2026, 1, 1, tzinfo=UTC)


def test_countdown_colour_follows_the_fraction_left() -> None:
    countdown = Countdown(600, 60, START)  # one minute used before START, running since
    at = [START + timedelta(minutes=m) for m in (0, 6.6, 8.1, 9, 11)]
    assert [countdown.level(t) for t in at] == ["ok", "low", "critical", "over", "over"]
    assert clock_text(countdown.remaining(at[1])) == "02:24"
    assert clock_text(countdown.remaining(at[4])) == "+02:00"
    paused = Countdown(600, 60)
    assert paused.remaining(START + timedelta(days=1)) == 540  # a break costs nothing


def test_phases_are_covered_by_name_or_by_their_points(catalog: Catalog) -> None:
    question = next(
        q for q in catalog.by_stage(Stage.SYSTEM_DESIGN) if isinstance(q, SystemDesignQuestion)
    )
    nothing = covered_phases(question, ["I would start coding right away."])
    assert set(nothing) == set(question.phases) and not any(nothing.values())
    first = next(iter(question.phases))
    named = covered_phases(question, [f"Let me begin with {first.replace('_', ' ')}."])
    assert named[first]
    point = question.phases[first][0] if question.phases[first] else first
    assert covered_phases(question, [point])[first]


def test_trend_bars_use_a_fixed_scale() -> None:
    assert trend_bars([0.0, 2.0, 4.0, 9.0]) == "▁▅██"
    assert trend_bars([]) == ""
