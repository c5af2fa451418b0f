"""What time complexity a candidate's words claim, and when a measurement refutes the claim.

One home for reading a stated complexity, so the coding scorer (which must not credit a claim
the sandbox refuted) and the interviewer's measured follow-up ("you said your solution is
O(n), but it was too slow") cannot disagree about what was said. It reads big-O notation and
the words people use instead ("linear", "log-linear", "exponential", "it is already optimal"),
and tells a claim about the submitted code from a plan ("I'd use DP to get O(n^2)"), a space
bound, a cost per operation ("lookups are O(1)"), a negation ("it is not linear") and a
retraction ("I said O(n), but ...").

A claim is wrong when the sandbox measured the code too slow for it, or when the code passed
the performance test and plainly makes one pass (``single_pass``, read with ``ast``) while the
claim says it grows polynomially faster than the problem's bound.

Growth is coarse on purpose: exponential or not, then the total polynomial degree, then the
log factors. That is enough to say that "O(n)" is no more than the O(n * L) a problem allows,
and that "exponential" admits more, without pretending to compare constants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import total_ordering
from typing import Literal

from interview_sim.models import CodeOutcome, Turn, TurnKind
from interview_sim.scoring.code_cost import single_pass
from interview_sim.scoring.text import Sentence, plain_lowercase

Performance = Literal["passed", "too_slow", "failed", "not_run"]


@total_ordering
@dataclass(frozen=True)
class Growth:
    """How fast a cost grows: exponential or not, polynomial degree, then log factors."""

    exponential: bool = False
    degree: float = 0.0
    logs: int = 0

    def _key(self) -> tuple[bool, float, int]:
        return (self.exponential, self.degree, self.logs)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Growth):
            return NotImplemented
        return self._key() < other._key()

    def times(self, other: Growth) -> Growth:
        return Growth(
            self.exponential or other.exponential,
            self.degree + other.degree,
            self.logs + other.logs,
        )

    def power(self, exponent: float) -> Growth:
        return Growth(self.exponential, self.degree * exponent, int(self.logs * exponent))


CONSTANT = Growth()
LINEAR = Growth(degree=1)
LOG_LINEAR = Growth(degree=1, logs=1)
EXPONENTIAL = Growth(exponential=True)


@dataclass(frozen=True)
class ComplexityClaim:
    """One statement of time complexity: ``said`` as written ("O(n)", "linear", "optimal")."""

    said: str
    growth: Growth | None
    """None for "optimal" or "efficient": the best the problem allows, whatever that is."""
    planned: bool
    """A plan or a target ("I would bring it down to O(n)"), not a claim about the code."""
    start: int
    """Where ``said`` starts in the text it was read from."""
    notation: str | None = None
    """The inside of the big-O ("n^2"), when the claim was written in big-O notation."""

    @property
    def quoted(self) -> str:
        return f"O({self.notation})" if self.notation is not None else self.said


# --- growth of a big-O expression ------------------------------------------------------------

_FUNCTIONS = frozenset({"log", "lg", "ln", "log2", "log10", "sqrt", "alpha", "\u03b1"})
_TOKEN = re.compile(r"\s*(\d+(?:\.\d+)?|[a-z\u03b1][a-z0-9_\u03b1]*|[-+*/^()!,·\u00d7√])")
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "·": "*", "\u00d7": "*", "⋅": "*"})
_GLUED_LOG = re.compile(r"([a-z])(?=log)")
_LOG_GLUED = re.compile(r"\b(log|lg|ln)(?=[a-z])")
_MAX_NAME = 3
"""Longer names ("total characters of names") are prose, not a variable: growth unknown."""


class _Unreadable(Exception):
    pass


class _Parser:
    """A small recursive-descent reader of the inside of a big-O.

    ``expr := term (("+" | "-") term)*``, ``term := factor (["*" | "/"] factor)*``,
    ``factor := atom ["^" atom] ["!"]``; a sum grows as its largest term, a product as the
    sum of its factors' degrees.
    """

    def __init__(self, text: str) -> None:
        text = plain_lowercase(text.translate(_SUPERSCRIPTS)).replace("log_2", "log2")
        text = _LOG_GLUED.sub(r"\1 ", _GLUED_LOG.sub(r"\1 ", text))  # "nlogn": "n log n"
        self.tokens: list[str] = []
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                if text[position:].strip():
                    raise _Unreadable(text)
                break
            self.tokens.append(match.group(1))
            position = match.end()
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _Unreadable("ends early")
        self.index += 1
        return token

    def read(self) -> Growth:
        growth = self.expr()
        if self.peek() is not None:
            raise _Unreadable(f"unexpected {self.peek()}")
        return growth

    def expr(self) -> Growth:
        growth = self.term()
        while self.peek() in ("+", "-", ","):
            self.take()
            growth = max(growth, self.term())
        return growth

    def term(self) -> Growth:
        growth = self.factor()
        while (token := self.peek()) is not None and token not in ("+", "-", ",", ")"):
            if token in ("*", "/"):
                self.take()
                divided = self.factor()
                growth = growth if token == "/" else growth.times(divided)
            else:
                growth = growth.times(self.factor())  # "n log n", "2n"
        return growth

    def factor(self) -> Growth:
        base, number = self.atom()
        if self.peek() == "^":
            self.take()
            exponent, power = self.atom()
            if power is None:  # "2^n", "k^n", "n^k": grows faster than any fixed degree
                base = EXPONENTIAL if number is None or number > 1 else CONSTANT
                if number is None and exponent == CONSTANT:
                    base = EXPONENTIAL
            else:
                base = base.power(power)
        if self.peek() == "!":
            self.take()
            base = EXPONENTIAL
        return base

    def atom(self) -> tuple[Growth, float | None]:
        token = self.take()
        if token == "(":
            inner = self.expr()
            if self.take() != ")":
                raise _Unreadable("unbalanced")
            return inner, None
        if token[0].isdigit():
            return CONSTANT, float(token)
        if token == "√":
            return self.atom()[0].power(0.5), None
        if token in _FUNCTIONS:
            argument, _ = self.atom()
            if token == "sqrt":
                return argument.power(0.5), None
            if token in ("alpha", "\u03b1"):
                return CONSTANT, None
            return Growth(logs=1 if argument != CONSTANT else 0), None
        if token in ("*", "/", "+", "-", "^", "!", ")", ","):
            raise _Unreadable(f"unexpected {token}")
        if len(token) > _MAX_NAME and "_" not in token:
            raise _Unreadable(f"{token} is a word")
        if token.isalpha():  # "nm", "nk": one variable per letter, as in "n * m"
            return Growth(degree=len(token)), None
        return LINEAR, None


def growth_of(expression: str) -> Growth | None:
    """The growth of a big-O's inside ("n * L + n * L * S", "n log n"); None if unreadable."""
    try:
        return _Parser(expression).read()
    except (_Unreadable, RecursionError, ValueError):
        return None


