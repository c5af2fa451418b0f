"""System design: key points per phase, phase coverage, numbers, trade-offs and red flags."""

from __future__ import annotations

import re

from interview_sim.models import SystemDesignQuestion
from interview_sim.scoring.coverage import weighted_credit
from interview_sim.scoring.signals import phase_coverage
from interview_sim.scoring.stages.common import (
    Estimate,
    Signals,
    blend,
    closest_criterion,
    saturation,
)
from interview_sim.scoring.text import Sentence, plain_lowercase

_TRADE = re.compile(r"\b(trade-?offs?|versus|vs\.?|at the cost|cheaper|faster but|instead of)\b")
RED_FLAG_PENALTY_DESIGN = 1.0
"""Levels a system-design red flag costs the criterion it belongs to (wrong claims then spill
over to the others through ``apply_wrong_claims``)."""


def system_design(question: SystemDesignQuestion, signals: Signals) -> dict[str, Estimate]:
    phases = phase_coverage(question.phases, signals.sentences)
    phase_to_criterion = {
        "requirements": "requirements",
        "scale": "requirements",
        "data": "data_features",
        "features": "data_features",
        "modelling": "modelling",
        "training": "modelling",
        "serving": "serving",
        "monitoring": "monitoring",
        "iteration": "monitoring",
        "trade_offs": "trade_offs",
    }
    by_criterion: dict[str, list[float]] = {}
    evidence: dict[str, list[Sentence]] = {}
    for phase, share in phases.covered.items():
        criterion = phase_to_criterion.get(phase, "architecture")
        by_criterion.setdefault(criterion, []).append(share)
        if share >= 0.3 and phase in phases.evidence:
            evidence.setdefault(criterion, []).append(phases.evidence[phase])
    by_criterion.setdefault("architecture", []).extend(
        phases.covered.get(p, 0.0) for p in ("modelling", "serving")
    )
    estimates: dict[str, Estimate] = {}
    for criterion in (
        "requirements",
        "architecture",
        "data_features",
        "modelling",
        "serving",
        "monitoring",
        "trade_offs",
    ):
        base = signals.coverage(criterion)
        shares = by_criterion.get(criterion, [])
        phase_share = sum(shares) / len(shares) if shares else base.value / 4
        value = base.value * 0.6 + 4 * 0.4 * phase_share
        estimates[criterion] = blend(base, value, evidence.get(criterion, [])[:1])
    numbers = [s for s in signals.sentences if re.search(r"\d", s.text)]
    req = estimates["requirements"]
    req.value = req.value * 0.85 + 4 * 0.15 * saturation(len(numbers), 2)
    trade = [s for s in signals.sentences if _TRADE.search(plain_lowercase(s.text))]
    estimates["trade_offs"] = blend(
        estimates["trade_offs"],
        estimates["trade_offs"].value * 0.8 + 4 * 0.2 * saturation(len(trade), 2),
        trade[:1],
    )
    flags = [hit for hit in signals.statements if hit.asserted]
    for hit in flags:
        target = closest_criterion(hit.statement, signals)
        if target in estimates:
            estimates[target].value -= RED_FLAG_PENALTY_DESIGN
            estimates[target].missed.append(f"red flag: {hit.statement}")
            estimates[target].evidence.append(hit.sentence)
    breadth = sum(phases.covered.values()) / len(phases.covered) if phases.covered else 0.0
    overall = signals.overall()
    order_note = (
        "requirements before architecture"
        if phases.requirements_first
        else "architecture before requirements"
    )
    estimates["communication"] = blend(
        overall,
        4
        * (
            0.3 * min(1.0, breadth * 1.5)
            + 0.25 * phases.requirements_first
            + 0.2 * signals.communication.structure
            + 0.25 * weighted_credit(signals.matches)
        ),
        note=order_note,
    )
    return estimates
