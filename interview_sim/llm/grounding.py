"""Keep the judge honest: evidence must be words the candidate actually wrote.

A quote counts when it appears in the answer after whitespace and case are normalised. An
unsupported quote is dropped and the criterion's level capped, so a judge that invents
evidence cannot also invent credit.
"""

from __future__ import annotations

from dataclasses import dataclass

UNSUPPORTED_CAP = 2
"""Highest level a criterion keeps when the judge cited a quote that is not in the answer."""
NO_EVIDENCE_CAP = 1
"""Highest level a criterion keeps when no supported quote remains for it."""

_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019`\u00ab\u00bb "


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Grounded:
    level: int
    evidence: list[str]
    dropped: list[str]

    @property
    def note(self) -> str:
        """Appended to the rationale so the reader sees why a level was lowered."""
        if not self.dropped:
            return ""
        return f" [{len(self.dropped)} quote(s) not found in the answer were dropped]"


def ground(level: int, quotes: list[str], answer: str) -> Grounded:
    haystack = normalise(answer)
    kept: list[str] = []
    dropped: list[str] = []
    for quote in quotes:
        bare = quote.strip(_QUOTE_MARKS)
        needle = normalise(bare.rstrip(".…"))
        if needle and needle in haystack:
            if bare not in kept:
                kept.append(bare)
        else:
            dropped.append(quote)
    if dropped:
        level = min(level, UNSUPPORTED_CAP)
    if not kept:
        level = min(level, NO_EVIDENCE_CAP)
    return Grounded(level, kept, dropped)
