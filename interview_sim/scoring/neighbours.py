"""Which banked question an answer fits: an articulate answer to another question is off topic.

Key-point coverage alone cannot tell a polished answer to another question from a weak answer
to this one: both cover little. A human grader notices instead that the answer fits a different
question. Each banked question of a stage gets a TF-IDF profile of its prompt, model answer and
key points, with IDF over that stage's questions, so words every question of the stage uses
weigh little. An answer whose cosine with another question's profile is far above its cosine
with its own question's profile answers that other question.

Measured on the adversarial dev sets (``bench/adversarial*``, 68 questions): technical answers
in the candidate's own words fit their own question at least 0.87 times as well as any other
(answers written for another question: median 0.2), so half is a wide margin. Stories share
their vocabulary across competencies (an honest one fits its own question as little as 0.4
times as well as another), so a story must fit another question about three times better.
Coding is not checked: the tests judge the code.

The check needs the bank, so it runs only for banked questions of a bank with more than one
question in the stage; reference-answer grading has no neighbours to compare with.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from interview_sim import __version__
from interview_sim.cache_files import read_cache, write_cache
from interview_sim.models import AnyQuestion, Stage
from interview_sim.scoring import text as text_module
from interview_sim.scoring.text import content_stems, words

FIT_RATIO = {Stage.ML_DEPTH: 0.5, Stage.SYSTEM_DESIGN: 0.5, Stage.BEHAVIORAL: 0.35}
"""An answer fitting its own question less than this share as well as another question of the
stage answers that other question."""

Profile = dict[str, float]


@dataclass(frozen=True)
class BetterFit:
    """The question an answer fits better than its own, and by how much."""

    question_id: str
    prompt: str
    ratio: float
    """Cosine with the answer's own question over cosine with this one."""


class QuestionProfiles:
    """TF-IDF profiles of a bank's questions, per stage, each stage built on its first use:
    the app opens its scorer at start-up, and a batch may grade one stage only."""

    def __init__(self, questions: Iterable[AnyQuestion]) -> None:
        self._members: dict[Stage, list[AnyQuestion]] = {}
        for question in questions:
            if question.stage in FIT_RATIO:
                self._members.setdefault(question.stage, []).append(question)
        self._prompts = {q.id: q.prompt for qs in self._members.values() for q in qs}
        self._built: dict[Stage, _StageProfiles] = {}

    def _stage(self, stage: Stage) -> _StageProfiles:
        if stage not in self._built:
            self._built[stage] = _StageProfiles.cached(stage, self._members[stage])
        return self._built[stage]

    def better_fit(self, question: AnyQuestion, answer: Sequence[str]) -> BetterFit | None:
        """The question of the stage that ``answer`` (its content stems) fits far better than
        its own, if there is one; None for a question the profiles do not hold."""
        if self._prompts.get(question.id) != question.prompt:
            return None
        profiles = self._stage(question.stage)
        idf, postings = profiles.idf, profiles.postings
        fits: dict[str, float] = {}
        for term, weight in _vector(Counter(t for t in answer if t in idf), idf).items():
            for qid, profile_weight in postings[term]:
                fits[qid] = fits.get(qid, 0.0) + weight * profile_weight
        others = [(fit, qid) for qid, fit in fits.items() if qid != question.id]
        if not others:
            return None
        best, other = max(others)
        ratio = fits.get(question.id, 0.0) / best
        if ratio >= FIT_RATIO[question.stage]:
            return None
        return BetterFit(other, self._prompts[other], ratio)


@dataclass(frozen=True)
class _StageProfiles:
    idf: dict[str, float]
    postings: dict[str, list[tuple[str, float]]]
    """Per term, the questions whose profile holds it, with its weight there: an answer's
    cosines are summed over its own terms only."""

    @classmethod
    def cached(cls, stage: Stage, members: Sequence[AnyQuestion]) -> _StageProfiles:
        """The profiles from the cache when built from the same material by the same code;
        building them stems every model answer of the stage, a fixed cost of every ``grade``."""
        kind, key = f"profiles-{stage.value}", _key(members)
        data = read_cache(kind, key)
        if data is not None:
            try:
                stored = _Stored.model_validate_json(data)
                return cls(stored.idf, stored.postings)
            except ValidationError:
                pass
        built = cls.of(members)
        stored = _Stored(idf=built.idf, postings=built.postings)
        write_cache(kind, key, stored.model_dump_json().encode())
        return built

    @classmethod
    def of(cls, members: Sequence[AnyQuestion]) -> _StageProfiles:
        counts = {q.id: Counter(content_stems(words(_material(q)))) for q in members}
        frequency = Counter(t for c in counts.values() for t in c)
        size = len(counts)
        idf = {t: math.log((size + 1) / (n + 1)) + 1 for t, n in frequency.items()}
        postings: dict[str, list[tuple[str, float]]] = {}
        for qid, count in counts.items():
            for term, weight in _vector(count, idf).items():
                postings.setdefault(term, []).append((qid, weight))
        return cls(idf, postings)


class _Stored(BaseModel):
    """A stage's profiles as cached (JSON keeps every float exactly)."""

    idf: dict[str, float]
    postings: dict[str, list[tuple[str, float]]]


def _key(members: Sequence[AnyQuestion]) -> str:
    """A digest of the material and of the code that turns it into terms and weights."""
    digest = hashlib.sha256(__version__.encode())
    for source in (text_module.__file__, __file__):
        digest.update(Path(str(source)).read_bytes())
    for question in members:
        digest.update(f"{question.id}\0{_material(question)}\0".encode())
    return digest.hexdigest()[:32]


def _material(question: AnyQuestion) -> str:
    parts = [question.prompt, question.model_answer]
    for point in question.key_points:
        parts.extend((point.text, *point.alternatives))
    return "\n".join(parts)


def _vector(counts: Counter[str], idf: dict[str, float]) -> Profile:
    weights = {t: (1 + math.log(n)) * idf[t] for t, n in counts.items() if t in idf}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}
