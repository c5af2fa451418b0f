"""Render a :class:`SessionReport` as Markdown or as one self-contained HTML file, and the
progress review as plain text.

The HTML inlines its CSS (including the Pygments colours for highlighted code) and loads
nothing from the network, so it can be mailed, archived or printed as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from jinja2 import Environment
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from interview_sim.templating import template_environment

if TYPE_CHECKING:  # annotations only: `progress` renders without the session report's builder
    from interview_sim.progress.review import Review
    from interview_sim.reports.build import SessionReport

ReportFormat = Literal["md", "html"]
_FORMATTER = HtmlFormatter(style="friendly", cssclass="hl")


def _highlight(code: str, language: str = "python") -> Markup:
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = TextLexer()
    return Markup(highlight(code, lexer, _FORMATTER))


def _quote(text: str) -> str:
    """A Markdown blockquote that keeps every line inside the quote."""
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _sentence(text: str) -> str:
    """End a stored rationale with a full stop so the text after it reads as a new sentence."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _environment() -> Environment:
    env = template_environment("templates/reports")
    env.filters["highlight"] = _highlight
    env.filters["quote"] = _quote
    env.filters["sentence"] = _sentence
    env.filters["label"] = lambda value: str(value).replace("_", " ")
    css: str = _FORMATTER.get_style_defs(".hl")  # type: ignore[no-untyped-call]
    env.globals["pygments_css"] = Markup(css)
    return env


def render_report(report: SessionReport, fmt: ReportFormat) -> str:
    template = _environment().get_template(f"session.{fmt}.j2")
    return template.render(r=report)


def render_progress(result: Review) -> str:
    """Plain text for ``interview-sim progress``."""
    template = _environment().get_template("progress.txt.j2")
    return template.render(p=result.progress, drill=result.drill)
