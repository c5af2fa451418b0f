"""Every failed worker reaches the app: a mixin for the screens and widgets that run workers.

Textual posts ``Worker.StateChanged`` only to the node that ran the worker, so an app-level
handler never sees it. A node that mixes in ``ReportsWorkerFailures`` posts ``WorkerFailed``
for each worker that ends in error; the message bubbles to the app (``InterviewSimApp``), which
logs the traceback once. The node's own ``Worker.StateChanged`` handlers still run: Textual calls
every ``@on`` handler of every class in the node's hierarchy, and this one stops nothing.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from interview_sim.tui.messages import WorkerFailed


class ReportsWorkerFailures(MessagePump):
    """Put it first in the bases of a screen or widget that runs workers:
    ``class HistoryScreen(ReportsWorkerFailures, Screen[None])``.

    It subclasses ``MessagePump`` only so Textual registers its ``@on`` handler; it adds no state.
    """

    @on(Worker.StateChanged)
    def _report_worker_failure(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        self.post_message(
            WorkerFailed(type(self).__name__, worker.name, worker.group, worker.error)
        )