_BIG_O = re.compile(r"\b[oOθΘ]\s*\(\s*((?:[^()]|\([^()]*\)){1,40}?)\s*\)")


def banked_growth(time: str) -> Growth | None:
    """The growth of a bank's ``complexity.time`` ("O(n log n)", "O(1) amortised per ...")."""
    match = _BIG_O.search(time)
    return growth_of(match.group(1)) if match else None


# --- claims in words ---------------------------------------------------------------------------

_WORDS: tuple[tuple[re.Pattern[str], Growth | None], ...] = (
    (re.compile(r"\b(log[- ]?linear|linearithmic|quasi[- ]?linear|n\s*log\s*n)\b"), LOG_LINEAR),
    (re.compile(r"(?<![-\w])(linear)\b"), LINEAR),
    (re.compile(r"\b(constant)\b"), CONSTANT),
    (re.compile(r"\b(logarithmic)\b"), Growth(logs=1)),
    (re.compile(r"\b(quadratic)\b"), Growth(degree=2)),
    (re.compile(r"\b(cubic)\b"), Growth(degree=3)),
    (re.compile(r"\b(exponential|factorial)\b"), EXPONENTIAL),
    (
        re.compile(
            r"\b(?:it|this|that|which|solution|code|approach|algorithm|implementation|version)"
            r"(?:'s|\s+is|\s+was|\s+should\s+be)?\s+(?:already\s+|quite\s+|very\s+|pretty\s+|"
            r"fully\s+|asymptotically\s+|as\s+)?(optimal|efficient|fast\s+enough)\b"
        ),
        None,
    ),
    (re.compile(r"\b(can'?t|cannot)\s+(?:do|get\s+it)\s+(?:any\s+)?(better|faster)\b"), None),
)
_TIME_CONTEXT = re.compile(
    r"\b(time|complexity|runtime|runs?|running|takes|scales?|grows?|overall|cost|speed|"
    r"asymptotic\w*|big[- ]o|slow|fast)\b"
)
_NOT_A_COST = re.compile(
    r"^\s*(scan|search|probing|regression|layer|model|algebra|combination|interpolation|"
    r"programming|function|map|transform|order|factor|term|offset|memory|space|"
    r"extra\s+space|amount|backoff|moving|decay|distribution|smoothing|family|warm\w*)\b"
)
_SPACE_AFTER = re.compile(r"^\s*(?:time\s+and\s+)?(space|memory|extra|auxiliary|additional)\b")
_TIME_AFTER = re.compile(r"^\s*(time|runtime|running|overall|complexity)\b")
_SPACE_BEFORE = re.compile(r"\b(space|memory)\b")
_TIME_BEFORE = re.compile(r"\b(time|runtime|running|runs?|speed)\b")
_PART = re.compile(
    r"\b(lookups?|access(?:es)?|inserts?|insertions?|push(?:es)?|pops?|appends?|membership|"
    r"each|every|per|operations?|calls?|steps?|iterations?|quer(?:y|ies)|slic(?:e|es|ing)|"
    r"comparisons?|checks?|sort(?:ing)?|heapify|hashing|the\s+dp|the\s+table|"
    r"precomput\w*|the\s+pass|first\s+pass|second\s+pass)\b"
)
_PER_AFTER = re.compile(r"^\s*(?:time\s+)?(per|for\s+each|each)\b")
_PLANNED = re.compile(
    r"\b(would|could|might|plan|bring|reduce|improve|optimi[sz]e|speed|faster|instead|"
    r"better|ideally|target|aim|get\s+it|to\s+get|down\s+to|goal|should|if|"
    r"i'll|i\s+will|we'll|we\s+will|i'd|we'd|next|switch\w*|fix\w*|memoi[sz]\w*|version|"
    r"becomes?|turns?\s+into|drops?|goes\s+down|make\s+it|makes\s+it|with\s+an?|using\s+an?|"
    r"use\s+an?|chang\w+|replac\w+|rewrit\w+|prun\w+|cach\w+)\b"
    r"|'d\b"
)
"""Words that make a complexity a plan or a change ("I would bring it down to O(n)", "with a
hash map it becomes O(n)"), not a claim about the code that was submitted. Erring this way
only spares a claim: a plan is never held against the measurement."""
_NEGATED = re.compile(
    r"(\b(not|never|no\s+longer|nowhere\s+near|far\s+from|rather\s+than|instead\s+of|"
    r"isn't|wasn't|aren't|cannot\s+be|can't\s+be)|n't)\s+(\w+\s+){0,2}$"
)
_RETRACTED = re.compile(
    r"\b(i|you|we)\s+(said|thought|claimed|assumed|believed|guessed|stated)\b|\bwas\s+wrong\b|"
    r"\bmistak\w*\b|\binitially\b|\bat\s+first\b|\bearlier\b"
)
_CLAUSE = re.compile(r"[^.;!?\n]+")
_TURN = re.compile(
    r",?\s*\b(?:but|however|though|although|whereas|actually|in\s+fact)\b|[,:—\u2013]|\s-\s"
)


