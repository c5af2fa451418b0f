"""Claims, not bags of words: what the answer asserts, reverses, explains or merely echoes.

Read clause by clause (``clauses.py``):

- **Echo.** A clause made of the prompt's own words is not evidence of anything.
- **Coverage.** A key point is shown only where its terms occur together in one clause or a
  clause and its direct continuation (``coverage.match_points`` on clause windows).
- **Contradiction.** A clause that matches a reference claim (a key point or a sentence of the
  model answer) better once a contrast pair is swapped ("L2" for "L1") states the reverse; so does
  a negated clause that otherwise states a key point. The point earns nothing, and the clause is
  shown on the scorecard as "contradicts: ...".
- **Explanation.** A point counts for depth only where the answer says why or how near it: a
  causal or contrastive link, a condition, a number, an example, a trade-off.
- **Stuffing.** A sentence that touches several key points with fewer relations than points is
  jargon strung together; its points earn a small share of credit and no depth. A run of bare
  terms ("calibration, log loss, hashing, ...") is judged on its own, whatever prose surrounds
  it: when it names several key points, they are named, not explained.
- **Relevance.** The share of the answer's content that is about this question at all. A
  sentence that shares (almost) nothing with the question's material is off topic: it adds no
  words, reasons or structure to the answer, so chat around a list cannot dilute it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from interview_sim.models import KeyPoint
from interview_sim.scoring.clauses import Clause, opposed_pairs, split_clauses, windows
from interview_sim.scoring.contrasts import Lexicon, claim_terms
from interview_sim.scoring.coverage import PointMatch, Target, TermIndex, match_points, target_of
from interview_sim.scoring.semantic import SemanticModel
from interview_sim.scoring.signals import bare_runs, names_a_phase
from interview_sim.scoring.text import (
    Sentence,
    negated_terms,
    plain_lowercase,
    split_sentences,
    terms,
    unwrap,
)

ECHO_SHARE = 0.8
"""A clause with at least this share of its terms from the prompt restates it..."""
ECHO_MIN_TERMS = 3
"""...when it has this many terms ("Use PR-AUC" picks an option; it does not echo)..."""
ECHO_MARGIN = 0.1
"""...and covers no key point better than the prompt itself does, by more than this."""
CONTRADICTION_FLOOR = 0.6
"""Share of a reference claim's terms a swapped clause must hold to be about that claim."""
CONTRADICTION_MARGIN = 0.2
"""How much better the swapped clause must match than the clause as written."""
CONTRADICTION_MIN_SHARED = 3
CONTRADICTION_MIN_CONTEXT = 2
"""Terms besides the swapped one that the clause and the claim must share."""
SENTENCE_RUN_CLAUSES = 3
"""A sentence of exactly this many clauses is also read whole for reversals (see
``_one_sided_sentences``); two-clause runs are clause windows already."""
MODEL_CLAIM_TERMS = 6
"""A model-answer clause with fewer terms is too short to be reversed with any confidence."""
NEGATION_FLOOR = 0.75
"""A negated clause holding this share of a positive key point's terms denies it."""
PACKED_POINTS = 3
"""A sentence touching this many key points..."""
PACKED_TOUCH = 0.35
"""...each with at least this coverage, and no relation between them, is jargon strung together."""
STUFFED_POINTS = 4
STUFFED_POINTS_PER_REASON = 6.0
STUFFED_POINTS_PER_100_WORDS = 5.0
OWN_VOICE_REASON = 0.5
"""An answer naming at least 4 key points, at least 5 per 100 words, and at least 6 points per
sentence that explains (a reason, a purpose, a condition, a comparison, a quantity) is stuffed:
its points earn the packed share of credit and no depth. A sentence in the candidate's own
voice ("I'd cache the top prefixes") commits to a choice and counts as half a reason; jargon
strung together is impersonal ("X leverages Y, while Z ensures W")."""
OFF_TOPIC_SENTENCE_SHARE = 0.3
"""A sentence with less than this share of its terms in the question's material, no key point
shown in it and no word of a design phase (``signals.names_a_phase``: "deployed", "monitor",
"retrain") is off topic ("We had a barbecue after the match"): it adds no words, no reasons and
no structure to the answer. About nine in ten everyday chat sentences fall under it against
any design or ML-depth question of the banks (the rest share two common words with a question,
or say "traffic" or "training"); honest answers lose about one sentence in twenty, mostly
asides; a generic sentence about the design ("The model is deployed as a microservice") stays."""
ON_TOPIC_SHARE = 0.4
"""A clause is on topic when this share of its terms belongs to the question's material..."""
ON_TOPIC_COVERAGE = 0.3
"""...or it covers a key point at least this well."""

