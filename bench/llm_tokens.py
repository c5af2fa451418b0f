"""Token benchmark: a full scripted loop with the LLM interviewer and judge, per-stage tokens.

Runs against the scripted OpenAI-compatible test server (tests/llm_server.py), whose token
counts are an estimate (characters / 4), so the figure tracks prompt size, not a tokenizer.
Target: a full loop stays within ``TARGET_PROMPT_TOKENS`` prompt tokens.

    .venv/bin/python -m bench llm_tokens
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.measure import Row
from interview_sim.cli.answers import load_answers
from interview_sim.config import Settings
from interview_sim.engine import plan_loop
from interview_sim.models import SessionMode, TokenUsage, TurnKind
from interview_sim.services import open_services
from tests.llm_server import llm_settings, running_server

TARGET_PROMPT_TOKENS = 30_000
ANSWERS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "loop_answers.yaml"


def run_loop(answers: Path) -> dict[str, TokenUsage]:
    script = load_answers(answers)
    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "bench.db"), llm=llm_settings(server.url, timeout=5))
        services = open_services(settings, use_llm=True)
        engine, meter = services.engine, services.llm_usage
        assert meter is not None
        plan = plan_loop(services.catalog, settings.questions_per_stage)
        session_id = engine.start(SessionMode.LOOP, plan)
        engine.advance(session_id)
        while (pos := engine.position(session_id)) is not None:
            given = sum(1 for t in pos.turns if t.kind in (TurnKind.ANSWER, TurnKind.CODE_RUN))
            pending = script.for_question(pos.question.id, pos.index)[given:]
            if not pending:
                engine.end_question(session_id)
                continue
            answer = pending[0]
            engine.submit_answer(session_id, answer if isinstance(answer, str) else answer.text)
        return meter.by_stage()


def run() -> list[Row]:
    """Rows for ``python -m bench``: prompt/completion tokens per stage and for the loop."""
    per_stage = run_loop(ANSWERS)
    total = sum(per_stage.values(), TokenUsage())
    rows = [
        Row(
            f"LLM tokens, {stage} (prompt / completion)",
            f"{u.prompt_tokens} / {u.completion_tokens}",
        )
        for stage, u in per_stage.items()
    ]
    rows.append(
        Row(
            "LLM prompt tokens, full loop (scripted server, chars/4)",
            str(total.prompt_tokens),
            f"<= {TARGET_PROMPT_TOKENS}",
            total.prompt_tokens <= TARGET_PROMPT_TOKENS,
        )
    )
    return rows
