"""Render the interviewer and judge prompts from the jinja2 templates in ``templates/llm``.

Prompts live in files so they can be reviewed and versioned like code; ``PROMPT_VERSION`` is
stored with every LLM grade so a score can be traced to the exact wording that produced it.
The candidate's words are always passed as delimited data (see :func:`as_data`), never spliced
into instructions.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment

from interview_sim.models import Turn, TurnKind
from interview_sim.templating import template_environment

PROMPT_VERSION = "llm-prompts-2"
TRANSCRIPT_CHARS = 3000
"""Conversation kept in a prompt (about 750 tokens): the most recent turns win."""
TURN_CHARS = 1200

ANSWER_TAG = "candidate_answer"
_TAG_LIKE = re.compile(rf"<(?=\s*/?\s*{ANSWER_TAG})", re.IGNORECASE)
"""The ``<`` of anything a lenient reader could take for our tag: any case, spaces, either end."""


@cache
def _environment() -> Environment:
    env = template_environment("templates/llm")
    env.filters["data"] = as_data
    return env


def render(template: str, **values: Any) -> str:
    return _environment().get_template(template).render(**values).strip()


def as_data(text: str) -> str:
    """Wrap candidate text in tags it cannot close early, so it stays data to the model.

    Every tag-like ``<candidate_answer`` or ``</CANDIDATE_ANSWER >`` inside the text loses its
    ``<`` (written ``&lt;``), so no reader, however loosely it matches tags, sees the block end.
    """
    safe = _TAG_LIKE.sub("&lt;", text)
    return f"<{ANSWER_TAG}>\n{safe}\n</{ANSWER_TAG}>"


_SPEAKER = {
    TurnKind.QUESTION: "Interviewer",
    TurnKind.FOLLOW_UP: "Interviewer",
    TurnKind.HINT: "Interviewer (hint)",
    TurnKind.ANSWER: "Candidate",
    TurnKind.CODE_RUN: "Candidate (code run)",
    TurnKind.SKIP: "Candidate",
}


def bounded_transcript(turns: list[Turn], budget: int = TRANSCRIPT_CHARS) -> list[tuple[str, str]]:
    """(speaker, text) pairs, newest kept first, each turn clipped, within ``budget`` chars.

    The opening question is left out: prompts show it separately and in full.
    """
    kept: list[tuple[str, str]] = []
    used = 0
    for turn in reversed(turns[1:] if turns and turns[0].kind == TurnKind.QUESTION else turns):
        text = turn.text.strip()
        if len(text) > TURN_CHARS:
            text = text[: TURN_CHARS // 2] + " […] " + text[-TURN_CHARS // 2 :]
        if used + len(text) > budget:
            break
        kept.append((_SPEAKER[turn.kind], text))
        used += len(text)
    kept.reverse()
    return kept