_PLATITUDE = re.compile(
    r"\b((is|are|was) (really |very |so |always |also |absolutely )?(important|key|crucial|"
    r"essential|vital|critical|something (i|we|everyone) (care|value))|many factors|"
    r"lots? of factors|it (all )?depends|depends on the (situation|context|case)|"
    r"there are (a lot of|many|lots of) (things|factors|considerations|ways|aspects)|"
    r"everyone (experiences|has|needs)|the question is|this question|you want to know|"
    r"so this is about|is about a time)\b"
)
"""Sentences that talk about the question instead of answering it; like echoes, not evidence."""
_QUESTION_FRAME = re.compile(
    r"^(so |basically |essentially )?(the question (is|asks)|this question|it asks|they ask|"
    r"you('re| are) asking|you want to know|the prompt (is|asks))\b"
)
"""A sentence that opens by describing the question restates it to its end: "The question is
about a time when ..., and I changed it" tells no story, however its last clause reads."""
_RELATION = re.compile(
    r"\b(because|since|so that|so|which means|meaning|therefore|thus|hence|due to|leads? to|"
    r"led to|causes?|caused|results? in|in order to|otherwise|that's why|which is why|"
    r"as a result|the reason|driven by|comes from|whereas|while|unlike|rather than|instead|"
    r"but|however|compared (to|with)|versus|vs\.?|than|if|when|unless|as long as|"
    r"for example|e\.g\.|for instance|such as|like|where|say|imagine|trade-?offs?|"
    r"at the cost of|costs?|cheaper|per|each|every|via|through|by \w+ing|before|after|until|"
    r"(prevent|limit|reduc|increas|lower|rais|avoid|allow|forc|stop|shrink|spread|"
    r"decorrelat|inflat|bias|hurt|break|cap|penali[sz]|amplif|dampen|smooth)\w*)\b|\d|[=<>→]"
)
"""Any link near a point: enough for that point to count as explained rather than named."""
_EXPLAINING = re.compile(
    r"(?<![\w-])(because|since|so that|which means|meaning|therefore|thus|hence|due to|"
    r"leads? to|led to|causes?|caused|results? in|in order to|the reason|that's why|"
    r"which is why|this means|otherwise|for example|e\.g\.|for instance|if|when|unless|"
    r"whereas|instead|than)(?![\w-])|\bso\b(?! (?:far|much|many|on)\b|-)|(^|, )to [a-z]+\b|"
    r"[=<>→]|(?<![\w.-])\d+(?:[.,]\d+)*(?:%|x|k|m|ms|s|gb|mb|tb)?(?![\w-])"
)
"""What makes a sentence explain rather than list: a reason, a purpose ("To keep it fast, ..."),
a condition, a comparison or a quantity. Stricter than :data:`_RELATION` on purpose: jargon
strung together ("X drives Y, while Z ensures W") is full of loose links ("while", "drives",
"cost") but gives no reason. A quantity is a number standing alone ("20%", "3x", "0.04"),
not part of a name ("L2", "F1"); a link word hyphenated into a name ("less-than-or-equal
comparison", "what-if analysis") is part of the name too."""
_OWN_VOICE = re.compile(r"\b(i|we|my|our)\b")
_COUNTING = terms("one two three four five six seven eight nine ten first second third once twice")
"""Number words count things in any story ("my first loaf", "the second one"): the off-topic
test does not take them for the question's subject."""


