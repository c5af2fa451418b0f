"""The packaged embedding model's tokenizer, read from its ``tokenizer.json`` in plain Python.

The file is a SentencePiece Unigram model saved by Hugging Face ``tokenizers``. The package's own
native encoder builds a trie over its 276,326 pieces that holds about 325 MiB for the life of the
process and takes 0.7 s to load, more memory than the whole grader; this module reproduces the
same pipeline step for step instead, so the ids are the package's ids (``tests/test_unigram.py``
compares both on every text in the banks and on edge cases):

1. added tokens (``<unk>``, ``<pad>``) are split out, raw or normalised as each one says;
2. the precompiled character map (SentencePiece's NFKC table, a double-array trie) rewrites each
   grapheme, or each character of a grapheme it has no entry for;
3. whitespace splits words and each word gets the metaspace mark ``▁`` in front;
4. Viterbi picks the pieces with the best total score; a character no piece starts with costs the
   lowest score minus 10, and neighbouring unknown pieces are fused into one, as ``tokenizers``
   does.

Grapheme clusters are approximated (a character and the combining marks and zero-width joins that
follow it): Python has no segmentation of its own, and only emoji sequences fall outside it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
import sys
import unicodedata
from array import array
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from interview_sim.cache_files import read_cache, write_cache

METASPACE = "▁"
UNKNOWN_PENALTY = 10.0
"""``tokenizers``' K_UNK_PENALTY: an unknown character scores this much below the worst piece."""

_WHITESPACE = re.compile(
    "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
)
"""Rust's ``char::is_whitespace`` (Unicode White_Space), which the whitespace split uses; Python's
``str.split`` would also split on the ASCII separators 0x1c-0x1f."""
_JOINS_PREVIOUS = frozenset({"Mn", "Me", "Mc"})
_ZERO_WIDTH_JOINER = "\u200d"
_GRAPHEME_BYTES = 6
"""The character map is asked about a whole grapheme only when it is shorter than this (UTF-8)."""


class _AddedTokenSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    content: str
    single_word: bool = False
    normalized: bool = False


class _ModelSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    unk_id: int
    vocab: list[tuple[str, float]]


class _NormalizerSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    precompiled_charsmap: str


class _TokenizerSpec(BaseModel):
    """The parts of ``tokenizer.json`` this reader follows; anything else is refused on load."""

    model_config = ConfigDict(extra="ignore")
    added_tokens: list[_AddedTokenSpec] = []
    normalizer: _NormalizerSpec
    model: _ModelSpec


class CharMap:
    """SentencePiece's precompiled normalisation: a Darts double-array trie over UTF-8 keys."""

    def __init__(self, blob: bytes) -> None:
        (trie_bytes,) = struct.unpack_from("<I", blob)
        units = array("I")
        units.frombytes(blob[4 : 4 + trie_bytes])
        if sys.byteorder == "big":
            units.byteswap()
        self._units = units
        self._replacements = blob[4 + trie_bytes :]
        self._memo: dict[str, str | None] = {}
        self._ascii = {c: self.lookup(chr(c)) for c in range(128)}
        self._ascii_table = {c: r for c, r in self._ascii.items() if r is not None}

    def lookup(self, chunk: str) -> str | None:
        """The replacement for the shortest key that ``chunk`` starts with, if any."""
        if chunk in self._memo:
            return self._memo[chunk]
        units = self._units
        position = _offset(units[0])
        found: str | None = None
        for byte in chunk.encode():
            position ^= byte
            if position >= len(units) or _label(units[position]) != byte:
                break
            unit = units[position]
            position ^= _offset(unit)
            if (unit >> 8) & 1:
                start = units[position] & 0x7FFFFFFF
                end = self._replacements.find(b"\0", start)
                found = self._replacements[start : end if end >= 0 else None].decode()
                break
        self._memo[chunk] = found
        return found

    def normalize(self, text: str) -> str:
        """The text as the tokenizer's normaliser rewrites it."""
        if text.isascii() and "\r\n" not in text:
            return text.translate(self._ascii_table)
        parts: list[str] = []
        for grapheme in _graphemes(text):
            if len(grapheme.encode()) < _GRAPHEME_BYTES:
                whole = self.lookup(grapheme)
                if whole is not None:
                    parts.append(whole)
                    continue
            for character in grapheme:
                replaced = self.lookup(character)
                parts.append(character if replaced is None else replaced)
        return "".join(parts)


