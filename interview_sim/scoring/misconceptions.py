"""Which of the bank's wrong statements (misconceptions, red flags) the answer asserts or refutes.

A sentence asserts a misconception when it contains most of its terms with the same polarity;
with the opposite polarity ("accuracy is not a good metric here", "it's a myth that ...") it
refutes it, which a strong answer does unprompted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from interview_sim.models import Statement
from interview_sim.scoring.clauses import Clause, opposed_pairs, windows
from interview_sim.scoring.contrasts import sides_of
from interview_sim.scoring.coverage import Phrasing, TermIndex
from interview_sim.scoring.text import (
    Sentence,
    content_stems,
    is_negated,
    plain_lowercase,
    stem,
    terms,
    words,
)

MATCH_THRESHOLD = 0.75
"""Share of a misconception's terms one clause must contain to be about it."""
ALTERNATIVE_THRESHOLD = 0.85
"""Share of an alternative phrasing's terms a run must hold. At the bank wording's 0.75 the
banks' 1,200 alternatives matched honest answers of the adversarial dev sets; at 0.85 none."""
ALTERNATIVE_MIN_TERMS = 3
"""Terms besides the prompt's an alternative phrasing must have to be matched at all."""
RUN_CLAUSE_COST = 0.025
"""Share lost per clause a run adds: a claim and its direct continuation ("bandits give the
most accurate estimates | because the final split tells you the effect") is one claim, but
terms gathered from four clauses are less likely to be. From 0.05 at scorer 2.1, which missed
claims carried by a continuation; at 0 honest answers start to match across long runs."""
MIN_SHARED_TERMS = 2
ANCHORS_NEEDED = 2
ANCHORS_ALONE = 3
"""Anchors enough without another of the statement's terms."""
"""Anchor terms (see ``_anchored``) a clause must hold, with one more term of the statement."""


@dataclass(frozen=True)
class StatementHit:
    statement: str
    sentence: Sentence
    asserted: bool
    """True when the sentence states it; False when it contradicts it."""


_DISMISSIVE = frozenset(
    {
        "misleading",
        "meaningless",
        "useless",
        "pointless",
        "avoid",
        "trap",
        "pitfall",
        "naive",
        "flawed",
        "dangerous",
        "instead",
        "rather",
        "unless",
        "tempting",
        "leak",
        "leaks",
        "leakage",
        "wrong",
        "risk",
        "risky",
        "mistake",
        "bias",
        "biased",
        "fail",
        "fails",
        "break",
        "breaks",
        "problem",
        "issue",
        "bad",
        "worse",
        "hurt",
        "hurts",
        "hide",
        "hides",
        "hiding",
        "mask",
        "masks",
        "miss",
        "misses",
        "overstate",
        "overstates",
        "understate",
        "understates",
        "inflate",
        "inflates",
    }
)
"""Words that hold a statement at arm's length: "accuracy is misleading here" does not
recommend accuracy, and "a random split leaks the future" warns against one."""
_RULED_OUT = re.compile(
    r"\b(impossible|infeasible|unfeasible|impractical|unworkable|unrealistic|prohibitive(ly)?|"
    r"intractable|unaffordable|unthinkable|out of the question|non-?starter|not an option|"
    r"not feasible|rules? (it |that |this )?out|ruled (it |that |this )?out)\b"
)
"""Words that rule the thing they describe out: "brute force over 100M vectors per query is
out of the question" rejects the red flag it names, as "not" would."""
_CORE_END = re.compile(
    r"\b(instead of|rather than|without|regardless of|ignoring|with no|which|so that|so|"
    r"because|even though|while|like)\b|\band (?=[a-z]+[^s\W]s\b)"
)
"""Where a wrong statement's core ends: "Uses a random split | instead of a time-based split"
names the mistake first and the right way after; "trains its trees independently and averages
them | like a random forest" adds an analogy the mistake does not need; "Trains only on user
reports | and treats unreported content as clean" adds a second mistake (an "and" before a verb
in the third person, not one joining two nouns)."""
_GENERIC = frozenset(
    stem(w)
    for w in [
        "use",
        "uses",
        "relies",
        "proposes",
        "treats",
        "runs",
        "sends",
        "measures",
        "make",
        "take",
        "get",
        "only",
        "always",
        "just",
        "many",
        "every",
        "all",
        "one",
        "first",
        "whole",
        "main",
    ]
)
"""Verbs and quantifiers of the bank's phrasing ("Uses ...", "Relies only on ..."), not of the
mistake itself."""
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in [
        "set",
        "sets",
        "drive",
        "drives",
        "make",
        "makes",
        "produce",
        "produces",
        "become",
        "becomes",
        "push",
        "pushes",
        "turn",
        "turns",
        "give",
        "gives",
        "lead",
        "leads",
        "get",
        "gets",
        "bring",
        "brings",
        "many",
    ]
)
"""Verbs (and "many") that carry no claim of their own: "L2 sets many weights exactly to zero"
and "L2 drives more weights exactly to zero" make one claim, about L2, weights and zero."""
CORE_MIN_TERMS = 2
CORE_ALL_TERMS = 4
"""A core of up to this many terms must be held whole; a longer one at ``CORE_SHARE``."""
CORE_SHARE = 0.8


