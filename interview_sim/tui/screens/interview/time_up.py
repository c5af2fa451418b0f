"""The banner that says time is up: nothing is dropped, the candidate is asked to wrap up.

It rings the bell once per question or stage, not on every tick of the clock.
"""

from __future__ import annotations

from textual.widgets import Static

from interview_sim.engine.engine import Position

STAGE_OVER = "Stage time is up. Wrap up: ctrl+s submits your answer and closes the stage."
QUESTION_OVER = "Time is up for this question. Wrap up and submit; your answer is kept."


def time_up_notice(
    position: Position, question_level: str, stage_level: str
) -> tuple[str, str] | None:
    """What to say (a key to ring the bell once for, and the message), or None in time."""
    if stage_level == "over":
        return f"stage:{position.planned.stage.value}", STAGE_OVER
    if question_level == "over":
        return f"question:{position.question.id}", QUESTION_OVER
    return None


class TimeUpBanner(Static):
    """Shown (class ``-visible``) above the chat until the candidate submits."""

    def __init__(self, *, id: str) -> None:
        super().__init__("", id=id)
        self._warned: set[str] = set()

    def warn(self, key: str, message: str) -> None:
        self.update(message)
        self.add_class("-visible")
        if key not in self._warned:
            self._warned.add(key)
            self.app.bell()

    def clear(self) -> None:
        self.remove_class("-visible")