class _Compiled(BaseModel):
    """What the tokenizer needs, as cached: parsing the 10 MB ``tokenizer.json`` costs 0.3 s and
    leaves its 276,326 small lists behind in the heap, reading this costs a tenth of it."""

    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    pieces: str
    """Every piece in id order, joined by NUL (no piece may hold one)."""
    scores: bytes
    """The pieces' scores as little-endian float64, exactly."""
    longest: dict[str, int]
    """The longest piece starting with each two characters: the Viterbi inner loop's bound."""
    unk_id: int
    charmap: str
    added_tokens: list[_AddedTokenSpec]

    @classmethod
    def of(cls, spec: _TokenizerSpec) -> _Compiled:
        if spec.model.type != "Unigram" or spec.normalizer.type != "Precompiled":
            raise ValueError(
                f"unsupported tokenizer: {spec.model.type} model, {spec.normalizer.type} normaliser"
            )
        if any("\0" in piece for piece, _ in spec.model.vocab):
            raise ValueError("a tokenizer piece holds NUL")
        scores = array("d", (score for _, score in spec.model.vocab))
        if sys.byteorder == "big":
            scores.byteswap()
        longest: dict[str, int] = {}
        for piece, _ in spec.model.vocab:
            longest[piece[:2]] = max(len(piece), longest.get(piece[:2], 0))
        return cls(
            pieces="\0".join(piece for piece, _ in spec.model.vocab),
            longest=longest,
            scores=scores.tobytes(),
            unk_id=spec.model.unk_id,
            charmap=spec.normalizer.precompiled_charsmap,
            added_tokens=spec.added_tokens,
        )


class UnigramTokenizer:
    """Token ids for text, exactly as the model's ``tokenizer.json`` assigns them."""

    def __init__(self, compiled: _Compiled) -> None:
        pieces = compiled.pieces.split("\0")
        self._ids = dict(zip(pieces, range(len(pieces)), strict=True))
        self._scores = array("d")
        self._scores.frombytes(compiled.scores)
        if sys.byteorder == "big":
            self._scores.byteswap()
        if len(self._scores) != len(pieces) or len(self._ids) != len(pieces):
            raise ValueError("the tokenizer's pieces and scores do not match")
        self._longest = compiled.longest
        self._unknown_id = compiled.unk_id
        self._unknown_score = min(self._scores) - UNKNOWN_PENALTY
        self._charmap = CharMap(base64.b64decode(compiled.charmap))
        added = compiled.added_tokens
        self._raw_added = _added_pattern([t for t in added if not t.normalized])
        self._normalized_added = _added_pattern([t for t in added if t.normalized])
        self._added_ids = {t.content: t.id for t in added}
        self.word_ids = lru_cache(maxsize=65_536)(self._word_ids)
        """Ids of one pre-tokenised word (``▁`` first); words repeat, so each is solved once."""

    @classmethod
    def load(cls, path: Path) -> UnigramTokenizer:
        """Read ``tokenizer.json``, from the cache when this code read the same file before; a
        file this reader cannot follow raises ``ValueError``."""
        key = _cache_key(path)
        cached = read_cache("tokenizer", key)
        if cached is not None:
            try:
                return cls(_Compiled.model_validate_json(cached))
            except ValueError:
                pass
        compiled = _Compiled.of(_TokenizerSpec.model_validate_json(path.read_bytes()))
        tokenizer = cls(compiled)
        write_cache("tokenizer", key, compiled.model_dump_json().encode())
        return tokenizer

    def words(self, text: str) -> list[str | int]:
        """The text's pre-tokenised words in order, or an added token's id in its place."""
        result: list[str | int] = []
        for raw, raw_added in _split_added(text, self._raw_added):
            if raw_added:
                result.append(self._added_ids[raw])
                continue
            normalized = self._charmap.normalize(raw)
            for part, added in _split_added(normalized, self._normalized_added):
                if added:
                    result.append(self._added_ids[part])
                else:
                    result.extend(_metaspace_words(part))
        return result

    def ids(self, text: str) -> list[int]:
        """Every token id of the text."""
        result: list[int] = []
        for word in self.words(text):
            if isinstance(word, int):
                result.append(word)
            else:
                result.extend(self.word_ids(word))
        return result

    def _word_ids(self, word: str) -> tuple[int, ...]:
        ids, scores, unknown = self._ids, self._scores, self._unknown_id
        length = len(word)
        best_score = [0.0] * (length + 1)
        best_start = [-1] * (length + 1)
        best_id = [-1] * (length + 1)
        lookup, longest = ids.get, self._longest.get
        for start in range(length):
            base = best_score[start]
            last = min(start + longest(word[start : start + 2], 1), length)
            found = [
                (end, piece)
                for end in range(start + 1, last + 1)
                if (piece := lookup(word[start:end])) is not None
            ]
            for end, piece in found:
                score = base + scores[piece]
                if best_start[end] < 0 or score > best_score[end]:
                    best_score[end], best_start[end], best_id[end] = score, start, piece
            if not found or found[0][0] != start + 1:
                score = base + self._unknown_score
                end = start + 1
                if best_start[end] < 0 or score > best_score[end]:
                    best_score[end], best_start[end], best_id[end] = score, start, unknown
        pieces: list[int] = []
        fused: list[str] = []
        end = length
        while end > 0:
            start = best_start[end]
            if best_id[end] == unknown:
                fused.append(word[start:end])
            else:
                if fused:
                    pieces.append(ids.get("".join(reversed(fused)), unknown))
                    fused = []
                pieces.append(best_id[end])
            end = start
        if fused:
            pieces.append(ids.get("".join(reversed(fused)), unknown))
        pieces.reverse()
        return tuple(pieces)


