"""Tests for simulator.scenario.yamlio's limits: size, encoding, empty files, depth, aliases.

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
from yaml_support import LOADERS, billion_laughs, only_problem, use_loader

from simulator.errors import ScenarioError
from simulator.scenario import yamlio
from simulator.scenario.yamlio import load_yaml_file, load_yaml_text


@pytest.fixture(autouse=True, params=sorted(LOADERS))
def loader(request, monkeypatch):
    return use_loader(request, monkeypatch)


# ------------------------------------------------------------------------ size


def test_text_over_the_size_limit_is_refused_at_1_1():
    problem = only_problem("a: 1\n" * 10, max_bytes=20)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message == "file is 50 bytes; the limit is 20 bytes"


def test_size_is_counted_in_utf8_bytes():
    problem = only_problem("é" * 11, max_bytes=20)
    assert "file is 22 bytes" in problem.message
    assert only_problem(b"a: " + b"x" * 100, max_bytes=50).message.startswith("file is 103 bytes")


def test_oversized_input_is_not_parsed():
    # Broken YAML, but the size problem is the only one reported.
    problem = only_problem("a: [\n" * 100, max_bytes=100)
    assert "the limit is 100" in problem.message


def test_big_file_is_refused_from_its_size_without_being_read(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written

    def no_open(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(yamlio, "open", no_open, raising=False)
    with pytest.raises(ScenarioError) as info:
        load_yaml_file(big, display_path="big.yaml")
    [problem] = info.value.problems
    assert (problem.path, problem.line, problem.col) == ("big.yaml", 1, 1)
    assert problem.message == f"file is {50 * 1024 * 1024} bytes; the limit is 2000000 bytes"


# --------------------------------------------------------------------- encoding


def test_utf8_bom_is_stripped_and_positions_stay_right():
    source = "\ufeffa: 1\nb: 2\nb: 3\n"
    problem = only_problem(source.encode("utf-8"))
    assert (problem.line, problem.col) == (3, 1)
    problem = only_problem(source)
    assert (problem.line, problem.col) == (3, 1)
    assert load_yaml_text(b"\xef\xbb\xbfa: 1\n", "s").data == {"a": 1}


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("a: 1\n".encode("utf-16"), "UTF-16"),  # BOM in native order
        (b"\xfe\xff" + "a: 1\n".encode("utf-16-be"), "UTF-16"),
        (b"\xff\xfe" + "a: 1\n".encode("utf-16-le"), "UTF-16"),
        ("a: 1\n".encode("utf-32"), "UTF-32"),
        (b"\x00\x00\xfe\xff" + "a: 1\n".encode("utf-32-be"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_with_bom_are_refused(data, name):
    problem = only_problem(data)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message == f"file is {name} encoded; save it as UTF-8"


def test_utf16_without_bom_is_recognised():
    problem = only_problem("a: 1\n".encode("utf-16-le"))
    assert (problem.line, problem.col) == (1, 1)
    assert "UTF-16" in problem.message and "UTF-8" in problem.message


def test_invalid_utf8_points_at_the_first_bad_byte():
    problem = only_problem(b"title: ok\nname: Caf" + b"\xe9 au lait\n")
    assert (problem.line, problem.col) == (2, 10)
    assert "not UTF-8 text (byte 0xe9)" in problem.message


def test_invalid_utf8_column_counts_characters_not_bytes():
    problem = only_problem("é: ü".encode() + b"\xff\n")
    assert (problem.line, problem.col) == (1, 5)
    assert "byte 0xff" in problem.message


def test_nul_byte_is_refused_with_its_position():
    problem = only_problem(b"a: 1\nb: x\x00y\n")
    assert (problem.line, problem.col) == (2, 5)
    assert "NUL" in problem.message


def test_control_character_is_refused_with_its_position():
    problem = only_problem("a: 1\nb: bell\x07\n")
    assert (problem.line, problem.col) == (2, 8)
    assert problem.message == "control character U+0007 is not allowed"


def test_lone_surrogate_in_text_is_refused():
    problem = only_problem("a: \ud800\n")
    assert (problem.line, problem.col) == (1, 4)
    assert "surrogate U+D800" in problem.message


def test_other_line_breaks_count_like_the_parser():
    # \r alone and CRLF are line breaks for libyaml, so for us too.
    problem = only_problem("a: 1\r\nb: 2\rc: \x01\n")
    assert (problem.line, problem.col) == (3, 4)
    problem = only_problem("a: 1\r\nb: 2\ra: 3\n")
    assert (problem.line, problem.col) == (3, 1)


# ------------------------------------------------------------------------- empty


@pytest.mark.parametrize("source", ["", "   \n\n", "# only a comment\n", "---\n# nothing\n", b""])
def test_empty_file(source):
    problem = only_problem(source)
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message == "file is empty"


def test_explicit_null_document_is_not_empty():
    assert load_yaml_text("~\n", "s").data is None
    assert load_yaml_text("--- ''\n", "s").data == ""


# ------------------------------------------------------------------------- depth


def test_nesting_one_level_too_deep_points_at_the_opening():
    source = "[" * 65 + "]" * 65
    problem = only_problem(source)
    assert (problem.line, problem.col) == (1, 65)
    assert problem.message == "nesting deeper than 64 levels"
    assert load_yaml_text("[" * 64 + "]" * 64, "s").data is not None


def test_block_nesting_limit_with_custom_depth():
    source = "a:\n  b:\n    c:\n      d: 1\n"
    problem = only_problem(source, max_depth=3)
    assert (problem.line, problem.col) == (4, 7)
    assert problem.message == "nesting deeper than 3 levels"
    assert load_yaml_text(source, "s", max_depth=4).data == {"a": {"b": {"c": {"d": 1}}}}


def test_100k_deep_flow_nesting_is_refused():
    with pytest.raises(ScenarioError):
        load_yaml_text("[" * 100_000 + "]" * 100_000, "deep.yaml")


def test_100k_deep_block_nesting_is_refused():
    with pytest.raises(ScenarioError):
        load_yaml_text("- " * 100_000 + "x\n", "deep.yaml")


def test_unclosed_deep_nesting_reports_depth_not_syntax():
    problem = only_problem("{a: " * 5000)
    assert (problem.line, problem.col) == (1, 257)
    assert "nesting deeper than 64 levels" in problem.message


# --------------------------------------------------------------------- aliases


def test_billion_laughs_is_refused():
    with pytest.raises(ScenarioError) as info:
        load_yaml_text(billion_laughs(), "bomb.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (2, 10)
    assert problem.message == "aliases expand to more than 200000 nodes (alias bomb?)"


def test_alias_limit_is_configurable_and_counts_expanded_nodes():
    source = "base: &b [1, 2, 3]\nx: [*b, *b, *b]\n"
    # root + 2 keys + base(4) + x(1 + 3 * 4) = 20 nodes once expanded
    assert load_yaml_text(source, "s", max_nodes=20).data == {"base": [1, 2, 3], "x": [[1, 2, 3]] * 3}
    problem = only_problem(source, max_nodes=19)
    assert (problem.line, problem.col) == (2, 5)
    assert "aliases expand to more than 19 nodes" in problem.message


def test_no_alias_means_no_node_limit():
    assert len(load_yaml_text("[" + ", ".join(["1"] * 50) + "]", "s", max_nodes=10).data) == 50


def test_alias_bomb_is_refused_during_the_event_scan_before_composing(monkeypatch):
    def no_compose(self):
        raise AssertionError("an alias bomb must be refused before the node tree is built")

    monkeypatch.setattr(yamlio._LOADER, "get_single_node", no_compose)
    problem = only_problem("a: &a [1, 2]\nb: [" + ", ".join(["*a"] * 100) + "]\n", max_nodes=50)
    assert (problem.line, problem.col) == (2, 5)
    assert "aliases expand to more than 50 nodes" in problem.message


def test_tree_count_matches_event_count():
    source = "x: &x {k: [1, 2], j: &s s}\ny: [*x, *x, *s]\nz: {*s : *x}\n"
    lines = yamlio._Lines(source)
    scan = yamlio._scan_events(source, "s", yamlio.ProblemSink(), lines, yamlio._LOADER, 64, 10_000)
    root = yamlio._LOADER(source).get_single_node()
    # the &x mapping is 7 nodes (itself, k, [1, 2] as 3, j, s); the root is
    # 1 + (x + 7) + (y + [*x, *x, *s] = 1 + 7 + 7 + 1) + (z + {*s: *x} = 1 + 1 + 7)
    assert yamlio._expanded_size(root, 10_000) == scan.expanded_nodes == 36
    assert yamlio._expanded_size(root, 30) == 31  # stops early, reports limit + 1


def test_tree_count_refuses_a_cycle():
    root = yaml.compose("a: &a [1, *a]\n", Loader=yaml.SafeLoader)  # PyYAML itself allows this tree
    assert yamlio._expanded_size(root, 1000) == 1001


def test_self_recursive_alias_is_refused():
    problem = only_problem("a: &loop\n  b: *loop\n")
    assert (problem.line, problem.col) == (2, 6)
    assert "recursive alias" in problem.message
    problem = only_problem("- &x [1, *x]\n")
    assert (problem.line, problem.col) == (1, 10)


def test_undefined_alias_and_twice_defined_anchor():
    problem = only_problem("a: 1\nb: *nowhere\n")
    assert (problem.line, problem.col) == (2, 4)
    assert "'*nowhere'" in problem.message
    problem = only_problem("a: &x 1\nb: &x 2\n")
    assert (problem.line, problem.col) == (2, 4)
    assert "anchor '&x' is defined twice (first at line 1)" == problem.message

