"""Tests for simulator.scenario.yamlio: the hardened YAML loader.

Every test runs twice, once with libyaml (the default) and once with the
pure-Python fallback parser, so both give the same positions and messages.
No wall-clock assertions here: the timing and memory figures for the limits
come from ``bench/yaml_limits.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest
import yaml
from yaml_support import LOADERS, only_problem, problems_of, use_loader

from simulator.errors import Problem, ScenarioError
from simulator.scenario.yamlio import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    Yaml12Resolver,
    YamlDoc,
    load_yaml_file,
    load_yaml_text,
)


@pytest.fixture(autouse=True, params=sorted(LOADERS))
def loader(request, monkeypatch):
    return use_loader(request, monkeypatch)


# ------------------------------------------------------------------------ basics


def test_defaults_and_result_type():
    assert (MAX_BYTES, MAX_DEPTH, MAX_NODES) == (2_000_000, 64, 200_000)
    doc = load_yaml_text("title: Drill\nactors:\n  - id: csirt\n    name: CSIRT\n", "sc.yaml")
    assert isinstance(doc, YamlDoc)
    assert doc.path == "sc.yaml"
    assert doc.data == {"title": "Drill", "actors": [{"id": "csirt", "name": "CSIRT"}]}


def test_bytes_and_text_give_the_same_data():
    source = "name: Événement\nlist: [1, 2.5, true, null]\n"
    assert load_yaml_text(source, "a").data == load_yaml_text(source.encode(), "a").data


def test_problem_path_is_the_display_path():
    problem = only_problem("a: 1\na: 2\n", path="dir/scenario.yaml")
    assert problem.path == "dir/scenario.yaml"
    assert str(problem).startswith("dir/scenario.yaml:2:1: ")


# ------------------------------------------------------------------ safe tags only


def test_python_object_tag_is_refused_at_the_tag():
    problem = only_problem("actors:\n  - id: x\n    run: !!python/object:os.system ls\n")
    assert (problem.line, problem.col) == (3, 10)
    assert problem.message == "tag '!!python/object:os.system' is not allowed"


def test_local_tag_after_an_anchor_is_refused_at_the_tag():
    problem = only_problem("a: &anchor !foo bar\n")
    assert (problem.line, problem.col) == (1, 12)
    assert "tag '!foo' is not allowed" in problem.message


def test_every_bad_tag_is_reported_in_one_run():
    problems = problems_of("a: !!python/name:os.system x\nb: !!binary aGVsbG8=\nc: !!timestamp 2024-01-01\n"
                           "d: !!set {x}\ne: !foo [1]\n")
    assert [(p.line, p.col) for p in problems] == [(1, 4), (2, 4), (3, 4), (4, 4), (5, 4)]
    assert [p.message.split("'")[1] for p in problems] == [
        "!!python/name:os.system", "!!binary", "!!timestamp", "!!set", "!foo"]


def test_non_specific_tag_is_refused():
    # libyaml reads "! 12" as an int, the Python parser as a string: refuse it.
    problem = only_problem("a: ! 12\n")
    assert (problem.line, problem.col) == (1, 4)
    assert problem.message == "tag '!' is not allowed"


def test_tag_on_a_block_collection_is_refused():
    problem = only_problem("a: !!omap\n  - x: 1\n")
    assert (problem.line, problem.col) == (1, 4)
    assert "'!!omap' is not allowed" in problem.message


def test_standard_explicit_tags_are_applied():
    doc = load_yaml_text("a: !!str 12\nb: !!int '017'\nc: !!float 3\nd: !!bool TRUE\ne: !!null ''\n"
                         "f: !!seq [1]\ng: !!map {x: 1}\ni: !<tag:yaml.org,2002:str> 5\n"
                         "j: !!int 0x1F\nk: !!float '2.5'\n", "t")
    assert doc.data == {"a": "12", "b": 17, "c": 3.0, "d": True, "e": None, "f": [1], "g": {"x": 1},
                        "i": "5", "j": 31, "k": 2.5}


def test_explicit_tags_with_wrong_values_are_all_reported():
    problems = problems_of("a: !!int abc\nb: !!bool yes\nc: !!float 1:30\nd: !!null nothing\n")
    assert [(p.line, p.col) for p in problems] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert "'abc' is not an integer" in problems[0].message
    assert "'yes' is not a boolean" in problems[1].message
    assert "'1:30' is not a number" in problems[2].message
    assert "'nothing' is not null" in problems[3].message


def test_explicit_tag_on_the_wrong_kind_of_node():
    problem = only_problem("a:\n  b: !!map [1, 2]\n")
    assert (problem.line, problem.col) == (2, 6)
    assert "expected a mapping, but found a list" in problem.message


def test_explicit_int_beyond_python_digit_limit():
    problem = only_problem("n: !!int " + "9" * 5000 + "\n")
    assert (problem.line, problem.col) == (1, 4)
    assert "too long" in problem.message


# ------------------------------------------------------------- YAML 1.2 scalars


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
        ("yes", "yes"), ("no", "no"), ("NO", "NO"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
        ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None), ("nil", "nil"),
        ("0", 0), ("12", 12), ("-3", -3), ("+4", 4), ("017", "017"), ("-007", "-007"), ("00", "00"),
        ("0o17", 15), ("0x1F", 31), ("0b101", "0b101"), ("1_000", "1_000"),
        ("1.5", 1.5), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0), ("-2.5E-3", -0.0025), ("0.5", 0.5),
        ("01.5", "01.5"),
        ("1:30", "1:30"), ("12:30:00", "12:30:00"), ("2024-05-01", "2024-05-01"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"), ("=", "="), ("T+01:30", "T+01:30"),
    ],
)
def test_yaml12_scalars(scalar, expected):
    value = load_yaml_text(f"v: {scalar}\n", "s").data["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_quoted_scalars():
    data = load_yaml_text("b: 'true'\nc: \"12\"\nd: '1:30'\ne: '.nan'\n", "s").data
    assert (data["b"], data["c"], data["d"], data["e"]) == ("true", "12", "1:30", ".nan")


@pytest.mark.parametrize("scalar", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e999", "-1e309", "!!float .inf"])
def test_non_finite_numbers_are_refused_where_they_are(scalar):
    problems = problems_of(f"a: 1\nv: {scalar}\n")
    assert [(p.line, p.col) for p in problems] == [(2, 4)]
    assert "is not a finite number" in problems[0].message


def test_resolver_is_a_resolver_subclass_without_yaml11_entries():
    assert issubclass(Yaml12Resolver, yaml.resolver.Resolver)
    tags = {tag for entries in Yaml12Resolver.yaml_implicit_resolvers.values() for tag, _ in entries}
    assert "tag:yaml.org,2002:timestamp" not in tags
    assert "tag:yaml.org,2002:merge" not in tags
    assert {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:null"} <= tags
    # PyYAML's own table is left alone.
    assert yaml.safe_load("a: no")["a"] is False


def test_merge_keys_are_refused():
    problem = only_problem("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    assert (problem.line, problem.col) == (3, 3)
    assert "merge keys" in problem.message
    assert load_yaml_text("'<<': 1\n", "s").data == {"<<": 1}


# ----------------------------------------------------------------- duplicate keys


def test_duplicate_key_points_at_the_second_key():
    problem = only_problem("meta:\n  title: A\n  version: 1\n  title: B\n")
    assert (problem.line, problem.col) == (4, 3)
    assert problem.message == "duplicate key 'title' (first at line 2)"


def test_duplicate_keys_are_all_reported_including_flow_and_nested():
    problems = problems_of("a: 1\nb: {x: 1, x: 2}\na: 3\nc:\n  - k: 1\n    k: 2\n")
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 11, "duplicate key 'x' (first at line 2)"),
        (3, 1, "duplicate key 'a' (first at line 1)"),
        (6, 5, "duplicate key 'k' (first at line 5)"),
    ]


def test_keys_equal_after_resolution_are_duplicates():
    problem = only_problem("1: a\n0x1: b\n")
    assert (problem.line, problem.col) == (2, 1)
    assert "duplicate key '0x1' (first at line 1)" == problem.message


def test_unhashable_key_is_refused():
    problem = only_problem("? [1, 2]\n: x\n")
    assert (problem.line, problem.col) == (1, 3)
    assert "mapping key must be a single value" in problem.message


# ------------------------------------------------------------- multiple documents


def test_second_document_is_refused_at_its_start():
    problem = only_problem("a: 1\n---\nb: 2\n")
    assert (problem.line, problem.col) == (2, 1)
    assert problem.message == "only one YAML document per file"


def test_second_document_after_end_marker():
    problem = only_problem("--- \na: 1\n...\n\n--- b\n")
    assert (problem.line, problem.col) == (5, 1)
    assert "only one YAML document" in problem.message


# --------------------------------------------------------------------- syntax


def test_syntax_error_position_and_text():
    problem = only_problem("title: x\nbad: a: b\n")
    assert (problem.line, problem.col) == (2, 7)
    assert "mapping values are not allowed" in problem.message


def test_unclosed_quote():
    problem = only_problem("a: 'open\nb: 2\n")
    assert problem.line == 3
    assert "quoted scalar" in problem.message and "line 1, column 4" in problem.message


def test_tab_indentation_gets_a_hint():
    problem = only_problem("a:\n\tb: 1\n")
    assert (problem.line, problem.col) == (2, 1)
    assert "cannot start any token" in problem.message
    assert "indent with spaces, not tabs" in problem.message


def test_non_ascii_before_an_error_counts_characters():
    problem = only_problem("ééé: a: b\n")
    assert (problem.line, problem.col) == (1, 7)


# ------------------------------------------------------------------- position()


SCENARIO = """\
meta:
  title: Drill
