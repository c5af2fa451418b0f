"""Wire settings into a ready engine: the one place the CLI and the TUI build their core from."""

from __future__ import annotations

from dataclasses import dataclass

from interview_sim.banks import BankError, Catalog, load_catalog
from interview_sim.config import Settings
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.scoring import PlaceholderKeywordScorer
from interview_sim.store import Repository, open_database
from interview_sim.store.db import StoreError


class SetupError(Exception):
    """The banks or the database cannot be opened; the message says which and why."""


@dataclass(frozen=True)
class Services:
    settings: Settings
    catalog: Catalog
    repo: Repository
    engine: InterviewEngine


def open_catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.bank_dirs)
    except BankError as exc:
        raise SetupError(f"the question banks have errors:\n{exc}") from exc


def open_services(settings: Settings) -> Services:
    catalog = open_catalog(settings)
    try:
        repo = Repository(open_database(settings.db))
    except StoreError as exc:
        raise SetupError(str(exc)) from exc
    scorer = PlaceholderKeywordScorer()
    engine = InterviewEngine(
        catalog,
        repo,
        scorer,
        BankedFollowUpPolicy(scorer),
        follow_up_limit=settings.follow_up_limit,
        stage_minutes=settings.minutes_per_stage,
    )
    return Services(settings, catalog, repo, engine)
