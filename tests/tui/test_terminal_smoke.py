"""The real app in a real terminal (tmux): keys in, screen text out, answer in the database.

Skipped where tmux is missing; CI installs it. Waits poll with a generous limit, because
start-up time depends on the machine; nothing here asserts on timing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interview_sim.models import TurnKind
from interview_sim.store import Repository, open_database

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WAIT_LIMIT = 90.0
ANSWER = "Dropout regularises by zeroing random activations during training."


def _tmux(*args: str) -> str:
    done = subprocess.run(["tmux", *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def terminal(tmp_path: Path, isolated_home: Path) -> Iterator[tuple[str, Path]]:
    name = f"interview-sim-smoke-{uuid.uuid4().hex[:8]}"
    db = tmp_path / "smoke.db"
    command = (
        f"env HOME={isolated_home} XDG_CONFIG_HOME={isolated_home / '.config'} "
        f"TERM=xterm-256color {sys.executable} -m interview_sim --db {db}"
    )
    root = Path(__file__).resolve().parents[2]
    _tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "-c", str(root), command)
    try:
        yield name, db
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)


def _wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.25)


def _screen(name: str) -> str:
    return _tmux("capture-pane", "-p", "-t", name)


def test_a_question_appears_and_the_answer_is_stored(terminal: tuple[str, Path]) -> None:
    name, db = terminal
    _wait_for(lambda: "Drill a stage" in _screen(name), "the home screen")
    _tmux("send-keys", "-t", name, "d")
    _wait_for(lambda: "Difficulty" in _screen(name), "the drill dialog")
    _tmux("send-keys", "-t", name, "C-s")
    _wait_for(lambda: "Question 1/" in _screen(name), "the first question")
    _tmux("send-keys", "-t", name, "-l", ANSWER)
    _wait_for(lambda: "zeroing random" in _screen(name), "the typed answer")
    _tmux("send-keys", "-t", name, "C-s")
    repo = Repository(open_database(str(db)))

    def stored() -> bool:
        sessions = repo.list_sessions()
        return bool(sessions) and any(
            t.kind == TurnKind.ANSWER and t.text == ANSWER for t in repo.turns(sessions[0].id)
        )

    _wait_for(stored, "the answer in the database")
    _tmux("send-keys", "-t", name, "C-q")