def _pieces(text: str) -> Iterable[tuple[int, str, str]]:
    """Each piece of each clause with its offset and the clause's text before it.

    Clauses end at ".", ";", "?", "!" or a new line; pieces split them again at "but",
    "however", commas and colons, so a retraction or a negation stays in its own piece ("I said
    O(n), but it is exponential"), while a plan is read from the whole clause ("if I memoise,
    it becomes O(n)").
    """
    for clause in _CLAUSE.finditer(text):
        start = clause.start()
        for part in _TURN.split(clause.group(0)):
            if part and part.strip():
                offset = text.index(part, start)
                yield offset, part, _lower(text[clause.start() : offset])
                start = offset + len(part)


def _lower(text: str) -> str:
    """Lower case with plain apostrophes, keeping every offset."""
    return text.lower().replace("\u2019", "'")


def claims_in(text: str) -> list[ComplexityClaim]:
    """The time-complexity claims ``text`` makes about a whole solution, in order.

    Leaves out space bounds, costs of one operation, negated and retracted statements; keeps
    plans, marked ``planned``.
    """
    found: list[ComplexityClaim] = []
    for offset, original, earlier in _pieces(text):
        piece = _lower(original)
        if _RETRACTED.search(piece):
            continue
        spans: list[tuple[int, int]] = []
        for match in _BIG_O.finditer(original):
            spans.append((match.start(), match.end()))
            planned = _claim(piece, earlier, match.start(), match.end())
            if planned is not None:
                notation = " ".join(match.group(1).split())
                said = original[match.start() : match.end()]
                growth = growth_of(match.group(1))
                found.append(
                    ComplexityClaim(said, growth, planned, offset + match.start(), notation)
                )
        for pattern, growth in _WORDS:
            for match in pattern.finditer(piece):
                if any(a <= match.start(1) < b for a, b in spans):
                    continue
                if growth is not None and not _names_a_cost(
                    match.group(1), earlier + piece[: match.start(1)], piece[match.end() :]
                ):
                    continue
                planned = _claim(piece, earlier, match.start(1), match.end())
                if planned is not None:
                    spans.append((match.start(1), match.end()))
                    said = original[match.start(1) : match.end()]
                    found.append(ComplexityClaim(said, growth, planned, offset + match.start(1)))
    return sorted(found, key=lambda c: c.start)


