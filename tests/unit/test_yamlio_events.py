"""The data built from events during the scan equals what the node path builds, or the node path is used.

The loader no longer composes a node tree for a document it can build from
the events directly (the tree is several times the data: 60 MB for a
10,000-inject scenario). These tests load the same text both ways and
require the same data (with the same types) or the same problems.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_yamlio_fuzz import FUZZ, JSON_DATA, TOKENS, VALID, mutations

from simulator.errors import ScenarioError
from simulator.scenario import yaml_schema
from simulator.scenario.yamlio import load_yaml_text


def _both(source):
    def outcome():
        try:
            return ("data", _typed(load_yaml_text(source, "t.yaml").data))
        except ScenarioError as e:
            return ("problems", [str(p) for p in e.problems])

    fast = outcome()
    real_feed = yaml_schema.EventBuilder.feed
    yaml_schema.EventBuilder.feed = lambda self, event: setattr(self, "ok", False)
    try:
        slow = outcome()
    finally:
        yaml_schema.EventBuilder.feed = real_feed
    return fast, slow


def _typed(obj):
    """The data with every scalar's type made visible (1 == 1.0 == True otherwise)."""
    if isinstance(obj, dict):
        return [("map", [(_typed(k), _typed(v)) for k, v in obj.items()])]
    if isinstance(obj, list):
        return [("seq", [_typed(x) for x in obj])]
    if isinstance(obj, float) and math.isnan(obj):
        return ("float", "nan")
    return (type(obj).__name__, obj)


@pytest.mark.parametrize("source", [
    VALID, "a: 1\nb: [1, 2.5, true, ~, '017', 017, 0x1F, 1e3]\n", "a: !!str 12\nb: !!int '017'\nc: !!float 3\n",
    "a: 1\na: 2\n", "<<: {a: 1}\n", "!!str <<: 1\n", "? [a]\n: 1\n", "1: a\ntrue: b\n", "a: !!map [1]\n",
    "a: !!seq {x: 1}\n", "a: !!int abc\n", "a: &x [1]\nb: *x\n", "- - - deep\n", "'': 1\n", "a:\n", "x: .nan\n",
])
def test_examples_agree(source):
    fast, slow = _both(source)
    assert fast == slow


@FUZZ
@given(mutations())
def test_mutations_agree(source):
    fast, slow = _both(source)
    assert fast == slow


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_token_soup_agrees(source):
    fast, slow = _both(source)
    assert fast == slow


@FUZZ  # examples per run: the Hypothesis profile (tests/conftest.py), as the other properties here
@given(JSON_DATA)
def test_json_documents_agree(data):
    fast, slow = _both(json.dumps(data, indent=1))
    assert fast == slow
