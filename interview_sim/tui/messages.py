"""Messages screens post to the app: they say what the user asked for, the app routes it."""

from __future__ import annotations

from textual.message import Message


class OpenInterview(Message):
    """Show the interview screen for a stored session (new, resumed or suggested)."""

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