def _cache_key(path: Path) -> str:
    """The file (where, how big, when written) and the code that reads it."""
    status = path.stat()
    digest = hashlib.sha256(f"{path.resolve()}\0{status.st_size}\0{status.st_mtime_ns}".encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:32]


def _offset(unit: int) -> int:
    return (unit >> 10) << ((unit & (1 << 9)) >> 6)


def _label(unit: int) -> int:
    return unit & ((1 << 31) | 0xFF)


def _graphemes(text: str) -> Iterator[str]:
    """Approximate grapheme clusters: a character with the marks and joins that follow it."""
    current = ""
    for character in text:
        joins = (
            unicodedata.category(character) in _JOINS_PREVIOUS
            or character == _ZERO_WIDTH_JOINER
            or current.endswith(_ZERO_WIDTH_JOINER)
            or (current == "\r" and character == "\n")
        )
        if current and not joins:
            yield current
            current = ""
        current += character
    if current:
        yield current


def _added_pattern(tokens: list[_AddedTokenSpec]) -> re.Pattern[str] | None:
    """One pattern that finds any of the tokens (a single-word token only between non-words)."""
    alternatives = [
        rf"(?<!\w){re.escape(t.content)}(?!\w)" if t.single_word else re.escape(t.content)
        for t in sorted(tokens, key=lambda t: -len(t.content))
    ]
    return re.compile(f"({'|'.join(alternatives)})") if alternatives else None


def _split_added(text: str, pattern: re.Pattern[str] | None) -> Iterator[tuple[str, bool]]:
    """The text cut around added tokens, each part with whether it is one."""
    parts = [text] if pattern is None else pattern.split(text)
    for index, part in enumerate(parts):
        if part:
            yield part, index % 2 == 1


def _metaspace_words(text: str) -> list[str]:
    """Whitespace split; each word then starts with ``▁`` and is cut again before an inner ``▁``."""
    if METASPACE not in text:
        return [METASPACE + word for word in _WHITESPACE.split(text) if word]
    result: list[str] = []
    for word in _WHITESPACE.split(text):
        if not word:
            continue
        if word[0] != METASPACE:
            word = METASPACE + word
        start = 0
        for index in range(1, len(word)):
            if word[index] == METASPACE:
                result.append(word[start:index])
                start = index
        result.append(word[start:])
    return result
