"""The Textual terminal app: a shell over the UI-free engine and repository."""

from interview_sim.tui.app import InterviewSimApp, create_app

__all__ = ["InterviewSimApp", "create_app"]