@dataclass(frozen=True)
class Contradiction:
    """A clause that states the reverse of a reference claim."""

    clause: Clause
    claim: str
    """The key point (or model-answer sentence) it reverses."""
    point: KeyPoint | None
    """The key point it reverses, when the claim is one (or is closest to one)."""
    how: str
    """"swaps X for Y" or "denies it"."""


@dataclass(frozen=True)
class ClaimAnalysis:
    """Everything the estimators read about the answer's claims."""

    clauses: list[Clause]
    """Clauses that are not echoes of the prompt."""
    matches: list[PointMatch]
    contradictions: list[Contradiction]
    relevance: float
    """0..1: the share of the answer's content (clauses, by size) that is about this question."""
    topic_share: float
    """0..1: the share of the answer's distinct terms found in the question's material."""
    echo_share: float
    """0..1: the share of the answer's terms that only restate the prompt."""
    stuffed: bool = False
    """Several points named in few words with few relations: strung-together jargon."""
    off_topic: frozenset[int] = frozenset()
    """Indices of the answer's sentences that share (almost) nothing with the question's
    material and show no key point: chat, not answer. They add no words, reasons or structure.
    Stories and short reference answers are read this way only around a keyword list."""

    def evidence(self, coverage: float) -> frozenset[Clause]:
        """Clauses that show a key point at least this well."""
        return frozenset(
            m.evidence
            for m in self.matches
            if isinstance(m.evidence, Clause) and m.coverage >= coverage
        )


@dataclass(frozen=True)
class _Reference:
    text: str
    terms: frozenset[str]
    negated: bool
    point: KeyPoint | None


