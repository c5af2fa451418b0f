"""The coding stage end to end: runs, submission, measured follow-ups, grade, resume, CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from interview_sim.banks import Catalog, load_catalog
from interview_sim.cli.main import main
from interview_sim.engine import CodeSubmitted, FollowUpAsked, Graded, InterviewEngine
from interview_sim.engine.engine import EngineError
from interview_sim.models import (
    CodeRunRecord,
    CodingQuestion,
    PlannedQuestion,
    SessionMode,
    Stage,
    Turn,
    TurnKind,
)
from interview_sim.sandbox import request_for, run_code
from interview_sim.store import Repository
from tests.conftest import FIXTURES, ROOT

SANDBOX = FIXTURES / "sandbox"
BANK = SANDBOX / "bank"
PROBLEM_FILE = BANK / "square_sum.yaml"
PROBLEM = "fixture_square_sum"
CORRECT = (SANDBOX / "square_sum_solution.py").read_text()
OFF_BY_ONE = "def square_sum(nums):\n    return sum(x * x for x in nums[1:])\n"


@pytest.fixture(scope="module")
def fixture_catalog() -> Catalog:
    return load_catalog([BANK])


def _engine(catalog: Catalog, repo: Repository, like: InterviewEngine) -> InterviewEngine:
    """The shared engine's scorer and policy over a catalog that includes the fixture bank."""
    return InterviewEngine(catalog, repo, like.scorer, like.policy, follow_up_limit=2)


@pytest.fixture
def coding_engine(
    fixture_catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> InterviewEngine:
    return _engine(fixture_catalog, repo, engine)


def _start(engine: InterviewEngine) -> int:
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.CODING, question_id=PROBLEM)]
    )
    engine.advance(sid)
    return sid


def test_examples_run_any_number_of_times_and_each_run_is_stored(
    coding_engine: InterviewEngine,
) -> None:
    sid = _start(coding_engine)
    first = coding_engine.run_examples(sid, OFF_BY_ONE)
    second = coding_engine.run_examples(sid, CORRECT)
    assert first.passed < first.total == 2
    assert second.passed == second.total == 2
    assert first.performance is None, "examples never run the performance case"
    runs = coding_engine.repo.code_runs(sid, PROBLEM)
    assert [(r.hidden, r.code) for r in runs] == [(False, OFF_BY_ONE), (False, CORRECT)]
    pos = coding_engine.position(sid)
    assert pos is not None and pos.turns[-1].kind == TurnKind.QUESTION, "runs are not answers"


@pytest.mark.slow  # a full sandboxed submission with its performance case
def test_failed_submission_asks_about_the_failed_case_and_the_grade_sees_the_outcome(
    coding_engine: InterviewEngine,
) -> None:
    sid = _start(coding_engine)
    events = coding_engine.submit_code(sid, OFF_BY_ONE)
    submitted, asked = events[0], events[1]
    assert isinstance(submitted, CodeSubmitted)
    assert submitted.report.performance is not None
    assert submitted.report.passed < submitted.report.total
    assert isinstance(asked, FollowUpAsked)
    assert "did not pass the hidden test 'negatives'" in asked.turn.text
    assert asked.turn.criterion == "correctness"

    pos = coding_engine.position(sid)
    assert pos is not None
    outcome = coding_engine.context(pos).code_outcome
    assert outcome is not None
    assert (outcome.passed, outcome.total) == (submitted.report.passed, 4)
    assert outcome.performance == "failed"

    # Resubmitting while the follow-up is open stores the run but asks nothing new.
    events = coding_engine.submit_code(sid, CORRECT)
    assert [type(e) for e in events] == [CodeSubmitted]
    pos = coding_engine.position(sid)
    assert pos is not None
    outcome = coding_engine.context(pos).code_outcome
    assert outcome is not None and outcome.passed == outcome.total == 4
    assert outcome.performance == "passed"

    events = coding_engine.submit_answer(sid, "The slice skipped the first value; fixed now.")
    events += coding_engine.submit_answer(sid, "O(n) time and O(1) space, one running total.")
    assert any(isinstance(e, Graded) for e in events)
    submissions = coding_engine.repo.code_runs(sid, PROBLEM, hidden=True)
    assert len(submissions) == 2


