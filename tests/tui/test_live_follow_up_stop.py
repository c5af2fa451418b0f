"""A live follow-up stopped before its stream ever ran leaves the screen working.

A follow-up that starts streaming and fails at once (an endpoint that died, on a busy machine)
is finished before Textual's stream task first runs; stopping that stream used to raise
``CancelledError`` into the screen's message handler, which ended the screen's message loop:
the interview froze with the answer typed and nothing else ever handled.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from interview_sim.engine import FollowUpChunk, FollowUpStarted
from interview_sim.tui.screens.interview.stream import LiveFollowUp
from interview_sim.tui.widgets import ChatBubble, ChatLog


class _Chat(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fail_at_once"),
        Binding("s", "stream_then_finish"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.live = LiveFollowUp(lambda: self.query_one(ChatLog))
        self.handled = 0

    def compose(self) -> ComposeResult:
        yield ChatLog()

    async def action_fail_at_once(self) -> None:
        await self.live.show(FollowUpStarted(criterion="depth"))
        await self.live.finish()  # no await between: the stream's task has not started
        self.handled += 1

    async def action_stream_then_finish(self) -> None:
        await self.live.show(FollowUpStarted(criterion="depth"))
        await self.live.show(FollowUpChunk(text="What would you try first?"))
        await self.live.finish()
        self.handled += 1


async def test_a_follow_up_that_fails_before_its_stream_ran_leaves_the_screen_working() -> None:
    app = _Chat()
    async with app.run_test() as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("f")  # times out if the first press ended the message loop
        await pilot.pause()
        assert app.handled == 2
        assert not app.query(ChatBubble)


async def test_a_streamed_follow_up_is_removed_when_finished() -> None:
    app = _Chat()
    async with app.run_test() as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.handled == 1
        assert not app.query(ChatBubble)
