"""The after-action report built from a crafted run: TLP filtering, team views,
decisions, clocks, ratings, the improvement plan, and escaping in both outputs.

The scenario is built in code (no YAML, no inject library) so these tests
depend only on the engine: an entity that never files its reports (clocks are
missed), a TLP:RED inject, injects and rationales carrying HTML, an expected
action nobody takes, a decision point left to its default, a refused attempt,
and a declaration Hungary blocks until it is downgraded (tests/data/engine/
council.yaml uses the same stance).
"""

from __future__ import annotations

import re

import pytest

from simulator.engine.exercise import Exercise
from simulator.errors import InputError
from simulator.report import build, render_html, render_markdown
from simulator.scenario.model import Scenario
from simulator.scenario.plan import Plan

XSS_BODY = "Encrypted wards. <script>alert('inject')</script> <img src=x onerror=alert(1)>"
XSS_RATIONALE = "Share now <img src=x onerror=alert(2)> | not later <script>alert(3)</script>"
SCENARIO = {
    "format": "cyclesim/1", "id": "report-test", "title": "Report test <b>LOCKED</b>",
    "summary": "A crafted run for the report tests.", "tlp": "TLP:GREEN",
    "description": "First paragraph of the storyline.\n\nSecond paragraph with <em>markup</em>.",
    "start": "2026-03-02T08:00:00+01:00", "duration": "T+20d",
    "objectives": [
        {"id": "OBJ-1", "title": "Share early", "capability": "Operational coordination"},
        {"id": "OBJ-2", "title": "Activate CyCLONe", "capability": "Situational assessment"},
    ],
    "teams": [
        {"id": "ie", "name": "Ireland team", "plays": ["CSIRT-IE", "CCMA-IE", "GOV-IE"],
         "organisation": "NCSC <i>IE</i>", "contact": "ie@example.org"},
        {"id": "eu", "name": "EU cell", "plays": ["CYCLONE", "PRESIDENCY", "HR-EEAS"],
         "organisation": "EU cell", "contact": "eu@example.org"},
        {"id": "excon", "name": "Exercise control", "plays": ["EXCON"], "facilitator": True},
    ],
    "member_states": ["IE"], "sectors": ["health"],
    "network": {"actors": [{"id": "HOSP-IE-1", "name": "St. Brigid's Hospital", "kind": "entity", "level": "entity",
                            "ms": "IE", "sector": "health", "essential": True, "reporting": "never"}]},
    "council": {"k": 50, "stances": {"HU": {"stance": -1, "evidence_threshold": 1, "reason": "will not sign"}}},
    "injects": [
        {"id": "INJ-1", "at": "T+00:30", "from": "HOSP-IE-1", "to": ["CSIRT-IE"], "tlp": "TLP:GREEN",
         "title": "Ransomware at St. Brigid's", "body": XSS_BODY, "objectives": ["OBJ-1"],
         "effects": {"impact": {"IE/health": "yellow"}, "significant": ["HOSP-IE-1"]},
         "expects": [{"decision": "D04", "team": "ie", "within": "6h", "objective": "OBJ-1", "description": "share IoCs"}]},
        {"id": "INJ-RED", "at": "T+02:00", "from": "CSIRTS-NET", "to": ["CSIRT-IE"], "tlp": "TLP:RED",
         "title": "XYZZY red title", "body": "XYZZY red body"},
        {"id": "INJ-2", "at": "T+03:00", "from": "ENISA", "to": ["CYCLONE"], "tlp": "TLP:AMBER",
         "title": "Officers' call", "body": "Amber body PLUGH", "objectives": ["OBJ-2"],
         "expects": [{"decision": "D07", "team": "eu", "within": "2h", "objective": "OBJ-2", "description": "activate"}]},
    ],
    "decision_points": [
        {"id": "DP-1", "team": "ie", "at": "T+01:00", "within": "1h", "prompt": "Share the indicators?",
         "default": "hold", "objectives": ["OBJ-1"],
         "options": [{"id": "share", "label": "Share", "decision": "D04", "params": {"tlp": "TLP:AMBER"}},
                     {"id": "hold", "label": "Hold <b>on</b>"}]},
    ],
}


