"""Where interview-sim keeps the user's files: one resolver, so no module builds a path by hand.

platformdirs follows each OS's convention (the XDG variables on Linux, so a test that points
``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` or ``XDG_STATE_HOME`` at a temporary folder moves every
file the app writes). ``INTERVIEW_SIM_CONFIG`` names another config file, for one run or a test.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_log_path

APP_NAME = "interview-sim"
CONFIG_ENV = "INTERVIEW_SIM_CONFIG"


def default_config_file() -> Path:
    """The config file when ``INTERVIEW_SIM_CONFIG`` is not set."""
    return user_config_path(APP_NAME, appauthor=False) / "config.yaml"


def config_file() -> Path:
    """The config file this run reads and the settings screen saves to; ``~`` in
    ``INTERVIEW_SIM_CONFIG`` is the home folder even when the shell left it unexpanded."""
    named = os.environ.get(CONFIG_ENV)
    return Path(named).expanduser() if named else default_config_file()


def cache_dir() -> Path:
    """Files that only save time (the validated catalog); safe to delete."""
    return user_cache_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The rotating log, under the user's state directory (``~/.local/state`` on Linux)."""
    return user_log_path(APP_NAME, appauthor=False)
