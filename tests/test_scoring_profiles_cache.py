"""The off-topic profiles are cached between runs: the same material gives the same profiles,
and any change to it is built afresh."""

from __future__ import annotations

from pathlib import Path

from interview_sim.banks import Catalog
from interview_sim.models import Stage
from interview_sim.paths import cache_dir
from interview_sim.scoring.neighbours import QuestionProfiles, _StageProfiles
from interview_sim.scoring.text import content_stems, words


def _profiles_files() -> list[Path]:
    return sorted(cache_dir().glob("profiles-ml_depth-*.json"))


def test_cached_profiles_equal_freshly_built_ones(catalog: Catalog) -> None:
    members = [q for q in catalog.questions.values() if q.stage is Stage.ML_DEPTH]
    built = _StageProfiles.cached(Stage.ML_DEPTH, members)
    assert len(_profiles_files()) == 1
    read_back = _StageProfiles.cached(Stage.ML_DEPTH, members)
    assert read_back == built == _StageProfiles.of(members)


def test_changed_material_misses_the_cache_and_replaces_it(catalog: Catalog) -> None:
    members = [q for q in catalog.questions.values() if q.stage is Stage.ML_DEPTH]
    _StageProfiles.cached(Stage.ML_DEPTH, members)
    first = _profiles_files()
    edited = [members[0].model_copy(update={"model_answer": "Quantisation lowers precision."})]
    changed = _StageProfiles.cached(Stage.ML_DEPTH, [*edited, *members[1:]])
    assert changed == _StageProfiles.of([*edited, *members[1:]])
    assert _profiles_files() != first and len(_profiles_files()) == 1


def test_a_damaged_cache_file_is_rebuilt(catalog: Catalog) -> None:
    members = [q for q in catalog.questions.values() if q.stage is Stage.ML_DEPTH]
    _StageProfiles.cached(Stage.ML_DEPTH, members)
    (path,) = _profiles_files()
    path.write_text('{"idf": {"x": "not a number"}', encoding="utf-8")
    assert _StageProfiles.cached(Stage.ML_DEPTH, members) == _StageProfiles.of(members)


def test_the_scorer_reads_profiles_through_the_cache(catalog: Catalog) -> None:
    profiles = QuestionProfiles(catalog.questions.values())
    question = catalog.questions["mentoring_engineer"]
    story = catalog.questions["saying_no_to_feature"].model_answer
    first = profiles.better_fit(question, content_stems(words(story)))
    again = QuestionProfiles(catalog.questions.values()).better_fit(
        question, content_stems(words(story))
    )
    assert first is not None and first == again  # a story for another competency
    assert sorted(cache_dir().glob("profiles-behavioral-*.json"))
