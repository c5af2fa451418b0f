"""One factory for every jinja2 environment: prompts, reports, scorecards and run reports.

The options that decide what a template means are the same everywhere: a missing value is an
error (``StrictUndefined``), not a blank; only ``.html.j2`` templates are HTML-escaped; a
file's last newline is kept. Only the block-tag whitespace differs, and only where a template
was written for it. Every environment has the ``markdown_literal`` filter for text that a
Markdown template must show exactly as written (quoted evidence).
"""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]]|~(?=~)|(?<=~)~|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
"""Characters Markdown would read as markup inside a line: emphasis ("O(n*L)" lost its "*"),
code, links, strikethrough ("~~"), HTML tags and entities. "p < 0.05" and "A&B" mean nothing to
Markdown and stay as they are, so the raw file stays readable."""
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+(?=[.)]))", re.MULTILINE)
"""What only means something at the start of a line: a heading, a quote, a list item."""


def markdown_literal(text: str) -> str:
    """``text`` escaped so that Markdown shows every character of it, nothing more or less."""
    escaped = _MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(), text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker[0].isdigit():  # "1. " or "1) ": escape the punctuation after the number
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"


def template_environment(folder: str, *, trim_blocks: bool = True) -> Environment:
    """An environment for the templates in ``folder``, relative to the ``interview_sim``
    package (``"templates/reports"``, ``"tui/templates"``).

    ``trim_blocks`` also strips the spaces before a block tag (``lstrip_blocks``), so a
    ``{% if %}`` on its own line leaves no blank line; ``False`` is for templates that place
    their whitespace by hand with ``{%-`` and ``-%}``.
    """
    env = Environment(
        loader=PackageLoader("interview_sim", folder),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        keep_trailing_newline=True,
    )
    env.filters["markdown_literal"] = markdown_literal
    return env
