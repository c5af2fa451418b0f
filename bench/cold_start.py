"""Cold start: launching the app to an interactive home screen, against a bare Textual app.

All three are started the same way (a fresh ``python -c``, headless, 120x36) and exit from an
autopilot, alternating runs so load on this noisy machine hits them alike; the figure is the
ratio of medians. The app is built as ``interview-sim`` builds it (``create_app`` with a
function that reads the settings): home is drawn first and is interactive at once, while the
settings, the banks, the database and the engine load in a worker. The third run waits for
that worker too, which is what a key pressed at once waits for.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Row, side_by_side

RUNS = 7
TARGET = 1.5

# The child prints the system-wide monotonic clock when it is ready, so the figure is the time
# to that moment, not to the end of the process (which also waits for the services worker).
# "Ready" is the first screen (home, or the hello app's) with every message it was sent handled:
# ``Pilot.pause()`` would instead wait for the whole process to go idle, services worker too.
_SHOWN = """
import asyncio, time
async def _shown(pilot, name):
    while True:
        await pilot._wait_for_screen()
        if type(pilot.app.screen).__name__ == name:
            return
        await asyncio.sleep(0)
"""

_HOME_SHOWN = (
    _SHOWN
    + """
async def _ready(pilot):
    await _shown(pilot, "HomeScreen")
    print(time.monotonic(), flush=True)
    pilot.app.exit()
"""
)

_SERVICES_OPEN = (
    _SHOWN
    + """
async def _ready(pilot):
    await _shown(pilot, "HomeScreen")
    while not pilot.app.context.ready and pilot.app.context.setup_error is None:
        await asyncio.sleep(0.005)
    print(time.monotonic(), flush=True)
    pilot.app.exit()
"""
)

_HELLO_SHOWN = (
    _SHOWN
    + """
async def _ready(pilot):
    await _shown(pilot, "Screen")
    print(time.monotonic(), flush=True)
    pilot.app.exit()
"""
)

HELLO = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Hello(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    f"{_HELLO_SHOWN}"
    "Hello().run(headless=True, size=(120, 36), auto_pilot=_ready)\n"
)

# As ``interview-sim`` (no command) builds it: the settings are read by the app, in a worker.
_APP = (
    "import sys\n"
    "from interview_sim.tui import create_app\n"
    "def _settings():\n"
    "    from interview_sim.config import load_settings\n"
    "    return load_settings(None, db=sys.argv[1])\n"
    "{ready}"
    "app = create_app(_settings)\n"
    "app.run(headless=True, size=(120, 36), auto_pilot=_ready)\n"
)
HOME = _APP.format(ready=_HOME_SHOWN)
READY = _APP.format(ready=_SERVICES_OPEN)


def _until_ready(*args: str) -> float:
    """Seconds from launching ``python -c`` to the moment it printed that it was ready."""
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", *args], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1]) - start


def measure(runs: int = RUNS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "sessions.db")
        _until_ready(READY, db)  # creates the database and the catalog cache
        result = side_by_side(
            {
                "hello_s": lambda: _until_ready(HELLO),
                "app_s": lambda: _until_ready(HOME, db),
                "ready_s": lambda: _until_ready(READY, db),
            },
            runs,
        )
    return {**result, "ratio": result["app_s"] / result["hello_s"]}


def run() -> list[Row]:
    r = measure()
    return [
        Row(
            "cold start to an interactive home screen vs Textual hello-world",
            f"{r['ratio']:.2f}x ({r['app_s']:.2f} s vs {r['hello_s']:.2f} s)",
            f"<= {TARGET}x",
            r["ratio"] <= TARGET,
        ),
        Row(
            "cold start until banks, database and engine are open (home already shown)",
            f"{r['ready_s'] / r['hello_s']:.2f}x ({r['ready_s']:.2f} s)",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.name}: {row.value} (target {row.target})")