@pytest.fixture(scope="module")
def journal():
    scenario = Scenario.model_validate(SCENARIO)
    # Played on the world: the report is under test, and the crafted timings (sharing a minute after the
    # hospital's report is released, before it has reached Ireland) need decisions that do not wait for delivery.
    ex = Exercise(Plan.of(scenario, "test"), seed=2, decide_on="truth")
    ex.run(until=31)
    assert ex.submit("ie", decision="D04", rationale=XSS_RATIONALE, params={"tlp": "TLP:AMBER"}).accepted
    refused = ex.submit("eu", decision="D04", rationale="we share too", params={"tlp": "TLP:AMBER"})
    assert not refused.accepted
    ex.run(until=240)
    assert ex.submit("eu", decision="D20", params={"names_state": False}, rationale="one voice").accepted
    ex.note(text="Fast <b>sharing</b> | well done", kind="strength", team="ie", objective="OBJ-1")
    ex.note(text="Nobody activated CyCLONe <script>x</script>", kind="improvement", team="eu", objective="OBJ-2")
    ex.note(text="Partly done by the chair", kind="rating", objective="OBJ-2", rating="M", author="Ana")
    ex.run()
    return ex.journal


@pytest.fixture(scope="module")
def data(journal):
    return build(journal)


def test_default_audience_is_the_scenarios_tlp_and_the_red_and_amber_injects_are_counted_out(data):
    meta = data["meta"]
    assert meta["audience"] == "TLP:GREEN"
    shown = {i["inject"] for i in data["injects"]}
    assert "INJ-1" in shown and "INJ-RED" not in shown and "INJ-2" not in shown
    withheld = {w["what"]: w["count"] for w in meta["withheld"]}
    assert withheld["injects (titles and bodies)"] == 2
    assert withheld["inject deliveries"] == 2
    assert meta["withheld_total"] == sum(withheld.values())


def test_a_red_inject_is_absent_from_a_green_report_in_both_formats(data):
    for text in (render_html(data), render_markdown(data)):
        assert "XYZZY" not in text and "INJ-RED" not in text and "PLUGH" not in text
        assert "TLP:GREEN" in text and "left out" in text


def test_a_red_audience_sees_everything(journal):
    data = build(journal, audience="red")
    assert data["meta"]["audience"] == "TLP:RED" and data["meta"]["withheld_total"] == 0
    html = render_html(data)
    assert "XYZZY red body" in html and "PLUGH" in html


def test_a_clear_audience_loses_the_free_text_of_a_green_scenario(journal):
    data = build(journal, audience="TLP:CLEAR")
    withheld = {w["what"]: w["count"] for w in data["meta"]["withheld"]}
    assert withheld["decision rationales"] >= 2 and withheld["observations"] == 3
    assert withheld["storyline paragraphs"] == 2
    assert all(d["rationale"] is None for d in data["decisions"])
    assert data["strengths"] == [] and data["overview"]["description"] == []
    assert "Second paragraph" not in render_markdown(data)


def test_unknown_audience_and_team_are_input_errors(journal):
    with pytest.raises(InputError, match="unknown audience"):
        build(journal, audience="TLP:PURPLE")
    with pytest.raises(InputError, match="unknown team 'nl'"):
        build(journal, team="nl")


def test_script_and_img_in_inject_body_and_rationale_are_escaped_in_html(journal):
    html = render_html(build(journal, audience="TLP:RED"))
    assert re.search(r"<script", html, re.I) is None
    assert re.search(r"<img", html, re.I) is None
    assert "&lt;script&gt;alert(&#39;inject&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<b>LOCKED</b>" not in html and "Report test &lt;b&gt;LOCKED&lt;/b&gt;" in html
    assert "NCSC &lt;i&gt;IE&lt;/i&gt;" in html


def test_script_img_and_pipes_are_escaped_in_markdown(journal):
    md = render_markdown(build(journal, audience="TLP:RED"))
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert('inject')&lt;/script&gt;" in md
    row = next(line for line in md.splitlines() if "onerror=alert(2)" in line and "Ireland team" in line)
    assert "Share now &lt;img src=x onerror=alert(2)&gt; \\| not later" in row
    cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    assert len(cells) == 7  # the rationale's '|' did not add a column


def test_html_is_self_contained_printable_and_has_the_three_charts(data):
    html = render_html(data)
    assert html.count("<svg") == 3 + (2 if "Detail: the first" in html else 0) + (1 if "Who knew what, when" in html else 0)
    assert 'aria-label="Who knew what, when"' in html, "the information-flow chart (issue 14)"
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<link" not in html and "@media print" in html and "break-inside: avoid" in html
    for title in ("Severity (ECCS) over time", "When information reached each level", "Regulatory clocks"):
        assert f"<title>{title}" in html


