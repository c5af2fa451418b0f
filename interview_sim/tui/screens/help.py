"""Every key of the screen underneath, with the binding id used to rebind it in the config."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "Close", id="help.close")
    ]

    def __init__(self, bindings: list[ActiveBinding]) -> None:
        super().__init__()
        self.listed = bindings

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Rebind a key in the config file, e.g.\n"
                "ui:\n  keys:\n    interview.submit: ctrl+j\n"
                "ctrl+p opens the command palette with this screen's actions.",
                classes="hint-text",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "Binding id", "Note")
        for active in self.listed:
            binding = active.binding
            table.add_row(
                Text(self.app.get_key_display(binding)),
                Text(binding.description),
                Text(binding.id or ""),
                Text(binding.tooltip, style="dim"),
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