def test_too_slow_submission_is_asked_about_and_a_contradicting_claim_is_challenged(
    coding_engine: InterviewEngine, fixture_catalog: Catalog
) -> None:
    question = fixture_catalog.questions[PROBLEM]
    assert isinstance(question, CodingQuestion) and question.naive_solution is not None
    sid = _start(coding_engine)
    events = coding_engine.submit_code(sid, question.naive_solution)
    submitted, asked = events[0], events[1]
    assert isinstance(submitted, CodeSubmitted) and submitted.report.passed == 4
    assert submitted.report.performance is not None
    assert submitted.report.performance.verdict == "too_slow"
    assert isinstance(asked, FollowUpAsked) and asked.turn.criterion == "complexity"
    assert "too slow for n=30000" in asked.turn.text and "nests loops 2 deep" in asked.turn.text
    events = coding_engine.submit_answer(sid, "It is O(n) because I visit every element.")
    challenge = next(e for e in events if isinstance(e, FollowUpAsked))
    assert challenge.turn.text.startswith("You said your solution is O(n), but it was too slow")


def test_code_only_question_can_be_ended_and_graded(coding_engine: InterviewEngine) -> None:
    sid = _start(coding_engine)
    events = coding_engine.submit_code(sid, CORRECT)
    assert isinstance(events[-1], FollowUpAsked), "a passing submission continues the talk"
    graded = [e for e in coding_engine.end_question(sid) if isinstance(e, Graded)]
    assert graded and graded[0].grade.question_id == PROBLEM


def test_running_code_on_a_non_coding_question_is_an_engine_error(
    engine: InterviewEngine,
) -> None:
    plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id=_ml_depth_id(engine))]
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    with pytest.raises(EngineError, match="not a coding question"):
        engine.run_examples(sid, "def f(): pass")


def _ml_depth_id(engine: InterviewEngine) -> str:
    return next(q.id for q in engine.catalog.questions.values() if q.stage == Stage.ML_DEPTH)


