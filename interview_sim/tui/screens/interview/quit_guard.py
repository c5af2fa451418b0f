"""Leaving with typed, unsubmitted work asks once: the same work a second time leaves.

Submitted answers are stored as they are committed, so only the draft in the editor (or code
edited since the last submission) can be lost by leaving.
"""

from __future__ import annotations


class QuitGuard:
    def __init__(self) -> None:
        self._warned_for: str | None = None

    def at_risk(self, draft: str) -> bool:
        """True the first time leaving would drop this draft; False for none or a repeat."""
        if not draft or draft == self._warned_for:
            return False
        self._warned_for = draft
        return True


def leave_warning(key: str) -> str:
    return (
        f"You have unsubmitted work. Submit it with ctrl+s, or press {key} again to leave "
        "without it."
    )
