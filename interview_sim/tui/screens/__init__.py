"""One module per screen."""

from interview_sim.tui.screens.drill_dialog import DrillChoice, DrillDialog
from interview_sim.tui.screens.help import HelpScreen
from interview_sim.tui.screens.history import HistoryScreen
from interview_sim.tui.screens.home import HomeScreen
from interview_sim.tui.screens.interview import InterviewScreen
from interview_sim.tui.screens.scorecard import ScorecardScreen
from interview_sim.tui.screens.session_detail import SessionDetailScreen
from interview_sim.tui.screens.settings import SettingsScreen
from interview_sim.tui.screens.summary import SummaryScreen

__all__ = [
    "DrillChoice",
    "DrillDialog",
    "HelpScreen",
    "HistoryScreen",
    "HomeScreen",
    "InterviewScreen",
    "ScorecardScreen",
    "SessionDetailScreen",
    "SettingsScreen",
    "SummaryScreen",
]
