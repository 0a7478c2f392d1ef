"""docs/engine.md documents every journal record kind the engine writes, with all its fields.

The test scenarios under tests/data/engine/ are played with inputs that make
the engine write every kind it has; each kind must have a row in the doc's
record table, and that row must name each field the records carry.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise
from simulator.journal.journal import INPUT_KINDS
from simulator.scenario.loader import load
from simulator.scenario.model import Effects, Inject
from simulator.scenario.plan import Plan

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "engine"
DOC = ROOT / "docs" / "engine.md"


def exercise(name: str, seed: int = 1, initial: dict | None = None, injects: list[dict] = (),
             duration: int | None = None, decide_on: str = "knowledge") -> Exercise:
    loaded = load(DATA / f"{name}.yaml", library_dirs=[])
    scenario = loaded.scenario
    if duration is not None:
        scenario = scenario.model_copy(update={"duration": duration})
    if initial is not None:
        scenario = scenario.model_copy(update={"initial": Effects.model_validate(initial)})
    if injects:
        scenario = scenario.model_copy(update={"injects": [*scenario.injects, *map(Inject.model_validate, injects)]})
    return Exercise(Plan.of(scenario), seed=seed, decide_on=decide_on)


def played() -> list[Exercise]:
    runs = []
    ex = exercise("points")  # points, branching, every facilitator input, a refusal, a breach
    ex.hold("RED-IE")
    ex.run(until=61)
    ex.submit("nat", point="DP-BRANCH", option="go", rationale="go")  # fires GO, cancels LATER
    ex.submit("nat", decision="D06", rationale="refused at ECCS 2")
    ex.submit("nat", decision="D04", params={"tlp": "TLP:CLEAR"}, rationale="publish")
    ex.fire("GO")  # already released: ignored
    ex.fire("STOP")
    ex.add_inject(sender="EXCON", to=["CSIRT-IE"], title="ad hoc")
    ex.set_channel("csirt-IE-net", "cut")
    ex.note(text="fast", kind="strength", team="nat")
    ex.run(until=700)
    ex.release("RED-IE")
    ex.run()
    runs.append(ex)
    burst = [{"id": f"Q{i}", "at": "T+02:00", "from": "A", "to": ["Q"], "title": "burst"} for i in range(3)]
    ex = exercise("network", initial={"channels": {"ab": "cut", "ac": "cut"}}, injects=burst)  # waiting, rerouted, queued
    ex.run(until=120)
    ex.set_channel("ac", "up")
    ex.run()
    runs.append(ex)
    # every clock outcome, the Reserve (asked for on the world: nobody has assessed); ends with clocks running
    ex = exercise("clocks", duration=3000, decide_on="truth")
    ex.run(until=120)
    ex.submit("nat", decision="D09", rationale="help", params={"entities": "HOSP-IE", "services": "forensics",
                                                                "mitigation": "isolated"})
    ex.run()
    runs.append(ex)
    ex = exercise("council")  # votes and a downgrade
    ex.submit("eu", decision="D20", rationale="declare")
    ex.run()
    runs.append(ex)
    ex = exercise("council", initial={"evidence": 0.9, "impact": {"IE/health": "red"}})  # a failed unanimity
    ex.submit("eu", decision="D23", rationale="list", params={"proposer": "HR", "targets": "unit 1",
                                                               "evidence_package": True})
    ex.run()
    runs.append(ex)
    return runs


@pytest.fixture(scope="module")
def produced() -> dict[str, set[str]]:
    fields: dict[str, set[str]] = {}
    for ex in played():
        for rec in ex.journal:
            fields.setdefault(rec.kind, set()).update(rec.data)
    return fields


def documented() -> dict[str, set[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]*) \|", line)
        if match:
            rows[match.group(1)] = {f.strip() for f in match.group(2).split(",")}
    return rows


def test_the_scenarios_make_the_engine_write_every_kind(produced):
    for kind in ("exercise.started", "exercise.ended", "message.rerouted", "message.waiting", "message.queued", "vote.round",
                 "decision.downgraded", "decision.failed", "tlp.breach", "facilitator.ignored", "inject.held",
                 "inject.cancelled", "clock.missed", "clock.pending", "reserve.answered", *INPUT_KINDS):
        assert kind in produced, kind


def test_every_kind_written_is_documented_with_all_its_fields(produced):
    rows = documented()
    missing = sorted(set(produced) - set(rows))
    assert missing == [], f"kinds missing from docs/engine.md: {missing}"
    for kind, fields in sorted(produced.items()):
        assert fields <= rows[kind], f"{kind}: fields missing from docs/engine.md: {sorted(fields - rows[kind])}"


def test_no_record_field_shadows_seq_t_or_kind(produced):
    """The export merges a record's fields with seq, t and kind: a field of that name would be lost."""
    assert {kind: sorted(fields & {"seq", "t", "kind"}) for kind, fields in produced.items()
            if fields & {"seq", "t", "kind"}} == {}


def test_the_doc_lists_no_kind_the_engine_does_not_know():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "simulator").rglob("*.py"))
    unknown = [kind for kind in documented() if f'"{kind}"' not in source]
    assert unknown == []
