"""Reporting clocks are met or missed at the legal deadlines (domain.md §4).

tests/data/engine/clocks.yaml makes every entity aware of a significant
(NIS2) or major (DORA) incident at T+01:00, minute 60, so each deadline is
60 plus its legal length: early warning 24 h, notification 72 h, final report
one month after the notification, DORA initial notification 4 h; the Reserve
answer is due 48 h after the request.
"""

from __future__ import annotations

from pathlib import Path

from simulator.engine.clocks import AUTO_FILING_HOURS, MONTH
from simulator.engine.exercise import Exercise
from simulator.engine.rng import Streams
from simulator.scenario.loader import load
from simulator.scenario.model import Delay
from simulator.scenario.plan import Plan

SCENARIO = Path(__file__).parents[1] / "data" / "engine" / "clocks.yaml"
AWARE = 60
H = 60


def exercise(seed: int = 1, decide_on: str = "knowledge") -> Exercise:
    loaded = load(SCENARIO, library_dirs=[])  # no templates: independent of the bundled library
    return Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=seed, decide_on=decide_on)


def records(ex: Exercise, kind: str, clock: str) -> list:
    return [r for r in ex.journal.of_kind(kind) if r.get("clock") == clock]


def one(ex: Exercise, kind: str, clock: str):
    found = records(ex, kind, clock)
    assert len(found) == 1, f"expected one {kind} for {clock}, got {found}"
    return found[0]


def file_at(ex: Exercise, t: int, team: str, entity: str, report: str) -> None:
    ex.run(until=t)
    assert ex.now == t
    outcome = ex.submit(team, decision="D01", params={"entity": entity, "report": report},
                        rationale=f"file the {report}")
    assert outcome.accepted, outcome.reason


def auto_filing_minutes(seed: int, entity: str, report: str, factor: float = 1.0) -> int:
    low, mode, high = AUTO_FILING_HOURS[report]
    return Streams(seed).minutes(f"filing:{entity}:{report}", Delay(min=low, mode=mode, max=high), factor)


# ------------------------------------------------------------------ starting
def test_awareness_starts_each_clock_with_its_legal_deadline():
    ex = exercise()
    ex.run(until=AWARE + 1)
    started = {r["clock"]: r for r in ex.journal.of_kind("clock.started")}
    for entity in ("HOSP-IE", "SIM-AUTO", "SIM-LATE", "SIM-NEVER"):
        ew, notif = started[f"early_warning:{entity}"], started[f"notification:{entity}"]
        assert (ew.t, ew["deadline"], ew["regime"], ew["basis"]) == (AWARE, AWARE + 24 * H, "NIS2", "NIS2 Art. 23(4)(a)")
        assert (notif.t, notif["deadline"], notif["basis"]) == (AWARE, AWARE + 72 * H, "NIS2 Art. 23(4)(b)")
    for bank in ("BANK-IE", "SIM-BANK"):
        dora = started[f"dora_initial:{bank}"]
        assert (dora.t, dora["deadline"], dora["regime"]) == (AWARE, AWARE + 4 * H, "DORA")
    # a financial entity classifying a major incident is not put on the NIS2 clocks here
    assert "early_warning:BANK-IE" not in started
    assert "final_report:HOSP-IE" not in started  # starts only when the notification is filed


# ------------------------------------------------------------------ played entities
def test_played_entity_filing_a_minute_early_meets_each_clock():
    ex = exercise()
    file_at(ex, AWARE + 24 * H - 1, "ent", "HOSP-IE", "early_warning")
    file_at(ex, AWARE + 72 * H - 1, "ent", "HOSP-IE", "notification")
    ex.run()
    ew = one(ex, "clock.met", "early_warning:HOSP-IE")
    assert (ew.t, ew["margin"]) == (AWARE + 24 * H - 1, 1)
    notif = one(ex, "clock.met", "notification:HOSP-IE")
    assert (notif.t, notif["margin"]) == (AWARE + 72 * H - 1, 1)
    assert not records(ex, "clock.missed", "early_warning:HOSP-IE")
    assert not records(ex, "clock.missed", "notification:HOSP-IE")
    # the final report is due one month after the notification was filed
    final = one(ex, "clock.started", "final_report:HOSP-IE")
    assert (final.t, final["deadline"]) == (AWARE + 72 * H - 1, AWARE + 72 * H - 1 + MONTH)
    missed = one(ex, "clock.missed", "final_report:HOSP-IE")
    assert missed.t == AWARE + 72 * H - 1 + MONTH + 1 and missed["deadline"] == AWARE + 72 * H - 1 + MONTH
    # the early warning travels to the national CSIRT, which the Irish team reads
    note = [r for r in ex.journal.of_kind("inject.delivered") if r["inject"] == "report:early_warning:HOSP-IE"]
    assert [(r["actor"], r["teams"]) for r in note] == [("CSIRT-IE", ["nat"])]