def find_statements(
    statements: Sequence[Statement],
    clauses: Sequence[Clause],
    question_terms: frozenset[str],
    known_terms: frozenset[str] = frozenset(),
) -> list[StatementHit]:
    """The best matching clause (or linked clauses) for each statement the answer talks about.

    Polarity is the matched clause's own: "a random split is always safe and five-fold CV
    prevents leakage, because it tests on a model that did not train on it" asserts both wrong
    statements; the later "did not" belongs to another clause.

    When the question contrasts two things (ROC-AUC and PR-AUC), a clause that swaps one for
    the other ("a random classifier has ROC-AUC 0.5") is about the other thing, not the
    misconception ("PR-AUC of a random classifier is 0.5"), so such swaps do not match.
    """
    runs = windows(clauses)
    # Each run's terms, term index and split pairs, computed once for all the statements.
    prepared: list[_PreparedRun] = [
        (run, index.terms, index, opposed_pairs(run))
        for run in runs
        for index in [TermIndex.of(run)]
    ]
    answer = TermIndex.of(clauses)
    hits: list[StatementHit] = []
    for statement in statements:
        found = [
            match
            for i, text in enumerate(statement.phrasings)
            if (i == 0 or _could_match(text, answer))
            and (match := _match(text, prepared, clauses, question_terms, known_terms, i > 0))
            is not None
        ]
        # Said in any of its phrasings, the statement is stated; refuted only if never stated.
        chosen = next((m for m in found if m[1]), found[0] if found else None)
        if chosen is not None:
            hits.append(StatementHit(statement.text, chosen[0], chosen[1]))
    return hits


def _could_match(alternative: str, answer: TermIndex) -> bool:
    """Whether the whole answer holds enough of an alternative's terms for one of its runs to:
    most alternatives are ruled out here, before any run is compared."""
    stems = _claim_stems(terms(alternative))
    return bool(stems) and sum(map(answer.hit, stems)) >= ALTERNATIVE_THRESHOLD * len(stems)


def _claim_stems(stems: frozenset[str]) -> list[str]:
    """A statement's terms less its light verbs, unless that leaves none."""
    return sorted(stems - _LIGHT_VERBS) or sorted(stems)


