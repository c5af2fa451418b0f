"""What a behavioral story shows beyond its STAR shape: conduct, substance and fit.

- **Red-flag conduct.** Some stories are told fluently and proudly about conduct an interviewer
  counts against the candidate: refusing, withdrawing, blaming, going around people, taking
  credit, hiding a problem. Each such clause lowers ownership and relevance, however well the
  story is structured.
- **Buzzwords instead of a story.** "I drove cross-functional alignment and delivered impact"
  has the shape of an action and none of its substance: no named thing, no number, no concrete
  step. A story made mostly of such clauses earns little on any criterion.
- **Fit.** A polished story about a different competency (an optimisation story for a conflict
  question) is not evidence for this one: the story must touch the competency the question asks
  about, through the question's own words or the competency's usual vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from interview_sim.models import BehavioralQuestion
from interview_sim.scoring.clauses import Clause
from interview_sim.scoring.text import is_negated, plain_lowercase, terms, words

_PRONOUN = r"(him|her|them|the team|the other team|my (manager|lead|peer|colleague))"
_RED_FLAGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern))
    for label, pattern in (
        (
            "refused",
            r"\bi (flatly |simply |just )?(refused|declined) to\b|\bi would(n't| not) sign",
        ),
        (
            "withdrew",
            r"\b(stopped (replying|responding|answering|talking|attending|inviting|"
            r"engaging|going)|(i|we) went (quiet|silent|dark)|ignored (his|her|their|the) "
            r"(emails?|messages?|requests?|feedback|comments?|concerns?)|"
            r"(cut|froze|left|shut) " + _PRONOUN + r" out|disengaged|"
            r"let (him|her|them) (work it out|figure it out|struggle|deal with it))\b",
        ),
        (
            "blamed others",
            r"\b(blam(e|ed|ing) (him|her|them|the|their|it on)|(their|his|her|whose) fault|"
            r"not my fault|(wasn't|was not|isn't|is not) (my|your|our) fault|take the blame|"
            r"took the blame|let (him|her|them|the other team) (take|carry)|none of (that|it|"
            r"this) was (in )?my (control|fault|doing)|(that'?s|it'?s|it was) on them|"
            r"(was|were) (really |all )?down to (the|their|his|her)|blame landed|"
            r"(that'?s|it'?s|is) (the reviewer'?s|their|his|her) job|"
            r"(the|their|another|the other) [\w-]+ team'?s? (change|mistake|bug|deploy\w*|"
            r"migration) (had )?(caused|broke)|nothing (in|on|about|at) (our|my) (own )?(side|"
            r"setup|end|code|process|team) (needed|had|was) (to )?chang)",
        ),
        (
            "went around people",
            r"\b(went (over|around) (his|her|their|my \w+'s) heads?|behind (his|her|their) back|"
            r"without (telling|asking|consulting|informing|looping in|talking to|checking with) "
            r"(him|her|them|anyone|anybody|the|my|their)|went (straight|directly) to (the|my|"
            r"our|their) (vp|director|cto|ceo|skip|head)|(didn't|did not|never) loop(ed)? "
            r"(him|her|them|anyone) in|went (straight |directly )?to (his|her|their) "
            r"(boss|manager|director|vp|skip)|skipped (the )?(back-and-forth|discussion|"
            r"conversation|meetings?|alignment) with|in front of (everyone|the (whole )?team)|"
            r"(didn't|did not|never) (consult|involve|ask|include|check with|talk to) (the team|"
            r"anyone|anybody|them|him|her|my team|people|the \w+ team)|through a friend|"
            r"got my (manager|boss|lead) to tell)",
        ),
        (
            "took credit",
            r"\b(took (the )?credit|as my (own|project|work|win|idea|model|achievement)|"
            r"claimed (the )?credit|my name on (it|the)|call it my (win|work|project)|"
            r"presented (it|the work|their work|the results|his work|her work) as (mine|my))",
        ),
        (
            "hid a problem",
            r"\b((i|we) (didn't|did not|never) (tell|mention|report|disclose|flag|raise|admit|"
            r"update|inform|notify|warn|communicate)|"
            r"kept (it|this|that|the \w+) (quiet|to myself|hidden|under wraps)|left out that|"
            r"quietly (changed|fixed|patched|rolled|adjusted|dropped|removed|tweaked|moved)|"
            r"covered (it |this |that )?up|nobody (noticed|knew|found out)|swept|"
            r"(kept |)report(ed|ing)? (it as )?green|(didn't|did not) want to (alarm|worry|"
            r"upset)|let it slide|(didn't|did not|never) share (the|my) (methodology|method|data|"
            r"analysis|numbers))\b",
        ),
        (
            "overrode others",
            r"\b(rewr(o|i)te (it|his|her|their) \w* ?(myself|without|pull requests?|prs?|code|"
            r"work)|just did it myself|answered for (him|her|them)|"
            r"overr(ode|uled) (him|her|them|the team)|pushed it through|steamroll|pulled rank|"
            r"forced (it|them|the team|him|her) (through|to)|made it mandatory|"
            r"enforced from the top|escalated the people)",
        ),
        (
            "cherry-picked the evidence",
            r"\b(cherry[- ]pick\w*|picked the (analysis|data|numbers|metric) that|knew the "
            r"(result|answer|number) i (needed|wanted)|excluded the (segments?|data|users?|"
            r"cases?|results?|weeks?) (where|that))\b",
        ),
        (
            "dismissed people or checks",
            r"\b(resistance to change|(would|will) (just |only )?(nitpick|slow (things|me|us|"
            r"you) down)|(just|only) (slow|slows) (things|me|us|you) down|slows? (things|me|us|"
            r"you) down|(don't|didn't|do not|did not) need to (measure|test|check|validate|"
            r"ask|consult)|(intuition|idea|concerns?) (was|were) (simply |just )?wrong)\b",
        ),
        (
            "a strength dressed as a failure",
            r"\b(i'?m (a|too much of a) perfectionist|i care too much|i work too hard|"
            r"my (biggest )?(weakness|failure) is that i'?m (too )?(a perfectionist|"
            r"too (detail|thorough|dedicated|committed)))",
        ),
        (
            "skipped the checks",
            r"\b(skipp(ed|ing) (the )?(backtest|tests?|testing|review|validation|a/?b test)|"
            r"(didn't|did not|never) (run|do|bother with) (an? |the )?(a/?b|ab|backtest|tests?|"
            r"review|validation))",
        ),
    )
)
"""Conduct that counts against the candidate, whatever the story's outcome."""
_EXCUSED = re.compile(r"^(instead|rather|without ever|i learned|i learnt|lesson|never again)\b")

