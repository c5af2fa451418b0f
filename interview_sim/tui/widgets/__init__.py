"""Reusable widgets; each module holds one."""

from interview_sim.tui.widgets.chat import ChatBubble, ChatLog
from interview_sim.tui.widgets.coding_workspace import CodingWorkspace
from interview_sim.tui.widgets.countdown import CountdownLabel
from interview_sim.tui.widgets.interview_header import InterviewHeader
from interview_sim.tui.widgets.phase_panel import PhasePanel

__all__ = [
    "ChatBubble",
    "ChatLog",
    "CodingWorkspace",
    "CountdownLabel",
    "InterviewHeader",
    "PhasePanel",
]
