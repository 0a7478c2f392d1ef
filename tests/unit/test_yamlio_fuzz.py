"""Fuzz tests for simulator.scenario.yamlio: no input may raise anything but ScenarioError.

For every input, either a YamlDoc of plain data comes back (and position()
works on it), or a ScenarioError whose problems all carry the display path, a
1-based line inside the input, a 1-based column and a message.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import ProblemSink, ScenarioError
from simulator.scenario import yamlio
from simulator.scenario.yamlio import YamlDoc, load_yaml_text

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Examples per test come from the Hypothesis profile (tests/conftest.py)."""

PATH = "fuzz.yaml"
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

VALID = """\
# exercise
meta:
  title: "Cyber drill"
  version: 3
  start: T+00:00
actors:
  - &csirt {id: csirt, name: 'National CSIRT', tags: [eu, lead]}
  - id: soc
    name: SOC
injects:
  - id: inj-001
    at: "T+01:30"
    actor: csirt
    severity: 4
    body: |
      Ransomware note found on a file server.
      Escalate?
    expects:
      - action: escalate
        within: 30
  - id: inj-002
    at: "T+02:00"
    actor: soc
    ratio: 0.5
    flag: false
    nothing: ~
    copy: *csirt
"""

SNIPPETS = ["&a ", "*a", "!!tag ", "{[", "!!python/object:os.system ", "!foo ", "&a [*a]", "- ", ": ", "? ",
            "\t", "'", '"', "|", ">", "---\n", "...\n", "#", "%YAML 1.2\n", "<<: ", "\x00", "\ufeff", "\r", "\\",
            "[" * 70, "é", "\u2028", "\ud800", "\x85"]

TOKENS = ["a", "b", "key", "1", "0x1F", "017", "1e3", "no", "true", "~", ":", ": ", " ", "  ", "\n", "\n  ", "- ",
          "[", "]", "{", "}", ",", "? ", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "!!map ", "!x ", "! ", "'",
          '"', "#c", "|", ">-", "---", "...", "\t", "%TAG ! tag:x,2000:\n", "<<", "\\", "é", "\r\n", "\x07", "\ufeff"]


def check(source) -> None:
    try:
        doc = load_yaml_text(source, PATH)
    except ScenarioError as err:
        check_problems(source, err)
    else:
        check_doc(doc)
        check_node_count(source, doc)


def check_node_count(source, doc: YamlDoc) -> None:
    """The running count of the event scan and the count on the tree agree."""
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    text = text.removeprefix("\ufeff")
    scan = yamlio._scan_events(text, PATH, ProblemSink(), yamlio._Lines(text), yamlio._LOADER, 10**6, 10**9)
    assert yamlio._expanded_size(doc._root, 10**9) == scan.expanded_nodes


def line_count(source) -> int:
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    return len(_BREAKS.findall(source)) + 1


def check_problems(source, err: ScenarioError) -> None:
    assert err.problems
    lines = line_count(source)
    for problem in err.problems:
        assert problem.path == PATH
        assert isinstance(problem.line, int) and isinstance(problem.col, int)
        assert 1 <= problem.line <= lines + 1, (problem, lines)
        assert problem.col >= 1
        assert isinstance(problem.message, str) and problem.message.strip()


def check_doc(doc: YamlDoc) -> None:
    assert doc.path == PATH
    # plain data only; aliases may share objects, so walk with a seen-set
    seen: set[int] = set()
    stack = [(doc.data, ())]
    locs = [()]
    while stack:
        value, loc = stack.pop()
        assert value is None or isinstance(value, (dict, list, str, int, float, bool)), type(value)
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                assert k is None or isinstance(k, (str, int, float, bool))
                if len(locs) < 50:
                    locs.append(loc + (k,))
                stack.append((v, loc + (k,)))
    for loc in locs:
        for key in (False, True):
            line, col = doc.position(loc, key=key)
            assert line >= 1 and col >= 1


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=2000))
def test_random_text_including_surrogates_and_controls(text):
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_yaml_token_soup(text):
    check(text)
    check(text.encode("utf-8", "surrogatepass"))


@st.composite
def mutations(draw):
    data = bytearray(VALID.encode())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            snippet = draw(st.sampled_from(SNIPPETS)).encode("utf-8", "surrogatepass")
            data[at:at] = snippet
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 20))]
    return bytes(data)


@FUZZ
@given(mutations())
def test_mutations_of_a_valid_document(data):
    check(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    check(text)


@FUZZ
@given(mutations())
def test_mutations_with_the_python_parser(data):
    original = yamlio._LOADER
    yamlio._LOADER = yamlio._PyLoader
    try:
        check(data)
    finally:
        yamlio._LOADER = original


@FUZZ
@given(mutations(), st.integers(1, 70), st.integers(1, 500), st.integers(0, 4000))
def test_mutations_under_tight_limits(data, max_depth, max_nodes, max_bytes):
    try:
        doc = load_yaml_text(data, PATH, max_depth=max_depth, max_nodes=max_nodes, max_bytes=max_bytes)
    except ScenarioError as err:
        check_problems(data, err)
    else:
        check_doc(doc)
        assert len(data) <= max_bytes
        check_node_count(data, doc)


def test_valid_document_loads():
    doc = load_yaml_text(VALID, PATH)
    assert doc.data["injects"][0]["at"] == "T+01:30"
    assert doc.data["injects"][1]["copy"]["id"] == "csirt"
    check_doc(doc)


# JSON writes characters outside the BMP as surrogate-pair escapes ("\ud800\udc00"),
# which YAML does not accept (a YAML escape is one code point), so the round
# trip uses BMP text; json.dumps escapes all of it as ASCII \uXXXX.
BMP_TEXT = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=BMP_TEXT, max_size=20)
)
JSON_DATA = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(alphabet=BMP_TEXT, max_size=10), inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(JSON_DATA, st.sampled_from([None, 2]))
def test_json_documents_round_trip(data, indent):
    # JSON is YAML 1.2: every JSON document must load to the same data.
    source = json.dumps(data, indent=indent)
    assert load_yaml_text(source, PATH).data == data


@pytest.mark.parametrize("flavour", ["flow", "block"])
def test_json_round_trip_examples(flavour):
    data = {"no": "no", "n": [0, -1, 1.5, 1e300, -0.0], "s": "\x00\u2028\x85 ok", "t": True, "x": None}
    source = json.dumps(data, indent=2 if flavour == "block" else None)
    assert load_yaml_text(source, PATH).data == data
