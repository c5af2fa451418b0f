"""Scripted answers for headless runs: from a YAML/JSON file, or stdin line by line.

An answer is text, or for a coding question a mapping that submits code:
``{code: "def f(...): ..."}`` or ``{code_file: solution.py}`` (relative to the answers file),
with ``run_examples: true`` to run the visible examples first, as a candidate would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import BaseModel, ConfigDict, RootModel, ValidationError, model_validator


class AnswersError(Exception):
    pass


class CodeAnswer(BaseModel):
    """Code to submit for a coding question; ``code_file`` is read when the script loads."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = None
    code_file: Path | None = None
    run_examples: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> CodeAnswer:
        if (self.code is None) == (self.code_file is None):
            raise ValueError("give exactly one of code or code_file")
        return self

    @property
    def text(self) -> str:
        return self.code or ""


Answer = str | CodeAnswer


class AnswerScript(BaseModel):
    """Answers per question id, or per position in the plan when given as a list of lists."""

    by_id: dict[str, list[Answer]] = {}
    by_position: list[list[Answer]] = []

    def for_question(self, question_id: str, position: int) -> list[Answer]:
        if question_id in self.by_id:
            return self.by_id[question_id]
        if position < len(self.by_position):
            return self.by_position[position]
        return []


class _Raw(RootModel[dict[str, list[Answer] | Answer] | list[list[Answer] | Answer]]):
    pass


def _resolved(answer: Answer, base: Path) -> Answer:
    """Read ``code_file`` now, so a missing file is reported before the interview starts."""
    if isinstance(answer, str) or answer.code_file is None:
        return answer
    path = answer.code_file if answer.code_file.is_absolute() else base / answer.code_file
    try:
        code = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswersError(f"cannot read code file {path}: {exc}") from exc
    return CodeAnswer(code=code, run_examples=answer.run_examples)


def _answers(value: list[Answer] | Answer, base: Path) -> list[Answer]:
    items = value if isinstance(value, list) else [value]
    return [_resolved(a, base) for a in items]


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
            f" from question id to a list of answers; an answer is text or a mapping with"
            f" code or code_file ({exc.error_count()} problems)"
        ) from exc
    base = path.parent
    if isinstance(raw, dict):
        return AnswerScript(by_id={k: _answers(v, base) for k, v in raw.items()})
    return AnswerScript(by_position=[_answers(v, base) for v in raw])


def stdin_answers(stream: TextIO) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line.rstrip("\n")
