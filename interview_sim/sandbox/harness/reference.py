"""The reference role: time the bank's reference solution on the performance input.

Runs in a process of its own, so the reference solution never shares an interpreter with the
candidate's code. Only the expected answer and the timings go back to the parent, which keeps
the answer. The input itself is not sent anywhere: the candidate's process builds it with the
same generator (an input is not a secret, and a generator may share lists between arguments
in ways JSON would multiply a thousandfold).
"""

from __future__ import annotations

import time

from .calls import load_source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .wire import Wire


def prepare(job: dict[str, Any], wire: Wire) -> None:
    generate = load_source(job["generator"], "generator.py", {"__name__": "generator"})["generate"]
    reference = load_source(job["reference"], "reference.py", {"__name__": "reference"})[
        job["function"]
    ]
    timings = []
    building = []
    expected: Any = None
    for _ in range(2):
        start = time.process_time()
        args = generate(job["n"])
        building.append(time.process_time() - start)
        start = time.process_time()
        expected = reference(*args)
        timings.append(time.process_time() - start)
    data = wire.encode(
        {
            "event": "prepared",
            "expected": expected,
            "seconds": min(timings),
            "generate_seconds": max(building),
        }
    )
    if data is None:
        raise ValueError("the performance answer is not JSON-safe or too large")
    wire.send_bytes(data)
