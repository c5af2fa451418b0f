"""Stage-specific signals read from the answer's sentences: STAR parts, ownership, results,
reflection, system-design phases and their order, explanation and practice cues.

Each function returns plain numbers and the sentences behind them, so the scorer can quote
them as evidence. Cues are small word lists, matched on lower-cased words, never on stems, so
they stay predictable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from interview_sim.scoring.clauses import Clause, split_clauses
from interview_sim.scoring.text import STOPWORDS, Sentence, plain_lowercase, terms


class StarPart(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"


_LABEL = re.compile(
    r"^\s*(situation|context|task|goal|action|actions|result|results|outcome|"
    r"lesson|learning|reflection)\s*[:\-]",
    re.IGNORECASE,
)
_LABELS = {
    "situation": StarPart.SITUATION,
    "context": StarPart.SITUATION,
    "task": StarPart.TASK,
    "goal": StarPart.TASK,
    "action": StarPart.ACTION,
    "actions": StarPart.ACTION,
    "result": StarPart.RESULT,
    "results": StarPart.RESULT,
    "outcome": StarPart.RESULT,
    "lesson": StarPart.REFLECTION,
    "learning": StarPart.REFLECTION,
    "reflection": StarPart.REFLECTION,
}
_REFLECTION = re.compile(
    r"\b(learn(ed|t)|lesson|in hindsight|looking back|would do differently|do differently|"
    r"next time|if i did it again|i now|now i|since then|i realised|i realized|taught me|"
    r"reminded me|made me realise|made me realize|more often now|i do it now|do the same again|"
    r"should have|took away|takeaway|take-away|from then on|going forward|changed (how|the way) i|"
    r"these days i|i've since|ever since|i still|what stuck with me|i've kept)\b"
)
_RESULT = re.compile(
    r"\b(as a result|in the end|result(ed)?|outcome|eventually|ultimately|shipped|launched|"
    r"reduced|increased|improved|cut|saved|dropped|grew|raised|lowered|recovered|resolved|"
    r"delivered|agreed|adopted|went from|led to|by the end|fell|rose|halved|doubled|"
    r"were down|was down|were up|was up|went down|went up|hit the|met the|stayed|thanked|"
    r"started asking|came around)\b"
)
_TASK = re.compile(
    r"\b(my (job|task|role|responsibility|goal) was|i was (responsible|asked|tasked|expected)|"
    r"i (needed|had) to|we (needed|had) to|the goal was|deadline|the task was|i owned)\b"
)
_NOT_ACTION = (
    r"would|usually|think|thought|guess|believe|feel|felt|am|was|were|have|don't|didn't|do|"
    r"can|could|should|might|may|will|like|tend|always|generally|normally|want|wanted|hope|"
    r"need|needed|know|knew|wasn't|really|just|also|still|never|often"
)
_IRREGULAR_PAST = (
    r"built|wrote|rewrote|set|ran|met|made|took|led|drove|went|sat|brought|chose|found|put|split|"
    r"kept|gave|sent|spent|told|broke|began|got|held|paid|read|said|saw|sold|spoke|stood|"
    r"taught|understood|won|fought|bought|caught|dug|left|lost|meant|rose|shut|threw|sought|had|"
    r"stepped|dropped|planned|stopped|shipped|cut|hit|ran|drew|flew|grew|knew|overrode|undid"
)
_ACTION_VERB = re.compile(
    r"\bi\s+(?:then\s+|first\s+|also\s+|personally\s+|quickly\s+|immediately\s+|finally\s+)?"
    r"(?!(?:" + _NOT_ACTION + r")\b)(?:[a-z]{2,}ed|" + _IRREGULAR_PAST + r")\b"
)
"""First person and a past-tense verb that is not an auxiliary or opinion: "I rewrote"."""
_WEAK_ACTION = re.compile(r"\bi\s+(helped|assisted|supported|participated|contributed|joined)\b")
_HYPOTHETICAL = re.compile(
    r"\b(i would|i'd|i usually|i always|i generally|i typically|i normally|i tend to|i try to|"
    r"i like to|if i|if we|in all my|every time|whenever|i'm very|i am very|i believe|i think|"
    r"i'm good|i am good|is key|most important thing|the best way|generally|usually)\b"
)
_SITUATION = re.compile(
    r"\b(at my (last|previous|current)|in my (last|previous|current)|last year|a year ago|"
    r"when i was|we were|our team|there was|i was working|the team was|in 20\d\d|at [A-Z]\w+)\b"
)
_NUMBER_WORD = (
    r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|a hundred|hundred)([- ](one|two|three|four|five|"
    r"six|seven|eight|nine))?"
)
_MEASURE = re.compile(
    r"(\d+(\.\d+)?\s*(%|percent|x\b|ms\b|s\b|seconds|minutes|hours|days|weeks|months|points|pp\b|"
    r"k\b|m\b|million|thousand|users|customers|tickets|incidents)|[$£€]\s*\d|\bfrom \S+ to \S+|"
    rf"\b{_NUMBER_WORD}\s+(percent|per cent|percentage points|points|times|seconds|minutes|hours|"
    r"days|weeks|months|million|thousand|users|customers|tickets|incidents)\b)",
    re.IGNORECASE,
)
"""A measured result: a figure with its unit, in digits or in words ("five days"), or a
before-and-after ("from 9 to 3")."""
_LASTING = re.compile(
    r"\b(process|runbook|playbook|checklist|template|standard|adopted|tooling|dashboard|"
    r"now (the|our|every)|since then|still (use|used)|became|postmortem|post-mortem|rolled out)\b"
)
_SHARED = re.compile(r"\b(shared|taught|wrote up|presented|documented|mentor|coached|told the)\b")
_BLAME = re.compile(r"\b(their fault|his fault|her fault|blame[ds]?|they (messed|screwed))\b")
_CAUSAL = re.compile(
    r"\b(because|since|so that|which means|therefore|thus|hence|due to|leads to|causes|"
    r"results in|so the|so it|so we|in order to|the reason|that is why|this means|otherwise|"
    r"for example|e\.g\.|for instance|such as|if|when|unless|whereas|instead)\b"
)
_PRACTICE = re.compile(
    r"\b(in production|in practice|i would|i'd|first|check|monitor|measure|validate|threshold|"
    r"trade-?off|cost|latency|budget|experiment|a/b|baseline|deploy|rollout|rollback|alert|"
    r"dashboard|held-?out|backtest|on (our|the|real) data|users?)\b"
)
_SIGNPOST = re.compile(
    r"^(first|firstly|second|secondly|third|then|next|finally|lastly|overall|in summary|to "
    r"summari[sz]e|so|in short|step \d|\d[.)])\b|\b(first|second|then|finally)\b"
)
FILLER_WORDS = re.compile(
    r"\b(um+|uh+|erm|you know|basically|actually|literally|sort of|kind of|i mean)\b",
    re.IGNORECASE,
)
"""Filler words: the one list the scorecard's feedback and ``progress`` count with."""
_HEDGE = re.compile(
    r"\b(i think|i guess|maybe|probably|perhaps|i'm not sure|not sure|might|possibly|i believe)\b"
)
_BIG_O = re.compile(
    r"\bO\s*\(\s*[^)]{1,20}\)|\b(linear|logarithmic|quadratic|constant) (time|space)"
)
_REQUIREMENTS = re.compile(
    r"\b(requirement|clarify|assume|assumption|goal|objective|metric|latency|qps|scale|users|"
    r"per second|per day|budget|sla|constraint|dau|volume|success)\b"
)
_ARCHITECTURE = re.compile(
    r"\b(architecture|component|pipeline|service|model server|feature store|retrieval|ranker|"
    r"candidate generation|serving|database|queue|stream|kafka|cache|api)\b"
)
_NUMBER = re.compile(r"\d")


