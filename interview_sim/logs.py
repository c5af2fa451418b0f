"""Errors leave a trace: the ``interview_sim`` logger writes to one rotating file.

A worker that crashes in the terminal app, or a command that fails in a way no user error
explains, would otherwise leave nothing but a notification that fades. The file lives under the
user's state directory (``paths.log_dir``) and rotates at ``MAX_BYTES``, keeping ``BACKUPS`` old
files, so it never grows without bound. Logging never stops the app: a folder that cannot be
created leaves the logger without a file, and ``log_file()`` then says so (None).
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from interview_sim import paths

LOGGER = "interview_sim"
FILE_NAME = "interview-sim.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s] %(message)s"


class _AppFileHandler(RotatingFileHandler):
    """Marks the handler this module added, so setting up twice never adds a second one."""


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``interview_sim`` logger to the rotating file; the file's path, or None.

    Safe to call more than once: a handler for another folder (a test that moved the state
    directory) is replaced, one for the same file is kept.
    """
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    path = paths.log_dir() / FILE_NAME
    for handler in list(logger.handlers):
        if isinstance(handler, _AppFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            logger.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _AppFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return path


def log_file() -> Path | None:
    """The file the ``interview_sim`` logger writes to, if ``setup_logging`` gave it one."""
    for handler in logging.getLogger(LOGGER).handlers:
        if isinstance(handler, _AppFileHandler):
            return Path(handler.baseFilename)
    return None


def stop_logging() -> None:
    """Close and remove the file handler (tests, so no handler outlives its temporary folder)."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, _AppFileHandler):
            logger.removeHandler(handler)
            handler.close()
