"""Text from a sandbox process made safe to print: control characters become visible escapes.

What the candidate's code prints, or puts in an exception message, ends up in the user's
terminal (and in stored reports). Raw, an ``ESC [2J`` clears the screen, a carriage return and
``ESC [32mPASS`` overwrite an ``ERROR`` line, and an OSC 52 sequence writes the clipboard.
"""

from __future__ import annotations

_CONTROLS = {
    code: f"\\x{code:02x}"
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]
    if chr(code) not in "\n\t"
}
_CONTROLS.update(
    {code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
)


def inert(text: str) -> str:
    """``text`` with control characters (ESC, CR, bidi overrides...) written out as escapes.

    Newlines and tabs stay; a Windows line end reads as a plain newline.
    """
    return text.replace("\r\n", "\n").translate(_CONTROLS)


def inert_line(text: str) -> str:
    """``text`` made inert and kept on one line: newlines and tabs are written out too.

    For what a report prints inside a line (an exception's message, a value's repr): a
    newline there started a line of the code's own, so a raised ``"\\nPASS    t3\\nresult:
    12/12 tests passed"`` printed fake verdicts below the real ones.
    """
    return inert(text).replace("\n", "\\n").replace("\t", "\\t")
