"""One factory for every jinja2 environment: prompts, reports, scorecards and run reports.

The options that decide what a template means are the same everywhere: a missing value is an
error (``StrictUndefined``), not a blank; only ``.html.j2`` templates are HTML-escaped; a
file's last newline is kept. Only the block-tag whitespace differs, and only where a template
was written for it.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def template_environment(folder: str, *, trim_blocks: bool = True) -> Environment:
    """An environment for the templates in ``folder``, relative to the ``interview_sim``
    package (``"templates/reports"``, ``"tui/templates"``).

    ``trim_blocks`` also strips the spaces before a block tag (``lstrip_blocks``), so a
    ``{% if %}`` on its own line leaves no blank line; ``False`` is for templates that place
    their whitespace by hand with ``{%-`` and ``-%}``.
    """
    return Environment(
        loader=PackageLoader("interview_sim", folder),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        keep_trailing_newline=True,
    )
