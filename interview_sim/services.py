"""Wire settings into a ready engine: the one place the CLI and the TUI build their core from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_sim.banks import BankError, Catalog, load_catalog
from interview_sim.config import Settings
from interview_sim.errors import InterviewSimError

if TYPE_CHECKING:
    from interview_sim.engine import InterviewEngine
    from interview_sim.grading import InterviewerPolicy, Scorer
    from interview_sim.llm.client import UsageMeter
    from interview_sim.store import Repository


class SetupError(InterviewSimError):
    """The banks or the database cannot be opened; the message says which and why."""


@dataclass(frozen=True)
class Services:
    settings: Settings
    catalog: Catalog
    repo: Repository
    engine: InterviewEngine
    llm_usage: UsageMeter | None = None
    """Tokens per LLM call in this process; None when running offline."""


def open_catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.bank_dirs)
    except BankError as exc:
        raise SetupError(f"the question banks have errors:\n{exc}") from exc


def open_repository(settings: Settings) -> Repository:
    """The database alone, for commands that only read history (``progress``, ``sessions``):
    they skip the engine and the scorer."""
    from interview_sim.store import Repository, open_database
    from interview_sim.store.db import StoreError

    try:
        database = open_database(settings.db, candidate=settings.candidate)
        return Repository(database, candidate=settings.candidate)
    except StoreError as exc:
        raise SetupError(str(exc)) from exc


def open_services(
    settings: Settings, *, use_llm: bool | None = None, catalog: Catalog | None = None
) -> Services:
    """``use_llm`` None: the LLM interviewer and judge when an endpoint or key is configured.

    ``catalog`` reuses banks already loaded from ``settings.bank_dirs`` (the TUI after saving
    settings, and tests), since loading and validating them is the slow part.
    """
    if use_llm is None:
        use_llm = settings.llm.configured
    if use_llm and not settings.llm.configured:
        raise SetupError(
            "no LLM endpoint is configured: set llm.base_url (or OPENAI_BASE_URL) or"
            " OPENAI_API_KEY, then check it with `interview-sim doctor`"
        )
    # The engine, scorer and SQLAlchemy load here, not at import: `run-code` and `grade` only
    # need `open_catalog`.
    from interview_sim.engine import InterviewEngine
    from interview_sim.engine.policy import BankedFollowUpPolicy
    from interview_sim.scoring import OfflineRubricScorer

    catalog = catalog if catalog is not None else open_catalog(settings)
    repo = open_repository(settings)
    offline = OfflineRubricScorer()
    banked = BankedFollowUpPolicy(offline)
    scorer: Scorer = offline
    policy: InterviewerPolicy = banked
    meter: UsageMeter | None = None
    if use_llm:
        from interview_sim.llm.components import build_llm  # offline never imports openai

        llm = build_llm(settings.llm, offline, banked)
        scorer, policy, meter = llm.judge, llm.interviewer, llm.meter
    engine = InterviewEngine(
        catalog,
        repo,
        scorer,
        policy,
        follow_up_limit=settings.follow_up_limit,
        stage_minutes=settings.minutes_per_stage,
    )
    return Services(settings, catalog, repo, engine, meter)
