"""The report's counterfactual: the played run beside doctrine and passive, same scenario and seed.

Rendered in HTML and Markdown, from an events.jsonl and from a session, through
``cyclesim report`` in-process.
"""

from __future__ import annotations

from simulator.cli import main
from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.journal.outcome import outcome
from simulator.players.policies import Doctrine, Passive
from simulator.report.counterfactual import compare

H = 60


def report(capsys, *args: str) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


def test_counterfactual_from_an_event_log_in_markdown_and_html(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["replay", "harbour-lights", "--seed", "2", "--decisions", str(_script(tmp_path)), "--out", str(out)]) == 0
    capsys.readouterr()
    md = report(capsys, str(out / "events.jsonl"), "--format", "md")
    cf = section(md, "## 6b. Counterfactual", "## 7. Objectives")
    _loaded, plan = load_plan("harbour-lights")
    passive = Exercise(plan, seed=2, sources=[Passive()])
    passive.run()
    doctrine = Exercise(plan, seed=2, sources=[Doctrine()])
    doctrine.run()
    row = next(line for line in cf.splitlines() if line.startswith("| Service-hours lost"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2] == f"{outcome(doctrine.journal)['downtime_hours']:g}"
    assert cells[3] == f"{outcome(passive.journal)['downtime_hours']:g}"
    assert "`D04` Share IoCs in the CSIRTs Network" in cf, "the one decision the script took is weighed"
    html = report(capsys, str(out / "events.jsonl"), "--format", "html")
    part = section(html, '<section id="s-counterfactual">', '<section id="s-objectives">')
    assert "<svg" in part and "Outcome: played, doctrine and passive" in part and "<strong>" in part
    assert "s-counterfactual" not in report(capsys, str(out / "events.jsonl"), "--format", "html", "--no-counterfactual")


def test_counterfactual_from_a_session_runs_to_where_the_session_stands(tmp_path, capsys):
    from simulator.session.session import Session

    loaded, plan = load_plan("harbour-lights")
    session = Session.create(loaded, 3, tmp_path / "s1")
    try:
        ex = Exercise(plan, seed=3, journal=session.journal)
        ex.run(until=2 * H)
        ex.submit("nl", decision="D04", rationale="share now", params={"tlp": "TLP:GREEN"})
        ex.run(until=48 * H)
    finally:
        session.close()
    md = report(capsys, str(tmp_path / "s1"), "--format", "md")
    cf = section(md, "## 6b. Counterfactual", "## 7. Objectives")
    from simulator.timefmt import format_time

    last = ex.journal[-1].t
    assert last < 48 * H and f"played to {format_time(last)}" in cf, "a session in progress: to its last record"
    assert "`D04`" in cf
    html = report(capsys, str(tmp_path / "s1"), "--format", "html")
    assert '<section id="s-counterfactual">' in html and "<svg" in section(html, "s-counterfactual", "s-objectives")


def test_leaving_out_a_decision_is_measured_against_the_same_seed(tmp_path):
    _loaded, plan = load_plan("harbour-lights")
    ex = Exercise(plan, seed=5, sources=[Doctrine()])
    ex.run()
    cf = compare(ex.journal, plan)
    assert cf["rows"][0]["raw"][0] == cf["rows"][0]["raw"][1], "played by doctrine: the first two columns agree"
    assert cf["mattered"] and all(d["decision"] != "D01" for d in cf["mattered"])
    weights = [d["weight"] for d in cf["mattered"]]
    assert weights == sorted(weights, reverse=True)
    assert compare(ex.journal, None) is None


def _script(tmp_path):
    path = tmp_path / "share.yaml"
    path.write_text('format: cyclesim-decisions/1\nscenario: harbour-lights\ndecisions:\n'
                    '  - at: "T+03:00"\n    team: nl\n    decision: D04\n    params: {tlp: "TLP:AMBER"}\n'
                    '    rationale: share with the peers\n', encoding="utf-8")
    return path
