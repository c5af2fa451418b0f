"""Cold start: launching the app to an interactive home screen, against a bare Textual app.

Both are started the same way (a fresh ``python -c``, headless) and exit from an autopilot as
soon as their first screen is ready, alternating runs so load on this noisy machine hits both
alike. The figure is the ratio of medians.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Row

RUNS = 7
TARGET = 1.5

_EXIT_WHEN_READY = """
async def _ready(pilot):
    await pilot.pause()
    pilot.app.exit()
"""

HELLO = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Hello(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    f"{_EXIT_WHEN_READY}"
    "Hello().run(headless=True, auto_pilot=_ready)\n"
)

INTERVIEW_SIM = (
    "import sys\n"
    "from interview_sim.config import load_settings\n"
    "from interview_sim.services import open_services\n"
    "from interview_sim.tui import create_app\n"
    f"{_EXIT_WHEN_READY}"
    "app = create_app(open_services(load_settings(db=sys.argv[1])))\n"
    "app.run(headless=True, auto_pilot=_ready)\n"
)


def _launch(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "sessions.db")
        _launch(INTERVIEW_SIM, db)  # creates the database and warms the file cache for both
        _launch(HELLO)
        ours: list[float] = []
        bare: list[float] = []
        for _ in range(RUNS):
            ours.append(_launch(INTERVIEW_SIM, db))
            bare.append(_launch(HELLO))
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    return {"app_s": ours_median, "hello_s": bare_median, "ratio": ours_median / bare_median}


def run() -> list[Row]:
    result = measure()
    return [
        Row(
            "cold start to home screen vs Textual hello-world",
            f"{result['ratio']:.2f}x ({result['app_s']:.2f} s vs {result['hello_s']:.2f} s)",
            f"<= {TARGET}x",
            result["ratio"] <= TARGET,
        )
    ]
