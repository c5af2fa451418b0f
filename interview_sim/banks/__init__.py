"""Question banks and rubrics: loading, validation and lookup."""

from interview_sim.banks.catalog import Catalog, builtin_bank_dirs, builtin_rubric_dir
from interview_sim.banks.loader import BankError, BankIssue, load_catalog

__all__ = [
    "BankError",
    "BankIssue",
    "Catalog",
    "builtin_bank_dirs",
    "builtin_rubric_dir",
    "load_catalog",
]
