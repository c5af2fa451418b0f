"""Wire settings into a ready engine, and start sessions on it: the one place the CLI and the
TUI build their core from, so ``interview-sim run`` and the app plan and store a session alike."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_sim.banks import BankError, Catalog, load_catalog
from interview_sim.config import Settings
from interview_sim.errors import InterviewSimError
from interview_sim.models import Difficulty, PlannedQuestion, SessionMode, SessionOrigin, Stage

if TYPE_CHECKING:
    from interview_sim.engine import InterviewEngine
    from interview_sim.grading import InterviewerPolicy, Scorer
    from interview_sim.llm.client import UsageMeter
    from interview_sim.progress.models import RecommendedDrill
    from interview_sim.store import Repository

RECENT_SESSIONS = 20
"""Questions from this many recent sessions are planned last."""


class SetupError(InterviewSimError):
    """The banks or the database cannot be opened; the message says which and why."""


PlanCheck = Callable[[list[PlannedQuestion]], None]
"""Looks at a plan before its session is stored and raises to refuse it (the CLI checks that
an answers file can answer it)."""


@dataclass(frozen=True)
class Services:
    settings: Settings
    catalog: Catalog
    repo: Repository
    engine: InterviewEngine
    llm_usage: UsageMeter | None = None
    """Tokens per LLM call in this process; None when running offline."""

    # Starting a session. Each builds the plan (the planner's rules, recently seen questions
    # last) and stores the session with its origin; the repository names the candidate. A plan
    # the banks cannot supply raises PlanError, an unknown question id EngineError.

    def start_loop(
        self,
        *,
        per_stage: int | None = None,
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
        before_storing: PlanCheck | None = None,
    ) -> StartedSession:
        """Every stage; ``per_stage`` questions each, else the settings' count per stage."""
        from interview_sim.engine import plan_loop

        counts = dict(self.settings.questions_per_stage)
        if per_stage is not None:
            counts = {stage: per_stage for stage in Stage}
        plan = plan_loop(self.catalog, counts, self.recently_seen())
        return self._start(SessionMode.LOOP, plan, origin, before_storing)

    def start_drill(
        self,
        stage: Stage,
        *,
        count: int | None = None,
        difficulty: Difficulty | None = None,
        tags: Collection[str] = (),
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
        before_storing: PlanCheck | None = None,
    ) -> StartedSession:
        """One stage; ``count`` questions, else the settings' count for the stage."""
        from interview_sim.engine import plan_drill

        plan = plan_drill(
            self.catalog,
            stage,
            count or self.settings.questions_per_stage[stage],
            difficulty=difficulty,
            tags=frozenset(tags),
            recently_seen=self.recently_seen(),
        )
        return self._start(SessionMode.DRILL, plan, origin, before_storing)

    def start_questions(
        self,
        stage: Stage,
        question_ids: list[str],
        *,
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
        before_storing: PlanCheck | None = None,
    ) -> StartedSession:
        """Exactly these questions of ``stage``, in order: a practice session that repeats."""
        from interview_sim.engine.planner import plan_questions

        plan = plan_questions(self.catalog, stage, question_ids)
        return self._start(SessionMode.DRILL, plan, origin, before_storing)

    def start_recommended(
        self,
        drill: RecommendedDrill | None = None,
        *,
        count: int | None = None,
        origin: SessionOrigin = SessionOrigin.INTERACTIVE,
        before_storing: PlanCheck | None = None,
    ) -> StartedSession:
        """The drill the history recommends: ``drill`` when the caller has just reviewed the
        history (the app's History screen), else reviewed now for ``count`` questions."""
        from interview_sim.engine.planner import PlanError

        if drill is None:
            from interview_sim.progress.review import DRILL_SIZE, review

            drill = review(self.repo, self.catalog, count=count or DRILL_SIZE).drill
        plan = drill.plan()
        if not plan:
            raise PlanError(
                "nothing to recommend: every question has been seen and no weak answer is due"
                " again yet; drill a stage instead"
            )
        return self._start(SessionMode.DRILL, plan, origin, before_storing)

    def recently_seen(self) -> set[str]:
        """The questions of the newest sessions, which the planner puts last."""
        sessions = self.repo.list_sessions(limit=RECENT_SESSIONS)
        return {p.question_id for s in sessions for p in s.plan}

    def _start(
        self,
        mode: SessionMode,
        plan: list[PlannedQuestion],
        origin: SessionOrigin,
        before_storing: PlanCheck | None,
    ) -> StartedSession:
        if before_storing is not None:
            before_storing(plan)  # raises to refuse the plan: nothing is stored
        session_id = self.engine.start(mode, plan, origin=origin)
        return StartedSession(session_id, mode, len(plan))


@dataclass(frozen=True)
class StartedSession:
    """A session just stored, with what the CLI says of it."""

    id: int
    mode: SessionMode
    questions: int


def open_catalog(settings: Settings) -> Catalog:
    try:
        return load_catalog(settings.bank_dirs)
    except BankError as exc:
        # One line, the first problem with its file and field; `banks validate` lists them all.
        more = len(exc.issues) - 1
        rest = f" ({more} more: interview-sim banks validate lists them all)" if more else ""
        raise SetupError(f"question bank error: {exc.issues[0]}{rest}") from exc


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
    from interview_sim.scoring.neighbours import QuestionProfiles

    catalog = catalog if catalog is not None else open_catalog(settings)
    repo = open_repository(settings)
    offline = OfflineRubricScorer(profiles=QuestionProfiles(catalog.questions.values()))
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