def _match(
    statement: str,
    prepared: Sequence[_PreparedRun],
    clauses: Sequence[Clause],
    question_terms: frozenset[str],
    known_terms: frozenset[str],
    alternative: bool = False,
) -> tuple[Sentence, bool] | None:
    """The sentence that states (True) or contradicts (False) one phrasing of a statement.

    An ``alternative`` phrasing is matched by its terms only (its words are new to the
    question's material, so they would all pass for telltale words), at a higher share
    (``ALTERNATIVE_THRESHOLD``), and needs terms of its own besides the prompt's: each
    statement has several, and every extra phrasing is one more chance of a chance match.
    """
    phrasing = Phrasing.of(statement)
    stems = _claim_stems(frozenset(phrasing.stems))
    if alternative:
        own = [t for t in stems if t not in question_terms]
        if len(own) < ALTERNATIVE_MIN_TERMS:
            return None
        known_terms = frozenset()
    if not stems:
        return None
    best: tuple[float, Sentence, bool] | None = None
    """Share, the sentence, and whether it asserts (True) or contradicts the statement."""
    statement_sides = sides_of(stems)
    one_sided = {p for p, side in statement_sides if (p, 1 - side) not in statement_sides}
    wanted = set(stems)
    for run, run_terms, index, opposed in prepared:
        if one_sided & opposed or run_terms.isdisjoint(wanted):
            continue
        if _swaps(wanted, run_terms, question_terms):
            continue
        # The negations of the statement that govern terms the run holds.
        held = [d for d in phrasing.negations if any(index.hit(t) for t in d)]
        if phrasing.negations and not held:
            # "fit on the training set without bias": a run that never names what the
            # statement denies ("bias") does not say it, whatever its own negations.
            continue
        shared = sum(index.hit(t) for t in stems)
        share = shared / len(stems) - RUN_CLAUSE_COST * (len(run) - 1)
        enough = shared >= min(MIN_SHARED_TERMS, len(stems))
        threshold = ALTERNATIVE_THRESHOLD if alternative else MATCH_THRESHOLD
        if share >= threshold and enough and (best is None or share > best[0]):
            head = max(run, key=lambda c: len(c.terms & wanted))
            # The statement's polarity is that of the part the run holds: "always safe
            # because LLM calls have no side effects" is stated by "calls have no side
            # effects", whose negation the statement shares.
            stated = _run_negated(run, wanted) == (len(held) % 2 == 1)
            if stated and _ruled_out(run, statement):
                stated = False
            best = (share, head, stated)
    if best is not None:
        return best[1], best[2]
    if known_terms and not phrasing.negated:
        anchored = _anchored(statement, wanted, clauses, known_terms, phrasing.negations)
        if anchored is not None:
            return anchored, True
    if known_terms:
        core = _core_clause(statement, prepared, clauses, known_terms)
        if core is not None:
            return core, True
    return None


def _anchored(
    statement: str,
    stems: set[str],
    clauses: Sequence[Clause],
    known_terms: frozenset[str],
    negations: tuple[frozenset[str], ...],
) -> Clause | None:
    """A clause stating the statement's *anchor*: the terms only a wrong answer would use.

    A reworded misconception ("we evaluate on accuracy") shares few words with the bank's
    wording ("uses accuracy as the main metric on 0.1% positives"), but it keeps the word that
    makes it wrong, one the key points, model answer and prompt never use. A clause holding two
    anchors and another of the statement's terms, or three anchors, said plainly (not negated,
    not held at arm's length), states it. Anchors are the statement's own words: "AUC" spelled
    out as "area under the curve" is one anchor, not four, and two anchors alone are too often
    one phrase a good answer uses too ("statistically significant", "per-parameter").
    """
    own = {stem(w) for w in words(statement)}
    anchors = {t for t in (stems & own) - known_terms if not t[0].isdigit() and len(t) > 2}
    if len(anchors) < ANCHORS_NEEDED:
        return None  # one telltale word is too little to tell a claim from a mention
    others = stems - anchors
    named = sides_of(stems)
    for clause in clauses:
        terms_ = clause.terms
        if not named <= sides_of(terms_):
            continue  # "L2 sets weights to zero" needs a clause that names L2
        held = len(anchors & terms_)
        if held < ANCHORS_NEEDED or clause.negated or _DISMISSIVE & set(clause.words):
            continue
        if _ruled_out((clause,), statement):
            continue
        if negations and all(d.isdisjoint(terms_) for d in negations):
            continue  # never says what the statement denies ("without access control")

        if others & terms_ or held >= ANCHORS_ALONE:
            return clause
    return None


