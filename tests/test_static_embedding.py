"""The embedding model read in plain Python gives the package's own vectors, and fails cleanly.

The package's native encoder is run in a child process (it keeps ~325 MiB for the life of the
process that loads it) on every text the banks hold, each sentence of them, and text built to
reach the tokenizer's corners: added tokens, the character map's graphemes, unknown characters
fused with neighbours, the 512-token limit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.paths import cache_dir
from interview_sim.scoring.semantic import SemanticModel, _model_dir
from interview_sim.scoring.static_embedding import MAX_TOKENS, StaticEmbedding

EDGE_CASES = [
    "",
    " ",
    "<pad> hello",
    "<unk> world",
    "a<unk>b",
    "a<pad>b",
    "x<unk><unk>y",
    "café naïve résumé",
    "cafe\u0301 e\u0301\u0301",
    "emoji 😀👍🏽 family 👨\u200d👩\u200d👧",
    "tab\tsep\nline\r\nwindows\r\n\r\n",
    "control\x01\x02characters\x7f and x\x1cy",
    "日本語のテキスト 한국어 \u1100\u1161\u11a8",
    "…ellipsis… “quotes” — dash \ufb01 \u216b \uff46\uff55\uff4c\uff4c",
    "\u00a0nbsp\u2003em\u3000ideographic space",
    "☃☃☃ snow, i.i.d. a.b.c...d",
    "x" * 3000,
    "word " * (MAX_TOKENS + 100),
    "▁metaspace▁inside a word",
]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _texts(catalog: Catalog) -> list[str]:
    texts = set(EDGE_CASES)
    for question in catalog.questions.values():
        for text in _strings(question.model_dump()):
            texts.add(text)
            texts.update(re.split(r"(?<=[.!?])\s+", text))
    return sorted(texts)


_NATIVE = """
import json, sys
import static_model
texts = json.load(sys.stdin)
json.dump(static_model.encode_batch(sys.argv[1], texts, 512), sys.stdout)
"""


@pytest.fixture(scope="module")
def model() -> StaticEmbedding:
    return StaticEmbedding.load(_model_dir("static_model"))


def test_vectors_are_the_packages_own(catalog: Catalog, model: StaticEmbedding) -> None:
    texts = _texts(catalog)
    native = subprocess.run(
        [sys.executable, "-c", _NATIVE, str(_model_dir("static_model"))],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    expected = json.loads(native.stdout)
    assert len(expected) == len(texts) > 5_000
    worst = max(
        (max(abs(a - b) for a, b in zip(model.encode(text), vector, strict=True)), text)
        for text, vector in zip(texts, expected, strict=True)
    )
    assert worst[0] < 1e-5, f"differs from the package on {worst[1][:80]!r}"


def test_vectors_are_unit_length_and_deterministic(model: StaticEmbedding) -> None:
    vector = model.encode("Precision and recall trade off at the decision threshold.")
    assert abs(sum(x * x for x in vector) - 1.0) < 1e-9
    again = StaticEmbedding.load(_model_dir("static_model"))
    assert again.encode("Precision and recall trade off at the decision threshold.") == vector
    assert model.encode("") == (0.0,) * len(vector)


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("tokenizer.json", b"{not json"),
        ("tokenizer.json", b'{"model": {"type": "BPE", "unk_id": 0, "vocab": []}}'),
        ("model.safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "),
        ("model.safetensors", b"\x01"),
        ("model.safetensors", b"\x40\x00\x00\x00\x00\x00\x00\x00" + b"{}"),
    ],
)
def test_a_damaged_model_leaves_grading_lexical_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, damage: bytes
) -> None:
    package = tmp_path / "damaged_model"
    shutil.copytree(_model_dir("static_model"), package / "model")
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "model" / name).write_bytes(damage)
    monkeypatch.syspath_prepend(str(tmp_path))
    semantic = SemanticModel(module="damaged_model")
    assert semantic.similarities(["a sentence"], [["a point"]]) is None
    assert semantic.label == "lexical"
    assert semantic.unavailable_reason is not None
    assert "tokenlearn-static-model is not usable" in semantic.unavailable_reason


def test_the_tokenizer_is_read_once_then_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(_model_dir("static_model"), folder)
    tokenizer = folder / "tokenizer.json"
    text = "Calibrate the scores, then pick the threshold on a held-out week."
    first = StaticEmbedding.load(folder).encode(text)
    assert len(list(cache_dir().glob("tokenizer-*.json"))) == 1
    written = tokenizer.stat()
    tokenizer.write_bytes(b"x" * written.st_size)
    os.utime(tokenizer, ns=(written.st_atime_ns, written.st_mtime_ns))
    assert StaticEmbedding.load(folder).encode(text) == first  # the file was not read
    os.utime(tokenizer, ns=(written.st_atime_ns, written.st_mtime_ns + 1))
    with pytest.raises(ValueError):
        StaticEmbedding.load(folder)  # a changed file is read again


def test_a_damaged_tokenizer_cache_is_read_afresh(tmp_path: Path) -> None:
    first = StaticEmbedding.load(_model_dir("static_model"))
    (cached,) = cache_dir().glob("tokenizer-*.json")
    cached.write_text('{"pieces": 3}', encoding="utf-8")
    again = StaticEmbedding.load(_model_dir("static_model"))
    assert again.encode("feature drift") == first.encode("feature drift")
    assert '"pieces": 3' not in cached.read_text(encoding="utf-8")