def test_filing_in_the_deadline_minute_meets_the_clock_whatever_runs_first():
    """Issue 13: every event of the deadline's minute played first (as the TUI's clock does), then the filing."""
    ex = exercise()
    deadline = AWARE + 24 * H
    ex.run(until=deadline)
    while ex.peek() <= deadline:  # the UI clock shows T+25:00: that minute's events are done
        ex.step()
    assert ex.now == deadline
    assert ex.submit("ent", decision="D01", params={"entity": "HOSP-IE", "report": "early_warning"},
                     rationale="on the dot").accepted
    ex.run()
    met = one(ex, "clock.met", "early_warning:HOSP-IE")
    assert (met.t, met["margin"]) == (deadline, 0)
    assert not records(ex, "clock.missed", "early_warning:HOSP-IE")


def test_a_scripted_filing_at_the_deadline_meets_the_clock():
    from simulator.engine.exercise import ScheduledInput

    deadline = AWARE + 24 * H
    payload = {"team": "ent", "decision": "D01", "point": None, "option": None, "rationale": "scripted",
               "params": {"entity": "HOSP-IE", "report": "early_warning"}}
    loaded = load(SCENARIO, library_dirs=[])
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1,
                  inputs=[ScheduledInput("decision.submitted", payload, t=deadline)])
    ex.run()
    assert one(ex, "clock.met", "early_warning:HOSP-IE").t == deadline
    assert not records(ex, "clock.missed", "early_warning:HOSP-IE")


def test_played_entity_that_does_not_file_misses_after_the_deadline_minute():
    ex = exercise()
    ex.run()
    assert one(ex, "clock.missed", "early_warning:HOSP-IE").t == AWARE + 24 * H + 1
    assert one(ex, "clock.missed", "notification:HOSP-IE").t == AWARE + 72 * H + 1
    assert not records(ex, "clock.met", "early_warning:HOSP-IE")
    assert not records(ex, "clock.started", "final_report:HOSP-IE")
    assert not [r for r in ex.journal.of_kind("report.filed") if r["owner"] == "HOSP-IE"]


def test_filing_after_the_deadline_is_recorded_late_and_does_not_meet_the_clock():
    ex = exercise()
    file_at(ex, AWARE + 30 * H, "ent", "HOSP-IE", "early_warning")
    ex.run()
    filed = [r for r in ex.journal.of_kind("report.filed") if r["owner"] == "HOSP-IE"]
    assert [(r.t, r["report"], r["late"]) for r in filed] == [(AWARE + 30 * H, "early_warning", True)]
    assert one(ex, "clock.missed", "early_warning:HOSP-IE").t == AWARE + 24 * H + 1
    assert not records(ex, "clock.met", "early_warning:HOSP-IE")


def test_dora_initial_notification_is_due_within_4_hours():
    ex = exercise()
    file_at(ex, AWARE + 4 * H - 1, "bank", "BANK-IE", "dora_initial")
    ex.run()
    met = one(ex, "clock.met", "dora_initial:BANK-IE")
    assert (met.t, met["margin"]) == (AWARE + 4 * H - 1, 1)
    inter = one(ex, "clock.started", "dora_intermediate:BANK-IE")
    assert inter["deadline"] == AWARE + 4 * H - 1 + 72 * H


