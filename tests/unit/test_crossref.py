"""simulator.scenario.crossref: checks of meaning, each reported at the offending value.

Every case edits one small, valid scenario (no inject library, so the cases do
not depend on the bundled templates) and states the message and the *token*
the problem must point at: the expected line and column are where that token
first appears in the edited file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

from simulator.errors import ScenarioError
from simulator.scenario.loader import load

BASE = """\
format: cyclesim/1
id: mini
title: Minimal exercise
summary: One hospital, two teams.
start: "2026-03-02T08:00:00+01:00"
duration: "T+24:00"
member_states: [IE]
sectors: [health]
objectives:
  - {id: OBJ-1, title: Share early}
teams:
  - {id: ie, name: Ireland, plays: [CSIRT-IE, CCMA-IE]}
  - {id: eu, name: EU cell, plays: [CYCLONE]}
  - {id: excon, name: Control, plays: [EXCON], facilitator: true}
network:
  actors:
    - {id: HOSP-1, name: Hospital, kind: entity, level: entity, ms: IE, sector: health, essential: true}
    - {id: BANK-1, name: Bank, kind: entity, level: entity, ms: IE, sector: banking, financial: true}
incidents:
  - id: INC-1
    title: Ransomware
    entities: [HOSP-1]
    impact:
      - {at: "T+01:00", ms: IE, sector: health, colour: yellow}
injects:
  - id: IN-1
    title: Ransom note
    at: "T+00:30"
    from: HOSP-1
    to: [CSIRT-IE]
    effects: {significant: [HOSP-1], impact: {IE/health: yellow}}
    objectives: [OBJ-1]
  - id: IN-2
    title: Peers asked
    after: {inject: IN-1, delay: "1h"}
    from: CSIRT-IE
    to: [CSIRTS-NET]
  - id: IN-3
    title: Press
    when: "eccs >= 3 and delivered('IN-2')"
    from: MEDIA
    to: [everyone]
    tlp: CLEAR