_STRONG = re.compile(r"exponential|factorial|quadratic|cubic|log|linearithmic|quasi|n")
"""Growth words that name a cost wherever they stand; "linear" and "constant" need a context
("linear time", "it is linear"), or "a linear scan" and "a constant factor" would count."""
_PREDICATE = re.compile(r"\b(is|it's|its|was|be|are|stays|remains)\s+(\w+\s+)?$")


def _names_a_cost(word: str, before: str, after: str) -> bool:
    """Whether a growth word names the solution's cost rather than a thing ("linear scan")."""
    if _NOT_A_COST.match(after):
        return False
    if _STRONG.match(word):
        return True
    return bool(_PREDICATE.search(before) or _TIME_CONTEXT.search(before + word + after))


_LOCAL = re.compile(
    r".*\b(so|therefore|thus|hence|overall|total|making|giving|gives|which|means|and)\b", re.S
)
_WINDOW_WORDS = 4
"""Words before a complexity read for what it is the cost of ("each lookup is O(1)")."""


def _claim(piece: str, earlier: str, start: int, end: int) -> bool | None:
    """None when the complexity at ``piece[start:end]`` is not claimed of the whole solution's
    time (space, one operation, negated); else whether it is a plan rather than a claim."""
    before, after = piece[:start], piece[end:]
    if _SPACE_AFTER.match(after) or _PER_AFTER.match(after):
        return None
    if not _TIME_AFTER.match(after) and _SPACE_BEFORE.search(before):
        last_space = max(m.start() for m in _SPACE_BEFORE.finditer(before))
        last_time = max((m.start() for m in _TIME_BEFORE.finditer(before)), default=-1)
        if last_space > last_time:
            return None
    local = _LOCAL.match(before)
    subject = " ".join(before[local.end() if local else 0 :].split()[-_WINDOW_WORDS:])
    if _PART.search(subject) or _NEGATED.search(before):
        return None
    return bool(_PLANNED.search(earlier + before))