def analyse(
    points: Sequence[KeyPoint],
    sentences: Sequence[Sentence],
    prompt: str,
    model_answer: str,
    topic_terms: frozenset[str],
    semantic: SemanticModel | None,
    explanation_matters: bool = True,
) -> ClaimAnalysis:
    """Read the answer's claims against the question's key points and model answer.

    ``explanation_matters`` is off for stories (behavioral): a story is judged on what the
    candidate did, and its model answer is someone else's story, not a set of claims to reverse.
    """
    question_terms = terms(prompt)
    all_clauses = split_clauses(sentences)
    targets = [target_of(t, question_terms) for p in points for t in (p.text, *p.alternatives)]
    prompt_index = TermIndex(question_terms)
    prompt_pairs = frozenset(b for s in split_sentences(unwrap(prompt)) for b in s.bigrams)
    prompt_coverage = [t.coverage(prompt_index, prompt_pairs) for t in targets]
    echoes = [
        c
        for c in all_clauses
        if _PLATITUDE.search(plain_lowercase(c.text))
        or _is_echo(c, question_terms, targets, prompt_coverage)
    ]
    framed = {
        c.sentence_index
        for c in all_clauses
        if c.start == sentences[c.sentence_index].start
        and _QUESTION_FRAME.search(plain_lowercase(c.text))
    }
    # A sentence made of the prompt's words is an echo as a whole, though its clauses are too
    # short to judge one by one ("Bookings are rare, about one in 40 searches"); one that
    # draws a conclusion from them ("The latency is over budget, so we can't ship it") answers.
    framed |= {
        i
        for i, sentence in enumerate(sentences)
        if not sentence.negated
        and not _EXPLAINING.search(plain_lowercase(sentence.text))
        and _is_echo(sentence, question_terms, targets, prompt_coverage)
    }
    echoes += [c for c in all_clauses if c.sentence_index in framed and c not in echoes]
    said = [c for c in all_clauses if c not in set(echoes)]
    matches = _match(points, said, sentences, question_terms, semantic)
    off_topic: frozenset[int] = frozenset()
    if explanation_matters or _wraps_a_list(said, sentences, matches, topic_terms):
        off_topic = _off_topic(sentences, said, matches, topic_terms)
    clauses = [c for c in said if c.sentence_index not in off_topic]
    if off_topic:
        matches = _match(points, clauses, sentences, question_terms, semantic)
    lexicon = Lexicon([pair for p in points for pair in p.contrasts])
    contradictions = (
        _contradictions(clauses, points, model_answer, lexicon) if explanation_matters else []
    )
    contradicted = {id(c.point) for c in contradictions if c.point is not None}
    relations = {i: _relations(s) for i, s in enumerate(sentences)}
    sentence_of = {c: c.sentence_index for c in clauses}
    packed_sentences = _packed(matches, sentence_of, relations)
    listed = _listed(bare_runs(clauses), matches)
    adjusted: list[PointMatch] = []
    for match in matches:
        evidence = match.evidence
        index = _sentence_index(evidence, sentence_of, sentences)
        in_list = evidence in listed
        explained = not explanation_matters or (
            index is not None
            and not in_list
            and (relations[index] > 0 or _continued(index, sentences, relations))
        )
        adjusted.append(
            replace(
                match,
                explained=explained,
                packed=in_list or (explanation_matters and index in packed_sentences),
                contradicted=id(match.point) in contradicted,
            )
        )
    named = [m for m in adjusted if m.mention >= 0.5 and not m.contradicted]
    content_sentences = {c.sentence_index for c in clauses}
    in_lists = {c.sentence_index for c in listed}
    reasons = sum(
        _reasons(_unlisted_text(i, clauses, listed) if i in in_lists else sentences[i].text)
        for i in content_sentences
    )
    word_count = sum(len(sentences[i].words) for i in content_sentences)
    stuffed = explanation_matters and _stuffed(len(named), reasons, word_count)
    if stuffed:
        adjusted = [replace(m, packed=True) if m.mention > 0 else m for m in adjusted]
    total_terms = sum(len(c.stems) for c in all_clauses)
    echo_terms = sum(len(c.stems) for c in echoes)
    return ClaimAnalysis(
        clauses=clauses,
        matches=adjusted,
        contradictions=contradictions,
        relevance=_relevance(said, adjusted, topic_terms),
        topic_share=_topic_share(said, topic_terms),
        echo_share=echo_terms / total_terms if total_terms else 0.0,
        stuffed=stuffed,
        off_topic=off_topic,
    )


def _listed(runs: Sequence[tuple[Clause, ...]], matches: Sequence[PointMatch]) -> frozenset[Clause]:
    """The clauses of the runs that name :data:`STUFFED_POINTS` key points or more: keyword
    lists on their own, whatever surrounds them."""
    found: set[Clause] = set()
    for run in runs:
        members = set(run)
        named = sum(1 for m in matches if m.mention >= 0.5 and m.evidence in members)
        if named >= STUFFED_POINTS:
            found.update(run)
    return frozenset(found)


def _match(
    points: Sequence[KeyPoint],
    clauses: Sequence[Clause],
    sentences: Sequence[Sentence],
    question_terms: frozenset[str],
    semantic: SemanticModel | None,
) -> list[PointMatch]:
    """Key points against the clauses' windows and, by meaning, their sentences."""
    kept = {c.sentence_index for c in clauses}
    units = [s for i, s in enumerate(sentences) if i in kept]
    return match_points(points, windows(clauses), question_terms, semantic, units)


def _off_topic(
    sentences: Sequence[Sentence],
    clauses: Sequence[Clause],
    matches: Sequence[PointMatch],
    topic_terms: frozenset[str],
) -> frozenset[int]:
    """Sentences that share (almost) nothing with the question's material, show no key point
    and use no word of the job: what they say, however well put, is not about this question."""
    sentence_of = {c: c.sentence_index for c in clauses}
    shown = {
        _sentence_index(m.evidence, sentence_of, sentences)
        for m in matches
        if m.coverage >= ON_TOPIC_COVERAGE
    }
    return frozenset(
        i
        for i in {c.sentence_index for c in clauses}
        if i not in shown and _unrelated(sentences[i], topic_terms)
    )


