"""Command-line shell over the engine."""
