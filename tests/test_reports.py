"""Session reports: the HTML is parsed and checked section by section; the Markdown is golden."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from interview_sim.banks import Catalog
from interview_sim.cli.main import main
from interview_sim.engine import InterviewEngine
from interview_sim.engine.policy import BankedFollowUpPolicy
from interview_sim.reports.build import SessionReport, build_session_report
from interview_sim.reports.render import render_report
from interview_sim.scoring import OfflineRubricScorer
from interview_sim.store import Repository
from tests.history_data import HISTORY, T0, build_history, fixture_catalog

GOLDEN = HISTORY / "report_session4.md"


class Node:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.content: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def children(self) -> list[Node]:
        return [c for c in self.content if isinstance(c, Node)]

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.content)

    def walk(self) -> list[Node]:
        return [self, *(n for c in self.children for n in c.walk())]

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.walk()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def by_id(self, id_: str) -> Node:
        found = [n for n in self.walk() if n.attrs.get("id") == id_]
        assert len(found) == 1, f"expected one element with id {id_}, found {len(found)}"
        return found[0]


class TreeBuilder(HTMLParser):
    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].content.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].content.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


@pytest.fixture(scope="module")
def history_catalog() -> Catalog:
    return fixture_catalog()


@pytest.fixture
def sessions(repo: Repository, history_catalog: Catalog) -> list[int]:
    return build_history(repo, history_catalog)


def _report(repo: Repository, catalog: Catalog, session_id: int) -> SessionReport:
    scorer = OfflineRubricScorer()
    engine = InterviewEngine(catalog, repo, scorer, BankedFollowUpPolicy(scorer))
    return build_session_report(
        engine.summary(session_id),
        repo.grades(session_id),
        repo.turns(session_id),
        catalog,
        generated_at=T0 + timedelta(days=8),
    )


def test_markdown_matches_golden(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    markdown = render_report(_report(repo, history_catalog, sessions[3]), "md")
    assert markdown == GOLDEN.read_text(encoding="utf-8")


def test_html_is_self_contained_and_prints(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    html = render_report(_report(repo, history_catalog, sessions[3]), "html")
    doc = parse(html)
    assert not doc.find("link") and not doc.find("script") and not doc.find("img")
    assert all(n.attrs.get("href", "#").startswith("#") for n in doc.walk())
    (style,) = doc.find("style")
    assert "@media print" in style.text and ".hl " in style.text


def test_html_sections(repo: Repository, history_catalog: Catalog, sessions: list[int]) -> None:
    doc = parse(render_report(_report(repo, history_catalog, sessions[3]), "html"))
    summary = doc.by_id("summary")
    assert "Recommendation: no hire" in " ".join(summary.text.split())
    assert "veto" in summary.text

    packet = doc.by_id("packet")
    rows = [[td.text for td in r.find("td")] for r in packet.find("tbody")[0].find("tr")]
    assert rows == [
        ["coding", "strong no hire", "0.50", "1"],
        ["system design", "hire", "3.00", "1"],
        ["ml depth", "no hire", "1.50", "1"],
        ["behavioral", "strong hire", "3.50", "1"],
    ]
    strengths = doc.by_id("strengths")
    assert strengths.tag == "h3"
    lists = packet.find("ol")
    assert [len(ol.find("li")) for ol in lists] == [3, 3]
    assert "I paged the team and rolled back in ten minutes." in lists[0].text
    assert "Missed: a one-pass hash map; O(n) time" in lists[1].text
    assert len(packet.find("ul")[0].find("li")) == 4

    communication = doc.by_id("communication")
    assert len(communication.find("tbody")[0].find("tr")) == 5

    for qid in ("pair_sum", "fraud", "metrics_a", "incident"):
        article = doc.by_id(f"q-{qid}")
        sections = {c for s in article.find("section") for c in s.classes}
        assert sections == {"transcript", "scorecard", "model-answer"}

    coding = doc.by_id("q-pair_sum")
    transcript = coding.find("section", "transcript")[0]
    (code,) = transcript.find("div", "hl")
    assert "def find_pair" in code.text and code.find("span")  # highlighted tokens
    assert "Basically, um, two loops." in transcript.text
    scorecard = coding.find("section", "scorecard")[0]
    assert [li.text for li in scorecard.find("li", "missed")][:2] == [
        "Missed: a one-pass hash map",
        "Missed: O(n) time",
    ]
    model = coding.find("section", "model-answer")[0]
    assert "seen[x] = i" in model.find("div", "hl")[0].text

    behavioral = doc.by_id("q-incident").find("section", "scorecard")[0]
    evidence = [li.text for li in behavioral.find("li", "evidence")]
    assert "Evidence: “I paged the team and rolled back in ten minutes.”" in evidence


def test_unfenced_code_and_follow_ups_in_html(
    repo: Repository, history_catalog: Catalog, sessions: list[int]
) -> None:
    doc = parse(render_report(_report(repo, history_catalog, sessions[2]), "html"))
    code = doc.by_id("q-pair_sum").find("section", "transcript")[0].find("div", "hl")
    assert len(code) == 1 and "seen[x] = i" in code[0].text
    turns = doc.by_id("q-trees_a").find("div", "turn")
    assert [t.classes - {"turn"} for t in turns] == [{"candidate"}, {"interviewer"}, {"candidate"}]
    assert "Why decorrelate the trees?" in turns[1].text


def test_report_command_writes_html(
    repo: Repository, history_catalog: Catalog, sessions: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    argv = ["--db", str(tmp_path / "test.db"), "--bank-dir", str(HISTORY / "bank")]
    assert main([*argv, "report", str(sessions[3]), "--format", "html", "-o", str(out)]) == 0
    assert parse(out.read_text(encoding="utf-8")).by_id("q-incident")


def test_report_command_unknown_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "empty.db"), "report", "42"]) == 2
    assert capsys.readouterr().err == "interview-sim: no session 42\n"
