"""The optional LLM interviewer and judge, reached through any OpenAI-compatible endpoint.

Nothing here is required: without an endpoint the offline policy and scorer run, and with one
every failure falls back to them visibly (see ``engine.engine`` for the streaming contract).

The package itself imports nothing: ``openai`` is slow to import, and offline runs and the TUI's
start-up must not pay for it. Import from the submodules (``llm.components``, ``llm.checks``).
"""
