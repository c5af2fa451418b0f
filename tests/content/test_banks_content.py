"""Content checks over the built-in banks: references pass, slow solutions fail, no dupes.

Coding problems run through the project's sandbox, exactly as a candidate's submission does, so
the verdicts below are the sandbox's own: its per-test results and its performance verdict, whose
limit is a ratio to the reference solution timed (in CPU seconds) in the same run. That ratio is
what keeps the slow-solution check stable on a loaded machine; each performance case is sized so
its slow solutions need about ten times the limit (or cannot finish at all), never a near miss.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from interview_sim.banks import load_catalog
from interview_sim.banks.catalog import builtin_bank_dirs
from interview_sim.banks.loader import BankIssue, load_files
from interview_sim.models import CodingQuestion
from interview_sim.sandbox import RunReport, RunRequest, request_for, run_code

CATALOG = load_catalog()
CODING = [q for q in CATALOG.questions.values() if isinstance(q, CodingQuestion)]
SLOW = [(q, index) for q in CODING for index in range(len(q.slow_solutions))]
SLOW_VERDICTS = {"too_slow", "failed", "error"}
"""What a slow solution may get on the performance case: too slow, or wrong/crashed at that size
(a recursion limit hit, memory exhausted); anything but passed or not run."""
SANDBOX_WORKERS = 2
"""Two sandbox runs at a time: the machine has two CPUs, and verdicts count CPU, not wall time."""

RunKey = tuple[str, str]
SandboxRuns = dict[RunKey, Future[RunReport]]


def reference_request(question: CodingQuestion) -> RunRequest:
    """The full submission (hidden tests and performance case) plus the visible examples."""
    submission = request_for(question, question.reference_solution, "submission")
    examples = request_for(question, question.reference_solution, "examples")
    return submission.model_copy(update={"cases": [*examples.cases, *submission.cases]})


def slow_request(question: CodingQuestion, index: int) -> RunRequest:
    """The full submission: a slow solution is never wrong on the hidden tests (it may time out
    on one with large values) and fails the performance case."""
    return request_for(question, question.slow_solutions[index], "submission")


@pytest.mark.parametrize("question", CODING, ids=lambda q: q.id)
def test_reference_solution_passes_every_case_in_the_sandbox(
    question: CodingQuestion, sandbox_runs: SandboxRuns
) -> None:
    report = sandbox_runs[("reference", question.id)].result()
    assert report.status == "completed", report.summary()
    expected_total = len(question.examples) + len(question.tests) + (question.check is not None)
    assert report.passed == report.total == expected_total, report.summary()
    assert len(question.tests) >= 8
    if question.performance is not None:
        assert report.performance is not None and report.performance.verdict == "passed", (
            report.summary()
        )


@pytest.mark.parametrize(
    ("question", "index"), SLOW, ids=[f"{q.id}-slow{index}" for q, index in SLOW]
)
def test_slow_solution_passes_hidden_tests_and_fails_the_performance_case(
    question: CodingQuestion, index: int, sandbox_runs: SandboxRuns
) -> None:
    report = sandbox_runs[(f"slow{index}", question.id)].result()
    assert report.total == len(question.tests) + (question.check is not None), report.summary()
    wrong = [c.name for c in report.cases if c.verdict not in ("pass", "timeout")]
    assert not wrong, report.summary()
    performance = report.performance
    assert performance is not None and performance.verdict in SLOW_VERDICTS, report.summary()


RUNS: dict[str, Callable[[CodingQuestion, int], tuple[str, RunRequest]]] = {
    test_reference_solution_passes_every_case_in_the_sandbox.__name__: lambda q, _: (
        "reference",
        reference_request(q),
    ),
    test_slow_solution_passes_hidden_tests_and_fails_the_performance_case.__name__: lambda q, i: (
        f"slow{i}",
        slow_request(q, i),
    ),
}


@pytest.fixture(scope="module")
def sandbox_runs(request: pytest.FixtureRequest) -> Iterator[SandboxRuns]:
    """Start the sandbox run of every selected sandbox test up front, two at a time.

    Each parametrised test then waits only for its own report, and the whole set takes about
    half the time of running them one after another.
    """
    with ThreadPoolExecutor(max_workers=SANDBOX_WORKERS) as pool:
        runs: SandboxRuns = {}
        for item in request.session.items:
            spec = RUNS.get(getattr(item, "originalname", ""))
            callspec = getattr(item, "callspec", None)
            if (
                spec is None
                or callspec is None
                or getattr(item, "module", None) is not request.module
            ):
                continue
            question = callspec.params["question"]
            kind, run = spec(question, callspec.params.get("index", 0))
            runs[(kind, question.id)] = pool.submit(run_code, run)
        yield runs
        for future in runs.values():
            future.cancel()


def test_every_coding_problem_has_a_performance_case_and_slow_solutions_to_reject() -> None:
    missing = [q.id for q in CODING if q.performance is None or not q.slow_solutions]
    assert not missing
    unlisted = [q.id for q in CODING if q.naive_solution not in (None, *q.slow_solutions)]
    assert not unlisted


def test_every_bank_file_is_named_after_its_question_id() -> None:
    issues: list[BankIssue] = []
    _, _, origin = load_files(builtin_bank_dirs(), issues)
    assert not issues
    misnamed = sorted(f"{path.name}: {qid}" for qid, path in origin.items() if path.stem != qid)
    assert not misnamed


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_two_questions_are_near_duplicates() -> None:
    prompts = [(q.id, _normalised(q.prompt)) for q in CATALOG.questions.values()]
    for later, (b, pb) in enumerate(prompts):
        # A matcher indexes its second text once, so reuse it against every earlier prompt;
        # the cheap upper bounds skip the full ratio for pairs that cannot be near-duplicates.
        matcher = difflib.SequenceMatcher(None, "", pb)
        for a, pa in prompts[:later]:
            matcher.set_seq1(pa)
            if matcher.real_quick_ratio() > 0.8 and matcher.quick_ratio() > 0.8:
                assert matcher.ratio() < 0.8, (a, b)


def test_every_question_has_a_model_answer_and_hints_or_follow_ups() -> None:
    for q in CATALOG.questions.values():
        assert q.model_answer.strip(), q.id
        assert q.hints or q.follow_ups, q.id


def test_every_follow_up_targets_an_existing_criterion() -> None:
    for q in CATALOG.questions.values():
        criteria = {c.id for c in CATALOG.rubric_for(q).criteria}
        assert {f.criterion for f in q.follow_ups} <= criteria, q.id