def test_dora_initial_missed_when_the_bank_does_not_file():
    ex = exercise()
    ex.run()
    assert one(ex, "clock.missed", "dora_initial:BANK-IE").t == AWARE + 4 * H + 1
    assert not records(ex, "clock.started", "dora_intermediate:BANK-IE")


# ------------------------------------------------------------------ simulated entities
def test_simulated_entity_files_after_its_own_seeded_draw():
    seed = 5
    ex = exercise(seed)
    ex.run()
    ew_at = AWARE + auto_filing_minutes(seed, "SIM-AUTO", "early_warning")
    met = one(ex, "clock.met", "early_warning:SIM-AUTO")
    assert (met.t, met["margin"]) == (ew_at, AWARE + 24 * H - ew_at)
    notif_at = AWARE + auto_filing_minutes(seed, "SIM-AUTO", "notification")
    assert one(ex, "clock.met", "notification:SIM-AUTO").t == notif_at
    final_at = notif_at + auto_filing_minutes(seed, "SIM-AUTO", "final_report")
    assert one(ex, "clock.met", "final_report:SIM-AUTO").t == final_at
    dora_at = AWARE + auto_filing_minutes(seed, "SIM-BANK", "dora_initial")
    assert one(ex, "clock.met", "dora_initial:SIM-BANK").t == dora_at


def test_simulated_entity_with_reporting_never_misses_every_clock():
    ex = exercise()
    ex.run()
    assert one(ex, "clock.missed", "early_warning:SIM-NEVER").t == AWARE + 24 * H + 1
    assert one(ex, "clock.missed", "notification:SIM-NEVER").t == AWARE + 72 * H + 1
    assert not [r for r in ex.journal.of_kind("report.filed") if r["owner"] == "SIM-NEVER"]


def test_simulated_entity_reporting_late_takes_half_as_long_again():
    """With `reporting: late` the draw is stretched by 1.5: some seeds make it, some miss."""
    outcomes = set()
    for seed in range(1, 40):
        filed_after = auto_filing_minutes(seed, "SIM-LATE", "early_warning", factor=1.5)
        on_time = filed_after < 24 * H
        ex = exercise(seed)
        ex.run(until=AWARE + 37 * H)  # the stretched maximum is 36 h
        filed = [r for r in ex.journal.of_kind("report.filed")
                 if r["owner"] == "SIM-LATE" and r["report"] == "early_warning"]
        assert [(r.t, r["late"]) for r in filed] == [(AWARE + filed_after, not on_time)]
        if on_time:
            assert one(ex, "clock.met", "early_warning:SIM-LATE").t == AWARE + filed_after
        else:
            assert one(ex, "clock.missed", "early_warning:SIM-LATE").t == AWARE + 24 * H + 1
        outcomes.add(on_time)
        if outcomes == {True, False}:
            break
    assert outcomes == {True, False}, "39 seeds should include both a late and an on-time filing"


# ------------------------------------------------------------------ the Reserve
def test_reserve_request_starts_a_48_hour_clock_that_the_answer_meets():
    seed = 3
    ex = exercise(seed, decide_on="truth")  # the Reserve's clock is under test, not what nat has been told
    ex.run(until=2 * H)
    outcome = ex.submit("nat", decision="D09", rationale="our capacity is stretched", params={
        "entities": "HOSP-IE", "services": "forensics", "mitigation": "systems isolated"})
    assert outcome.accepted, outcome.reason
    ex.run()
    started = one(ex, "clock.started", "reserve_answer:COMMISSION")
    assert (started.t, started["deadline"], started["regime"]) == (2 * H, 2 * H + 48 * H, "Reserve")
    answer_after = Streams(seed).minutes("reserve:answer", Delay(min=1, mode=24, max=48))
    met = one(ex, "clock.met", "reserve_answer:COMMISSION")
    assert (met.t, met["margin"]) == (2 * H + answer_after, 48 * H - answer_after)
    answered = ex.journal.of_kind("reserve.answered")
    assert [(r.t, r["entities"], r["services"]) for r in answered] == [(2 * H + answer_after, "HOSP-IE", "forensics")]