_PreparedRun = tuple[tuple[Clause, ...], frozenset[str], TermIndex, frozenset[int]]
"""A clause run with its terms, their index and the contrast pairs split across its clauses."""


@dataclass(frozen=True)
class _Core:
    terms: tuple[str, ...]
    negated: bool
    rest: frozenset[str]
    """The terms after the core: the right way the statement names ("a time-based split")."""


@lru_cache(maxsize=4096)
def _core(statement: str) -> _Core:
    head = _CORE_END.split(statement, maxsplit=1)[0]
    tokens = words(head)
    own = {stem(t) for t in tokens}
    core = tuple(t for t in dict.fromkeys(content_stems(tokens)) if t in own and t not in _GENERIC)
    rest = frozenset(content_stems(words(statement[len(head) :]))) - set(core)
    return _Core(core, is_negated(tokens), rest)


def _core_clause(
    statement: str,
    runs: Sequence[_PreparedRun],
    clauses: Sequence[Clause],
    known_terms: frozenset[str],
) -> Clause | None:
    """A clause (or a clause and its continuation) stating the statement's *core*: the mistake
    itself, before the bank's "instead of ..." or "because ...".

    "I'd measure quality with document-level accuracy" states "Measures document-level accuracy
    only, ignoring which fields are high risk" although it shares few of its words. Every core
    term must be there (most of a long core), with the core's polarity, said plainly (nothing
    holding it at arm's length, no contrast pair split across the clauses) and in a sentence
    that does not also name the right way. A two-term core needs a term the question's own
    material never uses, or "PR-AUC" plus "0.5" would be found in every good answer.
    """
    core = _core(statement)
    size = len(core.terms)
    if size < CORE_MIN_TERMS or (size == CORE_MIN_TERMS and set(core.terms) <= known_terms):
        return None
    needed = size if size <= CORE_ALL_TERMS else math.ceil(CORE_SHARE * size)
    wanted = set(core.terms)
    for run, _, index, opposed in runs:
        if len(run) > 2:
            continue
        # By prefix too: "automated" and "automatically" are one term.
        if sum(1 for t in core.terms if index.hit(t)) < needed:
            continue
        run_words = {w for c in run for w in c.words}
        if _DISMISSIVE & run_words or opposed or _ruled_out(run, statement):
            continue
        if _run_negated(run, wanted) != core.negated:
            continue
        sentence_terms = frozenset().union(
            *(c.terms for c in clauses if c.sentence_index == run[0].sentence_index)
        )
        if len(core.rest & sentence_terms) >= 2:
            continue
        return max(run, key=lambda c: len(c.terms & wanted))
    return None


def _ruled_out(run: Sequence[Clause], statement: str) -> bool:
    """Whether the run rules out what it names, in words the statement itself does not use."""
    said = plain_lowercase(" ".join(c.text for c in run))
    return any(m.group(0) not in plain_lowercase(statement) for m in _RULED_OUT.finditer(said))


def _run_negated(run: Sequence[Clause], stems: set[str]) -> bool:
    """A run's polarity: that of the clauses holding the statement's terms. A clause that only
    inherits the negation of the clause before it ("no need to measure prevalence | or
    precision") is inside that one negation, not a second one that cancels it."""
    holding = [c for c in run if c.terms & stems] or list(run)
    flips = 0
    for i, clause in enumerate(run):
        if clause not in holding:
            continue
        shared_scope = clause.inherits_negation and i > 0 and run[i - 1] in holding
        flips += is_negated(clause.words) or (clause.inherits_negation and not shared_scope)
    return flips % 2 == 1


def _swaps(stems: set[str], clause: frozenset[str], question_terms: frozenset[str]) -> bool:
    missing = {t for t in stems - clause if t in question_terms}
    extra = {t for t in clause - stems if t in question_terms}
    return bool(missing and extra)