def test_resume_after_a_crash_between_commit_and_follow_up(
    fixture_catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> None:
    first = _engine(fixture_catalog, repo, engine)
    sid = _start(first)
    question = fixture_catalog.questions[PROBLEM]
    assert isinstance(question, CodingQuestion)
    report = run_code(request_for(question, OFF_BY_ONE, "submission"))
    # What submit_code commits, written directly: the process "dies" before advancing.
    repo.add_code_run(
        CodeRunRecord(
            session_id=sid,
            question_id=PROBLEM,
            hidden=True,
            code=OFF_BY_ONE,
            report=report.model_dump(mode="json"),
        ),
        Turn(
            session_id=sid,
            stage=Stage.CODING,
            question_id=PROBLEM,
            kind=TurnKind.CODE_RUN,
            text=OFF_BY_ONE,
        ),
    )
    restarted = _engine(fixture_catalog, repo, engine)
    events = restarted.advance(sid)
    assert isinstance(events[0], FollowUpAsked)
    assert "hidden test 'negatives'" in events[0].turn.text
    assert restarted.advance(sid) == [], "nothing is asked twice"


def _sandbox_children(pid: int) -> list[int]:
    """Processes under ``pid``, at any depth, running the sandbox harness (not, say, the
    bubblewrap probe): the harness may sit below bwrap or a helper the app starts."""
    parents: dict[int, int] = {}
    harness: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            if b"harness.main" in cmdline:
                harness.append(int(entry.name))

    def under_app(process: int) -> bool:
        for _ in range(64):
            process = parents.get(process, 0)
            if process == pid:
                return True
            if process <= 1:
                return False
        return False

    return [h for h in harness if under_app(h)]


@pytest.mark.slow  # kills the app mid-run, then resumes: about two minutes
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_app_mid_run_leaves_no_run_behind_and_resume_completes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kill.db"
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ndef square_sum(nums):\n    time.sleep(120)\n")
    (tmp_path / "slow.yaml").write_text(json.dumps({PROBLEM: [{"code_file": str(slow)}]}))
    # Unbuffered, with the fault handler on: should the run not start, SIGABRT makes the app
    # print every thread's stack, so the failure says where it was waiting.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "PYTHONFAULTHANDLER": "1",
    }
    base = [sys.executable, "-m", "interview_sim", "--db", str(db), "--bank-dir", str(BANK)]
    said_file = (tmp_path / "run.out").open("w")
    proc = subprocess.Popen(
        [
            *base,
            "run",
            "--stage",
            "coding",
            "--tag",
            "sandbox-fixture",
            "--offline",
            "--answers",
            str(tmp_path / "slow.yaml"),
        ],
        stdout=said_file,
        stderr=subprocess.STDOUT,
        env=env,
    )
    said_file.close()  # the app holds its own copy
    deadline = time.monotonic() + 60
    while not _sandbox_children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    sandbox = _sandbox_children(proc.pid)
    if not sandbox:
        exited = proc.poll()
        if exited is None:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=30)
        said = (tmp_path / "run.out").read_text()
        pytest.fail(f"the sandbox process never started; the app exited {exited} and said:\n{said}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{p}").exists() for p in sandbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(Path(f"/proc/{p}").exists() for p in sandbox), "the run died with the app"
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM code_runs").fetchone()[0] == 0
    con.close()

    answers = SANDBOX / "coding_answers.yaml"
    result = subprocess.run(
        [*base, "resume", "1", "--offline", "--answers", str(answers)],
        capture_output=True,
        env=env,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "code submitted: 4/4 tests passed" in result.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT status FROM sessions WHERE id=1").fetchone()[0] == "completed"
    con.close()


@pytest.mark.slow  # a headless CLI run through the sandbox
def test_headless_coding_stage_with_code_from_the_answers_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "coding.db"
    argv = ["--db", str(db), "--bank-dir", str(BANK), "run", "--stage", "coding"]
    argv += ["--tag", "sandbox-fixture", "--offline", "--answers"]
    assert main([*argv, str(SANDBOX / "coding_answers.yaml"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["session"]["status"] == "completed"
    [grade] = out["grades"]
    assert grade["question_id"] == PROBLEM
    con = sqlite3.connect(db)
    runs = con.execute("SELECT hidden, report FROM code_runs ORDER BY id").fetchall()
    kinds = [r[0] for r in con.execute("SELECT kind FROM turns ORDER BY id")]
    con.close()
    assert [bool(h) for h, _ in runs] == [False, True]
    assert json.loads(runs[1][1])["performance"]["verdict"] == "passed"
    assert kinds[:2] == ["question", "code_run"]


def test_run_code_prints_verdicts_and_exits_zero_whatever_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = tmp_path / "wrong.py"
    code.write_text(OFF_BY_ONE)
    argv = ["run-code", "--problem", str(PROBLEM_FILE), "--code", str(code)]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "FAIL" in text and "expected: 5" in text and "actual:   4" in text

    assert main([*argv, "--hidden", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problem"] == PROBLEM and report["suite"] == "submission"
    assert [c["kind"] for c in report["cases"]] == ["hidden", "hidden", "hidden", "check"]
    assert report["performance"]["verdict"] == "failed"


def test_run_code_by_banked_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = tmp_path / "pair.py"
    code.write_text("def find_pair(nums, target):\n    return []\n")
    assert main(["run-code", "--problem", "pair_sum_indices", "--code", str(code)]) == 0
    out = capsys.readouterr().out
    assert "pair_sum_indices: examples (3 tests)" in out
    assert "result: 1/3 tests passed" in out


def test_run_code_usage_errors_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = tmp_path / "ok.py"
    code.write_text(CORRECT)
    assert main(["run-code", "--problem", "pair_sum", "--code", str(code)]) == 2
    assert main(["run-code", "--problem", PROBLEM, "--code", str(tmp_path / "none.py")]) == 2
    assert main(["run-code", "--problem", str(tmp_path / "none.yaml"), "--code", str(code)]) == 2
    err = capsys.readouterr().err
    assert "did you mean pair_sum_indices" in err
    assert "does not exist" in err
    assert "Traceback" not in err


def test_a_cancelled_submission_stores_nothing_and_the_question_waits(
    coding_engine: InterviewEngine,
) -> None:
    sid = _start(coding_engine)
    cancel = threading.Event()
    cancel.set()  # cancelled before the sandbox even reports: it is killed at once
    with pytest.raises(EngineError, match="cancelled"):
        coding_engine.submit_code(sid, "def f(*args):\n    while True:\n        pass\n", cancel)
    with pytest.raises(EngineError, match="cancelled"):
        coding_engine.run_examples(sid, CORRECT, cancel)
    assert coding_engine.repo.code_runs(sid, PROBLEM) == []
    pos = coding_engine.position(sid)
    assert pos is not None and [t.kind for t in pos.turns] == [TurnKind.QUESTION]
    assert coding_engine.run_examples(sid, CORRECT).passed == 2
