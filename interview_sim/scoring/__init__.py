"""Scorers that turn a candidate's answers into a rubric grade."""

from interview_sim.scoring.keyword_placeholder import PlaceholderKeywordScorer

__all__ = ["PlaceholderKeywordScorer"]
