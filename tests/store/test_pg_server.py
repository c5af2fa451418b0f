"""The tests find PostgreSQL's server programs where a fresh Debian machine has them."""

from __future__ import annotations

import glob

import pytest

from tests.store.pg_server import _bin_dir, _version


def test_debians_folder_is_found_without_initdb_on_the_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``apt-get install postgresql`` puts initdb in /usr/lib/postgresql/<version>/bin only."""
    installed = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not installed:
        pytest.skip("no /usr/lib/postgresql/*/bin/initdb on this machine")
    monkeypatch.setenv("PATH", "/nonexistent")
    found = _bin_dir()
    assert found is not None and (found / "initdb").is_file() and (found / "pg_ctl").is_file()


def test_the_newest_version_wins_whatever_its_spelling() -> None:
    folders = ["9.6", "16", "10"]
    paths = [f"/usr/lib/postgresql/{v}/bin/initdb" for v in folders]
    assert max(paths, key=_version) == "/usr/lib/postgresql/16/bin/initdb"
