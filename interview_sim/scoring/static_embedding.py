"""A static embedding model read from its files: token ids, a weighted mean of rows, a unit vector.

``tokenlearn-static-model`` ships ``tokenizer.json`` (read by ``unigram``) and
``model.safetensors`` (an int8 row for each of 10,000 clusters, each token's cluster and each
token's weight). A text's vector is the weighted sum of its first 512 tokens' rows, scaled to
unit length, which is all a cosine needs (the package's ``config.json`` says whether it scales
its own output; the direction is the same either way). The package's own encoder computes the
same thing natively but keeps 325 MiB for its tokenizer, so grading reads the files here
instead. Each word's ids and partial sum are computed once per process.
"""

from __future__ import annotations

import math
import struct
import sys
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from interview_sim.scoring.unigram import UnigramTokenizer

MAX_TOKENS = 512
"""The package encodes at most this many tokens of a text (its ``max_length``)."""

Vector = tuple[float, ...]
_Part = tuple[tuple[int, ...], Vector]
"""A word's token ids and the sum of their weighted rows."""

_TYPECODES = {"I64": "q", "F32": "f", "I8": "b"}


class _Tensor(BaseModel):
    model_config = ConfigDict(extra="ignore")
    dtype: Literal["I64", "F32", "I8"]
    shape: list[int]
    data_offsets: tuple[int, int]


_HEADER = TypeAdapter(dict[str, _Tensor | dict[str, str]])


class StaticEmbedding:
    """Unit vectors for texts from the model in one folder."""

    def __init__(
        self,
        tokenizer: UnigramTokenizer,
        rows: array[int] | array[float],
        width: int,
        clusters: array[int] | array[float],
        weights: array[int] | array[float],
    ) -> None:
        """``rows`` holds the embedding matrix flat, ``width`` values a row."""
        row_count = len(rows) // width if width > 0 else 0
        if len(clusters) != len(weights) or (clusters and max(clusters) >= row_count):
            raise ValueError("the model's token tables do not fit its embedding rows")
        self._tokenizer = tokenizer
        self._rows = rows
        self._width = width
        self._clusters = clusters
        self._weights = weights
        self._zero: Vector = (0.0,) * width
        self._token_vectors: dict[int, Vector] = {}
        self._word = lru_cache(maxsize=65_536)(self._word_sum)

    @classmethod
    def load(cls, folder: Path) -> StaticEmbedding:
        """Read the model's files; a missing or unreadable one raises ``OSError``/``ValueError``."""
        tensors = _read_safetensors(folder / "model.safetensors")
        rows, shape = tensors["embeddings"]
        return cls(
            UnigramTokenizer.load(folder / "tokenizer.json"),
            rows,
            shape[-1],
            tensors["mapping"][0],
            tensors["weights"][0],
        )

    def encode(self, text: str) -> Vector:
        """The text's vector: its first 512 tokens' weighted rows summed, then unit length."""
        parts = [self._word(word) for word in self._tokenizer.words(text)]
        if sum(len(ids) for ids, _ in parts) > MAX_TOKENS:
            parts = self._first_tokens(parts)
        if not parts:
            return self._zero
        total = tuple(map(sum, zip(*(vector for _, vector in parts), strict=True)))
        norm = math.sqrt(sum(x * x for x in total))
        return tuple(x / norm for x in total) if norm else total

    def _first_tokens(self, parts: list[_Part]) -> list[_Part]:
        """The words that hold the first 512 tokens, the last one cut to fit."""
        kept: list[_Part] = []
        count = 0
        for ids, vector in parts:
            if count + len(ids) >= MAX_TOKENS:
                ids = ids[: MAX_TOKENS - count]
                kept.append((ids, self._sum(ids)))
                break
            kept.append((ids, vector))
            count += len(ids)
        return kept

    def _word_sum(self, word: str | int) -> _Part:
        ids = (word,) if isinstance(word, int) else self._tokenizer.word_ids(word)
        return ids, self._sum(ids)

    def _sum(self, ids: tuple[int, ...]) -> Vector:
        vectors = [self._token_vector(token) for token in ids]
        return vectors[0] if len(vectors) == 1 else tuple(map(sum, zip(*vectors, strict=True)))

    def _token_vector(self, token: int) -> Vector:
        vector = self._token_vectors.get(token)
        if vector is None:
            weight = self._weights[token]
            start = int(self._clusters[token]) * self._width
            vector = tuple(weight * x for x in self._rows[start : start + self._width])
            self._token_vectors[token] = vector
        return vector


def _read_safetensors(path: Path) -> dict[str, tuple[array[int] | array[float], list[int]]]:
    """Each tensor's values (flat, little-endian on disk) and shape."""
    data = path.read_bytes()
    (header_size,) = struct.unpack_from("<Q", data)
    header = _HEADER.validate_json(data[8 : 8 + header_size])
    body = memoryview(data)[8 + header_size :]
    tensors: dict[str, tuple[array[int] | array[float], list[int]]] = {}
    for name, tensor in header.items():
        if not isinstance(tensor, _Tensor):
            continue
        start, end = tensor.data_offsets
        values: array[int] | array[float] = array(_TYPECODES[tensor.dtype])
        values.frombytes(body[start:end])
        if sys.byteorder == "big":
            values.byteswap()
        if len(values) != math.prod(tensor.shape):
            raise ValueError(f"tensor {name!r} does not match its shape {tensor.shape}")
        tensors[name] = (values, tensor.shape)
    missing = {"embeddings", "mapping", "weights"} - tensors.keys()
    if missing:
        raise ValueError(f"model.safetensors has no {', '.join(sorted(missing))}")
    return tensors
