"""Session reports (Markdown and self-contained HTML) rendered from jinja2 templates."""
