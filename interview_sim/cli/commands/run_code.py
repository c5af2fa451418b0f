"""``run-code``: run a solution against a banked problem, or a single-problem bank file.

Exit 0 whenever the code ran, whatever the verdicts; 2 for a usage error; 3 when the sandbox
itself failed, so scripts can tell "my code is wrong" from "the tool is broken". With
``--input '<json args>'`` (repeatable) it runs the solution on those arguments instead and shows
each output beside the reference solution's, as an online judge does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interview_sim.banks.loader import BankIssue, load_files
from interview_sim.cli.answers import read_code_file
from interview_sim.cli.common import UserError
from interview_sim.models import CodingQuestion
from interview_sim.sandbox import (
    InputsReport,
    Isolation,
    RunReport,
    SandboxError,
    Suite,
    inputs_for,
    request_for,
    run_code,
    run_inputs,
)

if TYPE_CHECKING:  # the settings, catalog and jinja2 load only where they are used
    from jinja2 import Environment

    from interview_sim.config import Settings

HARNESS_FAILURE = 3


def _from_file(path: Path) -> CodingQuestion:
    issues: list[BankIssue] = []
    questions, _, _ = load_files([path], issues)
    if issues:
        raise UserError(f"{path} has errors:\n" + "\n".join(str(i) for i in issues))
    coding = [q for q in questions.values() if isinstance(q, CodingQuestion)]
    if len(coding) != 1:
        ids = ", ".join(q.id for q in coding) or "none"
        raise UserError(f"{path} must hold exactly one coding question (found: {ids})")
    return coding[0]


def _problem(value: str, settings: Callable[[], Settings]) -> CodingQuestion:
    """A bank file is read on its own; only a question id reads the settings and the catalog."""
    path = Path(value)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise UserError(f"problem file {path} does not exist")
        return _from_file(path)
    import difflib

    from interview_sim.services import open_catalog

    catalog = open_catalog(settings())
    question = catalog.questions.get(value)
    if isinstance(question, CodingQuestion):
        return question
    if question is not None:
        raise UserError(f"'{value}' is a {question.stage.value} question, not a coding problem")
    ids = [q.id for q in catalog.questions.values() if isinstance(q, CodingQuestion)]
    close = difflib.get_close_matches(value, ids, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UserError(
        f"no coding problem '{value}'{hint} (`interview-sim banks list --stage coding`)"
    )


def _read_code(path: Path) -> str:
    """The solution, or one line: a missing, unreadable or too large file is never run."""
    if not path.exists():
        raise UserError(f"code file {path} does not exist")
    return read_code_file(path)


def _isolation_line(report: RunReport | InputsReport) -> str:
    if report.status == "syntax_error":
        return "the code was not run"
    iso: Isolation = report.isolation
    layers = [
        iso.level
        + (" (weaker: guards inside the interpreter)" if iso.level != "bubblewrap" else ""),
        "network namespace" if iso.network_namespace else "no network namespace",
        "seccomp" if iso.seccomp else "no seccomp",
        "audit hooks" if iso.audit_hooks else "no audit hooks",
        f"{len(iso.resource_limits)} resource limits",
    ]
    return ", ".join(layers)


def _environment() -> Environment:
    from interview_sim.templating import template_environment

    return template_environment("templates/sandbox", trim_blocks=False)


def render(question: CodingQuestion, suite: str, report: RunReport, verbose: bool) -> str:
    return (
        _environment()
        .get_template("run_report.txt.j2")
        .render(
            title=question.id,
            suite=suite,
            report=report,
            verbose=verbose,
            isolation=_isolation_line(report),
        )
    )


def _inputs(texts: list[str]) -> list[list[Any]]:
    """Each ``--input`` is a JSON array of the function's positional arguments."""
    inputs = []
    for text in texts:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserError(f"--input {text!r} is not JSON: {exc}") from None
        if not isinstance(value, list):
            raise UserError(f"--input {text!r} must be a JSON array of arguments, e.g. '[1, 2]'")
        inputs.append(value)
    return inputs


def _run_inputs(args: argparse.Namespace, question: CodingQuestion, code: str) -> int:
    request = inputs_for(question, code, _inputs(args.input))
    try:
        report = run_inputs(request)
    except SandboxError as exc:
        print(f"interview-sim: the sandbox failed: {exc}", file=sys.stderr)
        return HARNESS_FAILURE
    if args.json:
        payload = {"problem": question.id, "suite": "inputs", **report.model_dump(mode="json")}
        print(json.dumps(payload, indent=2))
    else:
        template = _environment().get_template("inputs_report.txt.j2")
        text = template.render(title=question.id, report=report, isolation=_isolation_line(report))
        print(text, end="")
    return HARNESS_FAILURE if report.status == "harness_error" else 0


def _run_code(args: argparse.Namespace, settings: Callable[[], Settings]) -> int:
    """Takes the settings lazily (``Command.lazy_settings``): a problem file needs none."""
    code = _read_code(args.code)
    question = _problem(args.problem, settings)
    if getattr(args, "input", None):
        return _run_inputs(args, question, code)
    suite: Suite = "submission" if args.hidden else "examples"
    try:
        report = run_code(request_for(question, code, suite))
    except SandboxError as exc:
        print(f"interview-sim: the sandbox failed: {exc}", file=sys.stderr)
        return HARNESS_FAILURE
    if args.json:
        payload = {"problem": question.id, "suite": suite, **report.model_dump(mode="json")}
        print(json.dumps(payload, indent=2))
    else:
        print(
            render(
                question,
                "hidden and performance tests" if args.hidden else "examples",
                report,
                args.verbose,
            ),
            end="",
        )
    return HARNESS_FAILURE if report.status == "harness_error" else 0