def label_of(sentence: Sentence) -> StarPart | None:
    match = _LABEL.match(sentence.text)
    return _LABELS[match.group(1).lower()] if match else None


def star_parts(sentences: Sequence[Sentence]) -> list[StarPart | None]:
    """Classify each sentence; an explicit "Result:" label wins, then cues in a fixed order.

    Hypothetical sentences ("I would ...", "I usually ...") are no part of a story: the rubric
    asks what the candidate did, not what they would do.
    """
    parts: list[StarPart | None] = []
    current: StarPart | None = None
    acted = False
    for sentence in sentences:
        text = plain_lowercase(sentence.text)
        label = label_of(sentence)
        measured = bool(_MEASURE.search(sentence.text))
        part: StarPart | None
        if label is not None:
            part = label
        elif _REFLECTION.search(text):
            part = StarPart.REFLECTION
        elif not parts and not _TASK.search(text):
            part = StarPart.SITUATION
        elif _TASK.search(text):
            part = StarPart.TASK
        elif _ACTION_VERB.search(text):
            part = StarPart.ACTION
        elif _HYPOTHETICAL.search(text):
            part = None
        elif acted and (_RESULT.search(text) or measured):
            part = StarPart.RESULT
        elif not acted and (_SITUATION.search(sentence.text) or _SITUATION.search(text)):
            part = StarPart.SITUATION
        elif acted:
            part = StarPart.RESULT
        else:
            part = current
        parts.append(part)
        if label is not None:
            current = label
        elif part is not None:
            current = part
        acted = acted or part in (StarPart.ACTION, StarPart.TASK)
    return parts


