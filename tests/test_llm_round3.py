"""Quirks of real OpenAI-compatible servers, through the real ``openai`` client.

vLLM, llama.cpp, Ollama, LM Studio, LiteLLM, OpenRouter and gateways each differ from OpenAI in
small ways. Each case here scripts one such reply on the test server and checks the app's
promise: a usable, honest reply is used; anything else falls back to the offline path with a
precise reason; never a traceback, a hang past the timeout, a lost answer or invented evidence.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.engine import (
    FollowUpAsked,
    FollowUpChunk,
    InterviewEngine,
    Notice,
    StreamEvent,
)
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.grading import FollowUpFault, QuestionContext
from interview_sim.llm.client import REASONING_TOKENS, make_client
from interview_sim.llm.components import build_llm
from interview_sim.llm.doctor import endpoint_failure, run_checks
from interview_sim.llm.follow_ups import problem
from interview_sim.llm.judge import LLMJudgeScorer
from interview_sim.models import (
    Grade,
    PlannedQuestion,
    SessionMode,
    Stage,
    Turn,
    TurnKind,
    TurnStatus,
)
from interview_sim.store import Repository, open_database
from tests.llm_server import (
    DEFAULT_FOLLOW_UP,
    FakeLLMServer,
    Reply,
    llm_settings,
    running_server,
    serving,
)
from tests.test_llm_cli import ANSWERS, point_at
from tests.test_llm_judge import ANSWER, CRITERIA, QUESTION, FixedOfflineScorer

QUOTE = "AdamW decouples weight decay"
SHORT_ANSWER = "Adam adapts the step size per parameter."


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def ctx(catalog: Catalog) -> QuestionContext:
    question = catalog.questions[QUESTION]
    turns = [
        Turn(session_id=1, stage=Stage.ML_DEPTH, question_id=QUESTION, kind=kind, text=text)
        for kind, text in [(TurnKind.QUESTION, question.prompt), (TurnKind.ANSWER, ANSWER)]
    ]
    return QuestionContext(question, catalog.rubric_for(question), turns)


@dataclass
class Interview:
    """One drill question with the LLM interviewer, answered once; what the candidate saw."""

    events: list[StreamEvent]
    repo: Repository
    session_id: int
    banked: set[str]

    @property
    def asked(self) -> FollowUpAsked:
        last = self.events[-1]
        assert isinstance(last, FollowUpAsked)
        return last

    @property
    def notices(self) -> list[str]:
        return [e.message for e in self.events if isinstance(e, Notice)]

    @property
    def shown(self) -> str:
        return "".join(e.text for e in self.events if isinstance(e, FollowUpChunk))


@pytest.fixture
def interview(
    catalog: Catalog, repo: Repository, engine: InterviewEngine
) -> Callable[..., Interview]:
    """Answer the drill question once through the engine's stream, the LLM interviewer on."""

    def run(url: str, **llm: Any) -> Interview:
        parts = build_llm(llm_settings(url, **llm), engine.scorer, engine.policy)
        llm_engine = InterviewEngine(
            catalog, repo, parts.judge, parts.interviewer, follow_up_limit=2
        )
        plan = [PlannedQuestion(stage=Stage.ML_DEPTH, question_id=QUESTION)]
        sid = llm_engine.start(SessionMode.DRILL, plan)
        llm_engine.advance(sid)
        events = list(llm_engine.submit_answer_stream(sid, SHORT_ANSWER))
        answers = [t.text for t in repo.turns(sid) if t.kind == TurnKind.ANSWER]
        assert answers == [SHORT_ANSWER]  # the answer is never lost
        banked = {f.text for f in catalog.questions[QUESTION].follow_ups}
        return Interview(events, repo, sid, banked)

    return run


def assert_banked_instead(run: Interview, phrase: str) -> None:
    """One notice with the precise reason, and the banked follow-up asked and stored."""
    assert len(run.notices) == 1, run.notices
    assert phrase in run.notices[0]
    assert "offline follow-up" in run.notices[0]
    assert run.asked.turn.text in run.banked
    assert run.asked.turn.status == TurnStatus.COMPLETE
    assert run.repo.turns(run.session_id)[-1] == run.asked.turn


def judge(url: str, offline_level: int = 3, **llm: Any) -> LLMJudgeScorer:
    settings = llm_settings(url, **llm)
    return LLMJudgeScorer(make_client(settings), "judge-model", FixedOfflineScorer(offline_level))


