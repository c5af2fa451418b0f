"""The layers are contracts, not intentions: import-linter checks them (pyproject.toml).

The same check runs in ``make lint``; running it here too means a developer who only runs the
tests still learns that a new import crossed a layer, with the offending chain in the output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from importlinter.api import read_configuration

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(config: Path) -> subprocess.CompletedProcess[str]:
    """import-linter in its own process: run in-process it reconfigures logging for the rest
    of the test session (the app's log handler then stays silent)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache", "--no-logo"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_import_contracts_are_kept() -> None:
    result = lint_imports(PYPROJECT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_is_forbidden_to_import_textual() -> None:
    """The contract that keeps the engine UI-free cannot be dropped or narrowed silently."""
    contracts = read_configuration(str(PYPROJECT))["contracts_options"]
    (ban,) = [c for c in contracts if c.get("id") == "core-without-textual"]
    assert ban["forbidden_modules"] == ["textual"]
    core = {"engine", "scoring", "llm", "store", "sandbox", "banks", "progress", "services"}
    assert {f"interview_sim.{name}" for name in core} <= set(ban["source_modules"])


def test_a_layer_violation_is_reported(tmp_path: Path) -> None:
    """The contracts do bite: the models importing the engine breaks the layers contract."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "interview_sim"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "engine over models, reversed"\ntype = "layers"\n'
        'layers = ["interview_sim.models", "interview_sim.engine"]\n'
    )
    result = lint_imports(config)
    assert result.returncode == 1
    assert "interview_sim.engine is not allowed to import interview_sim.models" in result.stdout
