"""Report defects found by running sessions as a facilitator (issue 13).

A crafted scenario in code: a STARTEX briefing from exercise control at T+0
before the first real news at T+02:00, a decision point whose default takes a
decision the desk refuses, a decision point whose default is the option an
inject expects, and a simulated hospital that never files (exercise control
files for it, late).
"""

from __future__ import annotations

import pytest

from simulator.engine.exercise import Exercise
from simulator.journal.journal import Journal, Record
from simulator.report import build, render_html, render_markdown
from simulator.scenario.model import Scenario
from simulator.scenario.plan import Plan

SCENARIO = {
    "format": "cyclesim/1", "id": "report-defects", "title": "Report defects", "summary": "s", "tlp": "TLP:GREEN",
    "start": "2026-03-02T08:00:00+01:00", "duration": "T+40:00",
    "objectives": [{"id": "OBJ-1", "title": "Hold the line", "capability": "Operational coordination"}],
    "teams": [
        {"id": "ie", "name": "Ireland team", "plays": ["CSIRT-IE", "CCMA-IE", "GOV-IE"], "organisation": "NCSC IE"},
        {"id": "excon", "name": "Exercise control", "plays": ["EXCON"], "facilitator": True},
    ],
    "member_states": ["IE"], "sectors": ["health"],
    "network": {"actors": [{"id": "HOSP-IE-1", "name": "St. Brigid's Hospital", "kind": "entity", "level": "entity",
                            "ms": "IE", "sector": "health", "essential": True, "reporting": "never"}]},
    "injects": [
        {"id": "STX", "at": "T+00:00", "from": "EXCON", "to": ["CSIRT-IE"], "tlp": "TLP:GREEN",
         "title": "STARTEX", "body": "The exercise begins."},
        {"id": "INJ-1", "at": "T+02:00", "from": "HOSP-IE-1", "to": ["CSIRT-IE"], "tlp": "TLP:GREEN",
         "title": "Ransomware", "body": "Encrypted wards.", "objectives": ["OBJ-1"],
         "effects": {"impact": {"IE/health": "yellow"}, "significant": ["HOSP-IE-1"]},
         "expects": [{"decision": "hold", "team": "ie", "within": "4h", "objective": "OBJ-1", "description": "hold"}]},
    ],
    "decision_points": [
        {"id": "DP-ESC", "team": "ie", "at": "T+01:00", "within": "1h", "prompt": "Escalate?", "default": "esc",
         "options": [{"id": "esc", "label": "Escalate", "decision": "D06"}, {"id": "no", "label": "No"}]},
        {"id": "DP-HOLD", "team": "ie", "at": "T+03:00", "within": "1h", "prompt": "Hold?", "default": "hold",
         "objectives": ["OBJ-1"], "options": [{"id": "hold", "label": "Hold"}, {"id": "go", "label": "Go"}]},
    ],
}


def _exercise(decide_on: str = "knowledge") -> Exercise:
    return Exercise(Plan.of(Scenario.model_validate(SCENARIO), "test"), seed=1, decide_on=decide_on)


@pytest.fixture(scope="module")
def journal() -> Journal:
    ex = _exercise()
    ex.run(until=26 * 60 + 1)  # the early-warning clock of HOSP-IE-1 (due T+26:00) is missed
    assert ex.submit("excon", decision="D01", params={"entity": "HOSP-IE-1"}, rationale="control files for it").accepted
    ex.run()
    return ex.journal


def test_a_refused_default_renders_in_both_formats(journal):
    refused = [r for r in journal.of_kind("decision.refused") if r.get("default")]
    assert [r["point"] for r in refused] == ["DP-ESC"]
    assert "team ie" in refused[0]["reason"] or "eccs" in refused[0]["reason"]  # why, for the point's own team
    data = build(journal)
    row = next(d for d in data["decisions"] if d["point"] == "DP-ESC")
    assert row["outcome"]["status"] == "refused" and "after" in row["outcome"]
    assert "DP-ESC" in render_markdown(data) and "DP-ESC" in render_html(data)


