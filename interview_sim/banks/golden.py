"""Golden candidate answers (strong, mixed, weak) with intended levels, for scorer calibration."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from interview_sim.banks.loader import BankError, BankIssue
from interview_sim.models import Frozen, Level


class Quality(StrEnum):
    STRONG = "strong"
    MIXED = "mixed"
    WEAK = "weak"


class GoldenAnswer(Frozen):
    quality: Quality
    text: str = Field(min_length=1)
    levels: dict[str, Level]


class GoldenQuestion(Frozen):
    question_id: str
    answers: list[GoldenAnswer] = Field(min_length=3, max_length=3)


class GoldenFile(Frozen):
    golden: list[GoldenQuestion]


def load_golden(root: Path) -> list[GoldenQuestion]:
    """Every golden file under ``root``; problems are reported together like bank errors."""
    issues: list[BankIssue] = []
    found: list[GoldenQuestion] = []
    for path in sorted(root.glob("*.yaml")):
        try:
            found.extend(GoldenFile.model_validate(yaml.safe_load(path.read_text())).golden)
        except (yaml.YAMLError, ValidationError) as exc:
            issues.append(BankIssue(path, None, None, str(exc)))
    if issues:
        raise BankError(issues)
    return found
