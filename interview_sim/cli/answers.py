"""Scripted answers for headless runs: from a YAML/JSON file, or stdin line by line.

An answer is text, or for a coding question a mapping that submits code:
``{code: "def f(...): ..."}`` or ``{code_file: solution.py}`` (relative to the answers file),
with ``run_examples: true`` to run the visible examples first, as a candidate would.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from interview_sim.errors import InterviewSimError
from interview_sim.sandbox.models import MAX_CODE_CHARS

SHAPE = (
    "answers must be a list (one list of answers per question) or a mapping from question id"
    " to a list of answers"
)


class AnswersError(InterviewSimError):
    """The answers file or stdin cannot be used; one line naming the file and the field."""


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

    def check_ids(self, known: Collection[str], path: Path) -> None:
        """Fail before anything is stored when the file names a question no bank has."""
        unknown = sorted(set(self.by_id) - set(known))
        if unknown:
            raise AnswersError(
                f"{path}: unknown question id {', '.join(map(repr, unknown))}: not in the"
                " question banks (nothing was stored)"
            )

    def check_plan(self, planned: Sequence[str], stages: Mapping[str, str], path: Path) -> None:
        """Fail before the session is stored when a file keyed by question id answers none of
        the questions planned for this run: the session would start and wait, unanswered.

        ``planned`` is the plan's question ids in order; ``stages`` maps each answered id to
        its stage, so the message can say how to ask those questions instead.
        """
        if not self.by_id or set(self.by_id) & set(planned):
            return
        raise AnswersError(
            f"{path}: answers none of the questions this run asks ({', '.join(planned)});"
            " its ids are "
            + ", ".join(f"{q} ({stages[q]})" for q in sorted(self.by_id))
            + ": ask them with --stage STAGE --question ID (no session was started)"
        )

    def check_code(self, planned: Sequence[str], coding: Collection[str], path: Path) -> None:
        """Fail before the session is stored when code answers a question that takes no code:
        the run would stop at that question with the session left half done."""
        for position, question_id in enumerate(planned):
            answers = self.for_question(question_id, position)
            if question_id in coding or not any(isinstance(a, CodeAnswer) for a in answers):
                continue
            where = question_id if question_id in self.by_id else f"[{position}]"
            raise AnswersError(
                f"{path}: {where}: code can only answer a coding question, and"
                f" '{question_id}' is not one (no session was started)"
            )


def read_code_file(path: Path) -> str:
    """A code file as text, refused before reading when it cannot be a valid submission."""
    try:
        size = path.stat().st_size
        if size > 4 * MAX_CODE_CHARS:  # more characters than the limit, whatever the encoding
            raise AnswersError(
                f"code file too large (limit {MAX_CODE_CHARS} characters): {path} has {size} bytes"
            )
        code = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise AnswersError(f"cannot read code file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise AnswersError(f"code file {path} is not UTF-8 (byte {exc.start})") from exc
    if len(code) > MAX_CODE_CHARS:
        raise AnswersError(
            f"code file too large (limit {MAX_CODE_CHARS} characters): {path} has {len(code)}"
        )
    return code


def _kind(value: Any) -> str:
    """What a YAML value is, in YAML's words (``NoneType`` means nothing to a user)."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    names = {int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)


def _answer(value: Any, where: str, path: Path) -> Answer:
    """One answer; ``where`` is its place in the file, e.g. ``metrics_a[1]``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, dict):
        raise AnswersError(
            f"{path}: {where}: an answer is text or a mapping with code or code_file, not"
            f" {_kind(value)}"
        )
    try:
        answer = CodeAnswer.model_validate(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in (where, *error["loc"]))
        raise AnswersError(
            f"{path}: {field}: {error['msg'].removeprefix('Value error, ')}"
        ) from exc
    if answer.code_file is None:
        return answer
    code_path = (
        answer.code_file if answer.code_file.is_absolute() else path.parent / answer.code_file
    )
    return CodeAnswer(code=read_code_file(code_path), run_examples=answer.run_examples)


def _answers(value: Any, where: str, path: Path) -> list[Answer]:
    if isinstance(value, list):
        return [_answer(a, f"{where}[{i}]", path) for i, a in enumerate(value)]
    return [_answer(value, where, path)]


def load_answers(path: Path) -> AnswerScript:
    """Read and check the whole file before anything is stored; code files are read now.

    ``-`` reads the YAML from stdin, as ``grade --input -`` does (code files are then found
    from the current folder)."""
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except OSError as exc:
        raise AnswersError(f"cannot read answers file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise AnswersError(f"answers file {path} is not UTF-8 (byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise AnswersError(f"answers file {path}: invalid YAML{where}: {problem}") from exc
    if isinstance(data, dict):
        by_id = {str(k): _answers(v, str(k), path) for k, v in data.items()}
        return AnswerScript(by_id=by_id)
    if isinstance(data, list):
        return AnswerScript(by_position=[_answers(v, f"[{i}]", path) for i, v in enumerate(data)])
    raise AnswersError(f"{path}: {SHAPE}, not {_kind(data)}")


def stdin_answers(stream: TextIO) -> Iterator[str]:
    """Answer lines, decoded one by one so a line that is not UTF-8 is named, not a crash."""
    lines = getattr(stream, "buffer", None) or stream
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise AnswersError(
                    f"stdin line {number} is not UTF-8 (byte {exc.start}); answers before it"
                    " are saved"
                ) from exc
        if line.strip():
            yield line.rstrip("\n").rstrip("\r")
