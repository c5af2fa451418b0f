"""A footer that shows only the keys that fit, most needed first; F1 lists them all.

Textual's footer draws every binding in a row and cuts the row at the terminal's edge, so at
80 columns the interview's footer ended in ``^n Sk``. This one keeps the bindings in their
order but leaves out the least needed ones until the rest fit whole.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

PRIORITY = (
    "submit",
    "toggle_code",
    "run",
    "stop",
    "help",
    "problem",
    "leave",
    "hint",
    "skip",
    "end_question",
    "repeat",
    "end_stage",
    "quit",
)
"""Actions, most needed first; an action not listed comes after them all."""

PALETTE = "-command-palette"
"""The class of the footer's command-palette key, docked right and always shown."""


@runtime_checkable
class FooterEntry(Protocol):
    """What the footer's keys say about themselves (Textual's ``FooterKey`` attributes)."""

    key_display: str
    description: str
    action: str


def key_width(key: FooterEntry, palette: bool = False) -> int:
    """Cells a key takes in the (non-compact) footer: `` key desc `` plus the palette's rule."""
    width = cell_len(key.key_display) + cell_len(key.description) + 3
    return width + 2 if palette else width


def fitting(keys: list[Widget], width: int) -> list[Widget]:
    """The keys to show, in their own order: the most needed ones that fit in ``width``."""
    entries = [k for k in keys if isinstance(k, FooterEntry)]
    if len(entries) != len(keys):  # something other than plain keys: leave the row alone
        return keys
    docked = [k.has_class(PALETTE) for k in keys]
    room = width - sum(
        key_width(e, palette=True) for e, d in zip(entries, docked, strict=True) if d
    )
    rank = {action: i for i, action in enumerate(PRIORITY)}
    ranked = sorted(
        (i for i in range(len(keys)) if not docked[i]),
        key=lambda i: rank.get(entries[i].action, len(PRIORITY)),
    )
    chosen: set[int] = set()
    for i in ranked:
        cells = key_width(entries[i])
        if cells <= room:
            room -= cells
            chosen.add(i)
    return [k for i, k in enumerate(keys) if i in chosen or docked[i]]


class InterviewFooter(Footer):
    _width = 0

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        self._width = self.size.width
        yield from fitting(keys, self._width) if self._width else keys

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self.call_after_refresh(self.recompose)
