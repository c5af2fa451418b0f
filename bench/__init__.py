"""Benchmarks: ``python -m bench`` runs them all and prints one table (quoted in the README)."""
