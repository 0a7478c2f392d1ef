"""The scenario copy a session keeps, and the YAML that exports write.

The copy must load, with no inject library, to the very scenario that was
played (same content hash), for every bundled scenario. The YAML writer must
give back exactly the data it was given through the project's YAML 1.2
loader: a rationale such as ``no``, ``1:30`` or ``017`` must stay a string.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import ScenarioError
from simulator.journal.journal import Journal
from simulator.players.script import export_script, load_script
from simulator.scenario.loader import load
from simulator.scenario.standalone import dump_yaml, load_text, standalone_text
from simulator.scenario.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "tests" / "data" / "sessions" / "drill.yaml"]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_standalone_copy_loads_to_the_same_scenario_without_any_library(path):
    try:
        loaded = load(path)
    except ScenarioError as e:  # tests/unit/test_schema.py reports an invalid bundled scenario
        pytest.skip(f"{path.name} does not validate: {e}")
    text = standalone_text(loaded)
    assert text is not None
    assert not re.search(r"^[ -]*(use|libraries):", text, re.M)
    copy = load_text(text)
    assert copy.content_hash == loaded.content_hash
    assert copy.scenario == loaded.scenario


def test_a_copy_that_cannot_round_trip_is_not_stored(monkeypatch):
    loaded = load(SCENARIOS[-1])
    monkeypatch.setattr("simulator.scenario.standalone.load_text", lambda text, name="x": load(SCENARIOS[0]))
    assert standalone_text(loaded) is None  # a different scenario's hash: no copy rather than a wrong one


TRICKY = ["no", "NO", "yes", "on", "off", "y", "n", "null", "~", "", " ", "true", "False", "1:30", "12:30:00",
          "017", "0x1F", "1e3", ".5", "-.inf", ".nan", "2024-05-01", "T+01:30", "# not a comment", "- dash",
          "key: value", "'single'", '"double"', "back\\slash", "tab\there", "two\nlines", "trailing\n",
          "  indented\n  block\n", "é — ✓ 中文 🚑", "%TAG", "!tag", "&anchor", "*alias", "<<", "@", "`",
          "next\x85line", "two\nlines\x85and a NEL"]  # NEL: a line break inside a YAML block
SCALARS = (st.none() | st.booleans() | st.integers(-10**12, 10**12)
           | st.floats(allow_nan=False, allow_infinity=False, width=64)
           | st.sampled_from(TRICKY)
           | st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\ufffe\uffff")
                     | st.sampled_from("\n\t"), max_size=30))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(min_size=1, max_size=12) | st.sampled_from(TRICKY[:20]), inner,
                                        max_size=4), max_leaves=20)


@settings(deadline=None)  # examples per run: the Hypothesis profile (tests/conftest.py)
@given(st.dictionaries(st.sampled_from(["rationale", "params", "text", "body", "title"]), VALUES, min_size=1))
def test_dump_yaml_reads_back_exactly(data):
    assert load_yaml_text(dump_yaml(data), "x.yaml").data == data


@pytest.mark.parametrize("word", TRICKY)
def test_both_yaml_writers_read_back_every_tricky_text_as_key_and_value(word):
    from simulator.scenario.msel.yamlout import dump_yaml as msel_dump

    data = {"rationale": word, "params": {word or "k": [word]}}
    for dump in (dump_yaml, msel_dump):
        assert load_yaml_text(dump(data), "x.yaml").data == data, (dump.__module__, word)


def test_exported_decisions_script_reads_back_exactly(tmp_path):
    journal = Journal()
    for i, word in enumerate(TRICKY):
        journal.append(i, "decision.submitted", {"team": "ie", "decision": "D04", "point": None, "option": None,
                                                 "rationale": word, "params": {"tlp": word, "n": i, "x": 0.1 * i},
                                                 "step": i})
    journal.append(99, "observation.noted", {"text": "two\nlines", "category": "note", "objective": None, "team": None,
                                             "rating": None, "author": "e", "step": 99})
    script = export_script(journal, "drill", 7)
    path = tmp_path / "d.yaml"
    path.write_text(dump_yaml(script), encoding="utf-8")
    back = load_script(path)
    assert back.seed == 7 and back.scenario == "drill"
    assert [i.model_dump() for i in back.inputs] == script["inputs"]
