"""Split a turn's text into prose and code, so reports can fence or highlight the code."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from interview_sim.models import Stage, Turn, TurnKind
from interview_sim.python_source import UNPARSABLE, parse_python

_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_MARKERS = re.compile(r"^\s*(def|class|for|while|return|import|from)\b", re.MULTILINE)


class Segment(BaseModel):
    kind: Literal["text", "code"]
    text: str
    language: str = "python"


def looks_like_code(text: str) -> bool:
    """Unfenced coding answers: several lines that parse as Python and define or loop."""
    if "\n" not in text.strip() or not _CODE_MARKERS.search(text):
        return False
    try:
        parse_python(text)
    except UNPARSABLE:
        return False
    return True


def segments(turn: Turn) -> list[Segment]:
    if turn.kind == TurnKind.CODE_RUN:
        return [Segment(kind="code", text=turn.text.strip("\n"))]
    found: list[Segment] = []
    at = 0
    for match in _FENCE.finditer(turn.text):
        before = turn.text[at : match.start()].strip()
        if before:
            found.append(Segment(kind="text", text=before))
        found.append(
            Segment(
                kind="code", text=match.group(2).rstrip("\n"), language=match.group(1) or "python"
            )
        )
        at = match.end()
    rest = turn.text[at:].strip()
    if rest:
        is_code = (
            not found
            and turn.kind == TurnKind.ANSWER
            and turn.stage == Stage.CODING
            and looks_like_code(rest)
        )
        found.append(Segment(kind="code" if is_code else "text", text=rest))
    return found