@dataclass(frozen=True)
class StarSignals:
    parts: dict[StarPart, list[Sentence]]
    in_order: bool
    action_share: float
    i_count: int
    we_count: int
    measured: list[Sentence]
    lasting: list[Sentence]
    shared_lesson: bool
    applied_lesson: bool
    blame: bool
    strong_actions: int
    """Action sentences where the candidate did something themself (not "I helped")."""
    hypothetical_share: float
    """Share of sentences about what they would or usually do rather than what they did."""

    @property
    def ownership(self) -> float:
        """Share of first-person references in the actions that are "I" rather than "we"."""
        total = self.i_count + self.we_count
        return self.i_count / total if total else 0.0


def star_signals(sentences: Sequence[Sentence]) -> StarSignals:
    labelled = star_parts(sentences)
    parts: dict[StarPart, list[Sentence]] = {p: [] for p in StarPart}
    for sentence, part in zip(sentences, labelled, strict=True):
        if part is not None:
            parts[part].append(sentence)
    firsts = [
        min(i for i, p in enumerate(labelled) if p == part)
        for part in (StarPart.SITUATION, StarPart.ACTION, StarPart.RESULT)
        if part in labelled
    ]
    acted = False
    for sentence, part in zip(sentences, labelled, strict=True):
        # A sentence can carry two parts: "..., so I suggested splitting the stand-up" sets the
        # scene and acts; "I retrained the model, which improved accuracy" acts and reports.
        text = plain_lowercase(sentence.text)
        if part in (StarPart.SITUATION, StarPart.TASK) and _ACTION_VERB.search(text):
            parts[StarPart.ACTION].append(sentence)
            part = StarPart.ACTION
        acted = acted or part == StarPart.ACTION
        if acted and part in (StarPart.ACTION, StarPart.SITUATION) and _RESULT.search(text):
            parts[StarPart.RESULT].append(sentence)
    for part in StarPart:
        parts[part] = sorted(set(parts[part]), key=lambda s: s.start)
    actions = parts[StarPart.ACTION] or list(sentences)
    action_words = [w for s in actions for w in s.words]
    reflection_text = " ".join(plain_lowercase(s.text) for s in parts[StarPart.REFLECTION])
    return StarSignals(
        parts=parts,
        in_order=firsts == sorted(firsts) and len(firsts) == 3,
        action_share=len(parts[StarPart.ACTION]) / len(sentences) if sentences else 0.0,
        i_count=sum(w in {"i", "i'd", "i've", "i'm", "me", "my", "myself"} for w in action_words),
        we_count=sum(w in {"we", "we'd", "we've", "we're", "us", "our"} for w in action_words),
        measured=[s for s in sentences if _MEASURE.search(s.text)],
        lasting=[s for s in sentences if _LASTING.search(plain_lowercase(s.text))],
        shared_lesson=bool(_SHARED.search(reflection_text)),
        applied_lesson=bool(
            re.search(r"\b(now i|i now|since then|ever since|i've since)\b", reflection_text)
        ),
        blame=any(_BLAME.search(plain_lowercase(s.text)) for s in sentences),
        strong_actions=sum(
            1
            for s in parts[StarPart.ACTION]
            if _ACTION_VERB.search(plain_lowercase(s.text))
            and not _WEAK_ACTION.search(plain_lowercase(s.text))
        ),
        hypothetical_share=(
            sum(1 for s in sentences if _HYPOTHETICAL.search(plain_lowercase(s.text)))
            / len(sentences)
            if sentences
            else 0.0
        ),
    )


