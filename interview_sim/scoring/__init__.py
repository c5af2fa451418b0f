"""Scorers that turn a candidate's answers into a rubric grade.

The scorer is loaded on first use of its names, so a caller that needs one helper
(``scoring.text.terms`` for the hiring packet) does not import the whole scorer with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interview_sim.scoring.offline import Assessment, OfflineRubricScorer

__all__ = ["Assessment", "OfflineRubricScorer"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from interview_sim.scoring import offline

        return getattr(offline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
