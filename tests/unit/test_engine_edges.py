"""Edge cases found in review: reports, holds, conditions, TLP of prompts, reroutes, bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.engine.exercise import Exercise
from simulator.errors import InputError
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tutorial() -> Plan:
    loaded = load(ROOT / "scenarios" / "tutorial.yaml")
    return Plan.of(loaded.scenario, loaded.content_hash)


def kinds(ex: Exercise, *names: str):
    return [r for r in ex.journal if r.kind in names]


def test_d01_refuses_an_unknown_report_kind(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run(until=60)
    out = ex.submit("excon", decision="D01", rationale="x", params={"entity": "HOSP-BE-1", "report": "Early_Warning"})
    assert not out.accepted and "must be one of early_warning" in out.reason
    ex.run()  # nothing was accepted, so nothing can blow up later
    assert kinds(ex, "decision.refused")[0]["reason"] == out.reason


def test_d01_only_by_the_team_that_plays_the_entity(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run(until=60)
    out = ex.submit("ie", decision="D01", rationale="x", params={"entity": "HOSP-BE-1"})
    assert not out.accepted and "does not play HOSP-BE-1" in out.reason


def test_a_report_filed_before_awareness_meets_the_clock_when_it_starts(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.run(until=60)  # IE is hit at T+00:30; BE only at T+04:00
    assert ex.submit("excon", decision="D01", rationale="BE files as a precaution",
                     params={"entity": "HOSP-BE-1", "report": "early_warning"}).accepted
    ex.run()
    met = [r for r in kinds(ex, "clock.met") if r["clock"] == "early_warning:HOSP-BE-1"]
    assert len(met) == 1 and met[0].t == 240 and met[0]["filed_before"] == 60
    assert not [r for r in kinds(ex, "clock.missed") if r["clock"] == "early_warning:HOSP-BE-1"]


def test_a_hold_holds_even_when_a_decision_point_option_fires_the_inject(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.hold("TUT-06")
    ex.run(until=700)
    assert ex.inject_status("TUT-06") == "held"
    assert not [r for r in kinds(ex, "inject.released") if r["inject"] == "TUT-06"]
    ex.fire_from("TUT-06", cause="test")  # what an option's `fires:` does
    assert ex.inject_status("TUT-06") == "held"
    ex.release("TUT-06")
    assert [r for r in kinds(ex, "inject.released") if r["inject"] == "TUT-06"]


def test_prompt_after_a_red_inject_carries_red(tmp_path):
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    text = text.replace("    tlp: TLP:AMBER\n    body: |\n      CSIRT-BE reports", "    tlp: TLP:RED\n    body: |\n      CSIRT-BE reports")
    assert "tlp: TLP:RED" in text
    path = tmp_path / "red.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    ex = Exercise(Plan.of(loaded.scenario), seed=1)
    ex.run()
    opened = {r["point"]: r["tlp"] for r in kinds(ex, "decision_point.opened")}
    assert opened == {"DP-SHARE": "TLP:AMBER", "DP-ESCALATE": "TLP:RED"}  # after TUT-01 (AMBER), TUT-04 (RED)


def test_a_multi_hop_route_without_a_direct_channel_is_not_a_reroute(tutorial):
    ex = Exercise(tutorial, seed=1)
    ex.add_inject(sender="HOSP-IE-1", to=["PRESIDENCY"], title="odd path")
    ex.run(until=2000)
    assert not kinds(ex, "message.rerouted")
    sent = [r for r in kinds(ex, "message.sent") if r["inject"] == "ADHOC-1"]
    assert len(sent[0]["route"]) > 1


def test_a_script_input_that_does_not_fit_is_bad_input(tmp_path, capsys):
    script = tmp_path / "inputs.yaml"
    script.write_text("format: cyclesim-decisions/1\ninputs:\n"
                      "  - {kind: facilitator.channel, t: 0, step: 0, payload: {}}\n", encoding="utf-8")
    code = main(["replay", "tutorial", "--decisions", str(script), "--quiet"])
    err = capsys.readouterr().err
    # checked against the scenario before the replay starts, and located (it used to say only "does not fit")
    assert code == 2 and "inputs.yaml:3:" in err and "facilitator.channel needs 'channel'" in err
    assert "Traceback" not in err


def test_an_input_out_of_order_is_bad_input(tutorial):
    from simulator.engine.exercise import ScheduledInput

    ex = Exercise(tutorial, seed=1, inputs=[ScheduledInput("observation.noted", {"text": "x"}, t=600, step=0)])
    with pytest.raises(InputError, match="out of order"):
        ex.run()