_BUZZWORDS = re.compile(
    r"\b(bias for action|extreme ownership|rall(y|ied)|initiatives?|automation|institutional\w*|"
    r"unlock\w*|velocity|ruthless\w*|agility|agile|fail[- ]fast|course[- ]correct\w*|resilien\w*|"
    r"opportunit\w*|ecosystem|psychological safety|servant leadership|autonomy|potential|stretch|"
    r"kpis?|north[- ]star|roi|at scale|insights?|rigou?r|partner(ing|ed)?|continuous(ly)?|"
    r"actionable|foster\w*|multipl\w*|incremental|durable|identified|root causes?|"
    r"corrective|significant|lasting|pain points?|cross-functionally|"
    r"leverag\w*|synerg\w*|alignment|aligned|stakeholders?|cross-functional\w*|end[- ]to[- ]end|"
    r"data-driven|mindset|holistic\w*|proactive\w*|best practices?|impactful|drove|drive|driving|"
    r"champion\w*|spearhead\w*|empower\w*|robust|scalable|seamless\w*|transformative|"
    r"innovat\w*|strategic\w*|excellence|accountab\w*|transparen\w*|visibility|north star|"
    r"ownership|owned|value|outcomes?|deliver(ed|ing)?|measurable|results-oriented|"
    r"high[- ]performing|world[- ]class|key learnings?|learnings|growth|culture)\b"
)
_CONCRETE = re.compile(r"\d|\b[A-Z][a-z]+[A-Z]\w*|\"[^\"]+\"|'[^']+'")
BUZZ_CLAUSE_MIN = 1
"""A clause with a buzzword and no concrete detail (a number, a name, a quoted term) is vague."""
VAGUE_SHARE = 0.3
"""From this share of vague clauses on, the answer is buzzwords instead of a story."""

