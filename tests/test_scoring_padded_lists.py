"""A keyword list padded with off-topic chat stays a keyword list.

A tester answered a design question with a bare comma list of terms, then chatted about
football and a barbecue: the list alone scored "strong no hire", the same list with the chat
"lean hire", and the design panel ticked 10/10 phases. The chat diluted the stuffing tests (the
share of function words, the terms per reason), added length and structure, and the list's
"50k QPS" and "versus" counted as reasons for every item in it.

The rules checked here, on several questions, stages and shapes (list before or after the
chat, split around it, one item a line, chat on both sides):

- a run of bare terms naming several key points is judged as a keyword list on its own;
- a sentence that shares (almost) nothing with the question adds no words, reasons or
  structure, so off-topic padding never raises a grade;
- a phase named only inside a checklist of the design is not ticked as covered.
"""

from __future__ import annotations

import pytest

from interview_sim.banks import Catalog
from interview_sim.grading import QuestionContext
from interview_sim.models import AnyQuestion, Stage, SystemDesignQuestion, Turn, TurnKind
from interview_sim.scoring import Assessment, OfflineRubricScorer, claims
from interview_sim.scoring.clauses import split_clauses
from interview_sim.scoring.signals import PHASE_COVERED, bare_runs, phase_coverage
from interview_sim.scoring.text import split_sentences, terms
from interview_sim.tui.present import covered_phases

SCORER = OfflineRubricScorer()

ADS_LIST = (
    "Requirements, latency, throughput, 50k QPS, 15 ms budget, calibration, log loss, revenue, "
    "hashing, embeddings, feature crosses, position bias, exploration, cold start, logistic "
    "regression, deep model, DCN, negative downsampling, calibration correction, batched "
    "scoring, caching, fallback, monitoring, drift, A/B test, latency versus accuracy."
)
CHATS = (
    "I watched the football on Saturday with my cousins and the match was great fun. "
    "Afterwards we had a barbecue in the garden, grilled sausages and burgers, and talked "
    "about our summer holidays until late in the evening.",
    "My neighbour keeps bees at the bottom of his orchard and gave us three jars of honey. "
    "I think the lavender one tastes best, and my daughter agrees with me.",
    "Honestly I have been learning to bake sourdough bread on Sundays. My first loaf was a "
    "disaster because I forgot the salt, but the second one came out beautifully.",
)
SHAPES = ("after", "before", "split", "both sides", "one a line")


def _assess(question: AnyQuestion, catalog: Catalog, answer: str) -> Assessment:
    ctx = QuestionContext.single_answer(question, catalog.rubric_for(question), answer)
    return SCORER.assess(ctx)


def _bank_list(question: AnyQuestion) -> list[str]:
    """A keyword list a candidate could write from the rubric: the short names of its points."""
    items: list[str] = []
    for point in question.key_points:
        short = [a for a in point.alternatives if len(a.split()) <= 4] or [point.text]
        items.extend(short[:2])
    return items


def _shaped(items: list[str], chat: str, shape: str) -> tuple[str, str]:
    """The padded answer in ``shape`` and the same answer without the chat."""
    whole = ", ".join(items) + "."
    half = len(items) // 2
    first, second = ", ".join(items[:half]) + ".", ", ".join(items[half:]) + "."
    parts = {
        "after": [whole, chat],
        "before": [chat, whole],
        "split": [first, chat, second],
        "both sides": [chat, whole, chat],
        "one a line": ["\n".join(items), chat],
    }[shape]
    return "\n".join(parts), "\n".join(p for p in parts if p != chat)


def _designs(catalog: Catalog) -> list[SystemDesignQuestion]:
    return [q for q in catalog.by_stage(Stage.SYSTEM_DESIGN) if isinstance(q, SystemDesignQuestion)]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_reported_list_with_chat_scores_as_the_list_alone(catalog: Catalog, shape: str) -> None:
    question = catalog.questions["ads_ctr_prediction"]
    items = ADS_LIST.rstrip(".").split(", ")
    for chat in CHATS:
        padded, bare = _shaped(items, chat, shape)
        alone = _assess(question, catalog, bare)
        result = _assess(question, catalog, padded)
        assert result.score <= alone.score + 1e-9, (shape, chat[:30])
        assert result.grade.hire_signal == alone.grade.hire_signal
        levels = {s.criterion: s.level for s in result.grade.scores}
        assert levels["communication"] <= 1 and levels["trade_offs"] <= 1
        assert any("list of terms" in f or "names key terms" in f for f in result.grade.feedback)


