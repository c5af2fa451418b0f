"""Domain models: the vocabulary shared by banks, engine, scoring, storage and the shells.

Every boundary (bank files, database rows, CLI JSON) goes through these pydantic models, so a
malformed value is caught where it enters, with a field path, rather than deep inside the engine.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator


def utcnow() -> datetime:
    """Timestamps are always timezone-aware UTC so stored turns sort and compare correctly."""
    return datetime.now(UTC)


CANDIDATE_MAX_LENGTH = 128
"""The ``sessions.candidate`` column's length (store revision 0005)."""


def candidate_name(value: str) -> str:
    """A candidate name without surrounding spaces, or ``ValueError`` saying why it is none.

    One rule for the config, ``--candidate`` and imported files. A name is listed one per line
    and matched exactly, so surrounding spaces (``'ana '`` would be a second, invisible
    candidate), a blank name and control characters (a newline breaks the listing; PostgreSQL
    refuses NUL) are not names.
    """
    name = value.strip()
    if not name:
        raise ValueError("a candidate name cannot be blank")
    if len(name) > CANDIDATE_MAX_LENGTH:
        raise ValueError(f"a candidate name has at most {CANDIDATE_MAX_LENGTH} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise ValueError("a candidate name cannot hold control characters or line breaks")
    return name


class Frozen(BaseModel):
    """Base for content models: unknown fields are errors, so typos in bank files are reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(StrEnum):
    CODING = "coding"
    SYSTEM_DESIGN = "system_design"
    ML_DEPTH = "ml_depth"
    BEHAVIORAL = "behavioral"


LOOP_ORDER: tuple[Stage, ...] = (
    Stage.CODING,
    Stage.SYSTEM_DESIGN,
    Stage.ML_DEPTH,
    Stage.BEHAVIORAL,
)


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class HireSignal(StrEnum):
    STRONG_NO_HIRE = "strong_no_hire"
    NO_HIRE = "no_hire"
    LEAN_NO_HIRE = "lean_no_hire"
    LEAN_HIRE = "lean_hire"
    HIRE = "hire"
    STRONG_HIRE = "strong_hire"


Level = Annotated[int, Field(ge=0, le=4)]


class KeyPoint(Frozen):
    """A point a good answer makes; ``alternatives`` are phrasings a correct answer may use."""

    text: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    alternatives: list[str] = Field(default_factory=list)
    criterion: str | None = None
    contrasts: list[tuple[str, str]] = Field(default_factory=list)
    """Word pairs a candidate may swap to reverse this point ("user", "request"), added to the
    scorer's built-in contrast lexicon for this question."""


class Statement(Frozen):
    """A wrong statement the bank flags (a misconception or a red flag), with other ways
    candidates say it: "optimises click-through rate only" is also "the objective is CTR".

    A bank file may give a plain string for a statement with no alternatives."""

    text: str = Field(min_length=1)
    alternatives: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @property
    def phrasings(self) -> list[str]:
        return [self.text, *self.alternatives]


class FollowUp(Frozen):
    """A banked follow-up question aimed at the rubric criterion it gathers evidence for."""

    text: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    phase: str | None = None


QUESTION_ID_LENGTH = 128
"""The longest question id: the store's question-id columns hold this many characters."""
RUBRIC_ID_LENGTH = 64
"""The longest rubric or criterion id, for the same reason."""


class QuestionBase(Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=QUESTION_ID_LENGTH)
    title: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    difficulty: Difficulty = Difficulty.MEDIUM
    tags: list[str] = Field(default_factory=list)
    hints: list[str] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    model_answer: str = Field(min_length=1)
    rubric: str = Field(min_length=1)
    key_points: list[KeyPoint] = Field(default_factory=list)
    misconceptions: list[Statement] = Field(default_factory=list)


Comparator = Literal["exact", "unordered", "float"]


class IOCase(Frozen):
    """One input/output case: positional ``args`` for the candidate function and its result."""

    args: list[Any]
    expected: Any = None
    name: str | None = None


class PerformanceCase(Frozen):
    """A large input built by code so the bank file stays small.

    ``generator`` defines ``generate(n) -> list`` returning the positional arguments.
    """

    generator: str = Field(min_length=1)
    n: int = Field(gt=0)


class Complexity(Frozen):
    time: str
    space: str


class CodingQuestion(QuestionBase):
    stage: Literal[Stage.CODING] = Stage.CODING
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    starter_code: str = Field(min_length=1)
    examples: list[IOCase] = Field(default_factory=list)
    tests: list[IOCase] = Field(default_factory=list)
    check: str | None = None
    compare: Comparator = "exact"
    float_tolerance: float = 1e-6
    performance: PerformanceCase | None = None
    reference_solution: str = Field(min_length=1)
    naive_solution: str | None = None
    slow_solutions: list[str] = Field(default_factory=list)
    """Solutions the performance case must reject (too slow or wrong): the slow patterns the
    prompt warns about. ``naive_solution`` is always one of them (put first when not listed), so
    a bank file lists only the other patterns here."""
    complexity: Complexity

    @model_validator(mode="before")
    @classmethod
    def _naive_is_a_slow_solution(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("naive_solution"), str):
            return data
        slow = data.get("slow_solutions") or []
        if not isinstance(slow, list) or data["naive_solution"] in slow:
            return data
        return {**data, "slow_solutions": [data["naive_solution"], *slow]}


class SystemDesignQuestion(QuestionBase):
    stage: Literal[Stage.SYSTEM_DESIGN] = Stage.SYSTEM_DESIGN
    phases: dict[str, list[str]] = Field(default_factory=dict)
    red_flags: list[Statement] = Field(default_factory=list)


class MlDepthQuestion(QuestionBase):
    stage: Literal[Stage.ML_DEPTH] = Stage.ML_DEPTH


class BehavioralQuestion(QuestionBase):
    stage: Literal[Stage.BEHAVIORAL] = Stage.BEHAVIORAL
    competency: str = Field(min_length=1)
    signals: list[str] = Field(default_factory=list)


Question = Annotated[
    CodingQuestion | SystemDesignQuestion | MlDepthQuestion | BehavioralQuestion,
    Field(discriminator="stage"),
]
AnyQuestion = CodingQuestion | SystemDesignQuestion | MlDepthQuestion | BehavioralQuestion


class Criterion(Frozen):
    """A rubric criterion with anchored, observable descriptions for levels 0..4."""

    id: str = Field(min_length=1, max_length=RUBRIC_ID_LENGTH)
    name: str = Field(min_length=1)
    weight: float = Field(gt=0)
    description: str = ""
    levels: dict[Level, str]

    @model_validator(mode="after")
    def _all_levels_anchored(self) -> Criterion:
        if sorted(self.levels) != [0, 1, 2, 3, 4]:
            raise ValueError("levels must anchor exactly 0, 1, 2, 3 and 4")
        return self


class HireBand(Frozen):
    """Totals at or above ``min_total`` (0..4 scale) map to ``signal``."""

    min_total: float = Field(ge=0, le=4)
    signal: HireSignal


class Rubric(Frozen):
    id: str = Field(min_length=1, max_length=RUBRIC_ID_LENGTH)
    stage: Stage
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    hint_penalty: float = Field(default=0.15, ge=0, le=4)
    criteria: list[Criterion] = Field(min_length=1)
    hire_bands: list[HireBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        if not any(b.min_total == 0 for b in self.hire_bands):
            raise ValueError("hire_bands must include a band with min_total 0")
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def signal_for(self, total: float) -> HireSignal:
        bands = sorted(self.hire_bands, key=lambda b: b.min_total, reverse=True)
        for band in bands:
            if total >= band.min_total:
                return band.signal
        return bands[-1].signal

    def total(self, scores: Iterable[CriterionScore], hints_used: int = 0) -> float:
        """The grade total (0..4): levels weighted by criterion, less the hint penalty. Both
        graders (offline and the LLM judge) call this, so a total means the same from either."""
        weight = sum(c.weight for c in self.criteria)
        mean = sum(s.level * self.criterion(s.criterion).weight for s in scores) / weight
        return max(0.0, mean - hints_used * self.hint_penalty)


class TurnKind(StrEnum):
    QUESTION = "question"
    FOLLOW_UP = "follow_up"
    ANSWER = "answer"
    CODE_RUN = "code_run"
    HINT = "hint"
    SKIP = "skip"


class TurnStatus(StrEnum):
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class TurnRecord(BaseModel):
    """One exchange in the transcript: who said what, about which question, and when.

    Without the database ids, so an export carries it as it is and an import gives it new ids.
    """

    stage: Stage
    question_id: str
    kind: TurnKind
    text: str
    criterion: str | None = None
    status: TurnStatus = TurnStatus.COMPLETE
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def role(self) -> Literal["interviewer", "candidate", "system"]:
        if self.kind in (TurnKind.QUESTION, TurnKind.FOLLOW_UP, TurnKind.HINT):
            return "interviewer"
        if self.kind in (TurnKind.ANSWER, TurnKind.CODE_RUN):
            return "candidate"
        return "system"


class Turn(TurnRecord):
    """A stored turn: its row id and the session it belongs to."""

    id: int | None = None
    session_id: int


AnyTurn = TypeVar("AnyTurn", bound=TurnRecord)
_LEAVES_FOLLOW_UP_OPEN = (TurnKind.HINT, TurnKind.CODE_RUN)
"""A hint is the interviewer's; resubmitted code is not the spoken answer a follow-up asks for."""


def pending_follow_up(turns: Sequence[AnyTurn]) -> AnyTurn | None:
    """The follow-up the candidate is being asked after ``turns``, if any.

    The one rule for "which follow-up is open": what a hint is about, what ctrl+r repeats, and
    which answers count as follow-ups answered. Only an answer, a skip or the next question
    closes a follow-up; hints and code submitted after it leave it open.
    """
    for turn in reversed(turns):
        if turn.kind in _LEAVES_FOLLOW_UP_OPEN:
            continue
        return turn if turn.kind == TurnKind.FOLLOW_UP else None
    return None


def answered_follow_ups(turns: Sequence[TurnRecord]) -> int:
    """How many follow-ups an answer closed: one answered after a hint, after resubmitted code
    or as the draft submitted with "done" counts; a follow-up left unanswered does not."""
    return sum(
        1
        for i, turn in enumerate(turns)
        if turn.kind == TurnKind.ANSWER and pending_follow_up(turns[:i]) is not None
    )


class CodeOutcome(Frozen):
    """What the hidden and performance tests said about a coding submission.

    The engine fills it from the sandbox; the scorer reads it as measured evidence for the
    coding rubric's correctness and complexity criteria instead of guessing from prose.
    """

    passed: int = Field(ge=0)
    total: int = Field(ge=0)
    performance: Literal["passed", "too_slow", "failed", "not_run"] = "not_run"
    summary: str = ""
    submissions: tuple[CodeOutcome, ...] = ()
    """Every submission's own outcome, oldest first, the last being this one; empty when only
    the latest is known. The scorer holds what was said after each submission against that
    submission's measurement, and gives "passes first time" only when the first one passed."""


class CodeRunRecord(BaseModel):
    """One stored run of candidate code: visible examples, or a submission (``hidden``).

    ``report`` is the sandbox's ``RunReport`` as JSON; the store keeps it opaque.
    """

    id: int | None = None
    session_id: int
    question_id: str
    hidden: bool
    code: str
    report: dict[str, Any]
    created_at: datetime = Field(default_factory=utcnow)


class CriterionScore(BaseModel):
    criterion: str
    level: Level
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""
    missed: list[str] = Field(default_factory=list)
    capped: str = ""
    """Why the level is held below what the answer's words alone would earn (off topic, a
    list of terms, wrong claims, red-flag conduct); empty when nothing held it. The scorecard
    shows it instead of the level's usual description, which would not be the reason."""


class TokenUsage(BaseModel):
    """Tokens one or more LLM calls consumed, so cost per question and per session is visible."""

    prompt_tokens: int = Field(default=0, ge=0)
    completion_tokens: int = Field(default=0, ge=0)

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class CrossCheck(BaseModel):
    """A criterion where the LLM judge and the offline scorer disagree by two levels or more."""

    criterion: str
    judge_level: Level
    offline_level: Level
    bounded_to: Level | None = None
    """The level shown instead of ``judge_level`` when the judge was more than one level above
    the offline scorer (the judge may lead it by one level at most); None when not bounded."""


class Grade(BaseModel):
    """A graded question, with the provenance needed to reproduce or audit it."""

    question_id: str
    stage: Stage
    scores: list[CriterionScore]
    total: float = Field(ge=0, le=4)
    hire_signal: HireSignal
    scorer: str
    scorer_version: str
    rubric_id: str
    rubric_version: str
    model: str | None = None
    hints_used: int = 0
    skipped: bool = False
    flagged: bool = False
    feedback: list[str] = Field(default_factory=list)
    prompt_version: str | None = None
    usage: TokenUsage | None = None
    """LLM tokens spent on this question (follow-ups and judging) by the process that graded it."""
    fallback_reason: str | None = None
    """Set when an LLM judge failed and the offline scorer graded instead: why, in plain words."""
    cross_checks: list[CrossCheck] = Field(default_factory=list)
    confidence: float | None = Field(default=None, ge=0, le=1)
    """How far the grader trusts this grade (offline scorer), 0..1; shown, never hidden."""
    confidence_reasons: list[str] = Field(default_factory=list)
    """Why the confidence is not higher, in plain words."""
    limits: str | None = None
    """What this grader cannot judge, said once on the scorecard."""

    @model_validator(mode="after")
    def _skip_measures_nothing(self) -> Grade:
        """A skipped question measured no criterion. Versions before store revision 0008 kept a
        0 per criterion with a skip (0008 removes the stored ones); dropping them here too means
        an old export's skips, once imported, never read as weaknesses either."""
        if self.skipped and self.scores:
            self.scores = []
        return self


class StageResult(BaseModel):
    stage: Stage
    grades: list[Grade]
    average: float
    hire_signal: HireSignal
    not_reached: list[str] = Field(default_factory=list)
    """Question ids the stage ended before showing: never graded, never counted as wrong."""


def session_score(stage_averages: Iterable[float]) -> float | None:
    """A session's one score: the mean of its graded stages' means, to 2 places; None before
    the first grade.

    Each stage weighs the same whatever its number of questions, as a loop is judged stage by
    stage (each stage's signal comes from its own mean, ``Rubric.signal_for``): two ML-depth
    answers must not outweigh the one coding answer. Each mean is first rounded to 3 places as
    a stage result stores it, and summed in sorted order, so the listing's SQL means, the
    engine's stage results and PostgreSQL's give the same figure to the last digit. The
    history list (``sessions list``), History and ``sessions show`` call this.
    """
    means = sorted(round(average, 3) for average in stage_averages)
    return round(sum(means) / len(means), 2) if means else None


class SessionMode(StrEnum):
    LOOP = "loop"
    DRILL = "drill"


class SessionOrigin(StrEnum):
    """Who drives a session: the candidate in the app, or a script (`interview-sim run`)."""

    INTERACTIVE = "interactive"
    SCRIPT = "script"


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class StageRecord(BaseModel):
    """When a stage of a session started and ended, against its time budget."""

    stage: Stage
    started_at: datetime
    finished_at: datetime | None = None
    budget_seconds: int


class PlannedQuestion(BaseModel):
    stage: Stage
    question_id: str
    retry_of: int | None = None
    """Set when this is a new attempt, after its scorecard, at the question as graded in that
    session (``engine.attempts``); stored in the plan only when set."""
    follow_ups: list[str] | None = None
    """Banked follow-up texts to press on, in order (a recommended drill's ``follow_ups`` item):
    the interviewer chooses among these only. Stored in the plan only when set."""


class SessionSummary(BaseModel):
    id: int
    mode: SessionMode
    status: SessionStatus
    started_at: datetime
    finished_at: datetime | None = None
    plan: list[PlannedQuestion]
    results: list[StageResult] = Field(default_factory=list)
    overall_signal: HireSignal | None = None
    origin: SessionOrigin = SessionOrigin.INTERACTIVE
    """A scripted run that ran out of answers must not take the app's Resume slot."""