def _wraps_a_list(
    clauses: Sequence[Clause],
    sentences: Sequence[Sentence],
    matches: Sequence[PointMatch],
    topic_terms: frozenset[str],
) -> bool:
    """A keyword list among sentences about something else. A story is told in its own
    setting's words, so its sentences are not held to the question's; but a story wrapped
    around (or splitting) a keyword list is chat around a list."""
    related = [c for c in clauses if not _unrelated(sentences[c.sentence_index], topic_terms)]
    return bool(_listed(bare_runs(related), matches))


def _unrelated(sentence: Sentence, topic_terms: frozenset[str]) -> bool:
    """Under :data:`OFF_TOPIC_SENTENCE_SHARE` of its terms (number words aside) in the
    question's material, and no word of the job's."""
    telling = sentence.terms - _COUNTING
    if not telling or names_a_phase(sentence.text):
        return False
    return len(telling & topic_terms) / len(telling) < OFF_TOPIC_SENTENCE_SHARE


def _unlisted_text(index: int, clauses: Sequence[Clause], listed: frozenset[Clause]) -> str:
    """A sentence less the keyword-list clauses in it: a number or a "versus" inside a list
    ("50k QPS, ..., latency versus accuracy") explains none of its items."""
    return ", ".join(c.text for c in clauses if c.sentence_index == index and c not in listed)


def _reasons(text: str) -> float:
    """1 for a sentence that explains, a half for one that commits to a choice, else 0."""
    text = plain_lowercase(text)
    if _EXPLAINING.search(text):
        return 1.0
    return OWN_VOICE_REASON if _OWN_VOICE.search(text) else 0.0


def _stuffed(named: int, reasons: float, words: int) -> bool:
    """Many key points named in few words, and hardly a sentence that explains any of them:
    jargon strung into sentences. A strong answer names as many points but spends words, reasons
    and numbers on them; a plain answer names fewer."""
    return (
        named >= STUFFED_POINTS
        and 100 * named / max(words, 1) >= STUFFED_POINTS_PER_100_WORDS
        and reasons <= named / STUFFED_POINTS_PER_REASON
    )


def _is_echo(
    clause: Sentence,
    question_terms: frozenset[str],
    targets: Sequence[Target],
    prompt_coverage: Sequence[float],
) -> bool:
    """Mostly the prompt's words, and no closer to any key point than the prompt itself is."""
    unique = clause.terms
    if len(unique) < ECHO_MIN_TERMS or len(unique & question_terms) / len(unique) < ECHO_SHARE:
        return False
    index = TermIndex(unique)
    return all(
        target.coverage(index, clause.bigrams) <= given + ECHO_MARGIN
        for target, given in zip(targets, prompt_coverage, strict=True)
    )


def _relations(sentence: Sentence) -> int:
    return len(_RELATION.findall(plain_lowercase(sentence.text)))


def _continued(index: int, sentences: Sequence[Sentence], relations: dict[int, int]) -> bool:
    """The next sentence explains this one ("This means ...", "Because ...")."""
    if index + 1 >= len(sentences) or not relations.get(index + 1):
        return False
    opener = sentences[index + 1].words[0]
    return opener in {"this", "that", "it", "so", "because", "which", "hence", "therefore"}


def _sentence_index(
    evidence: Sentence | None, sentence_of: dict[Clause, int], sentences: Sequence[Sentence]
) -> int | None:
    """The answer sentence that holds a point's evidence (a clause, or a whole sentence when
    meaning matched it)."""
    if isinstance(evidence, Clause):
        return sentence_of.get(evidence)
    if evidence is None:
        return None
    return next((i for i, s in enumerate(sentences) if s.start == evidence.start), None)


