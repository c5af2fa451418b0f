"""What the judge must return, and how a real server's version of it is read.

The schema sent to the endpoint (:class:`Verdict`) is strict, but many servers ignore it or
only half follow it. A reply is read leniently where the meaning is unambiguous, and refused
where it is not, so a usable grade is kept and an unusable one falls back with a reason:

- kept: criterion names in another case or spelling (``"Practical Judgement"`` for
  ``practical_judgement``), criteria as an object keyed by criterion, one quote as a string
  instead of a list, quotes as objects (``{"quote": ...}``), a missing rationale or advice
  list, extra keys, an extra criterion the rubric does not have (dropped), the same criterion
  twice at the same level (merged);
- refused (``ValueError``, which earns the reply one repair retry): a rubric criterion missing,
  one criterion graded twice at different levels, a level outside 0 to 4, two different
  verdicts in one reply (one may be a verdict the candidate wrote into the answer, quoted).

Evidence is never made up here: a criterion without quotes keeps none, and grounding caps it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from interview_sim.llm.replies import json_objects
from interview_sim.models import Rubric


class CriterionVerdict(BaseModel):
    criterion: str
    level: int = Field(ge=0, le=4)
    evidence: list[str]
    rationale: str


class Verdict(BaseModel):
    """What the judge must return; sent to the endpoint as a strict json_schema."""

    criteria: list[CriterionVerdict]
    strong_answer_would_add: list[str]


def check_complete(verdict: Verdict, rubric: Rubric) -> None:
    """Every rubric criterion exactly once; raises ``ValueError`` with what is wrong."""
    wanted = [c.id for c in rubric.criteria]
    given = [c.criterion for c in verdict.criteria]
    problems = []
    if missing := [c for c in wanted if c not in given]:
        problems.append(f"missing criteria {missing}")
    if unknown := [c for c in given if c not in wanted]:
        problems.append(f"unknown criteria {unknown}")
    if len(given) != len(set(given)):
        problems.append("a criterion is graded twice")
    if problems:
        raise ValueError("; ".join(problems))


def read_verdict(content: str, rubric: Rubric) -> Verdict:
    """The verdict in a reply's text, read as described above; ``ValueError`` saying what is
    wrong when there is none to use."""
    candidates = json_objects(content)
    if not candidates:
        raise ValueError("the reply held no JSON object")
    verdicts = {json.dumps(c, sort_keys=True): c for c in candidates if "criteria" in c}
    if len(verdicts) > 1:  # which is the judge's? one may be quoted from the answer
        raise ValueError("the reply held more than one verdict")
    data = next(iter(verdicts.values()), candidates[-1])
    verdict = Verdict.model_validate(_normalised(data, rubric))
    check_complete(verdict, rubric)
    return verdict


def problem(error: Exception) -> str:
    """The first thing wrong with a reply, short enough for a fallback reason."""
    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"[:200] if where else first["msg"][:200]
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def _normalised(data: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    ids = {_key(c.id): c.id for c in rubric.criteria}
    ids.update({_key(c.name): c.id for c in rubric.criteria})
    raw = data.get("criteria")
    if raw is None and any(_key(k) in ids for k in data):  # criteria at the top level
        raw = {k: v for k, v in data.items() if _key(k) in ids}
    if isinstance(raw, dict):
        raw = [_keyed_item(name, value) for name, value in raw.items()]
    items: dict[str, dict[str, Any]] = {}
    kept: list[Any] = []
    unknown: list[str] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            kept.append(item)  # left for validation to refuse
            continue
        name = item.get("criterion", item.get("name", item.get("id")))
        criterion = ids.get(_key(name)) if isinstance(name, str) else None
        if criterion is None:  # a criterion this rubric does not have: not part of this grade
            unknown.append(str(name))
            continue
        entry = {
            "criterion": criterion,
            "level": item.get("level", item.get("score")),
            "evidence": _strings(item.get("evidence", item.get("quotes"))),
            "rationale": item.get("rationale") or item.get("reason") or "",
        }
        if criterion not in items:
            items[criterion] = entry
            kept.append(entry)
        elif _same_level(items[criterion]["level"], entry["level"]):
            merged = items[criterion]["evidence"]
            merged.extend(q for q in entry["evidence"] if q not in merged)
        else:
            raise ValueError(f"criterion '{criterion}' is graded twice at different levels")
    missing = [c.id for c in rubric.criteria if c.id not in items]
    if missing and unknown:
        raise ValueError(f"missing criteria {missing}; it graded unknown criteria {unknown}")
    advice = data.get("strong_answer_would_add")
    criteria = kept if isinstance(raw, list) else raw  # not a list: validation says so
    return {"criteria": criteria, "strong_answer_would_add": _strings(advice)}


def _same_level(first: Any, second: Any) -> bool:
    try:
        return float(first) == float(second)
    except (TypeError, ValueError):
        return bool(first == second)


def _keyed_item(name: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {"criterion": name, **value}
    return {"criterion": name, "level": value}


def _strings(value: Any) -> Any:
    """A list of strings from a list, one string, or nothing; anything else is left for
    validation to refuse."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):  # quotes as objects: [{"quote": "..."}]
        return [_quote_in(v) if isinstance(v, dict) else v for v in value]
    return value


def _quote_in(item: dict[str, Any]) -> Any:
    return next((item[k] for k in ("quote", "text", "evidence") if k in item), item)
