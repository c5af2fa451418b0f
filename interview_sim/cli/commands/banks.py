"""``banks validate|list``: check bank files and see what is in them."""

from __future__ import annotations

import argparse
import sys

from interview_sim.banks import BankError, load_catalog
from interview_sim.config import Settings
from interview_sim.models import Stage
from interview_sim.services import open_catalog


def _banks(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "validate":
        try:
            catalog = load_catalog(args.paths or settings.bank_dirs)
        except BankError as exc:
            print(f"{len(exc.issues)} problem(s):", file=sys.stderr)
            for issue in exc.issues:
                print(f"  {issue}", file=sys.stderr)
            return 1
        print(f"ok: {len(catalog.questions)} questions, {len(catalog.rubrics)} rubrics")
        return 0
    catalog = open_catalog(settings)
    stages = [Stage(args.stage)] if args.stage else list(Stage)
    for stage in stages:
        for q in catalog.by_stage(stage):
            print(f"{q.stage.value:<14} {q.id:<40} {q.difficulty.value:<7} {q.title}")
    return 0