# --- the interviewer's view and the scorer's -----------------------------------------------


@dataclass(frozen=True)
class StatedComplexity:
    """What the candidate said about time complexity: of their code, and what they would aim at.

    ``current`` and ``planned`` are the last claim of each kind, in big-O or in words
    ("quadratic", "optimal"): a worded claim made after a big-O one replaces it, so "it is
    actually quadratic" after "O(n)" is not met with "you said your solution is O(n)".
    """

    current: ComplexityClaim | None
    planned: ComplexityClaim | None


def stated_complexity(texts: Iterable[str]) -> StatedComplexity:
    """The last complexity the candidate gave for their code, and the last one they planned.

    "It is O(n^2) overall. I would bring it down to O(n) with a stack" states O(n^2) for the
    code and plans O(n): a follow-up must not say "you said your solution is O(n)".
    """
    current: ComplexityClaim | None = None
    planned: ComplexityClaim | None = None
    for text in texts:
        for claim in claims_in(text):
            if claim.planned:
                planned = claim
            else:
                current = claim
    return StatedComplexity(current, planned)


def claims_fast(claim: ComplexityClaim) -> bool:
    """Whether a claim says the code is at most linear, or the best possible ("optimal")."""
    return claim.growth is None or not claim.growth > LINEAR


@dataclass(frozen=True)
class Refutation:
    """A claim the measurement refutes, and what the measurement showed, in plain words."""

    claim: ComplexityClaim
    measured: str

    def reason(self) -> str:
        return f'stated "{self.claim.quoted}", but {self.measured}'


def refuted(
    claims: Sequence[ComplexityClaim],
    performance: Performance,
    banked_time: str,
    slow_message: str = "",
) -> list[Refutation]:
    """The claims about the code that its measured speed contradicts.

    Only a too-slow verdict refutes: the code then costs more than the reference solution,
    which already runs in the bank's complexity, so a claim of that complexity or better (or of
    "optimal", "efficient") is wrong. A claim of more ("exponential", "O(n^2)") is the honest
    reading and stands; a later honest claim supersedes an earlier wrong one. Plans are not
    claims about the code.
    """
    if performance != "too_slow":
        return []
    bank = banked_growth(banked_time)
    ceiling = bank if bank is not None else LOG_LINEAR
    shown = slow_message or "the performance test was too slow"
    measured = f"{shown}, slower than the {banked_time.split(' for ')[0]} the problem allows"
    wrong: list[Refutation] = []
    for claim in claims:
        if claim.planned or (claim.growth is None and claim.notation is not None):
            continue  # a plan, or a big-O too unusual to read: nothing to hold against it
        if claim.growth is not None and claim.growth > ceiling:
            wrong = []  # an honest reading of the code supersedes what was claimed before
            continue
        wrong.append(Refutation(claim, measured))
    return wrong


WRONG_CLAIM_LEVEL = 1.0
"""The highest Complexity level with a stated complexity the measurement refutes: the coding
rubric's level 1 is "the stated complexity is wrong"."""
_SLOW = re.compile(r"too slow for n=\d+")