def _packed(
    matches: Sequence[PointMatch], sentence_of: dict[Clause, int], relations: dict[int, int]
) -> set[int]:
    touched: dict[int, int] = {}
    for match in matches:
        evidence = match.evidence
        if isinstance(evidence, Clause) and match.coverage >= PACKED_TOUCH:
            index: int | None = sentence_of.get(evidence)
            if index is not None:
                touched[index] = touched.get(index, 0) + 1
    return {
        index
        for index, count in touched.items()
        if count >= PACKED_POINTS and relations.get(index, 0) == 0
    }


def _relevance(
    clauses: Sequence[Clause], matches: Sequence[PointMatch], topic_terms: frozenset[str]
) -> float:
    evidence = {m.evidence for m in matches if m.coverage >= ON_TOPIC_COVERAGE}
    total = 0
    on_topic = 0
    for clause in clauses:
        size = len(clause.terms)
        if not size:
            continue
        total += size
        share = len(clause.terms & topic_terms) / size
        if clause in evidence or share >= ON_TOPIC_SHARE:
            on_topic += size
    return on_topic / total if total else 0.0


def _topic_share(clauses: Sequence[Clause], topic_terms: frozenset[str]) -> float:
    answer_terms: frozenset[str] = frozenset().union(*(c.terms for c in clauses))
    return len(answer_terms & topic_terms) / len(answer_terms) if answer_terms else 0.0


def _references(points: Sequence[KeyPoint], model_answer: str) -> list[_Reference]:
    found: list[_Reference] = []
    for point in points:
        for text in (point.text, *point.alternatives):
            claim_terms_, negated = _phrasing_claim(text)
            found.append(_Reference(text, claim_terms_, negated, point))
    found.extend(r for r in _model_answer_claims(model_answer) if len(r.terms) >= MODEL_CLAIM_TERMS)
    return [r for r in found if len(r.terms) >= 2]


@lru_cache(maxsize=8192)
def _phrasing_claim(text: str) -> tuple[frozenset[str], bool]:
    """A key point phrasing's terms; its polarity is its first clause's ("X, not Y" asserts X)."""
    clauses = split_clauses(split_sentences(text))
    all_terms: frozenset[str] = frozenset().union(*(_claim_terms(c) for c in clauses))
    return all_terms, clauses[0].negated if clauses else False


@lru_cache(maxsize=1024)
def _model_answer_claims(model_answer: str) -> tuple[_Reference, ...]:
    """The model answer's clauses, and its sentences (a claim may span a sentence's clauses)."""
    sentences = split_sentences(unwrap(model_answer))
    clauses = [
        _Reference(c.text, _claim_terms(c), c.negated, None) for c in split_clauses(sentences)
    ]
    whole = [_Reference(s.text, _claim_terms(s), s.negated, None) for s in sentences]
    return tuple(clauses + whole)


def _claim_terms(clause: Sentence) -> frozenset[str]:
    return claim_terms(clause.words, clause.stems)


def _contradictions(
    clauses: Sequence[Clause],
    points: Sequence[KeyPoint],
    model_answer: str,
    lexicon: Lexicon,
) -> list[Contradiction]:
    references = _references(points, model_answer)
    if not references:
        return []
    canonical = [(r, lexicon.canonical(r.terms)) for r in references]
    found: list[Contradiction] = []
    flagged: set[Clause] = set()
    for run in [*(w for w in windows(clauses) if len(w) <= 2), *_one_sided_sentences(clauses)]:
        if flagged.intersection(run):
            continue
        # The clause that carries the claim: the one naming a side of a pair, else the first.
        head = next((c for c in run if lexicon.sides(_claim_terms(c))), run[0])
        terms_ = lexicon.canonical(frozenset().union(*(_claim_terms(c) for c in run)))
        if len(terms_) < 2:
            continue
        hit = _swap_hit(head, terms_, canonical, lexicon) or (
            _denial(head, terms_, canonical, lexicon) if len(run) == 1 else None
        )
        if hit is not None:
            found.append(hit)
            flagged.update(run)
    return found


