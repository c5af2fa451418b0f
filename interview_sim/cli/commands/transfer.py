"""``export --json`` and ``import FILE``: back up all sessions and read them back.

Import skips sessions already present (same uuid), so it can be repeated safely.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from interview_sim.cli.common import UserError, check_output, write_whole
from interview_sim.config import Settings
from interview_sim.models import utcnow
from interview_sim.services import open_services
from interview_sim.store.records import SessionDump


def _export(args: argparse.Namespace, settings: Settings) -> int:
    if args.output is not None:
        check_output(args.output, settings.db)
    repo = open_services(settings).repo
    dump = SessionDump(exported_at=utcnow(), sessions=repo.export_sessions())
    text = dump.model_dump_json(indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_whole(args.output, text)
    print(f"exported {len(dump.sessions)} session(s) to {args.output}", file=sys.stderr)
    return 0


def _problem(path: Path, error: ErrorDetails) -> str:
    """One validation error as the user can act on it: where in the file, and what."""
    if error["type"] == "json_invalid":
        return f"{path} is not valid JSON ({error['msg'].removeprefix('Invalid JSON: ')})"
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{path} is not an interview-sim export: {where.lstrip('.') or '(top level)'}: {message}"


def read_dump(path: Path) -> SessionDump:
    """The export file, or one line naming the first problem (and how many more there are)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return SessionDump.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        version = _version(raw)
        if version is not None:
            raise UserError(
                f"{path} was exported by a newer interview-sim (export version {version});"
                " upgrade interview-sim to import it"
            ) from exc
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise UserError(_problem(path, errors[0]) + more) from exc


def _version(raw: bytes) -> object | None:
    """The version of an export file newer than this app reads, else None."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != "interview-sim-sessions":
        return None
    version = data.get("version")
    newer = isinstance(version, int) and not isinstance(version, bool) and version > 1
    return version if newer else None


def _import(args: argparse.Namespace, settings: Settings) -> int:
    dump = read_dump(args.file)
    repo = open_services(settings).repo
    result = repo.import_sessions(dump.sessions)
    line = f"imported {result.imported} session(s); skipped {result.skipped} already present"
    # Sessions keep the candidate they were exported with: say so when they are not the
    # importer's, or a coach who imports a student's file sees none of it in `sessions list`.
    others = sorted({s.candidate for s in dump.sessions if s.candidate} - {repo.candidate})
    if others:
        line += f" (sessions of {', '.join(others)}: list them with --candidate NAME)"
    print(line)
    return 0
