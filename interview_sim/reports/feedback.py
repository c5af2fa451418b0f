"""The feedback lines a grade shows, wherever it is shown: the scorecard and the reports.

The offline scorer's feedback includes its own word count ("63 words in 4 sentence(s)",
``scoring.signals``): it counts the graded sentences' tokens, a hyphenated word or ``O(n log
n)`` as several, so beside the Communication figures (``progress.communication``) it read as
a second, different total for the same answers. Every view states one count, the
Communication one, so the scorer's line is left out everywhere by this one rule.
"""

from __future__ import annotations

import re

from interview_sim.models import Grade

_SCORER_WORD_COUNT = re.compile(r"\d+ words in \d+ sentence\(s\)")


def shown_feedback(grade: Grade) -> list[str]:
    """The grade's feedback without the scorer's own word count."""
    return [line for line in grade.feedback if not _SCORER_WORD_COUNT.fullmatch(line)]