def test_missed_clocks_default_breach_and_ratings_feed_the_improvement_plan(data):
    missed = [c for c in data["clocks"] if c["status"] == "missed"]
    assert {c["report"] for c in missed} == {"early_warning", "notification"}
    assert all(c["owner"] == "HOSP-IE-1" and c["teams"] == ["ie"] for c in missed)
    sources = [p["source"] for p in data["improvement_plan"]]
    assert "clock early_warning:HOSP-IE-1" in sources and "decision point DP-1" in sources
    assert "objective OBJ-2" in sources and any(s.startswith("observation") for s in sources)
    ew = next(p for p in data["improvement_plan"] if p["source"] == "clock early_warning:HOSP-IE-1")
    # a simulated entity's clock is its own, not the team's of its Member State (issue 13)
    assert ew["organisation"] == "HOSP-IE-1 (simulated entity)" and ew["contact"] == "" and ew["element"] == "Planning"
    assert ew["start"] == "2026-03-23" and ew["completion"] == "2026-06-21"  # end 2026-03-22 + 1 day, + 90 days


def test_objectives_are_rated_from_expected_actions_points_and_clocks_with_override(data):
    obj = {o["id"]: o for o in data["objectives"]}
    one = obj["OBJ-1"]
    statuses = sorted((e["kind"], e["status"]) for e in one["evidence"])
    assert statuses == [("clock", "failed"), ("clock", "failed"), ("decision point", "failed"), ("expected action", "ok")]
    assert one["computed"] == "M" and one["rating"] == "M" and one["override"] is None
    two = obj["OBJ-2"]
    assert two["computed"] == "U"  # D07 never taken
    assert two["rating"] == "M" and two["override"]["author"] == "Ana" and two["label"] == "Performed with major challenges"


def test_decisions_carry_latency_refusals_votes_and_outcomes(data):
    rows = data["decisions"]
    d04 = next(d for d in rows if d["decision"] == "D04" and d["how"] == "direct")
    assert d04["team"] == "ie" and {"name": "ms_affected", "value": "1"} in d04["reads"]
    assert d04["outcome"]["status"] == "effective"
    dp = next(d for d in rows if d["point"] == "DP-1")
    assert dp["default"] and dp["option"] == "hold" and dp["latency"] == 60 and dp["option_label"] == "Hold <b>on</b>"
    assert [f["team"] for f in data["refused"]] == ["eu"] and "plays no actor" in data["refused"][0]["reason"]
    d20 = next(d for d in rows if d["decision"] == "D20")
    assert [v["result"] for v in d20["votes"]] == ["blocked", "blocked", "blocked"]
    assert all(v["blockers"] == [{"ms": "HU", "reason": "will not sign"}] for v in d20["votes"])
    assert d20["outcome"]["status"] == "downgraded" and "D19" in d20["outcome"]["detail"]
    lat = data["kpis"]["latency"]
    assert (lat["points"], lat["defaults"], lat["vote_rounds"], lat["blocked_rounds"]) == (1, 1, 3, 3)
    assert lat["blockers"] == [{"ms": "HU", "rounds": 3}]


def test_kpis_time_to_notify_and_levels(data):
    notify = {n["report"]: n for n in data["kpis"]["notify"]}
    assert notify["early_warning"]["missed"] == 1 and notify["early_warning"]["compliance"] == "0 %"
    levels = {x["level"]: x for x in data["kpis"]["levels"]}
    assert levels["technical"]["first"]["t"] > 30 and levels["technical"]["first_inject"] == "INJ-1"
    assert levels["technical"]["deliveries"] == 2  # INJ-1 and the red one: times count, content does not
    hops = {h["hop"]: h for h in data["kpis"]["escalation"]}
    share = hops["National CSIRT → CSIRTs Network post (D04)"]
    assert share["reached"] and share["from"]["t"] == levels["technical"]["first"]["t"]


def test_team_view_keeps_only_what_the_team_received_and_decided(journal):
    data = build(journal, team="eu", audience="TLP:RED")
    assert {i["inject"] for i in data["injects"]} == {"INJ-2"}
    assert {d["team"] for d in data["decisions"]} == {"eu"}
    assert data["clocks"] == [] and data["points"] == []
    assert [o["id"] for o in data["objectives"]] == ["OBJ-2"] and data["objectives_other_teams"] == 1
    assert [s["team"] for s in data["improvements"]] == ["eu"] and data["strengths"] == []
    assert "Ransomware at St. Brigid" not in render_html(data)


def test_calendar_time_follows_start(data):
    first = next(i for i in data["injects"] if i["inject"] == "INJ-1")
    assert (first["time"], first["calendar"]) == ("T+00:30", "Mon 2 Mar 08:30")
    assert data["overview"]["end_long"] == "Sun 22 Mar 2026 08:00 (UTC+01:00)"
