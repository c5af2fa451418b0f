"""Text normalisation shared by every scoring signal: sentences with their spans, stemmed terms.

Everything downstream compares stems, never raw words, so "calibrated", "calibration" and
"Calibrating" meet; abbreviations and their spelled-out forms are made to share a term, so
"ROC-AUC" and "area under the ROC curve" meet too. Sentences keep their exact span in the
answer because every evidence quote must be a verbatim substring of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from snowballstemmer.english_stemmer import (  # type: ignore[import-untyped,unused-ignore]
    EnglishStemmer,
)

_STEMMER = EnglishStemmer()
"""The pure-Python Porter2 stemmer, named explicitly: ``snowballstemmer.stemmer`` switches to
PyStemmer's C library when that happens to be installed, whose older algorithm stems a few
words differently ("adding" to "ad"), and the same answer would then grade differently."""
_WORD = re.compile(r"\d+(?:\.\d+)+|[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=:)\s*\n")
MAX_ANSWER_CHARS = 40_000
"""Longer answers are graded on their first 40,000 characters, which keeps grading time bounded."""

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "us",
        "let",
        "lets",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "it's",
        "that's",
        "there's",
        "don't",
        "doesn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "can't",
        "couldn't",
        "shouldn't",
        "wouldn't",
    ]
)
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "neither",
        "nor",
        "non",  # "non-deterministic", "non-zero": the prefix denies the word it joins
        "without",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "shouldn't",
        "couldn't",
        "hardly",
    ]
)
REFUTATIONS = frozenset(
    [
        "misconception",
        "myth",
        "mistake",
        "wrong",
        "false",
        "incorrect",
        "fallacy",
        "untrue",
        "wrongly",
        "mistaken",
    ]
)
"""Words that frame a statement as wrong: "it is a myth that X" does not assert X."""

# Spelled-out forms and the abbreviation they share a term with (stemmed, stopwords removed).
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "auc": ("area under curv", "area under roc curv", "area under pr curv"),
    "roc": ("receiv oper characterist",),
    "fpr": ("fals posit rate",),
    "tpr": ("true posit rate",),
    "fp": ("fals posit",),
    "fn": ("fals negat",),
    "tp": ("true posit",),
    "ann": ("approxim nearest neighbour", "approxim nearest neighbor"),
    "knn": ("k nearest neighbour", "k nearest neighbor"),
    "llm": ("larg languag model",),
    "rag": ("retriev augment generat",),
    "gbdt": ("gradient boost decis tree", "gradient boost tree"),
    "sgd": ("stochast gradient descent",),
    "qps": ("queri per second",),
    "sla": ("servic level agreement",),
    "cnn": ("convolut neural network",),
    "rnn": ("recurr neural network",),
    "nlp": ("natur languag process",),
    "mle": ("maximum likelihood estim",),
    "pca": ("princip compon analysi",),
    "mse": ("mean squar error",),
    "mae": ("mean absolut error",),
    "ctr": ("click through rate",),
    "ndcg": ("normal discount cumul gain",),
    "bfs": ("breadth first search",),
    "dfs": ("depth first search",),
    "dag": ("direct acycl graph",),
    "ab": ("split test", "onlin experi"),
    "ci": ("confid interv",),
    "bn": ("batch norm", "batch normal"),
    "lr": ("learn rate",),
    "lifo": ("last first",),
    "fifo": ("first first",),
    "bst": ("binari search tree",),
    "adt": ("abstract data type",),
    "oop": ("object orient program",),
    "cpu": ("central process unit",),
    "ram": ("random access memori",),
    "io": ("input output",),
    "ttft": ("time first token",),
    "tpot": ("time per output token",),
    "moe": ("mixtur expert",),
    "rmse": ("root mean squar error",),
    "mape": ("mean absolut percentag error",),
    "psi": ("popul stabil index",),
    "srm": ("sampl ratio mismatch",),
    "mde": ("minimum detect effect",),
    "dpo": ("direct prefer optimis", "direct prefer optim"),
    "peft": ("paramet effici fine tune",),
    "lora": ("low rank adapt",),
    "rlhf": ("reinforc learn human feedback",),
    "ece": ("expect calibr error",),
    "mrr": ("mean reciproc rank",),
    "ocr": ("optic charact recognit",),
    "ms": ("millisecond",),
}
_PHRASE_TO_ABBREV: dict[tuple[str, ...], str] = {
    tuple(phrase.split()): abbrev
    for abbrev, phrases in _ABBREVIATIONS.items()
    for phrase in phrases
}
_MAX_PHRASE = max(len(p) for p in _PHRASE_TO_ABBREV)
_PHRASE_STARTS = frozenset(p[0] for p in _PHRASE_TO_ABBREV)
_ABBREV_TO_TERMS: dict[str, tuple[str, ...]] = {
    abbrev: tuple(phrases[0].split())
    for abbrev, phrases in _ABBREVIATIONS.items()
    if len(abbrev) > 2
}
"""Written abbreviations (three letters or more) also gain their spelled-out terms."""


FUZZY_PREFIX = 5
"""Two stems sharing this many leading characters count as a partial (0.7) match."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the answer: ``text`` is exactly ``answer[start:end]``."""

    text: str
    start: int
    end: int
    words: tuple[str, ...]
    """Lower-cased word tokens, stopwords included (used for cues and negation)."""
    stems: tuple[str, ...]
    """Stemmed content terms in order, with abbreviation terms added."""

    @cached_property
    def terms(self) -> frozenset[str]:
        """Computed once per sentence: coverage reads it for every phrasing it is tried with."""
        return frozenset(self.stems)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Leading characters of its long terms, for partial matches of technical words."""
        return frozenset(t[:FUZZY_PREFIX] for t in self.stems if len(t) >= FUZZY_PREFIX)

    @cached_property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        return frozenset(zip(self.stems, self.stems[1:], strict=False))

    @property
    def negated(self) -> bool:
        """Odd number of negations or refutations: "not X" asserts the opposite of X."""
        return is_negated(self.words)


_TECHNICAL_AFTER_FALSE = frozenset(
    {
        "positive",
        "positives",
        "negative",
        "negatives",
        "alarm",
        "alarms",
        "discovery",
        "rate",
        "sharing",
    }
)


DISMISSALS = frozenset(
    [
        "skip",
        "skips",
        "skipping",
        "ignore",
        "ignores",
        "ignoring",
        "omit",
        "omitting",
        "forgo",
        "unnecessary",
        "needless",
        "irrelevant",
        "pointless",
        "overkill",
        "stop",
        "stops",
        "stopped",
    ]
)
"""Words that deny the action they govern: "skip calibration" says calibration is not done,
as "no calibration" does, so a clause with one does not state the key point it names."""
_TECHNICAL_AFTER_SKIP = frozenset(
    {"connection", "connections", "gram", "grams", "list", "lists", "word", "words", "gradient"}
)
""""skip connections", "skip-gram", "stop words" and "stop-gradient" are names, not
dismissals ("stops exploring" is one)."""


_POLARITY = NEGATIONS | DISMISSALS


def is_negated(tokens: tuple[str, ...] | list[str]) -> bool:
    """Odd number of negations, dismissals or refutations; "false positive" is a term, not a
    refutation, and "skip connections" a name, not a dismissal."""
    return sum(map(_flips, tokens, [*tokens[1:], ""])) % 2 == 1


def _flips(token: str, following: str) -> bool:
    if token in NEGATIONS:
        return True
    if token in DISMISSALS:
        return following not in _TECHNICAL_AFTER_SKIP
    if token in REFUTATIONS:
        return following not in _TECHNICAL_AFTER_FALSE
    return False


@lru_cache(maxsize=65_536)
def negated_terms(tokens: tuple[str, ...], inherited: bool = False) -> frozenset[str]:
    """The terms inside an odd number of negation scopes, a scope running from its negation
    to the end of the clause (``inherited``: the clause starts inside one). A negation with no
    term after it governs the words before it: "makes retrieval unnecessary"; so does one
    before a passive or a judging predicate ("NDCG can't be computed offline", "position
    stops mattering"), which say something of their subject. A term the clause also says
    outside the scope is not denied: "in a higher-dimensional space without building that
    space" denies the building.

    It tells which claim a negation denies: in "fit a calibrator on data the model wasn't
    trained on" it governs "trained", and in "fit on the training set without bias" only
    "bias", so the two do not agree merely because each holds a negation.
    """
    parity = inherited
    marked: list[tuple[tuple[str, ...], bool]] = []
    trailing = False
    flipped_at: int | None = None
    subject = 0
    for token, following in zip(tokens, [*tokens[1:], ""], strict=True):
        if _flips(token, following):
            parity = not parity
            trailing = True
            flipped_at = len(marked)
        elif stems := _content_stems((token,)):
            if flipped_at is not None and token in _EVALUATIVE:
                subject = flipped_at
            if not token.endswith("ly"):  # "can't really be", "doesn't actually matter"
                flipped_at = None
            marked.append((stems, parity))
            trailing = False
        elif flipped_at is not None and token in _PASSIVE:
            subject = flipped_at  # "X can't (really) be computed offline": X is denied
    if trailing:
        marked = [(stems, not negated) for stems, negated in marked]
    marked[:subject] = [(stems, True) for stems, _ in marked[:subject]]
    said = {t for stems, negated in marked if not negated for t in stems}
    return frozenset(t for stems, negated in marked if negated for t in stems if t not in said)


_PASSIVE = frozenset(("be", "been", "being"))
"""A negated passive ("X can't be computed offline", "X should not be trusted") says something
of its subject, so the negation denies the subject too."""
_EVALUATIVE = frozenset(
    (
        "matter",
        "matters",
        "mattered",
        "mattering",
        "necessary",
        "needed",
        "required",
        "important",
        "relevant",
        "useful",
        "helpful",
        "worth",
        "essential",
        "crucial",
        "critical",
    )
)
"""Predicates that only judge their subject: a negation right before one denies the subject
too, as a trailing negation does. "Position stops mattering" and "SRM checks aren't necessary
with hashing" deny position bias and the checks, as "makes retrieval unnecessary" denies
retrieval."""


def plain_lowercase(text: str) -> str:
    """NFKC, lower case, and typographic apostrophes made plain, so tokens compare equal."""
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")


_COMPOUNDS = (
    ("/", re.compile(r"\ba\s*/\s*b\b"), "ab"),
    ("bound", re.compile(r"\b(compute|memory|io|cpu|gpu|network)[- ]bound\b"), r"\1bound"),
    ("real", re.compile(r"\breal[- ]time\b"), "realtime"),
    ("based", re.compile(r"\btime[- ]based\b"), "timebased"),
    ("encoder", re.compile(r"\b(bi|cross)[- ]encoders?\b"), r"\1encoder"),
    ("convex", re.compile(r"\bnon[- ]convex\b"), "nonconvex"),
)
"""Compound terms that would lose their meaning split at the hyphen or slash ("A/B" is not
"a" and "b"); joined before tokenising, for answers and bank text alike. Each has a substring
that must be present before its pattern is worth running."""


def words(text: str) -> list[str]:
    """Lower-cased word tokens, stopwords included (used for cues and negation)."""
    return list(_words(text))


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    """The same clause and sentence texts are tokenised several times per grade (sentences,
    clauses, claim terms), and bank texts on every grade: each text once."""
    folded = plain_lowercase(text)
    for trigger, pattern, replacement in _COMPOUNDS:
        if trigger in folded:
            folded = pattern.sub(replacement, folded)
    return tuple(_WORD.findall(folded))


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    base = word[:-2] if word.endswith("'s") else word
    stemmed: str = _STEMMER.stemWord(base)
    return stemmed


def content_stems(tokens: Sequence[str]) -> tuple[str, ...]:
    """Stems of the non-stopwords, plus a term for every abbreviation spelled out or written.

    Negations and dismissals ("never", "cannot", "skip") are no terms: they carry a clause's
    polarity, which is compared on its own, so "never suitable for user-facing features" and
    "cannot be used for user-facing features" share every term and the same polarity.

    "ROC-AUC" tokenises as roc, auc; "area under the ROC curve" as area, under, roc, curv, which
    gains the shared term auc.
    """
    return _content_stems(tuple(tokens))


@lru_cache(maxsize=65_536)
def _content_stems(tokens: tuple[str, ...]) -> tuple[str, ...]:
    stems = [
        stem(t)
        for t in tokens
        if t not in STOPWORDS and t not in _POLARITY and (len(t) > 1 or t.isdigit())
    ]
    extra: list[str] = []
    for i, first in enumerate(stems):
        extra.extend(_ABBREV_TO_TERMS.get(first, ()))
        if first in _PHRASE_STARTS:
            for size in range(2, _MAX_PHRASE + 1):
                abbrev = _PHRASE_TO_ABBREV.get(tuple(stems[i : i + size]))
                if abbrev is not None:
                    extra.append(abbrev)
    return tuple(stems + extra)


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    return frozenset(content_stems(words(text)))


_WRAPPED_LINE = re.compile(r"(?<=\S)[ \t]*\n(?![ \t]*(\n|[-*\u2022]|\d+[.)]))[ \t]*")


def unwrap(text: str) -> str:
    """Bank text is hard-wrapped in YAML; a line break inside a sentence is not a sentence end
    (list items and blank lines stay). Answers are not unwrapped: there a new line is meant."""
    return _WRAPPED_LINE.sub(" ", text)


def split_sentences(answer: str) -> list[Sentence]:
    """Sentences (and list items, one per line) with their exact spans in ``answer``."""
    answer = answer[:MAX_ANSWER_CHARS]
    found: list[Sentence] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(answer), None]:
        end = match.start() if match is not None else len(answer)
        raw = answer[start:end]
        stripped = raw.strip()
        if stripped:
            offset = start + raw.index(stripped)
            tokens = words(stripped)
            if tokens:
                found.append(
                    Sentence(
                        text=stripped,
                        start=offset,
                        end=offset + len(stripped),
                        words=tuple(tokens),
                        stems=content_stems(tokens),
                    )
                )
        if match is not None:
            start = match.end()
    return found
