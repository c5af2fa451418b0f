"""Per-stage criterion estimates: how each rubric criterion is read from the answer's signals.

One module per stage (``ml_depth``, ``coding``, ``system_design``, ``behavioral``), what they
share in ``common``, and ``wrong_claims``, which lowers and caps every criterion a wrong claim
touches whatever the stage.
"""

from interview_sim.scoring.stages.behavioral import behavioral
from interview_sim.scoring.stages.coding import coding
from interview_sim.scoring.stages.common import (
    EVIDENCE_PER_CRITERION,
    Estimate,
    Signals,
    evidence_quotes,
)
from interview_sim.scoring.stages.ml_depth import ml_depth
from interview_sim.scoring.stages.system_design import system_design
from interview_sim.scoring.stages.wrong_claims import apply_wrong_claims

__all__ = [
    "EVIDENCE_PER_CRITERION",
    "Estimate",
    "Signals",
    "apply_wrong_claims",
    "behavioral",
    "coding",
    "evidence_quotes",
    "ml_depth",
    "system_design",
]
