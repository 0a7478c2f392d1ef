"""The storylines with an incident model react to the response (issue 15's "must show").

Through the command line in-process (``simulator.cli.main``; doctrine and
passive on seed 1 are the shared ``bundled_replay`` runs): under doctrine
and under no action the outcomes differ and doctrine loses fewer
service-hours; seeds give a spread; sharing indicators late (a decisions
script) hits more entities than sharing early on the same seed.
"""

from __future__ import annotations

import json

import pytest

from simulator.cli import main
from simulator.commands.common import load_plan
from simulator.engine.exercise import Exercise
from simulator.journal.outcome import KEYS, outcome
from simulator.players.policies import Passive

H = 60


def replay_outcome(capsys, *args: str) -> dict:
    assert main(["replay", *args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert tuple(data["outcome"]) == KEYS
    return data["outcome"]


@pytest.mark.parametrize("scenario", ["vital-signs", "harbour-lights", "poisoned-update"])
def test_doctrine_beats_passive_on_downtime_and_disinformation(bundled_replay, scenario):
    doctrine, passive = (bundled_replay(scenario, policy).summary["outcome"] for policy in ("doctrine", "passive"))
    assert tuple(doctrine) == tuple(passive) == KEYS
    assert doctrine != passive
    assert doctrine["downtime_hours"] < passive["downtime_hours"], (doctrine, passive)
    assert doctrine["entities_hit"] < passive["entities_hit"]
    assert doctrine["disinfo_peak"] < passive["disinfo_peak"]


@pytest.mark.parametrize("scenario, until", [("harbour-lights", None), ("vital-signs", 200 * H)])
def test_twenty_seeds_under_passive_give_a_spread(scenario, until):
    _loaded, plan = load_plan(scenario)
    values = set()
    for seed in range(1, 21):
        ex = Exercise(plan, seed=seed, sources=[Passive()])
        ex.run(until=until)
        values.add(outcome(ex.journal)["downtime_hours"])
        if len(values) >= 5:  # five different already: the twenty cannot give fewer
            break
    assert len(values) >= 5, sorted(values)


SCRIPT = """format: cyclesim-decisions/1
scenario: harbour-lights
seed: 4
decisions:
  - at: "{at}"
    team: nl
    decision: D04
    params: {{tlp: "TLP:AMBER"}}
    rationale: share the Maasvlakte indicators with the peers
"""


def test_sharing_late_hits_more_entities_than_sharing_early(tmp_path, capsys):
    results = {}
    # early: as soon as the first report has reached the Dutch team (it decides on what it knows)
    for name, at in (("early", "T+01:30"), ("late", "T+60:00")):
        path = tmp_path / f"{name}.yaml"
        path.write_text(SCRIPT.format(at=at), encoding="utf-8")
        results[name] = replay_outcome(capsys, "harbour-lights", "--decisions", str(path))
    assert results["late"]["entities_hit"] > results["early"]["entities_hit"], results
    assert results["late"]["downtime_hours"] > results["early"]["downtime_hours"]


def test_replay_outcome_is_the_same_for_the_same_inputs(capsys):
    a = replay_outcome(capsys, "harbour-lights", "--seed", "7", "--policy", "doctrine")
    b = replay_outcome(capsys, "harbour-lights", "--seed", "7", "--policy", "doctrine")
    assert a == b