decision_points:
  - id: DP-1
    team: ie
    after: {inject: IN-1, delay: "30m"}
    within: "4h"
    prompt: Share?
    default: hold
    options:
      - {id: share, label: Share, decision: D04}
      - {id: hold, label: Hold}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str):
    with pytest.raises(ScenarioError) as info:
        load(write(tmp_path, text), library_dirs=[])
    return info.value.problems


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def where(text: str, token: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of token."""
    index = text.index(token)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_base_scenario_is_valid(tmp_path):
    loaded = load(write(tmp_path, BASE), library_dirs=[])
    assert [i.id for i in loaded.scenario.injects] == ["IN-1", "IN-2", "IN-3"]
    assert loaded.scenario.injects[2].tlp == "TLP:CLEAR"  # short TLP forms are normalised


CASES = [
    # (name, old, new, token the problem points at, text of the message)
    ("unknown played actor", "plays: [CYCLONE]", "plays: [CYCLONEE]", "CYCLONEE",
     "unknown actor 'CYCLONEE'; did you mean 'CYCLONE'?"),
    ("actor played twice", "plays: [CYCLONE]", "plays: [CYCLONE, CCMA-IE]", "CCMA-IE]}\n  - {id: excon",
     "actor 'CCMA-IE' is already played by team 'ie'"),
    ("no playing team", "teams:\n  - {id: ie, name: Ireland, plays: [CSIRT-IE, CCMA-IE]}\n  - {id: eu, name: EU cell, plays: [CYCLONE]}\n",
     "teams:\n", "- {id: excon", "at least one team must be a playing team"),
    ("unknown recipient", "to: [CSIRTS-NET]", "to: [CSIRTS-NETT]", "CSIRTS-NETT", "unknown actor 'CSIRTS-NETT'"),
    ("recipient in the wrong case", "to: [CSIRTS-NET]", "to: [csirts-net]", "csirts-net",
     "unknown actor 'csirts-net'; did you mean 'CSIRTS-NET'?"),
    ("unknown sender", "from: CSIRT-IE", "from: CSIRT-EI", "CSIRT-EI", "unknown actor 'CSIRT-EI'"),
    ("sender without channel", "to: [CSIRTS-NET]", "to: [GOV-IE]", "GOV-IE",
     "CSIRT-IE has no channel to GOV-IE; name a channel or add one under network.channels"),
    ("everyone from a sender without channels", "from: MEDIA\n    to: [everyone]", "from: CSIRT-IE\n    to: [everyone]",
     "everyone]", "CSIRT-IE has no channel to CYCLONE, EXCON ('everyone' includes them)"),
    ("channel not connecting", "    to: [CSIRTS-NET]\n", "    to: [CSIRTS-NET]\n    channel: csirt-IE-ca\n", "csirt-IE-ca",
     "channel 'csirt-IE-ca' does not connect CSIRT-IE to CSIRTS-NET"),
    ("unknown channel", "    to: [CSIRTS-NET]\n", "    to: [CSIRTS-NET]\n    channel: nowhere\n", "nowhere",
     "unknown channel 'nowhere'"),
    ("unknown after inject", "after: {inject: IN-1, delay: \"1h\"}", "after: {inject: IN-9, delay: \"1h\"}", "IN-9",
     "unknown inject 'IN-9'"),
    ("chain past the end", "after: {inject: IN-1, delay: \"1h\"}", "after: {inject: IN-1, delay: \"1d\"}", '"1d"',
     "T+24:30 is after the end of the scenario (T+24:00)"),
    ("time past the end", 'at: "T+00:30"', 'at: "T+25:00"', '"T+25:00"', "T+25:00 is after the end of the scenario"),
    ("incident change past the end", '{at: "T+01:00", ms: IE', '{at: "T+99:00", ms: IE', '"T+99:00"',
     "T+99:00 is after the end"),
    ("incident unknown entity", "entities: [HOSP-1]", "entities: [HOSP-2]", "HOSP-2", "unknown entity 'HOSP-2'"),
    ("incident unknown MS", "ms: IE, sector: health, colour", "ms: XX, sector: health, colour", "XX",
     "unknown Member State code 'XX'"),
    ("incident unknown sector", "sector: health, colour", "sector: hospitals, colour", "hospitals",
     "unknown sector 'hospitals'"),
    ("unknown member state", "member_states: [IE]", "member_states: [IE, EL]", "EL",
     "unknown Member State code 'EL'"),
    ("unknown sector", "sectors: [health]", "sectors: [health, helth]", "helth]", "unknown sector 'helth'"),
    ("entity outside member_states", "ms: IE, sector: banking", "ms: BE, sector: banking", "BE",
     "entity 'BANK-1' is in BE, which is not listed in member_states"),
    ("unknown objective", "objectives: [OBJ-1]", "objectives: [OBJ-2]", "OBJ-2", "unknown objective 'OBJ-2'"),
    ("unknown team", "team: ie", "team: frr", "frr", "unknown team 'frr'"),
    ("unknown default option", "default: hold", "default: wait", "wait", "unknown option 'wait'"),
    ("unknown catalogue decision", "decision: D04}", "decision: D99}", "D99", "unknown catalogue decision 'D99'"),
    ("deadline before opening", '    after: {inject: IN-1, delay: "30m"}\n    within: "4h"',
     '    at: "T+05:00"\n    deadline: "T+04:00"', '"T+04:00"', "deadline must be after the decision point opens"),
    ("condition on unknown inject", "delivered('IN-2')", "delivered('IN-22')", "\"eccs", "unknown inject 'IN-22'"),
    ("condition on unknown decision", "delivered('IN-2')", "taken('D404')", "\"eccs", "unknown decision or option 'D404'"),
    ("condition on unknown MS", "delivered('IN-2')", "impact('UK') >= 'red'", "\"eccs", "unknown Member State code 'UK'"),
    ("condition syntax", "eccs >= 3 and delivered('IN-2')", "eccs >= 3 and", "\"eccs", "cannot parse condition"),
    ("significant is not an entity", "significant: [HOSP-1]", "significant: [CSIRT-IE]", "CSIRT-IE], impact",
     "'CSIRT-IE' is a csirt, not an entity; reporting clocks run for entities"),
    ("major needs a financial entity", "significant: [HOSP-1]", "major: [HOSP-1]", "HOSP-1], impact",
     "'HOSP-1' is not a financial entity (financial: true); DORA clocks do not apply"),
    ("impact key format", "impact: {IE/health: yellow}", "impact: {Eire: yellow}", "Eire",
     "impact key 'Eire' must be 'MS/sector'"),
    ("effect on unknown channel", "impact: {IE/health: yellow}", "channels: {no-such: cut}", "no-such",
     "unknown channel 'no-such'"),
    ("duplicate inject id", "  - id: IN-3\n", "  - id: IN-2\n", "IN-2\n    title: Press",
     "duplicate id 'IN-2' (first used in injects[1])"),
    ("duplicate option id", "{id: hold, label: Hold}", "{id: share, label: Hold}", "share, label: Hold",
     "duplicate option id 'share'"),
    ("inject and option share an id", "  - id: IN-3\n", "  - id: hold\n", "hold\n", "used by both an inject and a decision option"),
    ("duplicate objective id", "  - {id: OBJ-1, title: Share early}\n",
     "  - {id: OBJ-1, title: Share early}\n  - {id: OBJ-1, title: Again}\n", "OBJ-1, title: Again", "duplicate id 'OBJ-1'"),
    ("duplicate network actor", "    - {id: BANK-1,", "    - {id: HOSP-1,", "HOSP-1, name: Bank",
     "duplicate id 'HOSP-1' in network.actors"),
    ("remove an unknown actor", "network:\n", "network:\n  remove: [CSIRT-XX]\n", "CSIRT-XX",
     "unknown actor or channel 'CSIRT-XX'"),
    ("start is not a date", '"2026-03-02T08:00:00+01:00"', '"next monday"', '"next monday"', "is not an ISO 8601 date-time"),
    ("duration zero", 'duration: "T+24:00"', 'duration: "T+0"', '"T+0"', "duration must be after T+0"),
    ("stance of a non-member", "network:\n", "council:\n  stances:\n    NO: {stance: 0.1}\nnetwork:\n", "NO:",
     "unknown Member State 'NO'"),
]


@pytest.mark.parametrize(("old", "new", "token", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_is_reported_at_the_offending_value(tmp_path, old, new, token, message):
    text = edit(old, new)
    found = problems(tmp_path, text)
    line, col = where(text, token)
    hits = [p for p in found if message in p.message]
    assert hits, f"{message!r} not in {[str(p) for p in found]}"
    # duplicates of options and network actors are flagged at every occurrence
    assert (line, col) in [(p.line, p.col) for p in hits], f"{hits} should include {line}:{col}"
    assert all(p.path == str(tmp_path / "scenario.yaml") for p in found)


def test_everyone_and_broadcast_senders_need_no_channel(tmp_path):
    """MEDIA and EXCON reach every actor; 'everyone' is every played actor."""
    text = edit("from: MEDIA\n    to: [everyone]", "from: EXCON\n    to: [everyone, GOV-IE, HOSP-1]")
    assert load(write(tmp_path, text), library_dirs=[]).scenario.injects[2].to == ["everyone", "GOV-IE", "HOSP-1"]


def test_a_scenario_channel_makes_a_route(tmp_path):
    text = edit("to: [CSIRTS-NET]", "to: [GOV-IE]")
    text = edit("network:\n", "network:\n  channels:\n    - {id: ie-hotline, from: CSIRT-IE, to: [GOV-IE], "
                "delay: {min: 0, mode: 0.5, max: 1}}\n", text)
    load(write(tmp_path, text), library_dirs=[])


def test_removed_actor_is_unknown_afterwards(tmp_path):
    text = edit("network:\n", "network:\n  remove: [CYCLONE]\n")
    found = problems(tmp_path, text)
    assert [(p.line, p.message) for p in found] == [(13, "unknown actor 'CYCLONE'")]


def test_cycles_are_reported_once_at_the_smallest_id(tmp_path):
    text = edit('    at: "T+00:30"\n', '    after: {inject: IN-3}\n')
    text = edit("    when: \"eccs >= 3 and delivered('IN-2')\"\n", "    after: {inject: IN-2}\n", text)
    found = [p for p in problems(tmp_path, text) if "loops" in p.message]
    assert [p.message for p in found] == ["inject chain loops: IN-1 -> IN-3 -> IN-2 -> IN-1"]
    assert (found[0].line, found[0].col) == where(text, "IN-3}")


def test_self_loop(tmp_path):
    text = edit("after: {inject: IN-1, delay: \"1h\"}", "after: {inject: IN-2, delay: \"1h\"}")
    found = problems(tmp_path, text)
    assert [str(p).split(": ", 1)[1] for p in found] == ["inject chain loops: IN-2 -> IN-2"]


def test_custom_decisions_are_checked(tmp_path):
    text = BASE + """\
decisions:
  - id: X-1
    name: National crisis cell
    ladder: national
    level: operational
    by: [ccma]
    requires:
      - {expr: "eccs >= 3 and flag('hospital_down') and takn('D07')", because: "only in a crisis"}
    fires: [IN-7]
    voting: {rule: unanimity, downgrade_to: D999}
"""
    found = problems(tmp_path, text)
    messages = [p.message for p in found]
    assert "unknown function 'takn'; did you mean 'taken'?" in messages
    assert any(m.startswith("unknown inject 'IN-7'") for m in messages)
    assert any(m.startswith("unknown decision 'D999'") for m in messages)
    assert found == sorted(found)


def test_all_reference_problems_in_one_run_sorted(tmp_path):
    text = edit("default: hold", "default: nope")
    text = edit("to: [CSIRTS-NET]", "to: [GOV-IE]", text)
    text = edit("plays: [CYCLONE]", "plays: [CYCLONEE]", text)
    text = edit('at: "T+00:30"', 'at: "T+30:00"', text)
    found = problems(tmp_path, text)
    assert [(p.line, p.col) for p in found] == [
        (13, 37),  # unknown actor CYCLONEE
        (28, 9),  # IN-1 at T+30:00, after the end
        (35, 34),  # IN-2, one hour after IN-1: after the end too
        (37, 10),  # no channel from CSIRT-IE to GOV-IE
        (47, 34),  # DP-1 opens 30 minutes after IN-1: after the end
        (50, 14),  # unknown default option
    ]
    assert "T+30:30 is after the end" in found[4].message
