from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from interview_sim.banks import BankError, Catalog, load_catalog
from interview_sim.cli.main import main
from interview_sim.models import Stage
from tests.conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad_banks"


def test_builtin_banks_are_valid(catalog: Catalog) -> None:
    assert {r.stage for r in catalog.rubrics.values()} == set(Stage)
    # One question per shipped file, named after it, in the folder of its stage.
    files = {p.stem: p.parent.name for p in (ROOT / "question_banks").rglob("*.yaml")}
    assert {q.id: q.stage.value for q in catalog.questions.values()} == files


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing_field", ["missing_field/q.yaml [no_prompt] prompt: Field required"]),
        ("wrong_type", ["[bad_tags] tags: Input should be a valid list"]),
        ("duplicate", ["[twice] id: duplicate id, also in"]),
        ("bad_yaml", ["bad_yaml/q.yaml: bad YAML at line"]),
        ("non_utf8", ["non_utf8/q.yaml: not UTF-8 text"]),
    ],
)
def test_broken_bank_names_file_and_field(case: str, expected: list[str]) -> None:
    with pytest.raises(BankError) as info:
        load_catalog([BAD / case], include_builtin=False)
    message = str(info.value)
    for fragment in expected:
        assert fragment in message


def test_all_errors_reported_at_once() -> None:
    with pytest.raises(BankError) as info:
        load_catalog([BAD], include_builtin=False)
    assert len(info.value.issues) >= 5


def test_validate_command_exits_1_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["banks", "validate", str(BAD)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "duplicate id" in err


def test_validating_a_builtin_file_is_not_a_duplicate(capsys: pytest.CaptureFixture[str]) -> None:
    builtin = next(iter(sorted((FIXTURES.parent.parent / "question_banks").rglob("*.yaml"))))
    assert main(["banks", "validate", str(builtin)]) == 0


def test_list_by_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["banks", "list", "--stage", "coding"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith("coding") for line in out)


def test_rubric_files_among_bank_paths_are_validated_as_rubrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["banks", "validate", str(ROOT / "question_banks"), str(ROOT / "rubrics")]) == 0
    own = tmp_path / "banks"
    own.mkdir()
    rubric = yaml.safe_load((ROOT / "rubrics" / "ml_depth.yaml").read_text())
    (own / "my_rubric.yaml").write_text(yaml.safe_dump({**rubric, "id": "my_rubric"}))
    question = {
        "id": "my_question",
        "title": "Mine",
        "difficulty": "easy",
        "prompt": "Explain overfitting to a product manager.",
        "rubric": "my_rubric",
        "model_answer": "The model memorises noise in the training data.",
        "hints": ["Think about training versus validation error."],
    }
    (own / "mine.yaml").write_text(yaml.safe_dump({"stage": "ml_depth", "questions": [question]}))
    catalog = load_catalog([own])
    assert catalog.rubric_for(catalog.questions["my_question"]).id == "my_rubric"

    (own / "clash.yaml").write_text(yaml.safe_dump(rubric))
    with pytest.raises(BankError, match="duplicate rubric id"):
        load_catalog([own])


def test_catalog_cache_is_used_until_a_file_changes(tmp_path: Path) -> None:
    own = tmp_path / "banks"
    shutil.copytree(ROOT / "question_banks" / "ml_depth", own)
    fresh = load_catalog([own], include_builtin=False)
    assert list((tmp_path / "home" / ".cache" / "interview-sim").glob("catalog-*.json"))
    assert load_catalog([own], include_builtin=False) == fresh

    path = own / "data_leakage.yaml"
    path.write_text(path.read_text().replace("Diagnosing data leakage", "Leakage, edited"))
    assert load_catalog([own], include_builtin=False).questions["data_leakage"].title == (
        "Leakage, edited"
    )
    path.write_text("stage: ml_depth\nquestions: [{id: broken}]\n")
    with pytest.raises(BankError):
        load_catalog([own], include_builtin=False)


def test_a_question_id_longer_than_the_store_holds_is_refused_at_load(tmp_path: Path) -> None:
    """PostgreSQL would refuse the id only when the first answer is stored."""
    builtin = ROOT / "question_banks" / "ml_depth" / "kv_cache.yaml"
    bank = yaml.safe_load(builtin.read_text(encoding="utf-8"))
    long_id = "q" * 129
    bank["questions"][0]["id"] = long_id
    (tmp_path / "long.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    with pytest.raises(BankError) as info:
        load_catalog([tmp_path], include_builtin=False)
    assert "id: String should have at most 128 characters" in str(info.value)


def test_a_broken_user_bank_stops_a_command_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every problem is in `banks validate`; a command that needs the banks says the first."""
    assert main(["--bank-dir", str(BAD), "--db", str(tmp_path / "s.db"), "banks", "list"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("interview-sim: question bank error: ")
    assert "more: interview-sim banks validate lists them all)" in err