def _one_sided_sentences(clauses: Sequence[Clause]) -> list[tuple[Clause, ...]]:
    """Whole sentences of three clauses that name one side of each contrast pair.

    "For the headlines I would run an A/B test, because the article only matters for a day and
    short-lived content ..." binds the A/B test to short-lived content across three clauses; a
    sentence naming both sides ("a bandit for headlines, an A/B test for checkout") is left to
    the clause windows, which keep its roles apart. A longer sentence is a list ("For training:
    class weights, downsampling negatives, recalibrating, ...") whose union of terms would
    match claims its parts never make together.
    """
    by_sentence: dict[int, list[Clause]] = {}
    for clause in clauses:
        by_sentence.setdefault(clause.sentence_index, []).append(clause)
    return [
        tuple(run)
        for run in by_sentence.values()
        if len(run) == SENTENCE_RUN_CLAUSES and not opposed_pairs(run)
    ]


def _recall(reference: frozenset[str], clause: frozenset[str]) -> float:
    return len(reference & clause) / len(reference) if reference else 0.0


def _swap_hit(
    clause: Clause,
    terms_: frozenset[str],
    references: Sequence[tuple[_Reference, frozenset[str]]],
    lexicon: Lexicon,
) -> Contradiction | None:
    """The claim a swap of one contrast pair makes the clause match, when it matches it much
    better than any claim about the side the clause actually names."""
    best: tuple[float, _Reference, str] | None = None
    for pair in lexicon.swappable(terms_):
        swapped = lexicon.swap(terms_, pair)
        gained = swapped - terms_
        lost = terms_ - swapped
        direct = max(
            (_recall(ref_terms, terms_) for _, ref_terms in references if lost & ref_terms),
            default=0.0,
        )
        for reference, ref_terms in references:
            if not gained & ref_terms or lost & ref_terms:
                continue
            if reference.negated != clause.negated:
                continue
            recall = _recall(ref_terms, swapped)
            shared = len(ref_terms & swapped)
            context = ref_terms - gained
            if lexicon.directional(pair) and not (len(context) >= 2 and context <= swapped):
                # "accuracy drops" can mean "bias increases": a direction is only reversed
                # when the clause is about exactly the same things as the claim.
                continue
            if (
                recall >= CONTRADICTION_FLOOR
                and shared >= CONTRADICTION_MIN_SHARED
                and len(context & swapped) >= CONTRADICTION_MIN_CONTEXT
                and recall >= direct + CONTRADICTION_MARGIN
                and (best is None or recall > best[0])
            ):
                how = f"says {_word(lost, clause)} where it should be {_word(gained, None)}"
                best = (recall, reference, how)
    if best is None:
        return None
    _, reference, how = best
    return Contradiction(clause, reference.text, reference.point, how)


def _denial(
    clause: Clause,
    terms_: frozenset[str],
    references: Sequence[tuple[_Reference, frozenset[str]]],
    lexicon: Lexicon,
) -> Contradiction | None:
    """The key point a negated clause denies. The negation must govern one of the point's own
    terms: "computes inner products in a higher-dimensional space without building it" denies
    the building, not the point "computes inner products in a high-dimensional space
    implicitly" that it restates (as ``misconceptions`` reads a statement's negations)."""
    if not clause.negated:
        return None
    denied = lexicon.canonical(negated_terms(clause.words, clause.inherits_negation))
    for reference, ref_terms in references:
        if reference.point is None or reference.negated:
            continue
        if (
            not denied.isdisjoint(ref_terms)
            and len(ref_terms) > CONTRADICTION_MIN_SHARED
            and len(ref_terms & terms_) >= CONTRADICTION_MIN_SHARED
            and _recall(ref_terms, terms_) >= NEGATION_FLOOR
        ):
            return Contradiction(clause, reference.text, reference.point, "denies it")
    return None


def _word(stems: frozenset[str], clause: Clause | None) -> str:
    """A readable form of a swapped term: the clause's own word when it has one."""
    stem_ = sorted(stems)[0] if stems else "?"
    if clause is not None:
        for token in clause.words:
            if token.startswith(stem_[:4]):
                return f'"{token}"'
    return f'"{stem_}"'
