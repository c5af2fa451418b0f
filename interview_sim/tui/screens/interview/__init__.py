"""The interview screen, split by job: one module each for the worker plumbing, the streamed
follow-up, the scorecard queue, the clock and its time-up banner, coding mode, the quit guard,
the status line and a footer that fits the terminal. ``screen.py`` wires them together."""

from interview_sim.tui.screens.interview.screen import InterviewScreen

__all__ = ["InterviewScreen"]
