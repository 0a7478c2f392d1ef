"""Decisions scripts are checked entry by entry against the scenario and the catalogue, with file:line."""

from __future__ import annotations

import pytest

from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.errors import ScenarioError
from simulator.players.script import ScriptSource, load_script


def _problems(tmp_path, body: str) -> list[str]:
    f = tmp_path / "d.yaml"
    f.write_text("format: cyclesim-decisions/1\n" + body, encoding="utf-8")
    _, plan = load_plan("tutorial")
    with pytest.raises(ScenarioError) as e:
        ScriptSource(load_script(f)).attach(Exercise(plan, seed=1))
    return [str(p).split(":", 1)[1] for p in e.value.problems]


def test_parameters_of_the_wrong_shape_or_unknown_name_are_located(tmp_path):
    got = _problems(tmp_path, "decisions:\n"
                              "  - {at: 'T+01:00', team: ie, decision: D04, rationale: r,\n"
                              "     params: {tlp: [1, 2], tpl: TLP:AMBER}}\n")
    assert got == ["4:20: parameter 'tlp' of D04 must be a text, not a list",
                   "4:28: D04 has no parameter 'tpl'; did you mean 'tlp'?"]


def test_recorded_inputs_are_checked_where_they_are(tmp_path):
    got = _problems(tmp_path, "inputs:\n"
                              "  - {kind: facilitator.fired, t: 120, step: 14, payload: {inject: TUT-99}}\n"
                              "  - {kind: decision.submitted, t: 130, step: 15,\n"
                              "     payload: {team: ie, decision: D04, params: {tlp: 5}, rationale: r}}\n"
                              "  - {kind: facilitator.channel, t: 100, step: 16, payload: {channel: ca-IE-eu, status: off}}\n"
                              "  - {kind: observation.noted, t: 140, step: 17, payload: {txt: x}}\n")
    assert got[0].startswith("3:67: unknown inject 'TUT-99'")
    assert got[1] == "5:55: parameter 'tlp' of D04 must be a text, not the number 5"
    assert any(p.startswith("6:") and "goes back in time" in p for p in got)
    assert any(p.startswith("6:") and "unknown channel status 'off'" in p for p in got)
    assert any(p.startswith("7:") and "has no field 'txt'" in p for p in got)
    assert any(p.startswith("7:") and "needs 'text'" in p for p in got)


def test_the_desk_refuses_unknown_or_misshapen_parameters_from_any_source():
    _, plan = load_plan("tutorial")
    ex = Exercise(plan, seed=1)
    ex.run(until=60)
    out = ex.submit("ie", decision="D04", rationale="r", params={"tlp": ["TLP:AMBER"]})
    assert not out.accepted
    refused = ex.journal.of_kind("decision.refused")[-1]
    assert "parameter 'tlp' of D04 must be a text, not a list" in str(refused.data)