_COMPETENCY_CUES: dict[str, tuple[str, ...]] = {
    "conflict": (
        "disagre",
        "conflict",
        "clash",
        "argu",
        "push back",
        "pushback",
        "tension",
        "friction",
        "debat",
        "object",
        "oppos",
        "differ",
    ),
    "collaboration": ("together", "collabor", "partner", "pair", "joint", "colleagu", "peer"),
    "ownership": (
        "own",
        "responsib",
        "stepped",
        "volunt",
        "nobody",
        "no one",
        "took on",
        "initiat",
        "accountab",
    ),
    "failure": (
        "fail",
        "mistak",
        "wrong",
        "miss",
        "broke",
        "went wrong",
        "postmortem",
        "post-mortem",
        "lesson",
        "regret",
    ),
    "influence": (
        "convinc",
        "persuad",
        "buy-in",
        "influenc",
        "adopt",
        "propos",
        "pitch",
        "won over",
        "agre",
    ),
    "ambiguity": (
        "ambigu",
        "unclear",
        "vague",
        "uncertain",
        "unknown",
        "assum",
        "clarif",
        "undefin",
    ),
    "impact": ("impact", "measur", "metric", "baselin", "improv", "increas", "reduc", "saved"),
    "stakeholder": (
        "stakehold",
        "customer",
        "client",
        "product manag",
        "pm",
        "sales",
        "business",
        "exec",
        "partner",
        "demand",
        "expect",
    ),
    "ethics": (
        "fair",
        "bias",
        "ethic",
        "harm",
        "privaci",
        "discrimin",
        "concern",
        "consent",
        "protect",
        "regul",
    ),
    "mentoring": (
        "mentor",
        "coach",
        "junior",
        "taught",
        "teach",
        "grow",
        "feedback",
        "pair",
        "career",
        "confid",
    ),
    "prioritisation": (
        "priorit",
        "deadlin",
        "trade-off",
        "tradeoff",
        "scope",
        "cut",
        "defer",
        "must-have",
        "postpon",
        "sequenc",
    ),
    "mistake": (
        "mistak",
        "bug",
        "incid",
        "broke",
        "outag",
        "own up",
        "apolog",
        "rollback",
        "roll back",
        "revert",
        "fault",
    ),
    "communication": ("explain", "present", "wrote", "document", "told", "messag", "clear"),
    "leadership": ("led", "lead", "team", "direct", "decid", "vision"),
}
"""Usual vocabulary per competency, matched on word starts; keys are matched against the
question's tags and competency."""
_PROMPT_GENERIC = frozenset(
    terms(
        "tell me about a time you describe situation what did how was it end example walk "
        "through happen result outcome would do differently specific one"
    )
)
FIT_MIN_CLAUSES = 3
FIT_SHARE = 0.2
"""A story touching the competency in fewer clauses than this, and in less than this share of
its clauses, does not answer the question."""


@dataclass(frozen=True)
class RedFlag:
    label: str
    clause: Clause


@dataclass(frozen=True)
class StoryReading:
    red_flags: list[RedFlag]
    vague_share: float
    """Share of clauses that are buzzwords with no concrete detail."""
    fit_clauses: int
    """Clauses that touch the competency the question asks about."""

    @property
    def buzzwords(self) -> bool:
        return self.vague_share >= VAGUE_SHARE

    clauses: int = 0

    @property
    def off_topic(self) -> bool:
        """Fewer than two clauses, and under a fifth of the story, touch the competency."""
        return self.fit_clauses < FIT_MIN_CLAUSES and self.fit_clauses < FIT_SHARE * self.clauses


def read_story(
    question: BehavioralQuestion, clauses: Sequence[Clause], evidence: frozenset[Clause]
) -> StoryReading:
    """``evidence`` are the clauses that show one of the question's points or signals."""
    flags: list[RedFlag] = []
    vague = 0
    cues = _cues(question)
    fit = 0
    told_of_self = {c.sentence_index for c in clauses if not _SELF.isdisjoint(c.words)}
    subject: str | None = None  # the last subject named in the sentence so far
    for i, clause in enumerate(clauses):
        if i == 0 or clauses[i - 1].sentence_index != clause.sentence_index:
            subject = None
        text = plain_lowercase(clause.text)
        label = _red_flag(text, subject) if clause.sentence_index in told_of_self else None
        subject = _subject(text) or subject
        if label is not None:
            flags.append(RedFlag(label, clause))
        if len(_BUZZWORDS.findall(text)) >= BUZZ_CLAUSE_MIN and not _CONCRETE.search(clause.text):
            vague += 1
        if (
            clause in evidence
            or clause.terms & cues[0]
            or (cues[1] is not None and cues[1].search(text))
        ):
            fit += 1
    return StoryReading(flags, vague / len(clauses) if clauses else 0.0, fit, len(clauses))


