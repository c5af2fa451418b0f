"""Scripted answers for headless runs: from a YAML/JSON file, or stdin line by line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import BaseModel, RootModel, ValidationError


class AnswersError(Exception):
    pass


class AnswerScript(BaseModel):
    """Answers per question id, or per position in the plan when given as a list of lists."""

    by_id: dict[str, list[str]] = {}
    by_position: list[list[str]] = []

    def for_question(self, question_id: str, position: int) -> list[str]:
        if question_id in self.by_id:
            return self.by_id[question_id]
        if position < len(self.by_position):
            return self.by_position[position]
        return []


class _Raw(RootModel[dict[str, list[str] | str] | list[list[str] | str]]):
    pass


def load_answers(path: Path) -> AnswerScript:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AnswersError(f"cannot read answers file {path}: {exc}") from exc
    try:
        raw = _Raw.model_validate(data).root
    except ValidationError as exc:
        raise AnswersError(
            f"{path}: answers must be a list (one list of answers per question) or a mapping"
            f" from question id to a list of answers ({exc.error_count()} problems)"
        ) from exc
    if isinstance(raw, dict):
        return AnswerScript(by_id={k: [v] if isinstance(v, str) else v for k, v in raw.items()})
    return AnswerScript(by_position=[[v] if isinstance(v, str) else v for v in raw])


def stdin_answers(stream: TextIO) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")
