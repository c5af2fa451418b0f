"""Messages screens post to the app: they say what the user asked for, the app routes it."""

from __future__ import annotations

from textual.message import Message


class OpenInterview(Message):
    """Show the interview screen for a stored session (new, resumed or suggested)."""

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id


class WorkerFailed(Message):
    """A worker raised. Textual tells only the node that ran it (``Worker.StateChanged`` does not
    bubble); nodes that run workers repost it as this message, which bubbles to the app, where
    one handler logs the traceback and says where the log is.

    Not ``textual.worker.WorkerFailed``: that is the exception Textual raises when a worker that
    exits on error fails.
    """

    def __init__(self, owner: str, name: str, group: str, error: BaseException) -> None:
        super().__init__()
        self.owner = owner
        """The class of the screen or widget that ran the worker (``HistoryScreen``)."""
        self.name = name
        self.group = group
        self.error = error
