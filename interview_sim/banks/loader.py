"""Read bank and rubric files (YAML), validate them, and report every problem at once.

Users write these files by hand, so errors must name the file, the question id and the field
path in plain words; a traceback would tell them nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from interview_sim.banks.catalog import Catalog, builtin_bank_dirs, builtin_rubric_dir
from interview_sim.models import AnyQuestion, Question, Rubric

_QUESTION = TypeAdapter[AnyQuestion](Question)
BANK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BankIssue:
    path: Path
    question_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.question_id:
            where += f" [{self.question_id}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.message}"


class BankError(Exception):
    """All the problems found in a set of bank files, reported together."""

    def __init__(self, issues: Sequence[BankIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


def _read_yaml(path: Path, issues: list[BankIssue]) -> Any:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        issues.append(BankIssue(path, None, None, f"not UTF-8 text (byte {exc.start})"))
        return None
    except OSError as exc:
        issues.append(BankIssue(path, None, None, f"cannot read file: {exc.strerror}"))
        return None
    import yaml  # only when a bank file is read: a cached catalog needs no YAML parser

    # libyaml's safe loader parses the built-in banks about ten times faster than the pure-Python
    # one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        issues.append(BankIssue(path, None, None, f"bad YAML{at}: {problem}"))
        return None


def _field_path(loc: Iterable[int | str]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("coding", "system_design", "ml_depth", "behavioral"):
            continue  # discriminator tag added by pydantic, not a user field
        else:
            parts.append(f".{item}" if parts else item)
    return "".join(parts)


def _validation_issues(path: Path, qid: str | None, exc: ValidationError) -> list[BankIssue]:
    return [
        BankIssue(path, qid, _field_path(err["loc"]) or None, err["msg"])
        for err in exc.errors(include_url=False)
    ]


def _bank_files(paths: Iterable[Path]) -> list[Path]:
    """Every bank file once, even when a folder is also inside a built-in one."""
    files: dict[Path, Path] = {}
    for root in paths:
        found = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in found:
            if path.suffix in BANK_SUFFIXES:
                files.setdefault(path.resolve(), path)
    return list(files.values())


def _is_rubric(data: object) -> bool:
    return isinstance(data, dict) and "criteria" in data and "questions" not in data


def _add_questions(
    path: Path,
    data: object,
    questions: dict[str, AnyQuestion],
    origin: dict[str, Path],
    issues: list[BankIssue],
) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        issues.append(
            BankIssue(path, None, "questions", "file must be a mapping with a 'questions' list")
        )
        return
    stage = data.get("stage")
    for index, raw in enumerate(data["questions"]):
        qid = raw.get("id") if isinstance(raw, dict) else None
        label = str(qid) if qid else f"questions[{index}]"
        if not isinstance(raw, dict):
            issues.append(BankIssue(path, label, None, "each question must be a mapping"))
            continue
        try:
            question = _QUESTION.validate_python({"stage": stage, **raw})
        except ValidationError as exc:
            issues.extend(_validation_issues(path, label, exc))
            continue
        if question.id in questions:
            issues.append(
                BankIssue(path, question.id, "id", f"duplicate id, also in {origin[question.id]}")
            )
            continue
        questions[question.id] = question
        origin[question.id] = path


def _add_rubric(
    path: Path,
    data: object,
    rubrics: dict[str, Rubric],
    rubric_origin: dict[str, Path],
    issues: list[BankIssue],
) -> None:
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        rid = data.get("id") if isinstance(data, dict) else None
        issues.extend(_validation_issues(path, str(rid) if rid else None, exc))
        return
    if rubric.id in rubrics:
        issues.append(
            BankIssue(
                path, rubric.id, "id", f"duplicate rubric id, also in {rubric_origin[rubric.id]}"
            )
        )
        return
    rubrics[rubric.id] = rubric
    rubric_origin[rubric.id] = path


def load_files(
    paths: Iterable[Path], issues: list[BankIssue]
) -> tuple[dict[str, AnyQuestion], dict[str, Rubric], dict[str, Path]]:
    """Load every bank and rubric file in ``paths`` (files or folders); problems go to ``issues``.

    A file is a rubric when it has ``criteria`` and no ``questions``, so users can keep their own
    rubrics beside their banks. Returns questions, rubrics, and the file each question came from.
    """
    questions: dict[str, AnyQuestion] = {}
    rubrics: dict[str, Rubric] = {}
    origin: dict[str, Path] = {}
    rubric_origin: dict[str, Path] = {}
    for path in _bank_files(paths):
        before = len(issues)
        data = _read_yaml(path, issues)
        if len(issues) > before:
            continue
        if _is_rubric(data):
            _add_rubric(path, data, rubrics, rubric_origin, issues)
        else:
            _add_questions(path, data, questions, origin, issues)
    return questions, rubrics, origin


def _cross_check(catalog: Catalog, origin: dict[str, Path], issues: list[BankIssue]) -> None:
    for q in catalog.questions.values():
        path = origin[q.id]
        rubric = catalog.rubrics.get(q.rubric)
        if rubric is None:
            issues.append(BankIssue(path, q.id, "rubric", f"unknown rubric '{q.rubric}'"))
            continue
        known = {c.id for c in rubric.criteria}
        for i, fu in enumerate(q.follow_ups):
            if fu.criterion not in known:
                issues.append(
                    BankIssue(
                        path,
                        q.id,
                        f"follow_ups[{i}].criterion",
                        f"'{fu.criterion}' is not a criterion of rubric '{rubric.id}'",
                    )
                )


def load_catalog(
    extra_bank_dirs: Sequence[Path] = (),
    *,
    include_builtin: bool = True,
    rubric_dir: Path | None = None,
) -> Catalog:
    """Load built-in plus user banks; raise :class:`BankError` listing every problem.

    A valid set of files is cached (see ``banks.cache``); any change to them is read afresh.
    """
    from interview_sim.banks.cache import read_cached, write_cached  # not for one bank file

    issues: list[BankIssue] = []
    dirs = [*(builtin_bank_dirs() if include_builtin else []), *extra_bank_dirs]
    missing = [d for d in extra_bank_dirs if not d.exists()]
    issues.extend(BankIssue(d, None, None, "no such file or folder") for d in missing)
    roots = [rubric_dir or builtin_rubric_dir(), *dirs]
    files = _bank_files(roots)
    cached = None if missing else read_cached(files)
    if cached is not None:
        return cached
    questions, rubrics, origin = load_files(roots, issues)
    catalog = Catalog(questions=questions, rubrics=rubrics)
    _cross_check(catalog, origin, issues)
    if issues:
        raise BankError(issues)
    write_cached(files, catalog)
    return catalog
