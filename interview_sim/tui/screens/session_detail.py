"""One past session: its transcript and its scorecards, and resume if it is unfinished."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown, TabbedContent, TabPane

from interview_sim.models import SessionStatus
from interview_sim.progress.packet import mastered_questions
from interview_sim.tui.context import AppContext
from interview_sim.tui.messages import OpenInterview
from interview_sim.tui.present import chat_entries
from interview_sim.tui.render import scorecard_markdown, summary_markdown
from interview_sim.tui.widgets import ChatLog


class SessionDetailScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="session.back"),
        Binding("r", "resume", "Resume", id="session.resume"),
        Binding("m", "reveal", "Model answers", id="session.reveal"),
    ]

    def __init__(self, context: AppContext, session_id: int) -> None:
        super().__init__()
        self.context = context
        self.session_id = session_id
        services = context.services
        self.summary = services.engine.summary(session_id)
        self.mastered = mastered_questions(services.repo)
        self.turns = services.repo.turns(session_id)
        self.revealed = False

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Label(
            f"Session {s.id} · {s.mode.value} · {s.status.value.replace('_', ' ')} · "
            f"started {s.started_at:%Y-%m-%d %H:%M}",
            classes="screen-title",
        )
        with TabbedContent(initial="scorecards"):
            with TabPane("Scorecards", id="scorecards"), VerticalScroll():
                yield Markdown(self._scorecards(), id="detail-scorecards")
            with TabPane("Transcript", id="transcript"):
                yield ChatLog(id="detail-chat")
        yield Footer()

    async def on_mount(self) -> None:
        await self.query_one(ChatLog).add_entries(
            chat_entries(self.turns, self.context.services.catalog)
        )

    def _scorecards(self) -> str:
        catalog = self.context.services.catalog
        grades = [g for r in self.summary.results for g in r.grades]
        if not grades:
            return "No question of this session has been graded yet."
        head = summary_markdown(self.summary, catalog, drill_key=False, mastered=self.mastered)
        body = scorecard_markdown(grades, catalog, self.turns, reveal=self.revealed)
        return f"{head}\n---\n\n{body}"

    async def action_reveal(self) -> None:
        self.revealed = not self.revealed
        await self.query_one("#detail-scorecards", Markdown).update(self._scorecards())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.summary.status == SessionStatus.IN_PROGRESS
        return True

    def action_resume(self) -> None:
        self.post_message(OpenInterview(self.session_id))

    def action_back(self) -> None:
        self.app.pop_screen()