def cue_sentences(sentences: Sequence[Sentence], kind: str) -> list[Sentence]:
    """Sentences with explanation ("causal"), practice or big-O cues."""
    pattern = {"causal": _CAUSAL, "practice": _PRACTICE, "big_o": _BIG_O}[kind]
    return [
        s for s in sentences if pattern.search(s.text) or pattern.search(plain_lowercase(s.text))
    ]


BARE_TERM_WORDS = 4
"""A clause of at most this many words (numbers aside), no more of them function words than
not, is a bare term ("log loss", "50k QPS", "and feature crosses", "human in the loop",
"14,000 requests per second"): it names something and says nothing of it ("so it converges"
says something)."""
LIST_RUN_TERMS = 4
"""Consecutive bare terms (across sentences: "Calibration. Log loss." or one per line) from
which they are a run, read as one list. A run naming four key points (``claims.STUFFED_POINTS``)
is a keyword list on its own, whatever surrounds it: its points are named, not explained. Honest
telegraphic answers list a phase's specifics ("Monitoring: null rates, drift, decline rate"),
which name one or two key points."""


def is_bare_term(clause: Clause) -> bool:
    """A short clause of names: "and feature crosses", "clip by norm", not "so it converges"."""
    tokens = clause.words[1:] if clause.opener in {"and", "or", "plus"} else clause.words
    named = [t for t in tokens if not t.isdigit()]  # "14,000 requests per second"
    function = sum(t in STOPWORDS for t in named)
    return bool(tokens) and len(named) <= BARE_TERM_WORDS and 2 * function <= len(named)


def bare_runs(clauses: Sequence[Clause]) -> list[tuple[Clause, ...]]:
    """Runs of at least :data:`LIST_RUN_TERMS` consecutive bare terms, in answer order.

    A run crosses sentence ends, so a list split by full stops or written one item a line is
    read as one list; any clause that says something ends it.
    """
    found: list[tuple[Clause, ...]] = []
    run: list[Clause] = []
    for clause in [*clauses, None]:
        if clause is not None and is_bare_term(clause):
            run.append(clause)
            continue
        if len(run) >= LIST_RUN_TERMS:
            found.append(tuple(run))
        run = []
    return found


@dataclass(frozen=True)
class PhaseCoverage:
    covered: dict[str, float]
    """Each phase's best term overlap with one sentence, 0..1."""
    evidence: dict[str, Sentence]
    requirements_first: bool
    """A requirements or estimate sentence comes before the first architecture sentence."""
    named: frozenset[str] = frozenset()
    """Phases only named inside a checklist of the design (see :data:`CHECKLIST_SHARE`):
    :data:`PHASE_NAMED`, not addressed."""


PHASE_COVERED = 0.3
"""A phase's share from which it counts as addressed: the design panel ticks it, and the
scorer takes its sentence as evidence."""
PHASE_NAMED = 0.15
"""The most a phase earns from being named in a checklist: below :data:`PHASE_COVERED`, so the
panel does not tick it and the grade does not quote the list for it."""
CHECKLIST_SHARE = 2 / 3
"""A run of bare terms (:func:`bare_runs`) naming at least this share of the question's
phases ("Requirements, latency, ..., monitoring, drift, A/B test") is a checklist of the
design, not a discussion of any phase. A run of one phase's specifics ("Monitoring: null rates,
drift, score distribution, decline-rate alerts") touches a few phases' words, and counts."""

