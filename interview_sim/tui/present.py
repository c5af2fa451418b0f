"""Plain data the widgets show, derived from engine models: the converter layer.

Widgets never reach into the repository or format domain values themselves; everything a
screen displays about a stage, a signal or a grade is computed here, so it is testable without
a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from interview_sim.banks import Catalog
from interview_sim.models import (
    LOOP_ORDER,
    HireSignal,
    SessionSummary,
    Stage,
    SystemDesignQuestion,
    Turn,
    TurnKind,
    TurnStatus,
)
from interview_sim.progress.models import ProgressReport, RecommendedDrill, WeakArea
from interview_sim.progress.weak_areas import WEAK_LEVEL, criterion_label
from interview_sim.sandbox.models import RunReport
from interview_sim.scoring.signals import PHASE_COVERED, phase_coverage
from interview_sim.scoring.text import split_sentences

STAGE_LABELS: dict[Stage, str] = {
    Stage.CODING: "Coding",
    Stage.SYSTEM_DESIGN: "ML system design",
    Stage.ML_DEPTH: "ML depth",
    Stage.BEHAVIORAL: "Behavioral",
}

SIGNAL_LABELS: dict[HireSignal, str] = {
    HireSignal.STRONG_NO_HIRE: "Strong no hire",
    HireSignal.NO_HIRE: "No hire",
    HireSignal.LEAN_NO_HIRE: "Lean no hire",
    HireSignal.LEAN_HIRE: "Lean hire",
    HireSignal.HIRE: "Hire",
    HireSignal.STRONG_HIRE: "Strong hire",
}


def signal_label(signal: HireSignal | None) -> str:
    return SIGNAL_LABELS[signal] if signal is not None else "Not graded"


NO_VERDICT_YET = "None yet"
"""A session's verdict while a planned stage has no grade: some of it is graded, so "Not
graded" would be untrue, but the packet's rules give no recommendation until every stage is."""


def session_signal_label(signal: HireSignal | None, graded: bool) -> str:
    """A session's verdict: its signal, "None yet" while graded in part, else "Not graded"."""
    return NO_VERDICT_YET if signal is None and graded else signal_label(signal)


def clock_text(seconds: float) -> str:
    """``mm:ss`` counting down, ``+mm:ss`` once over time."""
    sign = "+" if seconds < 0 else ""
    whole = int(abs(seconds))
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


