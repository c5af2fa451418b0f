"""Behavioral: STAR structure, ownership, measured impact, reflection, and the story's conduct."""

from __future__ import annotations

from interview_sim.models import BehavioralQuestion
from interview_sim.scoring.signals import StarPart, star_signals
from interview_sim.scoring.stages.common import (
    EVIDENCE_PER_CRITERION,
    Estimate,
    Signals,
    blend,
    saturation,
    unique,
)
from interview_sim.scoring.stages.wrong_claims import WRONG_ANSWER_CAPS
from interview_sim.scoring.story import StoryReading

HYPOTHETICAL_SHARE = 0.4
"""From this share of "I would / I usually" sentences on, the answer is not a concrete story."""


def behavioral(question: BehavioralQuestion, signals: Signals) -> dict[str, Estimate]:
    star = star_signals(signals.sentences)
    parts = star.parts
    present = [p for p in (StarPart.SITUATION, StarPart.ACTION, StarPart.RESULT) if parts[p]]
    structure_value = {0: 0.0, 1: 1.0, 2: 1.5, 3: 2.5}[len(present)]
    structure_value += 0.5 * star.in_order + 0.5 * (star.action_share >= 0.3)
    structure_value += 0.5 * bool(parts[StarPart.TASK] and parts[StarPart.REFLECTION])
    if star.hypothetical_share >= HYPOTHETICAL_SHARE:
        structure_value = min(structure_value, 1.0)
    named = ", ".join(p.value for p in StarPart if parts[p]) or "none"
    overall = signals.overall()
    star_structure = Estimate(
        structure_value * 0.8 + overall.value * 0.2,
        [parts[p][0] for p in StarPart if parts[p]][:EVIDENCE_PER_CRITERION],
        [
            f"no {p.value}"
            for p in (StarPart.SITUATION, StarPart.ACTION, StarPart.RESULT)
            if not parts[p]
        ],
        [f"STAR parts found: {named}"],
    )

    actions = parts[StarPart.ACTION]
    ownership_value = 0.5 + 1.5 * star.ownership + 2.0 * saturation(star.strong_actions, 3)
    if star.blame:
        ownership_value -= 1.5
    ownership = Estimate(
        ownership_value * 0.8 + overall.value * 0.2,
        actions[:EVIDENCE_PER_CRITERION],
        [] if actions else ["no personal actions described"],
        [f'"I" {star.i_count} vs "we" {star.we_count} in the actions'],
    )

    results = parts[StarPart.RESULT]
    measured = [s for s in star.measured if s in results] or star.measured
    impact_value = 0.0 if not results else 1.5
    if results and measured:
        impact_value = 3.0
    if impact_value >= 3.0 and star.lasting:
        impact_value = 4.0
    impact = Estimate(
        impact_value * 0.75 + overall.value * 0.25,
        unique([*measured[:2], *results[:1], *star.lasting[:1]])[:EVIDENCE_PER_CRITERION],
        [] if measured else ["no measured result (numbers, percentages, time, money)"],
        [f"{len(results)} result sentence(s), {len(star.measured)} with numbers"],
    )

    lessons = parts[StarPart.REFLECTION]
    lesson_words = max((len(s.stems) for s in lessons), default=0)
    reflection_value = 0.0 if not lessons else 1.0 if lesson_words < 4 else 2.0
    if lessons and star.applied_lesson:
        reflection_value += 1.0
    if lessons and star.shared_lesson:
        reflection_value += 1.0
    reflection = Estimate(
        reflection_value * 0.85 + overall.value * 0.15,
        lessons[:EVIDENCE_PER_CRITERION],
        [] if lessons else ["no lesson or what you would do differently"],
        ["lesson applied later" if star.applied_lesson else "lesson not shown applied"],
    )

    relevance = blend(overall, min(4.0, overall.value * 1.2))
    estimates = {
        "star_structure": star_structure,
        "ownership": ownership,
        "impact": impact,
        "reflection": reflection,
        "relevance": relevance,
    }
    if signals.story is not None:
        _read_conduct(estimates, signals.story)
    return estimates


RED_FLAG_PENALTY = {"ownership": 1.5, "relevance": 1.0, "reflection": 0.75, "impact": 0.5}
"""Levels lost per red-flag clause: the conduct is the answer to the competency question."""
STORY_CAP = 1.0
"""The most a buzzword answer or a story about another competency earns on any criterion."""


def _read_conduct(estimates: dict[str, Estimate], story: StoryReading) -> None:
    for flag in story.red_flags:
        for criterion, levels in RED_FLAG_PENALTY.items():
            estimate = estimates[criterion]
            estimate.value -= levels
            estimate.missed.append(f"red flag: {flag.label}")
            estimate.evidence.insert(0, flag.clause)
    if story.red_flags:
        cap = WRONG_ANSWER_CAPS[min(len(story.red_flags), max(WRONG_ANSWER_CAPS))]
        conduct = "conduct that counts against you: " + ", ".join(f.label for f in story.red_flags)
        for estimate in estimates.values():
            estimate.cap(cap, conduct)
        estimates["ownership"].cap(1.0, conduct)
        estimates["ownership"].notes.append(conduct)
    if story.buzzwords:
        for estimate in estimates.values():
            estimate.cap(STORY_CAP, "buzzwords with no concrete detail")
        estimates["star_structure"].notes.append(
            f"{story.vague_share:.0%} of the answer is buzzwords with no concrete detail"
        )
    if story.off_topic:
        for estimate in estimates.values():
            estimate.cap(STORY_CAP, "the story barely touches what the question asks about")
        estimates["relevance"].notes.append("the story barely touches what the question asks about")