_PHASE_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "requirements": r"\b(requirements?|clarify|goals?|objectives?|constraints?|sla|success)\b",
        "scale": r"\b(scale|scaling|qps|throughput|traffic|volume|per second|per day|users)\b",
        "data": r"\b(data|dataset|logs?|logging|labels?|labell?ing)\b",
        "features": r"\b(features?|featurisation|featurization|embeddings?|feature store)\b",
        "modelling": r"\b(model|models|modell?ing|baseline|architecture|loss)\b",
        "training": r"\b(train|trains|training|trained|retrain\w*|fine-?tun\w*)\b",
        "serving": r"\b(serv\w*|deploy\w*|microservices?|endpoint|api|inference|rollout)\b",
        "monitoring": r"\b(monitor\w*|alert\w*|dashboards?|drift|observability)\b",
        "iteration": r"\b(iterat\w*|a/b|experiments?|retrain\w*|feedback loop|next version)\b",
        "trade_offs": r"\b(trade-?offs?|trade offs?|tradeoffs?|pros and cons|downsides?|versus)\b",
    }.items()
}
"""Ordinary words that address a phase ("Trade-offs:", "monitor", "retrain", "deployed as a
microservice"), whatever the bank's points say. They count as :data:`PHASE_COVERED`: enough
to show the phase was addressed, less than matching the question's own points."""


_ANY_PHASE_CUE = re.compile("|".join(f"(?:{cue.pattern})" for cue in _PHASE_CUES.values()))
"""Every phase's cue in one pattern: one search a sentence instead of one per phase."""


def names_a_phase(text: str) -> bool:
    """Whether ``text`` uses a design phase's ordinary wording ("deployed", "monitor", "latency
    budget"): the vocabulary of the job, on topic for any question of it."""
    return _ANY_PHASE_CUE.search(plain_lowercase(text)) is not None


def phase_coverage(phases: dict[str, list[str]], sentences: Sequence[Sentence]) -> PhaseCoverage:
    """Each phase's best share over single sentences: the bank's points and the phase's name,
    or its ordinary wording (:data:`_PHASE_CUES`). The design panel and the scorer both use it.

    A phase named only inside a checklist of the design earns :data:`PHASE_NAMED`: listing
    "monitoring, drift" among every other phase's name does not address monitoring.
    """
    discussed = _discussed(phases, sentences)
    lowered = [plain_lowercase(s.text) for s in sentences]
    covered: dict[str, float] = {}
    evidence: dict[str, Sentence] = {}
    named: set[str] = set()
    for name, points in phases.items():
        wanted = terms(" ".join([name.replace("_", " "), *points]))
        best = 0.0
        listed = 0.0
        for sentence, (said_terms, _) in zip(sentences, discussed, strict=True):
            if not wanted:
                break
            share = len(wanted & said_terms) / min(len(wanted), 6)
            if share > best:
                best, evidence[name] = share, sentence
            listed = max(listed, len(wanted & sentence.terms) / min(len(wanted), 6))
        cue = _PHASE_CUES.get(name)
        if cue is not None and best < PHASE_COVERED:
            pairs = zip(sentences, discussed, strict=True)
            said = next((s for s, (_, text) in pairs if cue.search(text)), None)
            if said is not None:
                best, evidence[name] = PHASE_COVERED, said
            elif any(cue.search(text) for text in lowered):
                listed = max(listed, PHASE_COVERED)
        if best < PHASE_NAMED and listed > best:
            best = min(listed, PHASE_NAMED)
            named.add(name)
            evidence.pop(name, None)
        covered[name] = min(1.0, best)
    first_req = next(
        (
            i
            for i, s in enumerate(sentences)
            if _REQUIREMENTS.search(lowered[i]) or _NUMBER.search(s.text)
        ),
        None,
    )
    first_arch = next((i for i, text in enumerate(lowered) if _ARCHITECTURE.search(text)), None)
    requirements_first = first_req is not None and (first_arch is None or first_req <= first_arch)
    return PhaseCoverage(covered, evidence, requirements_first, frozenset(named))


