"""Whatever bytes a bank file holds, the loader answers with its own validation error."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_sim.banks import BankError, load_catalog

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
_stage = st.sampled_from(["coding", "system_design", "ml_depth", "behavioral", "other", ""])
_bank_like = st.fixed_dictionaries(
    {
        "stage": _stage,
        "questions": st.lists(st.dictionaries(st.text(max_size=15), _json), max_size=3),
    }
)


def _load(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bank.yaml").write_bytes(content)
        with contextlib.suppress(BankError):
            load_catalog([Path(folder)], include_builtin=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes(content: bytes) -> None:
    _load(content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text(content: str) -> None:
    _load(content.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bank_like)
def test_bank_shaped_documents(document: dict[str, object]) -> None:
    _load(yaml.safe_dump(document, allow_unicode=True).encode())
