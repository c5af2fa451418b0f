"""Quoted evidence is shown verbatim wherever Markdown renders it: the app's scorecard and
summary, and ``interview-sim report`` in Markdown and HTML. "O(n*L)" must not become "O(nL)"
with an italic "L)".

Markdown is read with the parser the app's ``Markdown`` widget uses (markdown-it, "gfm-like").
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from interview_sim.banks import Catalog
from interview_sim.engine import InterviewEngine
from interview_sim.models import Grade, PlannedQuestion, SessionMode, Stage
from interview_sim.reports.build import build_session_report
from interview_sim.reports.render import render_report
from interview_sim.store import Repository
from interview_sim.templating import markdown_literal
from interview_sim.tui.render import scorecard_markdown, summary_markdown

ANSWER = (
    "Pool-based active learning retrains after each labelled batch. Scoring the pool costs "
    "O(n*L) time and O(n*m) space with best_from cached, and __init__ loads the model once. "
    "Keep a random test set [not the selected one] because <selected> data are biased."
)
QUOTES = [
    "Scoring the pool costs O(n*L) time and O(n*m) space with best_from cached",
    "and __init__ loads the model once.",
    "Keep a random test set [not the selected one] because <selected> data are biased.",
]


def rendered_text(markdown: str) -> str:
    """What the reader sees: the text of every inline token, markup gone."""
    parts: list[str] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.children:
                walk(token.children)
            elif token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak", "paragraph_close"):
                parts.append("\n")

    walk(MarkdownIt("gfm-like").parse(markdown))
    return "".join(parts)


@pytest.mark.parametrize(
    "text",
    [
        "O(n*L) time and O(n*m) space",
        "a *b* c _d_ e `code` [link](http://x) <b>tag</b> &amp;",
        "~~struck~~ and ~5 ms",
        "# not a heading",
        "- not a list",
        "1. not a list either",
        "> not a quote",
        "back\\slash",
        "p < 0.05 and A&B and P(y|x)",
    ],
)
def test_markdown_literal_shows_every_character(text: str) -> None:
    assert rendered_text("> " + markdown_literal(text)).strip() == text


def test_plain_text_is_left_readable() -> None:
    assert markdown_literal("p < 0.05, P(y|x) and A&B") == "p < 0.05, P(y|x) and A&B"


@pytest.fixture
def graded(engine: InterviewEngine, repo: Repository) -> tuple[int, list[Grade]]:
    """A real graded answer whose evidence is replaced by quotes full of Markdown characters
    (each a verbatim substring of the answer)."""
    assert all(q in ANSWER for q in QUOTES)
    sid = engine.start(
        SessionMode.DRILL, [PlannedQuestion(stage=Stage.ML_DEPTH, question_id="active_learning")]
    )
    engine.advance(sid)
    engine.end_question(sid, ANSWER)
    [grade] = repo.grades(sid)
    scores = [
        score.model_copy(update={"evidence": QUOTES if i == 0 else []})
        for i, score in enumerate(grade.scores)
    ]
    return sid, [grade.model_copy(update={"scores": scores})]


def test_scorecard_quotes_render_verbatim(
    catalog: Catalog, repo: Repository, graded: tuple[int, list[Grade]]
) -> None:
    sid, grades = graded
    text = rendered_text(scorecard_markdown(grades, catalog, repo.turns(sid), reveal=False))
    for quote in QUOTES:
        assert quote in text


def test_report_quotes_render_verbatim_in_markdown_and_html(
    catalog: Catalog, repo: Repository, engine: InterviewEngine, graded: tuple[int, list[Grade]]
) -> None:
    sid, grades = graded
    report = build_session_report(
        engine.summary(sid), grades, repo.turns(sid), catalog, generated_at=datetime.now(UTC)
    )
    markdown = rendered_text(render_report(report, "md"))
    for quote in QUOTES:
        assert quote in markdown

    class Quotes(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if ("class", "quote") in attrs:
                self.depth += 1
                self.found.append("")

        def handle_endtag(self, tag: str) -> None:
            if tag == "span" and self.depth:
                self.depth -= 1

        def handle_data(self, data: str) -> None:
            if self.depth:
                self.found[-1] += data

    parser = Quotes()
    parser.feed(render_report(report, "html"))
    assert set(QUOTES) <= {quote.strip("\u201c\u201d") for quote in parser.found}


def test_summary_strength_quote_renders_verbatim(
    catalog: Catalog, engine: InterviewEngine, graded: tuple[int, list[Grade]]
) -> None:
    sid, grades = graded
    strong = [
        grade.model_copy(
            update={"scores": [s.model_copy(update={"level": 4}) for s in grade.scores]}
        )
        for grade in grades
    ]
    summary = engine.summary(sid)
    results = [r.model_copy(update={"grades": strong}) for r in summary.results]
    text = rendered_text(
        summary_markdown(summary.model_copy(update={"results": results}), catalog, drill_key=False)
    )
    assert QUOTES[0] in text