def _discussed(
    phases: dict[str, list[str]], sentences: Sequence[Sentence]
) -> list[tuple[frozenset[str], str]]:
    """Each sentence's terms and lower-cased text less its checklist clauses (all of it when
    it holds none)."""
    clauses = split_clauses(sentences)
    checklist = {
        clause
        for run in bare_runs(clauses)
        if len(_phases_named(phases, run)) >= max(2, CHECKLIST_SHARE * len(phases))
        for clause in run
    }
    in_lists = {c.sentence_index for c in checklist}
    found: list[tuple[frozenset[str], str]] = []
    for index, sentence in enumerate(sentences):
        if index not in in_lists:
            found.append((sentence.terms, plain_lowercase(sentence.text)))
            continue
        kept = [c for c in clauses if c.sentence_index == index and c not in checklist]
        found.append(
            (
                frozenset().union(*(c.terms for c in kept)),
                plain_lowercase(", ".join(c.text for c in kept)),
            )
        )
    return found


def _phases_named(phases: dict[str, list[str]], run: Sequence[Sentence]) -> set[str]:
    """The phases a run of terms names: by their ordinary wording, or by the phase's own name
    when the bank's phase has no usual wording."""
    found: set[str] = set()
    for name in phases:
        cue = _PHASE_CUES.get(name)
        own = terms(name.replace("_", " "))
        for clause in run:
            if cue.search(plain_lowercase(clause.text)) if cue else own <= clause.terms:
                found.add(name)
                break
    return found


@dataclass(frozen=True)
class Communication:
    words: int
    sentences: int
    fillers: int
    hedges: int
    signposts: int
    words_per_minute: float | None
    filler_words: tuple[str, ...] = ()
    """The fillers found, in order, so feedback names the ones actually used."""

    @property
    def mean_sentence_words(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def structure(self) -> float:
        """0..1: signposting and sentences of a followable length."""
        length_ok = 1.0 if 6 <= self.mean_sentence_words <= 30 else 0.5
        return min(1.0, 0.5 * length_ok + 0.25 * min(self.signposts, 2))

    def structure_note(self) -> str:
        """What the structure part of a clarity level rests on, for the criterion's rationale."""
        return (
            f"structure {self.structure:.0%} ({self.signposts} signpost(s),"
            f" {self.mean_sentence_words:.0f} words per sentence)"
        )

    def feedback(self) -> list[str]:
        notes = [f"{self.words} words in {self.sentences} sentence(s)"]
        if self.fillers:
            found = ", ".join(dict.fromkeys(self.filler_words))
            notes.append(f"{self.fillers} filler word(s) ({found})")
        if self.hedges >= 3:
            notes.append(f"{self.hedges} hedges (I think, maybe, probably): state claims plainly")
        if self.mean_sentence_words > 30:
            notes.append("long sentences: split them so each makes one point")
        if self.signposts == 0 and self.sentences >= 5:
            notes.append("no signposting (first, then, finally): structure is hard to follow")
        if self.words_per_minute is not None:
            notes.append(f"{self.words_per_minute:.0f} words per minute")
        return notes


def communication(sentences: Sequence[Sentence], minutes: float | None) -> Communication:
    text = " ".join(plain_lowercase(s.text) for s in sentences)
    n_words = sum(len(s.words) for s in sentences)
    fillers = [m.group(0) for m in FILLER_WORDS.finditer(text)]
    wpm = n_words / minutes if minutes and minutes > 0 else None
    return Communication(
        words=n_words,
        sentences=len(sentences),
        fillers=len(fillers),
        hedges=len(_HEDGE.findall(text)),
        signposts=sum(1 for s in sentences if _SIGNPOST.search(plain_lowercase(s.text))),
        words_per_minute=wpm,
        filler_words=tuple(fillers),
    )
