"""``export --json`` and ``import FILE``: back up all sessions and read them back.

Import skips sessions already present (same uuid), so it can be repeated safely.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from interview_sim.cli.common import UserError
from interview_sim.config import Settings
from interview_sim.models import utcnow
from interview_sim.services import open_services
from interview_sim.store.records import SessionDump


def _export(args: argparse.Namespace, settings: Settings) -> int:
    repo = open_services(settings).repo
    dump = SessionDump(exported_at=utcnow(), sessions=repo.export_sessions())
    text = dump.model_dump_json(indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror}") from exc
    print(f"exported {len(dump.sessions)} session(s) to {args.output}", file=sys.stderr)
    return 0


def read_dump(path: Path) -> SessionDump:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        return SessionDump.model_validate_json(raw)
    except ValidationError as exc:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
            for e in exc.errors(include_url=False)[:10]
        )
        raise UserError(f"{path} is not an interview-sim export:\n{problems}") from exc


def _import(args: argparse.Namespace, settings: Settings) -> int:
    dump = read_dump(args.file)
    result = open_services(settings).repo.import_sessions(dump.sessions)
    print(f"imported {result.imported} session(s); skipped {result.skipped} already present")
    return 0
