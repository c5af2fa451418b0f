"""The summary's strengths and gaps name the question they come from, as the README says.

Seen after a three-question ML depth drill: "Depth (1/4, ML depth)" with no way to tell which
of the three answers it was about.
"""

from __future__ import annotations

from interview_sim.engine import plan_drill
from interview_sim.models import SessionMode, Stage
from interview_sim.services import Services
from interview_sim.tui.render import summary_markdown


def test_each_strength_and_gap_names_its_question(services: Services) -> None:
    engine = services.engine
    plan = plan_drill(services.catalog, Stage.ML_DEPTH, 2)
    sid = engine.start(SessionMode.DRILL, plan)
    engine.advance(sid)
    engine.submit_answer(sid, "It depends on the data.")
    engine.submit_answer(sid, "I would look at the metrics and iterate, because it depends.")
    text = summary_markdown(engine.summary(sid), services.catalog, drill_key=False)
    gaps = text.split("## Top gaps", 1)[1].split("## Next steps", 1)[0]
    lines = [line for line in gaps.splitlines() if line.startswith("- **")]
    assert lines
    titles = {services.catalog.questions[p.question_id].title for p in plan}
    for line in lines:
        assert any(f"ML depth, {title})" in line for title in titles), line