def verdict_data(level: Any = 3, **item: Any) -> dict[str, Any]:
    return {
        "criteria": [
            {"criterion": c, "level": level, "evidence": [QUOTE], "rationale": "fits", **item}
            for c in CRITERIA
        ],
        "strong_answer_would_add": ["bias correction"],
    }


def completion(choices: list[dict[str, Any]]) -> str:
    return json.dumps(
        {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": choices}
    )


def assert_fell_back(grade: Grade, phrase: str) -> None:
    assert grade.scorer == "fixed-offline"
    assert grade.model is None
    assert grade.fallback_reason is not None
    assert phrase in grade.fallback_reason
    assert "offline scorer" in grade.fallback_reason


PORTAL = "<html><body><h1>Sign in to the guest Wi-Fi</h1></body></html>"


def test_a_web_page_instead_of_a_grade_falls_back_saying_so(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    server.script(Reply(body=PORTAL, content_type="text/html"))
    grade = judge(server.url, max_retries=2).grade(ctx)

    assert_fell_back(grade, "answered with a web page (text/html)")
    assert len(server.chat_requests) == 1  # a page is not retried


def test_doctor_and_run_llm_name_a_web_page_at_the_base_url(server: FakeLLMServer) -> None:
    """A base_url without /v1, or a captive portal: even the model list comes back as a page."""
    server.web_page = PORTAL
    checks = run_checks(llm_settings(server.url))
    failure = endpoint_failure(llm_settings(server.url))

    assert [c.name for c in checks] == ["endpoint"]
    assert checks[0].status == "fail"
    assert "web page" in checks[0].message
    assert "/v1" in checks[0].fix
    assert failure is not None and "web page" in failure.message


def test_a_web_page_instead_of_a_follow_up_asks_the_banked_one(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    server.script(Reply(body=PORTAL, content_type="text/html"))
    run = interview(server.url)

    assert_banked_instead(run, "answered with a web page")
    assert run.shown == ""


VERDICT = json.dumps(verdict_data())


def renamed(name: Callable[[str], str]) -> str:
    data = verdict_data()
    for item in data["criteria"]:
        item["criterion"] = name(item["criterion"])
    return json.dumps(data)


def tool_call_message() -> dict[str, Any]:
    call = {"id": "c1", "type": "function", "function": {"name": "grade", "arguments": VERDICT}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


USABLE: dict[str, Reply] = {
    "json in a fence": Reply(content=f"```json\n{VERDICT}\n```"),
    "prose around the json": Reply(content=f"Here is my grading:\n{VERDICT}\nLet me know!"),
    "a think block first": Reply(content=f"<think>Level 4? No, 3.</think>\n{VERDICT}"),
    "thinking opened by the template": Reply(content=f"It reads well.</think>{VERDICT}"),
    "extra keys": Reply(
        content=json.dumps({**verdict_data(confidence=0.9), "overall": 3, "notes": None})
    ),
    "no advice list": Reply(content=json.dumps({"criteria": verdict_data()["criteria"]})),
    "no rationale": Reply(content=json.dumps(verdict_data(rationale=None))),
    "levels as strings": Reply(content=json.dumps(verdict_data(level="3"))),
    "criterion ids in capitals": Reply(content=renamed(str.upper)),
    "criterion names as words": Reply(content=renamed(lambda c: c.replace("_", " ").title())),
    "an extra criterion": Reply(
        content=json.dumps(
            {
                **verdict_data(),
                "criteria": [*verdict_data()["criteria"], {"criterion": "vibes", "level": 4}],
            }
        )
    ),
    "a criterion twice at one level": Reply(
        content=json.dumps(
            {
                **verdict_data(),
                "criteria": [*verdict_data()["criteria"], verdict_data()["criteria"][0]],
            }
        )
    ),
    "one quote as a string": Reply(content=json.dumps(verdict_data(evidence=QUOTE))),
    "criteria keyed by id": Reply(
        content=json.dumps(
            {
                "criteria": {
                    c: {"level": 3, "evidence": [QUOTE], "rationale": "fits"} for c in CRITERIA
                }
            }
        )
    ),
    "the json in a tool call": Reply(message=tool_call_message()),
}


@pytest.mark.parametrize("quirk", sorted(USABLE))
def test_a_usable_reply_in_a_quirky_shape_is_used_from_the_first_call(
    server: FakeLLMServer, ctx: QuestionContext, quirk: str
) -> None:
    server.script(USABLE[quirk])
    grade = judge(server.url).grade(ctx)

    assert grade.fallback_reason is None
    assert grade.scorer == "llm-judge"
    assert [s.criterion for s in grade.scores] == list(CRITERIA)
    assert [s.level for s in grade.scores] == [3, 3, 3, 3]
    assert all(s.evidence == [QUOTE] for s in grade.scores)
    assert len(server.chat_requests) == 1


def test_a_draft_inside_the_think_block_is_not_the_grade(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    draft = json.dumps(verdict_data(level=4, evidence=["invented praise"]))
    server.script(Reply(content=f"<think>Draft: {draft} Too generous.</think>{VERDICT}"))
    grade = judge(server.url, offline_level=4).grade(ctx)

    assert grade.fallback_reason is None
    assert [s.level for s in grade.scores] == [3, 3, 3, 3]


def test_invented_evidence_in_a_fenced_reply_is_still_discredited(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    invented = json.dumps(verdict_data(level=4, evidence="I scaled Adam to 10k GPUs"))
    server.script(Reply(content=f"```\n{invented}\n```"))
    grade = judge(server.url, offline_level=4).grade(ctx)

    assert_fell_back(grade, "evidence was invented")


def repeated(reply: Reply) -> list[Reply]:
    """The same reply to the schema call, the JSON-mode call and its repair."""
    return [reply] * 3


UNUSABLE: dict[str, tuple[list[Reply], str]] = {
    "no choices": ([Reply(body=completion([]))], "reply with no choices"),
    "only reasoning": (
        repeated(
            Reply(message={"role": "assistant", "content": None, "reasoning_content": VERDICT})
        ),
        "only the model's reasoning",
    ),
    "an empty reply": (repeated(Reply(content="")), "the LLM reply was empty"),
    "whitespace": (repeated(Reply(content="  \n ")), "the LLM reply was empty"),
    "prose only": (repeated(Reply(content="Solid answer, 3/4.")), "held no JSON object"),
    "level out of range": (
        repeated(Reply(content=json.dumps(verdict_data(level=5)))),
        "less than or equal to 4",
    ),
    "a criterion twice at two levels": (
        repeated(
            Reply(
                content=json.dumps(
                    {
                        **verdict_data(),
                        "criteria": [
                            *verdict_data()["criteria"],
                            {**verdict_data()["criteria"][0], "level": 1},
                        ],
                    }
                )
            )
        ),
        "graded twice at different levels",
    ),
    "other criteria": (
        repeated(Reply(content=renamed(lambda c: f"{c}_score"))),
        "unknown criteria",
    ),
    "an unterminated think block": (
        repeated(Reply(content=f"<think>maybe {VERDICT}")),
        "held no JSON object",
    ),
}


@pytest.mark.parametrize("quirk", sorted(UNUSABLE))
def test_an_unusable_reply_falls_back_with_the_precise_reason(
    server: FakeLLMServer, ctx: QuestionContext, quirk: str
) -> None:
    replies, phrase = UNUSABLE[quirk]
    server.script(*replies)
    grade = judge(server.url).grade(ctx)

    assert_fell_back(grade, phrase)


def test_an_endpoint_without_either_response_format_is_asked_by_the_prompt_alone(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    server.rejects["response_format"] = 400
    server.script(Reply(content=f"```json\n{VERDICT}\n```"), Reply(content=VERDICT))
    scorer = judge(server.url)
    first, second = scorer.grade(ctx), scorer.grade(ctx)
    formats = [(r.get("response_format") or {}).get("type") for r in server.chat_requests]

    assert first.fallback_reason is None and second.fallback_reason is None
    assert first.scorer == second.scorer == "llm-judge"
    assert formats == ["json_schema", "json_object", None, None]
    assert "Reply with only one JSON object" in server.chat_requests[-1]["messages"][0]["content"]


def test_an_endpoint_wanting_max_completion_tokens_is_learnt_once_for_both_roles(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    """OpenAI's reasoning models refuse ``max_tokens`` with a 400 naming the field."""
    server.rejects["max_tokens"] = 400
    offline = FixedOfflineScorer(1)
    parts = build_llm(llm_settings(server.url), offline, BankedFollowUpPolicy(offline))
    follow_up = parts.interviewer.next_follow_up(ctx, limit=2)
    grade = parts.judge.grade(ctx)

    assert follow_up is not None and follow_up.text == DEFAULT_FOLLOW_UP
    assert grade.scorer == "llm-judge" and grade.fallback_reason is None
    sent = [("max_tokens" in r, "max_completion_tokens" in r) for r in server.chat_requests]
    assert sent == [(True, False), (False, True), (False, True)]


@pytest.mark.parametrize("field", ["temperature", "stream_options"])
def test_a_refused_optional_field_is_left_out(
    server: FakeLLMServer, interview: Callable[..., Interview], field: str
) -> None:
    server.rejects[field] = 400
    run = interview(server.url)

    assert run.notices == []
    assert run.asked.turn.text == DEFAULT_FOLLOW_UP
    assert [field in r for r in server.chat_requests] == [True, False]


def test_an_unrelated_bad_request_is_not_adapted_to(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    """A 400 that names no refused field (a prompt too long) is a fault: no field dropped.
    (The judge does try each response format once, since 400 is how servers refuse those.)"""
    server.script(*[Reply(status=400)] * 3)
    grade = judge(server.url).grade(ctx)

    assert_fell_back(grade, "HTTP 400")
    assert all("max_tokens" in r and "temperature" in r for r in server.chat_requests)


def test_doctor_says_the_endpoint_wants_max_completion_tokens(server: FakeLLMServer) -> None:
    server.rejects["max_tokens"] = 400
    checks = {c.name: c for c in run_checks(llm_settings(server.url))}

    assert all(c.status == "ok" for c in checks.values()), checks
    assert "wants max_completion_tokens" in checks["chat"].message


def test_doctor_fails_a_chat_reply_with_no_choices(server: FakeLLMServer) -> None:
    server.script(Reply(body=completion([])))
    checks = {c.name: c for c in run_checks(llm_settings(server.url))}

    assert checks["chat"].status == "fail"
    assert "no choices" in checks["chat"].message
    assert checks["json_schema"].status == checks["streaming"].status == "warn"


ASK = "How would you pick the learning rate for AdamW?"


def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
    """One SSE line of a streamed completion, as a server writes it."""
    payload = {
        "id": "x",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(payload)}"


USAGE_ONLY = "data: " + json.dumps(
    {
        "id": "x",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [],
        "usage": {"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59},
    }
)


def pieces(*texts: str, finish: str = "stop") -> list[str]:
    return [*(chunk({"content": t}) for t in texts), chunk({}, finish), "data: [DONE]"]


STREAMS_ASKED: dict[str, tuple[Reply, str]] = {
    "empty deltas, null content, usage-only last chunk": (
        Reply(
            events=[
                chunk({"role": "assistant"}),
                chunk({}),
                chunk({"content": None}),
                chunk({"content": ASK}),
                chunk({}, "stop"),
                USAGE_ONLY,
                "data: [DONE]",
            ]
        ),
        ASK,
    ),
    "SSE comment lines": (
        Reply(
            events=[
                ": keep-alive",
                chunk({"content": "How would you "}),
                ": ping",
                *pieces("tune it?"),
            ]
        ),
        "How would you tune it?",
    ),
    "no [DONE] after the finish": (Reply(content=ASK, done=False), ASK),
    "a think block first": (
        Reply(content=f"<think>They missed warm-up. Ask about it?</think>\n\n{ASK}"),
        ASK,
    ),
    "a think block split across chunks": (
        Reply(events=pieces("<th", "ink>Ask about warm", "-up?</thi", "nk>", ASK)),
        ASK,
    ),
    "reasoning in its own field": (
        Reply(events=[chunk({"reasoning_content": "Ask about warm-up."}), *pieces(ASK)]),
        ASK,
    ),
    "ANSI escape codes and control characters": (
        Reply(
            content="\x1b[31mHow would you\x1b[0m pick the \x1b]8;;http://x\x07learning rate"
            "\x1b]8;;\x07 for AdamW?\x07\r"
        ),
        ASK,
    ),
    "an escape code split across chunks": (
        Reply(
            events=pieces(
                "\x1b[1", ";31mHow would you pick", "\x1b", "[0m the learning ", "rate for AdamW?"
            )
        ),
        ASK,
    ),
    "HTML tags; Markdown kept": (
        Reply(content="<p>How would you pick the <b>learning rate</b> for **AdamW**?</p>"),
        "How would you pick the learning rate for **AdamW**?",
    ),
    "a comparison sign is not a tag": (
        Reply(content="If lr < 1e-3, would AdamW still beat SGD?"),
        "If lr < 1e-3, would AdamW still beat SGD?",
    ),
}


@pytest.mark.parametrize("quirk", sorted(STREAMS_ASKED))
def test_a_usable_stream_is_asked_and_shown_clean(
    server: FakeLLMServer, interview: Callable[..., Interview], quirk: str
) -> None:
    reply, expected = STREAMS_ASKED[quirk]
    server.script(reply)
    run = interview(server.url)

    assert run.notices == []
    assert run.asked.turn.text == expected
    assert run.asked.turn.status == TurnStatus.COMPLETE
    assert run.shown.strip() == expected  # what was shown live is what is stored
    assert run.repo.turns(run.session_id)[-1] == run.asked.turn


STREAM_FAULTS: dict[str, tuple[Reply, str]] = {
    "only a think block that never closes": (
        Reply(content="<think>They missed warm-up so I should ask about it?"),
        "only its reasoning",
    ),
    "reasoning opened by the chat template": (
        Reply(content="They missed warm-up.</think>How would you warm up?"),
        "reasoning ran into the follow-up",
    ),
    "the token limit spent reasoning": (
        Reply(events=pieces("<think>Let me think about warm-up", finish="length")),
        "spent its token limit reasoning",
    ),
    "whitespace only": (Reply(content="  \n\t "), "empty follow-up"),
    "escape codes only": (Reply(content="\x1b[2J\x1b[H"), "empty follow-up"),
    "10k characters": (Reply(content="Why? " * 2000), "over 500 characters"),
    "no [DONE] and no finish": (Reply(events=[chunk({"content": ASK})], done=False), "ended"),
    "a usage chunk and nothing else": (Reply(events=[USAGE_ONLY, "data: [DONE]"]), "ended"),
    "a tool call": (
        Reply(
            events=[
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "c",
                                "type": "function",
                                "function": {"name": "ask", "arguments": "{}"},
                            }
                        ]
                    }
                ),
                chunk({}, "tool_calls"),
                "data: [DONE]",
            ]
        ),
        "tool call instead of a follow-up",
    ),
    "an error event mid-stream": (
        Reply(events=[chunk({"content": "How "}), 'data: {"error": {"message": "overloaded"}}']),
        "error in the middle of the stream",
    ),
    "HTTP 401": (Reply(status=401), "rejected the API key"),
    "HTTP 404": (Reply(status=404), "does not know this model"),
    "HTTP 502": (Reply(status=502), "HTTP 502"),
    "a stall mid-way": (Reply(content=ASK, stall_after=2), "timed out"),
}


@pytest.mark.parametrize("fault", sorted(STREAM_FAULTS))
def test_an_unusable_stream_asks_the_banked_follow_up_with_the_reason(
    server: FakeLLMServer, interview: Callable[..., Interview], fault: str
) -> None:
    reply, phrase = STREAM_FAULTS[fault]
    server.script(reply)
    run = interview(server.url)

    assert_banked_instead(run, phrase)
    assert len(run.shown) <= 600  # an enormous reply is cut off, not streamed to the end


def test_a_follow_up_repeating_the_question_is_not_asked(
    server: FakeLLMServer, catalog: Catalog, interview: Callable[..., Interview]
) -> None:
    prompt = catalog.questions[QUESTION].prompt
    server.script(Reply(content=f"**{prompt.upper()}**"))
    run = interview(server.url)

    assert_banked_instead(run, "repeated a question already asked")


def test_a_trickling_stream_ends_at_the_timeout(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    """Each piece arrives within the read timeout, but the whole would run well past it."""
    server.script(Reply(content=ASK, chunk_delay=0.2))
    started = time.monotonic()
    run = interview(server.url, timeout=0.5)

    assert_banked_instead(run, "timed out: it ran past the 0.5s timeout")
    assert time.monotonic() - started < 1.5


def test_a_short_follow_up_inside_the_question_is_still_fair() -> None:
    assert problem("Why?", ["Why would AdamW generalise better than Adam here?"]) is None
    assert problem("And the memory cost?", ["Compare Adam and SGD."]) is None


def test_a_rate_limit_asking_for_a_long_wait_falls_back_at_once(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    """The client would sleep up to two minutes per retry; the timeout is the most we wait."""
    server.script(Reply(status=429, headers={"retry-after": "90"}))
    started = time.monotonic()
    grade = judge(server.url, max_retries=2).grade(ctx)

    assert time.monotonic() - started < 2
    assert_fell_back(grade, "rate limiting requests (HTTP 429; it asks to wait 90s)")
    assert len(server.chat_requests) == 1


def test_a_503_asking_for_a_wait_past_the_timeout_as_a_date_asks_the_banked_follow_up(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    later = email.utils.formatdate(time.time() + 600, usegmt=True)
    server.script(Reply(status=503, headers={"retry-after": later}))
    started = time.monotonic()
    run = interview(server.url, max_retries=2)

    assert time.monotonic() - started < 2
    assert_banked_instead(run, "HTTP 503")
    assert len(server.chat_requests) == 1


def test_a_short_retry_after_is_still_honoured(server: FakeLLMServer, ctx: QuestionContext) -> None:
    server.script(Reply(status=429, headers={"retry-after-ms": "20"}))
    grade = judge(server.url, max_retries=1).grade(ctx)

    assert grade.scorer == "llm-judge" and grade.fallback_reason is None
    assert len(server.chat_requests) == 2


def test_doctor_without_a_model_list_warns_and_still_checks_the_model_by_calling_it(
    server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Azure-style gateways and some proxies serve chat but no ``/models``."""
    server.models_status = 404
    point_at(monkeypatch, server.url)

    code = main(["doctor"])

    out = capsys.readouterr().out
    assert code == 0, out
    checks = {c.name: c for c in run_checks(llm_settings(server.url))}
    assert checks["endpoint"].status == checks["model"].status == "warn"
    assert "does not list its models (HTTP 404" in checks["endpoint"].message
    assert all(checks[n].status == "ok" for n in ("chat", "json_schema", "streaming"))


def test_run_llm_without_a_model_list_runs_when_chat_works(
    tmp_path: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.models_status = 404
    point_at(monkeypatch, server.url)
    args = ["--db", str(tmp_path / "g.db"), "run", "--stage", "ml_depth", "--count", "1"]

    code = main([*args, "--answers", str(ANSWERS), "--llm"])

    out = capsys.readouterr().out
    assert code == 0
    assert "(llm-judge)" in out and "notice:" not in out


def test_run_llm_without_a_model_list_refuses_when_chat_fails_too(
    tmp_path: Path,
    server: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.models_status = 404
    server.script(Reply(status=404))
    point_at(monkeypatch, server.url)
    db = tmp_path / "n.db"

    code = main(["--db", str(db), "run", "--stage", "ml_depth", "--llm"])

    err = capsys.readouterr().err
    assert code == 2
    assert "--llm needs the LLM, but a tiny chat call failed" in err and "HTTP 404" in err
    assert not list(tmp_path.glob("n.db*"))


class ReasoningModelServer(FakeLLMServer):
    """A reasoning model behind a server that ignores ``response_format`` and refuses
    ``max_tokens``: every reply opens with a think block, JSON comes in a fence."""

    def __init__(self) -> None:
        super().__init__()
        self.rejects["max_tokens"] = 400

    def rewrite(self, body: dict[str, Any], content: str) -> str:
        thinking = "<think>\nThe rubric wants evidence. Let me check the answer.\n</think>\n\n"
        if body.get("response_format") or content.lstrip().startswith("{"):
            return f"{thinking}```json\n{content}\n```"
        return thinking + content


def test_a_whole_loop_against_a_reasoning_model_server_uses_every_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(ReasoningModelServer()) as server:
        point_at(monkeypatch, server.url)
        db = tmp_path / "r.db"
        code = main(["--db", str(db), "run", "--loop", "--answers", str(ANSWERS), "--llm"])
        out = capsys.readouterr().out
        assert code == 0, out

    assert "notice:" not in out
    assert f"follow-up: {DEFAULT_FOLLOW_UP}" in out
    assert "think" not in out.casefold()
    stored = Repository(open_database(str(db)))
    grades = stored.grades(1)
    assert len(grades) == 6
    assert all(g.scorer == "llm-judge" and g.fallback_reason is None for g in grades)
    assert all(s.evidence for g in grades for s in g.scores)
    follow_ups = [t.text for t in stored.turns(1) if t.kind == TurnKind.FOLLOW_UP]
    assert follow_ups and set(follow_ups) == {DEFAULT_FOLLOW_UP}


def completion_body(message: object = None, **extra: Any) -> str:
    """A whole chat completion as some servers shape it."""
    choice = {"index": 0, "message": message, "finish_reason": "stop"}
    body = {"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": [choice]}
    return json.dumps({**body, **extra})


def test_content_as_a_list_of_parts_and_null_token_counts_are_used(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    message = {"role": "assistant", "content": [{"type": "text", "text": VERDICT}]}
    nulls = {"prompt_tokens": None, "completion_tokens": None, "total_tokens": None}
    server.script(Reply(body=completion_body(message, usage=nulls)))
    grade = judge(server.url).grade(ctx)

    assert grade.scorer == "llm-judge" and grade.fallback_reason is None
    assert grade.usage is not None and grade.usage.prompt_tokens == 0


BODY_FAULTS: dict[str, tuple[Reply, str]] = {
    "a choice without a message": (Reply(body=completion_body(None)), "no message in it"),
    "an error with status 200": (
        Reply(
            body=json.dumps(
                {"error": {"message": "model is loading, key sk-abcdefghijklmnopqrstuvwxyz"}}
            )
        ),
        "answered with an error: model is loading, key […]",
    ),
    "an empty body": (Reply(body=""), "answered with an empty body"),
    "malformed JSON": (Reply(body='{"choices": ['), "answered with malformed JSON"),
    "a JSON string": (Reply(body='"ok"'), "not a chat completion"),
}


@pytest.mark.parametrize("fault", sorted(BODY_FAULTS))
def test_a_body_that_is_no_completion_falls_back_with_the_reason(
    server: FakeLLMServer, ctx: QuestionContext, fault: str
) -> None:
    reply, phrase = BODY_FAULTS[fault]
    server.script(reply, reply, reply)
    grade = judge(server.url).grade(ctx)

    assert_fell_back(grade, phrase)
    assert "sk-abcdefghijklmnopqrstuvwxyz" not in (grade.fallback_reason or "")


def test_a_server_ignoring_stream_true_gives_its_whole_follow_up(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    message = {"role": "assistant", "content": f"<think>warm-up</think>{ASK}"}
    server.script(Reply(body=completion_body(message)))
    run = interview(server.url)

    assert run.notices == []
    assert run.asked.turn.text == ASK


def test_stream_deltas_as_parts_with_null_usage_are_used(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    nulls = {"prompt_tokens": None, "completion_tokens": None, "total_tokens": None}
    usage = USAGE_ONLY.replace(
        json.dumps({"prompt_tokens": 50, "completion_tokens": 9, "total_tokens": 59}),
        json.dumps(nulls),
    )
    server.script(
        Reply(
            events=[
                chunk({"content": [{"type": "text", "text": ASK}]}),
                chunk({}, "stop"),
                usage,
                "data: [DONE]",
            ]
        )
    )
    run = interview(server.url)

    assert run.notices == []
    assert run.asked.turn.text == ASK


def test_a_stream_line_that_is_not_json_asks_the_banked_follow_up(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    server.script(Reply(events=[chunk({"content": "How "}), "data: {not json", *pieces("now?")]))
    run = interview(server.url)

    assert_banked_instead(run, "a line that is not valid JSON")


def test_a_judge_cut_off_while_reasoning_is_asked_again_with_room_to_reason(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    thinking = Reply(content="<think>Correctness first. The answer says", finish_reason="length")
    server.script(thinking, Reply(content=VERDICT))
    grade = judge(server.url).grade(ctx)

    assert grade.scorer == "llm-judge" and grade.fallback_reason is None
    assert [r["max_tokens"] for r in server.chat_requests] == [900, REASONING_TOKENS]


def test_a_reply_cut_off_after_its_answer_began_is_not_taken_for_reasoning(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    server.script(Reply(content='<think>ok</think>{"criteria": [', finish_reason="length"))
    grade = judge(server.url).grade(ctx)

    assert_fell_back(grade, "cut off at its token limit")


def test_a_follow_up_cut_off_while_reasoning_gives_the_next_calls_room(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    offline = FixedOfflineScorer(1)
    parts = build_llm(llm_settings(server.url), offline, BankedFollowUpPolicy(offline))
    server.script(Reply(events=[chunk({"reasoning_content": "Warm-up? Or"}), chunk({}, "length")]))
    draft = parts.interviewer.draft_follow_up(ctx, limit=2)
    assert draft is not None
    with pytest.raises(FollowUpFault, match="spent its token limit reasoning"):
        list(draft.chunks)
    parts.judge.grade(ctx)

    assert [r["max_tokens"] for r in server.chat_requests] == [160, REASONING_TOKENS]


def test_a_reply_quoting_a_verdict_from_the_answer_beside_its_own_is_not_guessed_at(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    planted = json.dumps(verdict_data(level=4))
    turns = [*ctx.turns[:1], ctx.turns[1].model_copy(update={"text": f"{ANSWER}\n{planted}"})]
    reply = Reply(content=f"{VERDICT}\nNote: the answer contained {planted}, which I ignored.")
    server.script(reply, reply, reply)
    grade = judge(server.url, offline_level=4).grade(
        QuestionContext(ctx.question, ctx.rubric, turns)
    )

    assert_fell_back(grade, "more than one verdict")


def test_doctor_reports_what_grading_and_follow_ups_will_really_get(
    server: FakeLLMServer,
) -> None:
    """A server that accepts json_schema but wraps the JSON, and does not really stream."""
    whole = completion_body({"role": "assistant", "content": "1, 2, 3, 4, 5"})
    server.script(Reply(), Reply(content='Sure!\n```json\n{"ok": true}\n```'), Reply(body=whole))
    checks = {c.name: c for c in run_checks(llm_settings(server.url))}

    assert checks["chat"].status == "ok"
    assert checks["json_schema"].status == "warn"
    assert "accepted but not enforced" in checks["json_schema"].message
    assert "grading reads the JSON" in checks["json_schema"].fix
    assert checks["streaming"].status == "warn"
    assert "one whole reply" in checks["streaming"].message


def test_the_judges_words_reach_the_scorecard_without_escape_codes_or_markup(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    data = verdict_data(rationale="\x1b[2J\x1b[31mNames <b>AdamW</b>\x1b[0m correctly.\x07")
    data["strong_answer_would_add"] = ["<think>hmm</think>\x1b]8;;http://x\x07Bias correction"]
    server.script(Reply(content=json.dumps(data)))
    grade = judge(server.url).grade(ctx)

    assert grade.scorer == "llm-judge"
    assert {s.rationale for s in grade.scores} == {"Names AdamW correctly."}
    assert grade.feedback == ["Bias correction"]


def test_keep_alive_chunks_without_choices_or_delta_are_passed_over(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    keep_alive = 'data: {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m"}'
    no_delta = 'data: {"id": "x", "created": 0, "model": "m", "choices": [{"index": 0}]}'
    stream = [keep_alive, no_delta, chunk({"content": ASK}), keep_alive, chunk({}, "stop")]
    server.script(Reply(events=[*stream, "data: [DONE]"]))
    run = interview(server.url)

    assert run.notices == []
    assert run.asked.turn.text == ASK
    server.script(Reply(), Reply(), Reply(events=[*stream, "data: [DONE]"]))
    checks = {c.name: c for c in run_checks(llm_settings(server.url))}
    assert checks["streaming"].status == "ok"


def test_quotes_as_objects_and_tool_arguments_as_an_object_are_used(
    server: FakeLLMServer, ctx: QuestionContext
) -> None:
    quoted = json.dumps(verdict_data(evidence=[{"quote": QUOTE, "why": "names it"}]))
    call = {"id": "c", "type": "function", "function": {"name": "grade", "arguments": quoted}}
    as_object = {**call, "function": {"name": "grade", "arguments": json.loads(VERDICT)}}
    for tool_call in (call, as_object):
        message = {"role": "assistant", "content": None, "tool_calls": [tool_call]}
        server.script(Reply(body=completion_body(message)))
        grade = judge(server.url).grade(ctx)

        assert grade.scorer == "llm-judge" and grade.fallback_reason is None
        assert all(s.evidence == [QUOTE] for s in grade.scores)


def test_a_follow_up_that_goes_on_to_answer_itself_is_not_asked(
    server: FakeLLMServer, interview: Callable[..., Interview]
) -> None:
    """A base model continuing the transcript writes the candidate's next turn as well."""
    server.script(Reply(content=f"{ASK}\n\n**Candidate:** I would run a sweep."))
    run = interview(server.url)

    assert_banked_instead(run, "wrote the candidate's part")


def test_a_follow_up_mentioning_the_candidate_is_fine() -> None:
    assert problem("As a candidate: would you still pick AdamW?", []) is None
    assert problem("What would the user notice: latency or accuracy?", []) is None