injects:
  - id: inj-1
    actor: csirt
  - id: inj-2
    actor: soc
    sevrity: 3
    tags: [a, b]
3: three
"""


def test_position_of_values_and_keys():
    doc = load_yaml_text(SCENARIO, "s")
    assert doc.position(()) == (1, 1)
    assert doc.position(("meta",)) == (2, 3)
    assert doc.position(("meta", "title")) == (2, 10)
    assert doc.position(("injects", 1, "actor")) == (7, 12)
    assert doc.position(("injects", 1, "sevrity"), key=True) == (8, 5)
    assert doc.position(("injects", 1, "tags", 1)) == (9, 15)


def test_position_skips_unknown_parts_and_stops_at_the_deepest_node():
    doc = load_yaml_text(SCENARIO, "s")
    # pydantic union tags and missing keys are skipped
    assert doc.position(("injects", 0, "Inject", "actor")) == (5, 12)
    assert doc.position(("injects", 0, "missing")) == (4, 5)
    assert doc.position(("injects", 7, "actor")) == (4, 3)
    assert doc.position(("meta", "title", "deeper", 0)) == (2, 10)
    # key=True: the deepest node found is a list item, which has no key
    assert doc.position(("injects", 0, "missing"), key=True) == (4, 5)
    assert doc.position(("meta", "nope"), key=True) == (1, 1)


def test_position_matches_int_parts_to_number_or_text_keys():
    doc = load_yaml_text(SCENARIO + "'4': four\n0x5: five\n", "s")
    assert doc.position((3,), key=True) == (10, 1)
    assert doc.position(("3",)) == (10, 4)
    assert doc.position((4,)) == (11, 6)
    assert doc.position((5,), key=True) == (12, 1)


def test_position_key_true_without_a_mapping_entry_is_the_node():
    doc = load_yaml_text("- a\n- b\n", "s")
    assert doc.position((1,), key=True) == (2, 3)


def test_position_through_an_alias_points_at_the_anchored_node():
    doc = load_yaml_text("base: &b\n  x: 1\nother: *b\n", "s")
    assert doc.data["other"] == {"x": 1}
    assert doc.position(("other", "x")) == (2, 6)


# --------------------------------------------------------------- load_yaml_file


def test_load_yaml_file_reads_bytes_and_uses_display_path(tmp_path):
    target = tmp_path / "scenario.yaml"
    target.write_bytes("\ufeffname: Ex\nname: Ex2\n".encode())
    with pytest.raises(ScenarioError) as info:
        load_yaml_file(target, display_path="scenarios/scenario.yaml")
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.col) == ("scenarios/scenario.yaml", 2, 1)
    target.write_text("name: Ex\n", encoding="utf-8")
    doc = load_yaml_file(str(target))
    assert (doc.path, doc.data) == (str(target), {"name": "Ex"})


def test_load_yaml_file_that_cannot_be_read(tmp_path):
    for target in (tmp_path / "missing.yaml", tmp_path):
        with pytest.raises(ScenarioError) as info:
            load_yaml_file(target)
        [problem] = info.value.problems
        assert (problem.line, problem.col) == (1, 1)
        assert problem.message.startswith("cannot read file: ")


def test_load_yaml_file_limits_are_passed_on(tmp_path):
    target = tmp_path / "deep.yaml"
    target.write_text("a: {b: {c: 1}}\n")
    problem = only_problem_file(target, max_depth=2)
    assert (problem.line, problem.col) == (1, 8)
    assert only_problem_file(target, max_bytes=5).message == "file is 15 bytes; the limit is 5 bytes"


def only_problem_file(target, **limits) -> Problem:
    with pytest.raises(ScenarioError) as info:
        load_yaml_file(target, **limits)
    [problem] = info.value.problems
    return problem


def test_problems_are_capped():
    problems = problems_of("[" + ", ".join(["!x 1"] * 150) + "]\n")
    assert len(problems) == 101
    assert problems[-1].message == "too many problems; stopped after 100"
    problems = problems_of("".join("a: 1\n" for _ in range(150)))
    assert len(problems) == 101
    assert (problems[-1].line, problems[-1].message) == (102, "too many problems; stopped after 100")


def test_scenario_error_is_bad_input():
    with pytest.raises(ScenarioError) as info:
        load_yaml_text("a: 1\na: 2\n", "s.yaml")
    assert info.value.exit_code == 2
    assert str(info.value) == "s.yaml:2:1: duplicate key 'a' (first at line 1)"
