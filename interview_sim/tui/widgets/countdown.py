"""A countdown whose colour follows the time left: calm, then warning, then over."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from interview_sim.tui.present import clock_text
from interview_sim.tui.timing import Countdown

_LEVELS = ("ok", "low", "critical", "over")


class CountdownLabel(Static):
    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(f"{title} --:--", id=id, classes="countdown -ok")
        self.title = title

    def show(self, countdown: Countdown | None, now: datetime) -> str:
        """Redraw for ``now``; returns the level so the screen can react to expiry."""
        if countdown is None:
            self.update(f"{self.title} --:--")
            level = "ok"
        else:
            left = countdown.remaining(now)
            suffix = " over" if left <= 0 else ""
            self.update(f"{self.title} {clock_text(left)}{suffix}")
            level = countdown.level(now)
        for name in _LEVELS:
            self.set_class(name == level, f"-{name}")
        return level
