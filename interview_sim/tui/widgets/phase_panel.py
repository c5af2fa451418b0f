"""System design side panel: the phases of a design, ticked once the answers cover them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static


class PhasePanel(Vertical):
    def compose(self) -> ComposeResult:
        yield Label("Design phases", classes="panel-title")
        yield Static("", id="phase-list")

    def show(self, covered: dict[str, bool]) -> None:
        lines = [
            f"[$success]✔[/] {name.replace('_', ' ')}"
            if done
            else f"[$text-muted]○ {name.replace('_', ' ')}[/]"
            for name, done in covered.items()
        ]
        done = sum(covered.values())
        lines.append("")
        lines.append(f"{done}/{len(covered)} covered")
        self.query_one("#phase-list", Static).update("\n".join(lines))
