"""Situational pictures: each actor knows only what reached it (issue 14).

The pictures are folded from the journal; these tests check what reaches whom
and when, against ground truth, on the bundled storyline and on small runs.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from simulator.bundled import scenarios_dir
from simulator.cli import main
from simulator.engine.exercise import Exercise
from simulator.engine.knowledge import Knowledge, knowledge_at, team_picture
from simulator.journal.journal import read_jsonl
from simulator.players.policies import Doctrine
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan


@cache
def _vs_journal():
    """VITAL SIGNS played by doctrine on seed 1, once for this file: the tests only read it."""
    plan = Plan.of(load(scenarios_dir() / "vital-signs.yaml").scenario)
    ex = Exercise(plan, seed=1, sources=[Doctrine()])
    ex.run()
    return ex


def _picture_json(capsys, path, team, at):
    assert main(["picture", str(path), "--team", team, "--at", at, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_must_show_cyclone_does_not_know_eccs_at_first_and_knows_it_by_day_three(bundled_replay, capsys):
    played = bundled_replay("vital-signs", "doctrine")  # replay vital-signs --policy doctrine --seed 1 --out D
    assert played.run.returncode == 0, played.run.stderr
    out = played.out
    early = _picture_json(capsys, out / "events.jsonl", "cyclone", "T+00:30")
    assert early["truth"]["eccs"] == 2, "three Irish hospitals are significant incidents at T+0"
    assert early["known"]["eccs"] is None, "nothing has reached CyCLONe yet"
    assert early["known"]["eccs"] != early["truth"]["eccs"]
    assert early["known"]["ms_colours"] == {}
    late = _picture_json(capsys, out / "events.jsonl", "cyclone", "T+72:00")
    assert isinstance(late["known"]["eccs"], int)
    assert late["known"]["eccs"] == late["truth"]["eccs"] == 4
    src = late["known"]["eccs_source"]
    assert src["learned"] <= 72 * 60 and src["source"] and src["via"]
    assert late["known"]["ms_colours"]["IE"] == "red"
    for fact in late["known"]["facts"].values():
        assert fact["learned"] <= 72 * 60 and fact["source"]


def test_picture_text_and_bad_input(tmp_path, capsys):
    ex = _vs_journal()
    path = tmp_path / "events.jsonl"
    ex.journal.export_jsonl(path)
    assert main(["picture", str(path), "--team", "presidency", "--at", "T+120:00"]) == 0
    text = capsys.readouterr().out
    assert "ECCS 4 — VS-32 CyCLONe impact and severity assessment from CYCLONE" in text
    assert main(["picture", str(path), "--team", "nobody", "--at", "T+1:00"]) == 2
    assert "no such team" in capsys.readouterr().err
    assert main(["picture", str(path), "--team", "ie", "--at", "soon"]) == 2
    assert "--at" in capsys.readouterr().err


def test_a_fact_reaches_an_actor_when_the_message_is_delivered_not_released():
    ex = _vs_journal()
    released = next(r for r in ex.journal if r.kind == "inject.released" and r["inject"] == "VS-18")
    delivered = next(r for r in ex.journal if r.kind == "inject.delivered" and r["inject"] == "VS-18"
                     and r["actor"] == "CYCLONE")
    assert delivered.t > released.t, "the officers' call travels on a channel with a delay"
    before = team_picture(ex.journal, "cyclone", delivered.t - 1)
    after = team_picture(ex.journal, "cyclone", delivered.t)
    assert before.ms_colours().get("IE") != "red"
    assert after.ms_colours()["IE"] == "red"
    f = after.fact("impact.IE/health")
    assert (f.learned, f.source, f.actor) == (delivered.t, "VS-18", "CYCLONE")


def test_a_report_about_one_member_state_does_not_tell_about_another():
    ex = _vs_journal()
    got = next(r for r in ex.journal if r.kind == "inject.delivered" and r["inject"] == "VS-04a")
    k = knowledge_at(ex.journal, got.t)
    be = k.actor("CSIRT-BE")
    assert be.value("significant.HOSP-BE-1") is True
    assert be.fact("significant.HOSP-IE-1") is None, "a Belgian report does not carry the Irish hospitals"
    assert be.fact("eccs") is None, "an impact report is not an assessment"


def test_team_picture_is_the_union_of_its_actors_and_the_live_fold_matches_the_journal():
    ex = _vs_journal()
    k = Knowledge(ex.journal, plan=ex.plan)
    team = k.team("ie")
    for actor in ("CSIRT-IE", "CA-IE", "CCMA-IE", "GOV-IE"):
        for name, f in k.actor(actor).facts.items():
            assert team.fact(name) is not None and team.fact(name).learned >= f.learned
    live = ex.knowledge.team("ie")
    assert live.as_json()["facts"] == team.as_json()["facts"]


def test_an_assessment_can_be_stale():
    """The world falls back to ECCS 3 at T+150; the Presidency holds 4 until the next assessment reaches it."""
    ex = _vs_journal()
    fell = next(r.t for r in ex.journal if r.kind == "severity.changed" and r["to"] < r["from"])
    k = knowledge_at(ex.journal, fell + 60)
    truth, pres = k.truth(), k.team("presidency")
    assert pres.eccs == 4 and truth.eccs < 4, "the last assessment that reached the Presidency is not today's truth"
    assert pres.fact("eccs").assessed_by in ("CYCLONE", "COMMISSION"), "a CyCLONe assessment or an ISAA report"
    later = Knowledge(ex.journal).team("presidency")
    assert later.eccs == truth.eccs and later.fact("eccs").learned > fell, "a later assessment brings it up to date"


def test_reading_a_picture_does_not_change_the_journal():
    ex = _vs_journal()
    for t in (0, 30 * 60, ex.now):  # every way of reading, on the played exercise
        for team in ex.plan.scenario.teams:
            team_picture(ex.journal, team.id, t)
            knowledge_at(ex.journal, t).team(team.id).as_json()
    for team in ex.plan.scenario.teams:
        ex.knowledge.team(team.id).as_json()
    fresh = Exercise(ex.plan, seed=1, sources=[Doctrine()])
    fresh.run()
    assert fresh.journal.export_hash() == ex.journal.export_hash()


@pytest.mark.parametrize("at", ["T+00:00", "T+30:00"])
def test_picture_reads_a_session_folder_with_events(tmp_path, capsys, at):
    ex = _vs_journal()
    (tmp_path / "s").mkdir()
    ex.journal.export_jsonl(tmp_path / "s" / "events.jsonl")
    data = _picture_json(capsys, tmp_path / "s", "ie", at)
    assert set(data) >= {"known", "truth"}
    assert read_jsonl(tmp_path / "s" / "events.jsonl")


# ------------------------------------------------------------ deciding on what you know
@cache
def _vs_knowing():
    plan = Plan.of(load(scenarios_dir() / "vital-signs.yaml").scenario)
    ex = Exercise(plan, seed=1, sources=[Doctrine()], decide_on="knowledge")
    ex.run()
    return ex


def test_the_desk_says_not_known_apart_from_not_true():
    plan = Plan.of(load(scenarios_dir() / "vital-signs.yaml").scenario)
    ex = Exercise(plan, seed=1, decide_on="knowledge")
    ex.run(until=18 * 60 + 1)  # VS-18 is out (ECCS 4 is true) but still on its way to CyCLONe
    assert ex.severity.level == 4
    assert ex.known("cyclone").eccs is None
    check = ex.desk.check("cyclone", "D07")
    assert not check.ok
    assert check.reason.startswith("ECCS 4 not known to cyclone: no assessment has reached it"), check.reason
    not_true = ex.desk.check("presidency", "D13")  # eccs <= 3 is not true in the world
    assert not not_true.ok and "not known" not in not_true.reasons[0]
    world = Exercise(plan, seed=1, decide_on="truth")  # deciding on the world, the evaluators' comparison
    world.run(until=18 * 60 + 1)
    assert world.desk.check("cyclone", "D07").ok


def test_the_facilitator_decides_on_the_world():
    plan = Plan.of(load(scenarios_dir() / "vital-signs.yaml").scenario)
    ex = Exercise(plan, seed=1, decide_on="knowledge")
    ex.run(until=18 * 60 + 1)
    assert ex.known_context("excon").variables["eccs"] == 4


def test_doctrine_on_knowledge_activates_ipcr_only_after_the_cyclone_assessment_reached_the_presidency():
    ex = _vs_knowing()
    d11 = next(r for r in ex.journal if r.kind == "decision.accepted" and r["decision"] == "D11")
    pic = team_picture(ex.journal, "presidency", d11.t, ex.plan)
    assert pic.eccs >= 4 and pic.fact("eccs").assessed_by == "CYCLONE"
    first_assessment = min(f.learned for f in Knowledge(ex.journal, plan=ex.plan).learned_log
                           if f.actor in ("PRESIDENCY", "IPCR") and f.name == "eccs")
    assert d11.t >= first_assessment


def test_doctrine_on_knowledge_assesses_and_escalates_on_what_reached_the_csirts_network():
    ex = _vs_knowing()
    d29 = [r for r in ex.journal if r.kind == "decision.effective" and r["decision"] == "D30"]
    assert {r["team"] for r in d29} >= {"ie", "csirts-network"}
    d06 = next(r for r in ex.journal if r.kind == "decision.accepted" and r["decision"] == "D06")
    pic = team_picture(ex.journal, "csirts-network", d06.t, ex.plan)
    assert pic.eccs >= 3 and pic.fact("eccs").assessed_by == "CSIRTS-NET"
    cyc = team_picture(ex.journal, "cyclone", d06.t + 24 * 60, ex.plan)
    assert cyc.eccs is not None


def test_deciding_on_knowledge_replays_exactly_and_says_so_in_the_journal():
    ex = _vs_knowing()
    assert ex.journal[0]["decide_on"] == "knowledge"
    again = Exercise(ex.plan, seed=1, sources=[Doctrine()], decide_on="knowledge")
    again.run()
    assert again.journal.export_hash() == ex.journal.export_hash()
    world = Exercise(ex.plan, seed=1, decide_on="truth")
    world.run(until=1)
    assert "decide_on" not in world.journal[0].data, "journals deciding on the world read as they always did"


def test_knowledge_is_the_default_and_a_journal_without_the_field_rebuilds_on_the_world():
    """Journals written before knowledge became the default have no ``decide_on``: they were played on the
    world, and a resume must rebuild them on the world, record for record."""
    from simulator.session.rebuild import CheckingJournal, rebuild

    plan = Plan.of(load(scenarios_dir() / "tutorial.yaml").scenario)
    assert Exercise(plan, seed=1).decide_on == "knowledge"
    old = Exercise(plan, seed=1, sources=[Doctrine()], decide_on="truth")
    old.run(until=12 * 60)
    rebuilt = rebuild(plan, 1, CheckingJournal(list(old.journal)))
    assert rebuilt.decide_on == "truth" and rebuilt.journal.divergence is None


# ------------------------------------------------------------ the report's information flow
def test_information_flow_rows_lags_and_findings():
    from simulator.report import infoflow

    ex = _vs_journal()
    flow = infoflow.build(ex.journal, plan=ex.plan)
    rows = {r["id"]: r for r in flow["rows"]}
    assert {"impact:IE", "cross_border", "eccs:4"} <= set(rows)
    ie = {c["level"]: c for c in rows["impact:IE"]["levels"]}
    assert ie["national"]["t"] >= rows["impact:IE"]["true_t"] and ie["national"]["lag"] == ie["national"]["t"] - rows["impact:IE"]["true_t"]
    eccs4 = {c["level"]: c for c in rows["eccs:4"]["levels"]}
    assert eccs4["CyCLONe"]["t"] is not None and eccs4["IPCR/Presidency"]["t"] > eccs4["CyCLONe"]["t"]
    for f in flow["findings"]:
        cell = next(c for c in rows_by_fact(flow, f["fact"]) if c["name"] == f["level"])
        assert cell["late"] and (cell["lag"] is None or cell["lag"] > infoflow.EXPECTED_HOURS[cell["level"]] * 60)
    svg = str(infoflow.chart(flow))
    assert svg.startswith("<svg") and "Who knew what, when" in svg


def rows_by_fact(flow, fact):
    return next(r["levels"] for r in flow["rows"] if r["fact"] == fact)
