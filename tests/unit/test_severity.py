"""ECCS thresholds (domain.md §7.6) fire on exactly the stated conditions.

Each level boundary is tested on a WorldState built by hand, with the case
that crosses it and the case just below it (one condition short).
"""

from __future__ import annotations

import pytest

from simulator.engine.severity import compute, summary
from simulator.engine.state import WorldState
from simulator.scenario.model import Effects


def state(**effects) -> WorldState:
    """A fresh state with these effects applied (the engine's only way to change it)."""
    s = WorldState()
    s.apply(Effects(**effects))
    return s


def level(**effects) -> int:
    return compute(state(**effects)).level


# ------------------------------------------------------------------ 0 -> 1
def test_baseline_without_confirmed_impact():
    sev = compute(WorldState())
    assert (sev.level, sev.name, sev.colour) == (0, "Baseline", "white")
    assert sev.reason == "no confirmed impact"


def test_green_in_one_ms_is_minor():
    sev = compute(state(impact={"IE/health": "green"}))
    assert (sev.level, sev.name, sev.colour) == (1, "Minor", "green")
    assert "green impact in IE" in sev.reason


def test_white_impact_and_soft_attributes_stay_at_baseline():
    # just below 1: an explicit white impact, a worsening outlook, a suspected actor
    assert level(impact={"IE/health": "white"}, outlook="worsening", attribution="suspected",
                 threat_severity="medium") == 0


# ------------------------------------------------------------------ 1 -> 2
def test_yellow_in_one_ms_is_significant():
    sev = compute(state(impact={"IE/health": "yellow"}))
    assert (sev.level, sev.colour) == (2, "yellow")
    assert sev.reason == "yellow impact in IE"


def test_significant_entity_alone_is_significant():
    sev = compute(state(significant=["HOSP-IE-1"]))
    assert sev.level == 2
    assert "HOSP-IE-1" in sev.reason


def test_major_financial_entity_alone_is_significant():
    assert level(major=["BANK-1"]) == 2


def test_green_in_several_ms_without_significance_stays_minor():
    # just below 2: green everywhere, no entity meets a threshold
    assert level(impact={"IE/health": "green", "BE/health": "green", "FR/energy": "green"}) == 1


# ------------------------------------------------------------------ 2 -> 3
def test_red_in_one_ms_is_serious():
    sev = compute(state(impact={"IE/health": "red"}))
    assert (sev.level, sev.colour) == (3, "orange")
    assert sev.reason == "red impact in IE"


def test_yellow_with_cross_border_indicators_is_serious():
    sev = compute(state(impact={"IE/health": "yellow"}, cross_border=True))
    assert sev.level == 3
    assert "cross-border" in sev.reason


def test_yellow_without_cross_border_indicators_stays_significant():
    assert level(impact={"IE/health": "yellow"}, cross_border=False) == 2


def test_cross_border_indicators_with_only_green_impact_stay_minor():
    assert level(impact={"IE/health": "green"}, cross_border=True) == 1


def test_high_threat_with_wide_exposure_is_serious_without_any_impact():
    sev = compute(state(threat_severity="high", exposure="wide"))
    assert sev.level == 3
    assert sev.reason == "high threat severity with wide exposure"


@pytest.mark.parametrize("threat, exposure", [("high", "limited"), ("medium", "wide")])
def test_threat_one_notch_short_is_not_serious(threat, exposure):
    assert level(threat_severity=threat, exposure=exposure) == 0


# ------------------------------------------------------------------ 3 -> 4
def test_capacity_exceeded_is_large_scale_on_its_own():
    sev = compute(state(capacity_exceeded=["IE"]))
    assert (sev.level, sev.name, sev.colour) == (4, "Large-scale", "red")
    assert "capacity exceeded in IE" in sev.reason and "Art. 6(7)" in sev.reason


def test_yellow_in_two_ms_is_large_scale():
    sev = compute(state(impact={"IE/health": "yellow", "BE/energy": "yellow"}))
    assert sev.level == 4
    assert "2 MS: BE, IE" in sev.reason


def test_red_and_yellow_in_two_ms_is_large_scale():
    assert level(impact={"IE/health": "red", "BE/health": "yellow"}) == 4


def test_yellow_in_one_ms_and_green_in_another_is_not_large_scale():
    # just below 4: the second MS is only green (even with cross-border indicators: 3)
    assert level(impact={"IE/health": "yellow", "BE/health": "green"}) == 2
    assert level(impact={"IE/health": "yellow", "BE/health": "green"}, cross_border=True) == 3


def test_two_yellow_sectors_in_one_ms_count_once():
    assert level(impact={"IE/health": "yellow", "IE/energy": "yellow"}) == 2


def test_capacity_restored_drops_back():
    s = state(capacity_exceeded=["IE"], impact={"IE/health": "red"})
    assert compute(s).level == 4
    s.apply(Effects(capacity_restored=["IE"]))
    assert compute(s).level == 3


# ------------------------------------------------------------------ 4 -> 5
LARGE = {"impact": {"IE/health": "yellow", "BE/health": "yellow"}}


def test_large_scale_with_internal_market_affected_is_a_crisis():
    sev = compute(state(**LARGE, internal_market=True))
    assert (sev.level, sev.name, sev.colour) == (5, "EU cyber crisis", "black")
    assert "internal-market" in sev.reason


def test_large_scale_with_public_safety_risk_is_a_crisis():
    sev = compute(state(**LARGE, public_safety=True))
    assert sev.level == 5
    assert "public-safety" in sev.reason


def test_red_in_two_ms_with_cross_border_dependency_is_a_crisis():
    sev = compute(state(impact={"IE/health": "red", "BE/energy": "red"}, cross_border_dependency=True))
    assert sev.level == 5
    assert "red impact in BE, IE with cross-border dependency" in sev.reason


def test_red_in_two_ms_without_dependency_stays_large_scale():
    assert level(impact={"IE/health": "red", "BE/energy": "red"}, cross_border_dependency=False) == 4


def test_red_and_yellow_with_dependency_stays_large_scale():
    # just below 5: only one MS is red
    assert level(impact={"IE/health": "red", "BE/energy": "yellow"}, cross_border_dependency=True) == 4


@pytest.mark.parametrize("flag", ["internal_market", "public_safety"])
def test_crisis_flags_without_a_large_scale_incident_do_not_make_a_crisis(flag):
    # ECCS 5 needs ECCS 4 first: the same flag on a one-MS red incident stays at 3
    assert level(impact={"IE/health": "red"}, **{flag: True}) == 3


# ------------------------------------------------------------------ the one-liner
def test_summary_line_carries_level_colours_and_mechanisms():
    s = state(impact={"IE/health": "red", "BE/health": "yellow"}, outlook="worsening",
              attributed_by=["IE"], confidence="moderate", cyclone="executives", ipcr="information_sharing")
    line = summary(s)
    assert line.startswith("ECCS 4 (RED) · outlook WORSENING · health · BE(yellow) IE(red)")
    assert "attribution: attributed (moderate confidence) by IE" in line
    assert "CyCLONe executives; IPCR information-sharing" in line
