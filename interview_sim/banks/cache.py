"""A cache of the validated catalog, so start-up does not re-parse every YAML bank file.

Parsing and validating the built-in banks is most of the app's own start-up time. The cache
is keyed on the app version and every bank and rubric file's path, size and modification
time, so any edit (or a new file) misses it and the files are read and validated again.
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ValidationError

from interview_sim import __version__
from interview_sim.banks.catalog import Catalog
from interview_sim.cache_files import read_cache, write_cache
from interview_sim.models import Question, Rubric

KIND = "catalog"


class _Snapshot(BaseModel):
    questions: list[Question]
    rubrics: list[Rubric]


def _key(files: Sequence[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def read_cached(files: Sequence[Path]) -> Catalog | None:
    try:
        data = read_cache(KIND, _key(files))
        snapshot = None if data is None else _Snapshot.model_validate_json(data)
    except (OSError, ValidationError):
        return None
    if snapshot is None:
        return None
    return Catalog(
        questions={q.id: q for q in snapshot.questions},
        rubrics={r.id: r for r in snapshot.rubrics},
    )


def write_cached(files: Sequence[Path], catalog: Catalog) -> None:
    snapshot = _Snapshot(
        questions=list(catalog.questions.values()), rubrics=list(catalog.rubrics.values())
    )
    try:
        key = _key(files)
    except OSError:
        return
    write_cache(KIND, key, snapshot.model_dump_json().encode())