def test_a_correct_default_is_challenged_not_failed(journal):
    obj = build(journal)["objectives"][0]
    statuses = {(e["kind"], e["what"].split()[0]): e["status"] for e in obj["evidence"]}
    assert statuses[("decision point", "DP-HOLD")] == "challenged"
    assert statuses[("expected action", "hold")] == "challenged"
    assert obj["computed"] != "U"


def test_a_simulated_entitys_late_filing_is_not_attributed_to_a_team(journal):
    data = build(journal)
    clock = next(c for c in data["clocks"] if c["clock"] == "early_warning:HOSP-IE-1")
    assert clock["outcome"] == "filed late" and clock["played_by"] is None
    row = next(r for r in data["improvement_plan"] if r["source"] == "clock early_warning:HOSP-IE-1")
    assert row["organisation"] != "NCSC IE" and "simulated entity" in row["organisation"]


def test_the_startex_briefing_does_not_start_the_response_time_indicators(journal):
    news = next(r.t for r in journal.of_kind("inject.delivered") if r["inject"] == "INJ-1")
    assert news > 0 and any(r["inject"] == "STX" and r.t == 0 for r in journal.of_kind("inject.delivered"))
    kpis = build(journal)["kpis"]
    technical = next(x for x in kpis["levels"] if x["level"] == "technical")
    assert technical["first"]["t"] == news and technical["first_inject"] == "INJ-1"
    hop = next(h for h in kpis["escalation"] if "D04" in h["hop"])
    assert hop["from"]["t"] == news


def test_an_unfinished_session_counts_open_clocks_and_points_as_open():
    ex = _exercise()
    ex.run(until=3 * 60 + 30)  # the session stops (the host died) with DP-HOLD open and clocks running
    data = build(ex.journal)
    assert data["executive"]["clocks"] == {"met": 0, "missed": 0, "pending": 2}
    assert all(c["status"] == "pending" and "when the journal stops" in c["margin_text"] for c in data["clocks"])
    point = next(p for p in data["points"] if p["point"] == "DP-HOLD")
    assert point["how"] == "open"
    evidence = data["objectives"][0]["evidence"]
    assert not [e for e in evidence if e["status"] == "failed"], evidence  # nothing has run out yet
    render_markdown(data)


def test_lapsed_and_unknown_record_kinds_are_shown_not_dropped(journal):
    ex = _exercise(decide_on="truth")  # how the report shows the records is under test, not what ie knew
    ex.run(until=2 * 60 + 5)
    assert ex.submit("ie", decision="D04", params={"tlp": "TLP:AMBER"}, rationale="share").accepted
    ex.run()
    records = list(ex.journal)
    accepted = next(r for r in records if r.kind == "decision.accepted" and r["decision"] == "D04")
    effective = next(i for i, r in enumerate(records) if r.kind == "decision.effective" and r["decision"] == "D04")
    e = records[effective]
    records[effective] = Record(e.seq, e.t, "decision.lapsed",
                                {"decision": "D04", "name": e["name"], "team": "ie", "reason": "overtaken by events: x"})
    last = records[-1]
    records.insert(len(records) - 1, Record(last.seq, last.t, "future.kind", {"secret": "XYZZY"}))
    records[-1] = Record(last.seq + 1, last.t, last.kind, last.data)
    data = build(Journal(records))
    row = next(d for d in data["decisions"] if d["decision"] == "D04" and d["t"] == accepted.t)
    assert row["outcome"]["status"] == "lapsed" and "overtaken" in row["outcome"]["detail"]
    whats = [(x["what"], x["text"]) for x in data["timeline"]]
    assert ("decision lapsed", "D04 " + e["name"]) in whats
    assert ("other record", "future.kind") in whats
    assert "XYZZY" not in render_markdown(data) and "future.kind" in render_markdown(data)