_SELF = frozenset({"i", "we", "my", "our", "i'd", "i'm", "i've", "we'd", "we've"})


def _red_flag(text: str, subject: str | None = None) -> str | None:
    """The conduct a clause reports, if it is a red flag (the caller checks that its sentence
    is about the candidate or their team). ``subject`` is who the sentence was about before
    the clause; the clause's own words before the conduct come first. In "I traced it: the
    payments team changed the units, without telling anyone" the payments team went around
    people, not the candidate."""
    if _EXCUSED.search(text):
        return None
    for label, pattern in _RED_FLAGS:
        match = pattern.search(text)
        # "I didn't blame anyone" is not blaming; "didn't tell" is hiding by its own words.
        if match is None or is_negated(tuple(words(text[: match.start()]))):
            continue
        actor = _subject(text[: match.start()]) or _first_pronoun(text) or subject
        if label not in _SAID_OF_OTHERS and actor == "other":
            continue
        return label
    return None


_SAID_OF_OTHERS = frozenset({"blamed others", "dismissed people or checks", "took credit"})
"""Conduct that is in the telling itself ("it was their fault", "reviews just slow us down",
"the feature she had started, as my work"), whoever the clause is about."""
_PEOPLE = (
    r"(?:vendor|provider|customer|client|partner|manager|lead|boss|director|colleague|peer|"
    r"teammate|engineer|analyst|owner|owners|pm|vp|cto|ceo|founder)"
)
_OTHERS = re.compile(
    r"(?:another|their|his|her|the other) (?:[\w-]+ )?(?:team|group|department|org)\b|"
    r"(?:the|that) (?:[\w-]+ ){1,2}(?:team|group|department|org|organi[sz]ation|company)\b|"
    r"(?:the|that|another|their|his|her|my|our) (?:[\w-]+ )?" + _PEOPLE + r"\b"
)
"""Someone else named as a clause's subject: "the payments team", "my manager" ("the team"
and "my team" are the candidate's own)."""
_PRONOUNS = re.compile(r"\b(?:(?P<self>i|we|myself|ourselves)|he|she|they|someone|somebody)\b")


_LEAD_IN = re.compile(
    r"^(?:(?:and|but|so|then|because|when|while|since|after|before|although|though|as|if|once|"
    r"until|which|who|that|also|later|eventually|instead)\b[\s,]*)*"
)


def _subject(text: str) -> str | None:
    """Who a clause is about: someone else when it opens (after its connectives) with another
    person or team ("the payments team had started ..."), else its last subject pronoun ("when
    he didn't back down I went to his boss": the candidate), else None ("without telling
    anyone" continues the subject before it)."""
    start = _LEAD_IN.match(text)
    if _OTHERS.match(text, start.end() if start else 0):
        return "other"
    found = None
    for match in _PRONOUNS.finditer(text):
        found = "self" if match.group("self") else "other"
    return found


def _first_pronoun(text: str) -> str | None:
    """The clause's first subject pronoun: "without telling them I got admin access" and
    "rewrite her pull requests myself before they went out" are the candidate's conduct."""
    match = _PRONOUNS.search(text)
    if match is None:
        return None
    return "self" if match.group("self") else "other"


@lru_cache(maxsize=512)
def _cues_for(prompt: str, keys: tuple[str, ...]) -> tuple[frozenset[str], re.Pattern[str] | None]:
    starts: list[str] = []
    for key, vocabulary in _COMPETENCY_CUES.items():
        if any(key in k or k in key for k in keys):
            starts.extend(vocabulary)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, starts)) + ")") if starts else None
    return terms(prompt) - _PROMPT_GENERIC, pattern


def _cues(question: BehavioralQuestion) -> tuple[frozenset[str], re.Pattern[str] | None]:
    """The question's own distinctive terms, and its competencies' usual word starts."""
    keys = tuple(
        sorted(
            {plain_lowercase(t).replace("-", " ") for t in [*question.tags, question.competency]}
        )
    )
    return _cues_for(question.prompt, keys)
