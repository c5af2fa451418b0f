"""Entry point of every sandbox process: read the job, lock down, play the role it names.

The first line on stdin is the job. Limits are applied, and (in the fallback level) the audit
hook installed, before any code from the job is compiled, so the ``ready`` message, sent before
that point, tells the parent the truth about the layers in force.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def main() -> int:
    from .codec import loads
    from .lockdown import apply_limits, self_lockdown
    from .wire import Wire

    job: dict[str, Any] = loads(sys.stdin.buffer.readline().decode("utf-8"))
    wire = Wire(job["out_fd"], job["max_message"])
    applied = apply_limits(job["limits"])
    seccomp = bool(job["seccomp_outside"])
    if job["self_lockdown"]:
        seccomp = self_lockdown(job["parent_pid"], trusted=job["role"] != "candidate")
    hooks = bool(job["limits"]["audit_hooks"]) and job["role"] == "candidate"
    if hooks:
        from .guards import install_audit_hook

        install_audit_hook(
            os.getcwd(),
            job["limits"]["max_files"],
            job.get("private", ()),
            [os.path.dirname(os.path.dirname(__file__)), sys.base_prefix, sys.base_exec_prefix],
        )
    wire.send(event="ready", limits=applied, seccomp=seccomp, audit_hooks=hooks)
    try:
        if job["role"] == "candidate":
            from .candidate import serve

            serve(job, wire)
        elif job["role"] == "judge":
            from .judge import judge

            judge(job, wire)
        else:
            from .reference import prepare

            prepare(job, wire)
    except BaseException:  # a fault of the harness or the bank's own code, not the candidate's
        import traceback

        try:  # an exception of the code's making may not even format
            message = traceback.format_exc(limit=5)[-2000:]
        except BaseException:
            message = "the harness failed with an exception that cannot be shown"
        wire.send(event="harness_error", message=message)
        return 1
    return 0
