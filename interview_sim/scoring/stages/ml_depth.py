"""ML depth: coverage of the key points, refined by explanation and practice cues."""

from __future__ import annotations

from interview_sim.models import MlDepthQuestion
from interview_sim.scoring.signals import cue_sentences
from interview_sim.scoring.stages.common import (
    Estimate,
    Signals,
    blend,
    misconception_adjust,
    saturation,
)
from interview_sim.scoring.text import Sentence

REFERENCE_CUE_SHARE = 0.25
"""Share of the usual cue weight kept when the model answer is a short definition."""


def ml_depth(question: MlDepthQuestion, signals: Signals) -> dict[str, Estimate]:
    """Coverage of the key points, refined by explanation and practice cues.

    The cues weigh as much as the model answer asks for them: a long model answer that explains
    and weighs costs sets the bar for depth and practice; a one-line reference definition asks
    for the definition, so there the cues barely count (reference-answer mode).
    """
    # A sentence stating a misconception explains nothing and is no practice, however it is
    # worded ("p = 0.04 means a 96% chance it is better, so we ship it").
    wrong = [h.sentence for h in signals.statements if h.asserted]  # clauses, maybe

    def creditable(sentence: Sentence) -> bool:
        return not any(w.start < sentence.end and sentence.start < w.end for w in wrong)

    causal = [s for s in cue_sentences(signals.sentences, "causal") if creditable(s)]
    practice = [s for s in cue_sentences(signals.sentences, "practice") if creditable(s)]
    cue = 1.0 if signals.expects_explanation else REFERENCE_CUE_SHARE
    correctness = signals.coverage("correctness")
    correctness.value = min(4.0, correctness.value * 1.1)
    depth = signals.explained("depth")
    practical = signals.explained("practical_judgement")
    clarity = signals.coverage("clarity")
    return {
        "correctness": misconception_adjust(correctness, signals),
        "depth": blend(
            depth,
            depth.value * (1 - 0.2 * cue) + 4 * 0.2 * cue * saturation(len(causal), 3),
            causal[:1],
            f"{len(causal)} explaining sentence(s)",
        ),
        "practical_judgement": blend(
            practical,
            practical.value * (1 - 0.25 * cue) + 4 * 0.25 * cue * saturation(len(practice), 3),
            practice[:1],
            f"{len(practice)} practical sentence(s)",
        ),
        "clarity": blend(
            clarity,
            clarity.value * (1 - 0.4 * cue) + 4 * 0.4 * cue * signals.communication.structure,
            note=signals.communication.structure_note(),
        ),
    }
