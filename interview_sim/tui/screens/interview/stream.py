"""The interviewer's follow-up as it streams in: shown as it arrives, replaced by the committed
turn once the engine call returns, so nothing is shown twice and nothing unsaved stays."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from interview_sim.engine import FollowUpChunk, FollowUpStarted
from interview_sim.tui.present import ChatEntry
from interview_sim.tui.widgets import ChatBubble, ChatLog


class LiveFollowUpText(Message):
    """Posted from the worker thread; handled in order, before the worker's result."""

    def __init__(self, item: FollowUpStarted | FollowUpChunk) -> None:
        super().__init__()
        self.item = item


@dataclass
class _Live:
    bubble: ChatBubble
    stream: MarkdownStream


class LiveFollowUp:
    """At most one live bubble at the end of the chat."""

    def __init__(self, chat: Callable[[], ChatLog]) -> None:
        self._chat = chat
        self._live: _Live | None = None

    async def show(self, item: FollowUpStarted | FollowUpChunk) -> None:
        if isinstance(item, FollowUpStarted):
            await self.finish()
            bubble = ChatBubble(ChatEntry("interviewer", "Interviewer · follow-up (live)", ""))
            await self._chat().mount(bubble)
            self._live = _Live(bubble, Markdown.get_stream(bubble.query_one(Markdown)))
        elif self._live is not None:
            await self._live.stream.write(item.text)
            self._chat().scroll_end(animate=False)

    async def finish(self) -> None:
        """The committed turn replaces the live bubble (or the call failed): remove it."""
        if self._live is not None:
            live, self._live = self._live, None
            await _stop(live.stream)
            await live.bubble.remove()


async def _stop(stream: MarkdownStream) -> None:
    """Stop a stream even before its task first ran (a call that failed at once, on a busy
    machine): Textual's ``stop()`` cancels that task and awaits it, and a task cancelled before
    it started re-raises ``CancelledError`` into the caller, which ended the interview screen's
    message loop and froze the screen. Our own cancellation still propagates."""
    try:
        await stream.stop()
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