def test_the_reported_list_is_a_no_hire_that_quotes_no_single_word(catalog: Catalog) -> None:
    question = catalog.questions["ads_ctr_prediction"]
    result = _assess(question, catalog, ADS_LIST + "\n" + CHATS[0])
    assert result.grade.hire_signal in {"no_hire", "strong_no_hire"}
    assert all(s.level <= 1 for s in result.grade.scores)
    quoted = {e for s in result.grade.scores for e in s.evidence}
    assert quoted <= {ADS_LIST}, quoted


@pytest.mark.parametrize("stage", [Stage.SYSTEM_DESIGN, Stage.ML_DEPTH])
def test_chat_never_raises_a_keyword_list_in_any_shape(catalog: Catalog, stage: Stage) -> None:
    """Every other question of the stage, each shape, two kinds of chat. (The football chat
    shares "match" and "watch" with the time-series questions' material and then counts as
    on topic there: the off-topic test is lexical, see ``claims.OFF_TOPIC_SENTENCE_SHARE``.)"""
    raised: list[tuple[str, str, float, float]] = []
    for question in catalog.by_stage(stage)[::2]:
        items = _bank_list(question)
        for shape, chat in zip(SHAPES, [*CHATS[1:], *CHATS[1:], *CHATS[1:]], strict=False):
            padded, bare = _shaped(items, chat, shape)
            with_chat = _assess(question, catalog, padded).score
            without = _assess(question, catalog, bare).score
            if with_chat > without + 1e-9:
                raised.append((question.id, shape, without, with_chat))
    assert not raised


def test_chat_never_raises_a_behavioral_keyword_list(catalog: Catalog) -> None:
    """A story is told in its own setting's words, so its sentences are not held to the
    question's; but chat wrapped around a list of the competency's terms is not a story. Checked
    where the bank's short phrasings make a run of bare terms (``signals.bare_runs``), which is
    what the rule reads: "raised it with", "traced it to" end a run and are not judged here.
    The chat is the reported one: the other two touch competencies' words ("my daughter agrees
    with me", a failed loaf and what it taught), and a lexical test takes them as on topic."""
    raised: list[tuple[str, str, float, float]] = []
    checked = 0
    for question in catalog.by_stage(Stage.BEHAVIORAL):
        items = _bank_list(question)
        runs = bare_runs(split_clauses(split_sentences(", ".join(items) + ".")))
        if len(runs) != 1 or len(runs[0]) < len(items):
            continue
        checked += 1
        for shape in SHAPES:
            padded, bare = _shaped(items, CHATS[0], shape)
            with_chat = _assess(question, catalog, padded).score
            without = _assess(question, catalog, bare).score
            if with_chat > without + 1e-9:
                raised.append((question.id, shape, without, with_chat))
    assert checked >= 10
    assert not raised, raised


@pytest.mark.parametrize("question_id", ["ads_ctr_prediction", "realtime_fraud_detection"])
def test_chat_around_a_real_answer_neither_helps_nor_hides_it(
    catalog: Catalog, question_id: str
) -> None:
    question = catalog.questions[question_id]
    honest = _assess(question, catalog, question.model_answer).score
    for chat in CHATS:
        padded = _assess(question, catalog, chat + "\n" + question.model_answer + "\n" + chat)
        assert padded.score <= honest + 1e-9
        assert padded.score >= honest - 0.05


