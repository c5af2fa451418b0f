"""Shared fixtures. Every test gets its own config and data dirs: nothing touches the real ``~``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_sim.banks import Catalog, load_catalog
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.logs import stop_logging
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository, open_database

ROOT = Path(__file__).resolve().parent.parent

TIERS = {"reliability": "reliability", "content": "content", "llm_real": "real_llm"}
"""A folder's tests all carry its tier marker, so ``make test-fast`` can leave the tier out."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.relative_to(ROOT / "tests").parts
        tier = TIERS.get(parts[0]) if len(parts) > 1 else None
        if tier is not None:
            item.add_marker(tier)


# Test modules load the banks at import time, before any fixture runs: keep the catalog cache
# out of the real ``~/.cache`` from the very start.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="interview-sim-test-cache-")
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    # The log file (interview_sim.logs) lives under the state directory.
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("INTERVIEW_SIM_CONFIG", "INTERVIEW_SIM_DB", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    yield home
    stop_logging()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(open_database(str(tmp_path / "test.db")))


@pytest.fixture
def engine(catalog: Catalog, repo: Repository) -> InterviewEngine:
    scorer = OfflineRubricScorer()
    return InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer), follow_up_limit=1)
