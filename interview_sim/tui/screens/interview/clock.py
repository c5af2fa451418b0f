"""The candidate's time in the question, as the engine records it, and the countdowns shown.

The engine's clock runs only while the candidate is in the question: the screen opens it when
the candidate is back, pauses it for a scorecard, another screen or leaving, and beats it
every ``BEAT_SECONDS`` so a crash loses at most that much time.
"""

from __future__ import annotations

from datetime import datetime

from interview_sim.engine.engine import Position
from interview_sim.engine.timing import SessionTime
from interview_sim.tui.context import AppContext
from interview_sim.tui.timing import Deadlines, countdowns

TICK_SECONDS = 1.0
BEAT_SECONDS = 15.0
"""How often the engine hears the candidate is still in the question: a crash loses at most
this much time (the engine treats a stretch unheard of for 90 s as ended)."""


class QuestionClock:
    def __init__(self, context: AppContext, session_id: int) -> None:
        self._context = context
        self._session_id = session_id
        self.deadlines = Deadlines(None, None)
        self._beaten: datetime | None = None

    def show(self, position: Position | None, time: SessionTime) -> None:
        """Countdowns for the question on screen, from the time the engine read."""
        self.deadlines = countdowns(position, time) if position else Deadlines(None, None)

    def beat(self) -> datetime:
        """Now, telling the engine the candidate is still here if it has not heard lately."""
        now: datetime = self._context.clock()
        if self._beaten is None or (now - self._beaten).total_seconds() >= BEAT_SECONDS:
            self._beaten = now
            self._context.services.engine.beat_clock(self._session_id)
        return now

    def open(self, position: Position) -> None:
        """The candidate is back in the question: the engine's clock runs again."""
        self._context.services.engine.open_clock(self._session_id)
        self._beaten = self._context.clock()
        self.reread(position)

    def pause(self, position: Position | None) -> None:
        """The time until the candidate is back is not theirs to spend."""
        self._context.services.engine.pause_clock(self._session_id)
        self.reread(position)

    def reread(self, position: Position | None) -> None:
        if position is not None:
            time = self._context.services.engine.time(self._session_id, live=True)
            self.deadlines = countdowns(position, time)