def test_off_topic_sentences_are_not_content_but_the_job_s_wording_is(catalog: Catalog) -> None:
    question = catalog.questions["ads_ctr_prediction"]
    generic = "The model is deployed as a microservice behind the gateway."
    sentences = split_sentences(ADS_LIST + "\n" + CHATS[0] + "\n" + generic)
    points = list(question.key_points)
    topic = (
        terms(question.prompt)
        | terms(question.model_answer)
        | terms(" ".join(t for p in points for t in (p.text, *p.alternatives)))
    )
    analysis = claims.analyse(
        points, sentences, question.prompt, question.model_answer, topic, None
    )
    chat = {i for i, s in enumerate(sentences) if s.text in CHATS[0]}
    assert len(chat) == 2 and analysis.off_topic == chat
    kept = {c.sentence_index for c in analysis.clauses}
    assert kept == {0, 3}
    assert analysis.stuffed
    assert analysis.relevance < 1.0  # the chat still counts against relevance


def test_points_inside_a_keyword_list_are_named_not_explained(catalog: Catalog) -> None:
    question = catalog.questions["ads_ctr_prediction"]
    explained = (
        "Calibration matters because the auction multiplies the bid by the predicted CTR, so "
        "a miscalibrated model misprices every ad."
    )
    result = _assess(question, catalog, ADS_LIST + "\n" + explained)
    modelling = next(s for s in result.grade.scores if s.criterion == "modelling")
    assert explained in modelling.evidence
    alone = _assess(question, catalog, ADS_LIST)
    assert result.score > alone.score  # explaining one point is worth more than listing it


def test_a_checklist_of_the_design_ticks_no_phase(catalog: Catalog) -> None:
    question = catalog.questions["ads_ctr_prediction"]
    assert isinstance(question, SystemDesignQuestion)
    for answer in (
        ADS_LIST,
        "\n".join(ADS_LIST.rstrip(".").split(", ")),
        ADS_LIST + " " + CHATS[0],
    ):
        ticked = covered_phases(question, [answer])
        assert not any(ticked.values()), answer
        coverage = phase_coverage(question.phases, split_sentences(answer))
        assert coverage.named == set(question.phases)
        assert all(0 < share < PHASE_COVERED for share in coverage.covered.values())


def test_every_design_checklist_ticks_nothing_and_no_model_answer_is_one(
    catalog: Catalog,
) -> None:
    for question in _designs(catalog):
        names = [p.replace("_", "-") for p in question.phases]
        checklist = ", ".join(names + _bank_list(question)) + "."
        assert not any(covered_phases(question, [checklist]).values()), question.id
        model = phase_coverage(question.phases, split_sentences(question.model_answer))
        assert not model.named, question.id


def test_a_list_of_one_phase_s_specifics_still_covers_that_phase(catalog: Catalog) -> None:
    question = catalog.questions["realtime_fraud_detection"]
    assert isinstance(question, SystemDesignQuestion)
    answer = (
        "Monitoring: feature nulls and drift, score distribution, decline rate alerts, "
        "matured-label precision, weekly retrains."
    )
    assert covered_phases(question, [answer])["monitoring"]


def test_a_session_answered_with_a_list_then_chat_grades_as_the_list(catalog: Catalog) -> None:
    """The reported session: the list as the answer, the chat as the follow-up's answer."""
    question = catalog.questions["ads_ctr_prediction"]
    follow_up = question.follow_ups[0].text

    def turn(kind: TurnKind, text: str) -> Turn:
        return Turn(
            session_id=1, stage=question.stage, question_id=question.id, kind=kind, text=text
        )

    turns = [
        turn(TurnKind.QUESTION, question.prompt),
        turn(TurnKind.ANSWER, ADS_LIST),
        turn(TurnKind.FOLLOW_UP, follow_up),
        turn(TurnKind.ANSWER, CHATS[0]),
    ]
    session = SCORER.assess(QuestionContext(question, catalog.rubric_for(question), turns))
    alone = _assess(question, catalog, ADS_LIST)
    assert session.score <= alone.score + 1e-9
    assert session.grade.hire_signal == alone.grade.hire_signal
    assert isinstance(question, SystemDesignQuestion)
    assert not any(covered_phases(question, [ADS_LIST, CHATS[0]]).values())
