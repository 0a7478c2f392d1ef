"""The two reference storylines of domain.md §14 play the way the storylines say.

VITAL SIGNS (§14.1) and POISONED UPDATE (§14.2) are checked through the
command line (``simulator.cli.main``, in-process), as a planner would run them: they validate; ECCS rises at the
storyline's escalation points with a reason for each step; the hit entities'
NIS2, DORA and Regulation 2023/2841 clocks run; the doctrine player escalates
through CyCLONe and IPCR and takes Toolbox measures; the passive player shows
defaults and missed opportunities; and a replay is byte-for-byte repeatable.

All replays run once per test process; the policy runs are shared with other files
(``bundled_replay`` in tests/conftest.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_support import Run, cyclesim

ROOT = Path(__file__).resolve().parents[2]
VS, PU = "vital-signs", "poisoned-update"
SHA = re.compile(r"^[0-9a-f]{64}$")
H = 60
"""Minutes per hour: journal times are minutes since T+0."""

VS_HIT = ("HOSP-IE-1", "HOSP-IE-2", "HOSP-IE-3", "HOSP-BE-1", "HOSP-BE-2", "HOSP-NL-1", "HOSP-AT-3", "MEDLINK")
"""Entities VITAL SIGNS hits under any decisions (DE is hit only if Ireland does not share)."""


def cli(*args: str) -> Run:
    """Run ``cyclesim ARGS`` from the project root."""
    return cyclesim(*args, cwd=ROOT)


@pytest.fixture(scope="session")
def runs(tmp_path_factory, bundled_replay) -> dict:
    """(scenario, policy) -> (completed run, journal records); policy None = plain 'replay --seed 1'.

    The policy runs are the shared ``bundled_replay`` ones (seed 1, tests/conftest.py); the plain
    replay, whose printed summary a test reads, is this file's own.
    """
    out = tmp_path_factory.mktemp("reference") / f"{VS}-none"
    proc = cli("replay", VS, "--seed", "1", "--out", str(out))
    records = []
    if proc.returncode == 0:
        records = [json.loads(line) for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    found = {(VS, None): (proc, records)}
    for job in [(VS, "doctrine"), (VS, "passive"), (PU, "doctrine"), (PU, "passive")]:
        played = bundled_replay(*job)
        found[job] = (played.run, played.records if played.run.returncode == 0 else [])
    return found


def journal(runs: dict, scenario: str, policy: str | None) -> list[dict]:
    proc, records = runs[(scenario, policy)]
    assert proc.returncode == 0, proc.stderr
    return records


def of_kind(records: list[dict], *kinds: str) -> list[dict]:
    return [r for r in records if r["kind"] in kinds]


def effective(records: list[dict]) -> list[str]:
    return [r["decision"] for r in of_kind(records, "decision.effective")]


def missed_opportunities(records: list[dict]) -> list[tuple[str, str, str | None]]:
    """Expected actions of released injects that the expected team never took in time.

    An expectation is met by a catalogue decision that team had accepted, or a
    decision-point option it chose itself (not a default), no later than
    ``within`` after the inject reached that team (or was released, if it never
    did). Returns (inject, decision or option, team) for each one missed.
    """
    taken: dict[str, list[tuple[int, str]]] = {}
    for r in records:
        if r["kind"] == "decision.accepted" and not r.get("default"):
            taken.setdefault(r["decision"], []).append((r["t"], r["team"]))
        elif r["kind"] == "decision_point.closed" and r["how"] == "decided":
            taken.setdefault(r["option"], []).append((r["t"], r["team"]))
    reached: dict[tuple[str, str], int] = {}
    for r in of_kind(records, "inject.delivered"):
        for team in r.get("teams") or []:
            reached.setdefault((r["inject"], team), r["t"])
    missed = []
    for rel in of_kind(records, "inject.released"):
        for e in rel.get("expects") or []:
            team = e.get("team")
            start = reached.get((rel["inject"], team), rel["t"])
            deadline = start + e["within"] if e.get("within") is not None else None
            ok = any((team is None or tm == team) and (deadline is None or t <= deadline)
                     for t, tm in taken.get(e["decision"], []))
            if not ok:
                missed.append((rel["inject"], e["decision"], team))
    return missed


# ---------------------------------------------------------------- validation

def test_both_reference_scenarios_validate():
    proc = cli("validate", f"scenarios/{VS}.yaml", f"scenarios/{PU}.yaml")
    assert proc.returncode == 0, proc.stderr
    assert f"scenarios/{VS}.yaml: ok ({VS}," in proc.stdout
    assert f"scenarios/{PU}.yaml: ok ({PU}," in proc.stdout


def test_poisoned_update_has_the_storyline_volume():
    proc = cli("validate", "--json", f"scenarios/{PU}.yaml")
    assert proc.returncode == 0, proc.stderr
    [valid] = json.loads(proc.stdout)["valid"]
    assert valid["injects"] >= 15


# ---------------------------------------------------------------- VITAL SIGNS, plain replay --seed 1

def test_vital_signs_eccs_rises_as_the_storyline_says(runs):
    records = journal(runs, VS, None)
    steps = [(r["t"], r["to"], r["reason"]) for r in of_kind(records, "severity.changed")]
    first_at = {}
    for t, level, _reason in steps:
        first_at.setdefault(level, t)
    # ECCS 3 when BE and NL report the same note (cross-border indicators), 4 at the
    # T+18 CyCLONe call (two or more MS yellow or worse), never 5.
    assert first_at.get(3) == 4 * H, steps
    assert first_at.get(4) == 18 * H, steps
    assert max(level for _t, level, _r in steps) == 4
    reason4 = next(reason for t, level, reason in steps if level == 4)
    assert "yellow or worse" in reason4 and "IE" in reason4 and "BE" in reason4, reason4
    assert all(reason for _t, _l, reason in steps), "every ECCS step carries its reason"


def test_vital_signs_replay_prints_peak_and_reasons(runs):
    proc, _ = runs[(VS, None)]
    assert proc.returncode == 0, proc.stderr
    assert "peak ECCS 4 at T+18:00: significant impact (yellow or worse)" in proc.stdout
    assert "ECCS -> 3: yellow impact in IE with cross-border indicators" in proc.stdout
    assert "defaults applied: DP-ISOLATE=keep-running" in proc.stdout  # nobody decides: the defaults, in the text


def test_vital_signs_runs_nis2_clocks_for_every_hit_entity(runs):
    records = journal(runs, VS, None)
    started = {(r["owner"], r["report"]) for r in of_kind(records, "clock.started") if r["regime"] == "NIS2"}
    for entity in VS_HIT:
        assert (entity, "early_warning") in started, f"no NIS2 early-warning clock for {entity}"
        assert (entity, "notification") in started, f"no NIS2 notification clock for {entity}"
    ended = {r["clock"] for r in of_kind(records, "clock.met", "clock.missed")}
    assert {f"early_warning:{e}" for e in VS_HIT} <= ended, "every early-warning clock ends met or missed"


def test_vital_signs_isolated_hospitals_reroute_or_wait(runs):
    records = journal(runs, VS, None)
    assert any(r["to"] == "cut" for r in of_kind(records, "channel.changed")), "the T+3 downtime cuts hospital links"
    assert any(r["inject"] == "report:early_warning:HOSP-IE-2" for r in of_kind(records, "message.rerouted"))
    waiting = [r for r in of_kind(records, "message.waiting") if r["inject"] == "VS-08"]
    assert waiting, "Shannonside has no out-of-band line: its request must wait"
    arrived = [r["t"] for r in of_kind(records, "inject.delivered") if r["inject"] == "VS-08"]
    assert arrived and arrived[0] > waiting[0]["t"] + 24 * H, "the request leaves only once a channel is back"


# ---------------------------------------------------------------- VITAL SIGNS, doctrine

def test_vital_signs_doctrine_escalates_to_cyclone_and_ipcr(runs):
    records = journal(runs, VS, "doctrine")
    assert "D06" in effective(records) and "D07" in effective(records), "CyCLONe informed, then executives activated"
    ipcr = [r["changes"]["ipcr"] for r in of_kind(records, "state.changed") if "ipcr" in r["changes"]]
    assert ["monitoring", "information_sharing"] in ipcr, ipcr
    assert ["information_sharing", "monitoring"] in ipcr, "IPCR returns to monitoring once ECCS falls to 3"


def test_vital_signs_doctrine_takes_toolbox_measures(runs):
    records = journal(runs, VS, "doctrine")
    toolbox = [r["decision"] for r in of_kind(records, "decision.effective") if r["ladder"] == "toolbox"]
    assert toolbox, "no Cyber Diplomacy Toolbox measure took effect"
    assert {"D14", "D25"} <= set(toolbox), toolbox
    votes = [r for r in of_kind(records, "vote.round") if r["decision"] == "D20"]
    assert votes, "the declaration goes to a unanimity vote"
    assert {ms for r in votes for ms in r["blockers"]} <= {"MT"}, "only Malta has reservations"
    assert all(r["votes"]["MT"]["p"] < 0.5 for r in votes), "the Maltese stance makes agreement unlikely"


def test_vital_signs_doctrine_reserve_shortens_the_crisis(runs):
    doctrine, passive = journal(runs, VS, "doctrine"), journal(runs, VS, "passive")

    def back_to_3(records):
        return next(r["t"] for r in of_kind(records, "severity.changed") if r["from"] == 4 and r["to"] == 3)

    assert "D09" in effective(doctrine) and of_kind(doctrine, "reserve.answered")
    assert back_to_3(doctrine) == 150 * H, "with Reserve responders on site ECCS falls to 3 as recovery starts"
    assert back_to_3(passive) > back_to_3(doctrine), "without sharing and the Reserve the crisis lasts longer"


def test_vital_signs_sharing_decides_whether_germany_is_hit(runs):
    doctrine, passive = journal(runs, VS, "doctrine"), journal(runs, VS, "passive")
    delivered = lambda records: {r["inject"] for r in of_kind(records, "inject.delivered")}  # noqa: E731
    assert "VS-60a" in delivered(doctrine) and "VS-60b" not in delivered(doctrine)
    assert "VS-60b" in delivered(passive) and "VS-60a" not in delivered(passive)


# ---------------------------------------------------------------- VITAL SIGNS, passive

def test_vital_signs_passive_applies_defaults(runs):
    proc, _ = runs[(VS, "passive")]
    records = journal(runs, VS, "passive")
    assert not of_kind(records, "decision.submitted")
    opened = {r["point"] for r in of_kind(records, "decision_point.opened")}
    defaulted = {r["point"] for r in of_kind(records, "decision_point.closed") if r["how"] == "default"}
    assert opened and opened == defaulted, "every point that opens ends in its default"
    assert {"DP-SHARE", "DP-RESERVE", "DP-RANSOM"} <= defaulted
    # DP-IPCR opens only once CyCLONe's assessment has reached the Presidency (issue 14): never, when nobody acts
    assert "DP-IPCR" not in {r["point"] for r in of_kind(records, "decision_point.opened")}
    assert {"point": "DP-ISOLATE", "option": "keep-running", "time": "T+02:15"} in json.loads(proc.stdout)["defaults_applied"]


def test_vital_signs_passive_misses_opportunities_doctrine_takes(runs):
    passive = missed_opportunities(journal(runs, VS, "passive"))
    doctrine = missed_opportunities(journal(runs, VS, "doctrine"))
    assert len(passive) >= 12, passive
    missed_decisions = {d for _inj, d, _team in passive}
    assert {"D06", "D07", "D09", "D11", "D14"} <= missed_decisions, missed_decisions
    assert len(doctrine) < len(passive) // 2, doctrine


def test_vital_signs_passive_misses_the_played_hospitals_clocks(runs):
    passive, doctrine = journal(runs, VS, "passive"), journal(runs, VS, "doctrine")
    assert "early_warning:HOSP-IE-1" in {r["clock"] for r in of_kind(passive, "clock.missed")}
    assert "early_warning:HOSP-IE-1" in {r["clock"] for r in of_kind(doctrine, "clock.met")}
    # GDPR has no engine clock: the scenario's flags open a DPA inquiry only if nobody notified
    assert "VS-DPA" in {r["inject"] for r in of_kind(passive, "inject.released")}
    assert "VS-DPA" not in {r["inject"] for r in of_kind(doctrine, "inject.released")}


def test_vital_signs_replay_is_repeatable(bundled_replay):
    first = bundled_replay(VS, "doctrine").summary["sha256"]  # the shared run, earlier in this process
    again = cli("replay", VS, "--seed", "1", "--policy", "doctrine", "--quiet").stdout.strip()
    assert SHA.match(again), again
    assert again == first


# ---------------------------------------------------------------- POISONED UPDATE

def test_poisoned_update_runs_dora_and_union_entity_clocks(runs):
    records = journal(runs, PU, "passive")
    regimes = {(r["owner"], r["report"]): r["regime"] for r in of_kind(records, "clock.started")}
    assert regimes.get(("BANK-FR-B1", "dora_initial")) == "DORA"
    assert not any(owner == "BANK-FR-B1" and regime == "NIS2" for (owner, _), regime in regimes.items())
    for euiba in ("EUIBA-1", "EUIBA-2", "EUIBA-3", "EUIBA-4"):
        assert regimes.get((euiba, "early_warning")) == "2023/2841", f"{euiba} reports to CERT-EU"
    missed = {r["clock"] for r in of_kind(records, "clock.missed")}
    assert "dora_initial:BANK-FR-B1" in missed, "nobody files for the played bank under the passive player"


def test_poisoned_update_escalates_at_storyline_points(runs):
    records = journal(runs, PU, "passive")
    steps = [(r["t"], r["to"]) for r in of_kind(records, "severity.changed")]
    assert steps[:2] == [(0, 3), (30 * H, 4)], steps
    reasons = [r["reason"] for r in of_kind(records, "severity.changed")]
    assert reasons[0] == "high threat severity with wide exposure"


def test_poisoned_update_doctrine_meets_unanimity_friction(runs):
    records = journal(runs, PU, "doctrine")
    assert "D07" in effective(records)
    assert any("ipcr" in r["changes"] for r in of_kind(records, "state.changed"))
    named = [r for r in of_kind(records, "vote.round") if r["decision"] == "D20" and r["topic"] == "attribution"]
    assert named and all("PT" in r["blockers"] for r in named), "Portugal will not let the declaration name the State"
    assert any(r["decision"] == "D20" and r["to"] == "D20" and "without naming" in r["name"]
               for r in of_kind(records, "decision.downgraded")), "the Presidency proposes a weaker text"
    weaker = [r for r in of_kind(records, "vote.round") if r["decision"] == "D20" and r["topic"] == "statement"]
    assert weaker and weaker[-1]["result"] == "agreed" and "D20" in effective(records), "the text without naming passes"
    assert "D18" in effective(records), "coordinated attribution with partners"
    assert [r for r in of_kind(records, "vote.round") if r["decision"] == "D23"], "the T+1500 listing goes to a vote"
