"""One line under the chat for what the candidate should know but need not dismiss.

A submission's result used to be a toast, and a toast sits on the answer box the candidate is
about to type in; this line sits above it instead, and stays until the next submission or the
next question. While the session opens it says so, instead of a blank screen.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusLine(Static):
    """Hidden (no class ``-visible``) while there is nothing to say."""

    def say(self, title: str, text: str) -> None:
        self.update(Content.assemble((title, "bold"), " · ", text))
        self.add_class("-visible")

    def clear(self) -> None:
        self.remove_class("-visible")
        self.update("")
