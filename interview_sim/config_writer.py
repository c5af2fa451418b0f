"""Write chosen settings back to the YAML config file without disturbing anything else in it.

The settings screen edits a handful of keys; the user's file may hold others (bank folders,
keys a newer version reads) and comments that must survive. The file is read and written with
ruamel.yaml's round-trip mode, so comments, key order and quoting stay as the user left them.
The API key is never written: it belongs in the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from interview_sim import paths
from interview_sim.errors import InterviewSimError


class ConfigWriteError(InterviewSimError):
    """The config file cannot be read back or written; the message says which file and why."""


def config_file_path(explicit: Path | None = None) -> Path:
    """The file settings are read from, so saving writes to the same place."""
    return explicit if explicit is not None else paths.config_file()


def _merge_into(base: dict[str, Any], updates: Mapping[str, Any]) -> None:
    """Nested mappings merge key by key, in place, so the comments attached to them stay."""
    for key, value in updates.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge_into(base[key], value)
        else:
            base[key] = value


def changed(new: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of ``new`` whose values differ from ``old``, nested mappings compared per key.

    Saving only these keeps values that came from the environment (or a temporary local
    server) out of the file unless the user really edited them.
    """
    diff: dict[str, Any] = {}
    for key, value in new.items():
        before = old.get(key)
        if isinstance(value, Mapping) and isinstance(before, Mapping):
            inner = changed(value, before)
            if inner:
                diff[key] = inner
        elif value != before:
            diff[key] = value
    return diff


def _reason(exc: Exception) -> str:
    """One line: a YAML error's own text spans several lines, quoting the file."""
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (byte {exc.start})"
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"invalid YAML{where}: {getattr(exc, 'problem', None) or 'cannot be parsed'}"


def save_config(path: Path, updates: Mapping[str, Any]) -> None:
    """Merge ``updates`` (JSON-ready values) into the file, atomically."""
    round_trip = YAML()
    round_trip.preserve_quotes = True
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        existing = round_trip.load(text)
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise ConfigWriteError(f"cannot read {path}: {_reason(exc)}") from exc
    if existing is None:
        existing = CommentedMap()
    if not isinstance(existing, dict):
        raise ConfigWriteError(f"{path} does not hold a mapping; fix or remove it first")
    _merge_into(existing, updates)
    llm = existing.get("llm")
    if isinstance(llm, dict):
        llm.pop("api_key", None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(path.name + ".tmp")
        with staging.open("w", encoding="utf-8") as handle:
            round_trip.dump(existing, handle)
        staging.replace(path)
    except OSError as exc:
        raise ConfigWriteError(f"cannot write {path}: {exc}") from exc
