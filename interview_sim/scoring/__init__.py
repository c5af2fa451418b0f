"""Scorers that turn a candidate's answers into a rubric grade."""

from interview_sim.scoring.offline import Assessment, OfflineRubricScorer

__all__ = ["Assessment", "OfflineRubricScorer"]
