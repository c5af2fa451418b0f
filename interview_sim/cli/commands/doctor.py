"""``doctor``: can the configured LLM endpoint do what the interviewer and judge need?

It also names the sandbox's isolation level on this machine, since a coding stage without
bubblewrap runs candidate code with weaker guards and the user should know before it does.
"""

from __future__ import annotations

import argparse

from interview_sim.config import Settings
from interview_sim.llm.checks import Status
from interview_sim.llm.doctor import run_checks
from interview_sim.sandbox.isolation import describe as describe_isolation


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    key = "set (****)" if settings.llm.api_key is not None else "not set"
    print(f"endpoint: {settings.llm.base_url or 'OpenAI default'}; api key: {key}")
    print(f"sandbox isolation: {describe_isolation()}")
    checks = run_checks(settings.llm)
    for check in checks:
        print(f"{check.status.value:<4}  {check.name}: {check.message}")
        if check.fix:
            print(f"      fix: {check.fix}")
    failed = any(c.status == Status.FAIL for c in checks)
    if failed:
        print("problems found: LLM calls that fail fall back to the offline interviewer and scorer")
    elif not settings.llm.configured:
        print("offline: the banked follow-ups and the offline scorer are used")
    else:
        print("the LLM interviewer and judge can use this endpoint")
    return 1 if failed else 0
