"""The transcript as chat bubbles: interviewer on the left, the candidate on the right."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Markdown

from interview_sim.tui.present import ChatEntry


class ChatBubble(Vertical):
    """One turn: a caption line and the Markdown-rendered text."""

    def __init__(self, entry: ChatEntry) -> None:
        super().__init__(classes=f"bubble -{entry.role}")
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield Label(self.entry.caption, classes="caption", markup=False)
        yield Markdown(self.entry.body, classes="body")


class ChatLog(VerticalScroll):
    """Scrolls to the newest bubble as turns arrive."""

    def on_mount(self) -> None:
        self.anchor()

    async def add_entries(self, entries: Iterable[ChatEntry]) -> None:
        bubbles = [ChatBubble(entry) for entry in entries]
        if bubbles:
            await self.mount_all(bubbles)
            self.scroll_end(animate=False)

    async def add_note(self, text: str) -> None:
        """A line from the app itself (not stored), such as a repeated question."""
        await self.add_entries([ChatEntry("system", "Note", text)])