def short_path(path: Path) -> str:
    """A path as the user would type it: the home directory shown as ``~``."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ChatEntry:
    """One bubble: who speaks, a short caption and the Markdown body."""

    role: str
    caption: str
    body: str


def chat_entries(turns: Iterable[Turn], catalog: Catalog) -> list[ChatEntry]:
    entries: list[ChatEntry] = []
    for turn in turns:
        question = catalog.questions.get(turn.question_id)
        title = question.title if question else turn.question_id
        match turn.kind:
            case TurnKind.QUESTION:
                caption = f"Interviewer · {STAGE_LABELS[turn.stage]} · {title}"
            case TurnKind.FOLLOW_UP if turn.status == TurnStatus.CANCELLED:
                caption = "Interviewer · follow-up (stopped)"
            case TurnKind.FOLLOW_UP:
                caption = "Interviewer · follow-up"
            case TurnKind.HINT:
                caption = "Interviewer · hint (costs score)"
            case TurnKind.ANSWER:
                caption = "You"
            case TurnKind.CODE_RUN:
                caption = "You · submitted code"
            case TurnKind.SKIP:
                caption = "Skipped"
        match turn.kind:
            case TurnKind.SKIP:
                body = f"*{title}* was skipped."
            case TurnKind.CODE_RUN:
                body = code_fence(turn.text)
            case _:
                body = turn.text
        entries.append(ChatEntry(turn.role, caption, body))
    return entries


def covered_phases(question: SystemDesignQuestion, answers: Iterable[str]) -> dict[str, bool]:
    """Which design phases the answers address, by the scorer's own rule.

    One function decides for the side panel and the grade
    (``scoring.signals.phase_coverage``), so the panel never ticks a phase the scorer ignores
    or misses one it credits. A guide while answering, not a grade.
    """
    sentences = split_sentences("\n".join(answers))
    coverage = phase_coverage(question.phases, sentences)
    return {phase: share >= PHASE_COVERED for phase, share in coverage.covered.items()}


def weakest_stage(summary: SessionSummary) -> Stage | None:
    """The stage to drill next: the lowest average, ties broken by loop order."""
    if not summary.results:
        return None
    return min(summary.results, key=lambda r: (r.average, LOOP_ORDER.index(r.stage))).stage


@dataclass(frozen=True)
class HistoryRow:
    """One past session as the history table shows it."""

    session_id: int
    started: str
    mode: str
    status: str
    stages: str
    score: float | None
    signal: str

    def cells(self) -> tuple[str, ...]:
        """Session, Started, Mode, Status, Score, Signal, Stages: the stage list last, the one
        cell a narrow terminal may cut."""
        score = f"{self.score:.2f}" if self.score is not None else "-"
        return (
            str(self.session_id),
            self.started,
            self.mode,
            self.status,
            score,
            self.signal,
            self.stages,
        )

    def matches(self, needle: str) -> bool:
        """A signal's name (either spelling) matches that signal exactly: "no hire" is not
        "strong no hire" nor "lean no hire". Any other text matches any cell containing it."""
        wanted = _words(needle)
        if not wanted:
            return True
        if wanted in _SIGNAL_NAMES:
            return _words(self.signal) == wanted
        return wanted in _words(" ".join(self.cells()))


def _words(text: str) -> str:
    """``no_hire`` (as the CLI prints it), ``No hire`` and ``no  hire`` alike."""
    return " ".join(text.lower().replace("_", " ").split())


_SIGNAL_NAMES = frozenset(
    [*(_words(signal_label(s)) for s in (*HireSignal, None)), _words(NO_VERDICT_YET)]
)


_BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 24


def trend_bars(values: list[float], top: float = 4.0) -> str:
    """The latest scores as bars on a fixed 0..top scale, so bars compare across stages."""
    shown = values[-TREND_POINTS:]
    steps = len(_BARS) - 1
    return "".join(_BARS[round(min(max(v, 0.0), top) / top * steps)] for v in shown)


WEAK_AREAS_SHOWN = 6
"""The most weak areas the history screen lists; a short terminal shows the first three."""


def weak_area_name(area: WeakArea, catalog: Catalog) -> str:
    """``ML depth · Technical accuracy`` for a criterion, ``topic · statistics`` for a tag."""
    if area.kind == "tag" or area.stage is None:
        return f"topic · {area.key}"
    criterion = area.key.split("/", 1)[-1]
    return f"{STAGE_LABELS[area.stage]} · {criterion_label(catalog, area.stage, criterion)}"


def weak_area_lines(
    progress: ProgressReport, catalog: Catalog, limit: int = WEAK_AREAS_SHOWN
) -> list[tuple[str, str]]:
    """The weakest areas first, each as (weighted level of 4, name); a note when there are none.

    The note has an empty level, so the caller can tell it from an area.
    """
    if not progress.graded:
        return [("", "none yet: nothing is graded")]
    if not progress.weak_areas:
        return [("", f"none: all at {WEAK_LEVEL} or above")]
    return [
        (f"{area.weighted_level:.2f}", weak_area_name(area, catalog))
        for area in progress.weak_areas[:limit]
    ]


@dataclass(frozen=True)
class DrillLine:
    """One question of the recommended drill: where it is, what it is and why it was chosen."""

    stage: str
    title: str
    reason: str


def drill_lines(drill: RecommendedDrill, catalog: Catalog) -> list[DrillLine]:
    lines = []
    for item in drill.items:
        question = catalog.questions.get(item.question_id)
        title = question.title if question else item.question_id
        lines.append(DrillLine(STAGE_LABELS[item.stage], title, item.reason))
    return lines


def report_lines(report: RunReport) -> list[str]:
    """The run in a few lines, each fact once: the summary, then the error with its line.

    ``RunReport.summary`` is the one account of a run (the tally, the first problem, the
    performance verdict), the same line the status bar and the interviewer read; the pane
    adds only what the summary leaves out, such as an error raised while loading the code.
    """
    summary = report.summary()
    lines = [summary]
    failure = report.first_failure()
    error = report.load_exception or (failure.exception if failure else None)
    if error is not None and error.describe() not in summary:
        lines.append(f"error: {error.describe()}")
    return lines


def code_fence(code: str) -> str:
    """Code shown in a chat bubble, highlighted as Python."""
    return f"```python\n{code.rstrip()}\n```"
