"""What of a streamed follow-up may reach the screen, and whether the whole is a follow-up.

The interviewer shows text as it arrives, so it is cleaned as it arrives, by
:class:`VisibleText`: a reasoning model's ``<think>…</think>`` block is the model's draft, not
the interviewer's words; ANSI escape codes and control characters would drive the candidate's
terminal (the CLI prints follow-ups as they are); HTML tags are markup for some other screen.
Markdown is kept: the TUI renders it. A piece that could be the start of a tag or an escape
code is held back until the next piece shows what it is, so nothing is cut in two.

:func:`problem` then judges the finished text: one short question, not the question already
asked. Each problem is one sentence, the fallback notice's reason.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from interview_sim.grading import FollowUpFault
from interview_sim.llm.replies import ESCAPE, printable

MAX_FOLLOW_UP_CHARS = 500
"""Longer, or without a question mark, and the model is lecturing or echoing its prompt."""
REPEAT_SIMILARITY = 0.9
"""At or above this similarity to something already asked, a follow-up asks nothing new."""

ECHO_WORDS = 6
"""A follow-up of this many words or more found whole inside an earlier question echoes it;
shorter ones ("Why?") may well appear in a question and still be a fair follow-up."""

_OTHER_SPEAKER = re.compile(
    r"(^|\n)[\s*_>#-]*(candidate|interviewee|user|human)[\s*_]*(\([^)]*\))?[\s*_]*:",
    re.IGNORECASE,
)
"""A line that starts the candidate's turn: a model continuing the transcript past its own."""
_THINK_OPEN = re.compile(r"<(think|thinking|reasoning)>", re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</(think|thinking|reasoning)>", re.IGNORECASE)


class ReasoningLeak(FollowUpFault):
    """The reply closed a reasoning block it never opened: what was shown was reasoning."""


class VisibleText:
    """Feed the stream's pieces in, get back the text that may be shown, in order."""

    def __init__(self) -> None:
        self._pending = ""
        self._thinking = False
        self.thought = False
        """Whether the reply held a reasoning block (for the reason when nothing else came)."""

    def feed(self, piece: str) -> str:
        self._pending += piece
        return self._drain(final=False)

    def flush(self) -> str:
        """The rest, at the end of the stream; an unclosed reasoning block is dropped."""
        return self._drain(final=True)

    def _drain(self, *, final: bool) -> str:
        shown: list[str] = []
        text = self._pending
        while text:
            if self._thinking:
                closing = _THINK_CLOSE.search(text)
                if closing is None:
                    text = "" if final else text[_held_from(text) :]
                    break
                self._thinking = False
                text = text[closing.end() :]
                continue
            opening, closing = _THINK_OPEN.search(text), _THINK_CLOSE.search(text)
            if closing and (opening is None or closing.start() < opening.start()):
                raise ReasoningLeak("the LLM's reasoning ran into the follow-up")
            if opening:
                shown.append(text[: opening.start()])
                self._thinking = self.thought = True
                text = text[opening.end() :]
                continue
            cut = len(text) if final else _held_from(text)
            shown.append(text[:cut])
            text = text[cut:]
            break
        self._pending = text
        return printable("".join(shown))


def _held_from(text: str) -> int:
    """Where a tag or escape code that may still be arriving starts (or ``len(text)``)."""
    held = len(text)
    tag = text.rfind("<")
    if tag != -1 and ">" not in text[tag:]:
        held = tag
    escape = text.rfind("\x1b")
    if escape != -1 and ESCAPE.match(text, escape) is None:
        held = min(held, escape)
    return held


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def problem(text: str, already_asked: list[str]) -> str | None:
    """Why ``text`` cannot be asked as the follow-up, or None when it can."""
    if not text:
        return "the LLM returned an empty follow-up"
    if len(text) > MAX_FOLLOW_UP_CHARS:
        return f"the LLM reply was not one short question (over {MAX_FOLLOW_UP_CHARS} characters)"
    if _OTHER_SPEAKER.search(text):
        return "the LLM wrote the candidate's part of the conversation too"
    plain = _plain(text)
    for earlier in already_asked:
        before = _plain(earlier)
        echoed = len(plain.split()) >= ECHO_WORDS and f" {plain} " in f" {before} "
        if echoed or (plain and SequenceMatcher(None, plain, before).ratio() >= REPEAT_SIMILARITY):
            return "the LLM repeated a question already asked instead of a new follow-up"
    if "?" not in text:
        return "the LLM reply was not one short question (it asks nothing)"
    return None