def refuted_sentences(
    banked_time: str,
    sentences: Sequence[Sentence],
    turns: Sequence[Turn],
    outcome: CodeOutcome | None,
    code: str = "",
) -> dict[Sentence, str]:
    """The answer's sentences whose stated complexity the sandbox refuted, each with why.

    Each answer is held against the submission it followed (the first submission for what
    was said before it): its own outcome when the history is known, else only the latest
    submission's, the one outcome there is. ``sentences`` carry their spans in the answers
    joined with new lines, as the scorer reads them.

    A too-slow verdict refutes a claim of the problem's complexity or better (``refuted``); a
    passed one refutes a claim polynomially worse than the bound, about the latest ``code``,
    when that code is plainly a single pass (``overstated``).
    """
    if outcome is None:
        return {}
    episodes = _episodes(sentences, turns)
    history = outcome.submissions if len(outcome.submissions) == len(episodes) else ()
    wrong: dict[Sentence, str] = {}
    for index, said in enumerate(episodes):
        last = index == len(episodes) - 1
        measured = history[index] if history else outcome if last else None
        if measured is None:
            continue
        claims = [(s, c) for s in said for c in claims_in(s.text)]
        found: list[Refutation] = []
        if measured.performance == "too_slow":
            slow = _SLOW.search(measured.summary)
            shown = f"the code was {slow.group(0)}" if slow else ""
            found = refuted([c for _, c in claims], measured.performance, banked_time, shown)
        elif measured.performance == "passed" and last and single_pass(code):
            # Only the latest code is known: what was said about it is held against it.
            mine = [(s, c) for s, c in claims if not _ELSEWHERE.search(_lower(s.text))]
            found = overstated([c for _, c in mine], banked_time)
        for refutation in found:
            sentence = next(s for s, c in claims if c is refutation.claim)
            wrong.setdefault(sentence, refutation.reason())
    return wrong


_ELSEWHERE = re.compile(
    r"\b(brute[- ]?force|naive\w*|alternatives?|others?|versus|vs|compar\w*|than|instead|"
    r"worst[- ]case|hash\w*|collisions?|amorti[sz]\w*|pathological|adversarial|if|when|unless|"
    r"ideas?|originally|previous\w*|old|before|obvious|simplest|straightforward|trivial\w*|"
    r"nested|double|every\s+pair|all\s+pairs|subsets?|enumerat\w*|recurs\w*|backtrack\w*)\b"
)
"""Words that put a stated cost on another approach or an unlucky input ("the brute force is
O(n^2)", "O(n^2) in the worst case, with hash collisions"): a single pass refutes neither."""


def overstated(claims: Sequence[ComplexityClaim], banked_time: str) -> list[Refutation]:
    """The claims about plainly single-pass code, fast in the performance test, that say it
    grows polynomially faster than it can (``single_pass``).

    Such code runs in at most linear time up to logs, and so does the reference, so "O(n^2)"
    where the problem allows O(n) is wrong; a pessimistic "O(n log n)" has the right degree
    and stands, and so does anything when the bank's own bound is exponential or unreadable.
    When any claim about the code is within the bound, none is held against it: the
    candidate may be comparing approaches in words the reader cannot tell apart.
    """
    bank = banked_growth(banked_time)
    if bank is None or bank.exponential:
        return []
    degree = max(bank.degree, LINEAR.degree)
    stated = [c for c in claims if not c.planned and c.growth is not None]
    beyond = [c for c in stated if c.growth is not None and _exceeds(c.growth, degree)]
    if len(beyond) < len(stated):
        return []
    allowed = banked_time.split(" for ")[0]
    measured = (
        "the code makes a single pass (no nested loops, no recursion, nothing costly inside its"
        f" loop) and passed the performance test: it runs in the {allowed} the problem allows"
    )
    return [Refutation(claim, measured) for claim in beyond]


def _exceeds(growth: Growth, degree: float) -> bool:
    return growth.exponential or growth.degree > degree


def _episodes(sentences: Sequence[Sentence], turns: Sequence[Turn]) -> list[list[Sentence]]:
    """The sentences said about each submission, in submission order.

    Without submissions in ``turns`` (an answer graded on its own) everything is about the
    one outcome given.
    """
    runs = sum(t.kind == TurnKind.CODE_RUN for t in turns)
    if runs == 0:
        return [list(sentences)]
    starts: list[tuple[int, int]] = []  # (offset of each answer in the joined text, submission)
    offset, submitted = 0, 0
    for turn in turns:
        if turn.kind == TurnKind.CODE_RUN:
            submitted += 1
        elif turn.kind == TurnKind.ANSWER:
            starts.append((offset, max(0, submitted - 1)))
            offset += len(turn.text) + 1
    episodes: list[list[Sentence]] = [[] for _ in range(runs)]
    for sentence in sentences:
        owner = [episode for start, episode in starts if start <= sentence.start]
        episodes[owner[-1] if owner else 0].append(sentence)
    return episodes
