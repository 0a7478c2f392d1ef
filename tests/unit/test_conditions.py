"""simulator.scenario.conditions: the small, safe expression language over exercise state."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

from simulator.scenario.conditions import (
    FUNCTIONS,
    LADDERS,
    VARIABLES,
    ConditionError,
    Context,
    parse,
    read_names,
    referenced_ids,
)


def ctx(**variables) -> Context:
    base = {"eccs": 2, "cyclone": "none", "confidence": "none", "ipcr": "monitoring", "attributing_ms": 0,
            "cross_border": False, "evidence": 0.0}
    base.update(variables)
    return Context(base)


def holds(source: str, context: Context) -> bool:
    return parse(source).evaluate(context).ok


# ----------------------------------------------------------------- comparisons

@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("eccs >= 4", {"eccs": 4}, True),
        ("eccs >= 4", {"eccs": 3}, False),
        ("eccs == 2 and not cross_border", {}, True),
        ("eccs > 3 or attributing_ms >= 1", {"attributing_ms": 2}, True),
        ("evidence >= 0.5", {"evidence": 0.6}, True),
        ("cross_border", {"cross_border": True}, True),
        ("cross_border == true", {"cross_border": True}, True),
        ("eccs != -1", {}, True),
    ],
)
def test_plain_comparisons(source, variables, expected):
    assert holds(source, ctx(**variables)) is expected


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("cyclone >= 'officers'", "officers", True),
        ("cyclone >= 'officers'", "executives", True),
        ("cyclone >= 'officers'", "informed", False),
        ("cyclone < 'officers'", "informed", True),
        ("'officers' <= cyclone", "executives", True),
        ("cyclone == 'none'", "none", True),
    ],
)
def test_ladder_variables_compare_by_rank_not_alphabetically(source, value, expected):
    # alphabetically 'executives' < 'officers'; by rank it is above
    assert holds(source, ctx(cyclone=value)) is expected


def test_confidence_ladder():
    assert holds("confidence >= 'moderate'", ctx(confidence="high"))
    assert not holds("confidence >= 'moderate'", ctx(confidence="low"))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("cyclone >= 'officer'", "'officer' is not one of none, informed, officers, executives; did you mean 'officers'?"),
        ("'officer' <= cyclone", "'officer' is not one of none, informed, officers, executives"),
        ("impact('IE') == 'orange'", "'orange' is not one of white, green, yellow, red"),
        ("eccs >= 3 and confidence >= 'medium'", "'medium' is not one of none, low, moderate, high"),
    ],
)
def test_a_word_off_the_ladder_is_refused_when_parsed(source, message):
    """Caught when the scenario is loaded, not in the middle of an exercise."""
    with pytest.raises(ConditionError) as info:
        parse(source)
    assert str(info.value) == message or str(info.value).startswith(message)


def test_a_word_off_the_ladder_from_params_fails_with_the_reason():
    cond = parse("cyclone >= params.level")
    verdict = cond.evaluate(Context({"cyclone": "officers"}, params={"level": "officer"}))
    assert not verdict.ok
    assert "'officer' is not one of none, informed, officers, executives" in verdict.reason


def test_functions_read_through_the_context():
    context = Context(
        {"eccs": 1},
        taken=lambda d: d == "D07",
        delivered=lambda i: i == "VS-01",
        impact=lambda ms: {"IE": "red"}.get(ms, "white"),
        flags={"hospital_down": True},
        params={"tlp": "TLP:AMBER"},
    )
    assert holds("taken('D07')", context)
    assert not holds("taken('D08')", context)
    assert holds("delivered('VS-01') and not delivered('VS-02')", context)
    assert holds("impact('IE') >= 'yellow'", context)  # colours rank white < green < yellow < red
    assert not holds("impact('BE') >= 'green'", context)
    assert holds("flag('hospital_down') and flags.hospital_down", context)
    assert holds("params.tlp == 'TLP:AMBER'", context)


def test_referenced_ids_are_listed_for_cross_reference_checks():
    cond = parse("taken('D07') and delivered('TUT-01') or impact('IE') >= 'red'")
    assert sorted(referenced_ids(cond)) == [("delivered", "TUT-01"), ("impact", "IE"), ("taken", "D07")]


# ------------------------------------------------------------------ failures

def test_failure_reasons_carry_current_values():
    verdict = parse("eccs >= 4 and cyclone >= 'officers'").evaluate(ctx(eccs=3, cyclone="informed"))
    assert not verdict.ok
    assert verdict.failures == (
        "eccs >= 4 is false (eccs = 3)",
        "cyclone >= 'officers' is false (cyclone = informed)",
    )
    assert verdict.reason == "eccs >= 4 is false (eccs = 3); cyclone >= 'officers' is false (cyclone = informed)"
    assert verdict.reads == {"cyclone": "informed", "eccs": 3}


def test_only_the_failing_part_is_a_reason():
    verdict = parse("eccs >= 4 and cyclone >= 'officers'").evaluate(ctx(eccs=5, cyclone="none"))
    assert verdict.failures == ("cyclone >= 'officers' is false (cyclone = none)",)


def test_an_or_that_holds_has_no_failures_but_reports_every_read():
    verdict = parse("eccs >= 4 or attributing_ms >= 1").evaluate(ctx(eccs=5))
    assert verdict.ok and verdict.failures == ()
    assert verdict.reads == {"attributing_ms": 0, "eccs": 5}  # no short-circuit: both were read


def test_function_reads_are_recorded():
    verdict = parse("taken('D07')").evaluate(Context({}, taken=lambda d: False))
    assert not verdict.ok
    assert verdict.reads == {"taken('D07')": False}
    assert verdict.failures == ("taken('D07') is false",)


def test_not_reports_what_was_true():
    verdict = parse("not cross_border").evaluate(ctx(cross_border=True))
    assert verdict.failures == ("not (cross_border) is false",)


# ------------------------------------------------------------ what is refused

@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("ecs >= 4", "unknown name 'ecs'; did you mean 'eccs'?"),
        ("cyclon >= 'officers'", "unknown name 'cyclon'; did you mean 'cyclone'?"),
        ("nonsense_here", "unknown name 'nonsense_here'"),
        ("takn('D07')", "unknown function 'takn'; did you mean 'taken'?"),
        ("__import__('os').system('id')", "only taken(), delivered(), impact(), flag() may be called, by name"),
        ("__import__('os')", "unknown function '__import__'"),
        ("eval('1')", "unknown function 'eval'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("eccs.__class__", "only params.<name> and flags.<name> may use a dot"),
        ("().__class__.__bases__", "only params.<name> and flags.<name> may use a dot"),
        ("lambda: 1", "Lambda is not allowed in a condition"),
        ("(lambda: 1)()", "only taken(), delivered(), impact(), flag() may be called"),
        ("[x for x in ()]", "ListComp is not allowed in a condition"),
        ("eccs + 1 > 3", "BinOp is not allowed in a condition"),
        ("eccs if eccs else 1", "IfExp is not allowed in a condition"),
        ("eccs[0]", "Subscript is not allowed in a condition"),
        ("{'a': 1}", "Dict is not allowed in a condition"),
        ("eccs in (1, 2)", "operator In is not allowed"),
        ("eccs is 1", "operator Is is not allowed"),
        ("1 <= eccs <= 3", "chain comparisons with 'and'"),
        ("taken(D07)", "taken() takes one quoted id"),
        ("taken('D07', 'D08')", "taken() takes one quoted id"),
        ("taken(id='D07')", "taken() takes one quoted id"),
        ("eccs >=", "cannot parse condition"),
        ("", "a condition must be a non-empty expression"),
        ("   ", "a condition must be a non-empty expression"),
        ("eccs >= 1 and " * 200 + "eccs >= 1", "longer than 2000 characters"),
        ("b'x' == eccs", "constant b'x' is not allowed"),
        ("None == eccs", "constant None is not allowed"),
        ("-eccs > 1", "UnaryOp is not allowed"),
    ],
)
def test_disallowed_syntax_is_refused_with_a_message(source, message):
    with pytest.raises(ConditionError) as info:
        parse(source)
    assert message in str(info.value)


def test_nothing_is_passed_to_eval_or_exec(monkeypatch):
    """Conditions are walked, never evaluated by Python."""
    import builtins

    def refuse(*_args, **_kwargs):
        raise AssertionError("eval/exec must not be used")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    source = "eccs >= 3 and cyclone >= 'informed' or taken('D07')"
    parse.cache_clear()
    assert parse(source).evaluate(ctx(eccs=3, cyclone="officers")).ok


def test_vocabulary_is_documented():
    assert "eccs" in VARIABLES and all(VARIABLES.values())
    assert set(FUNCTIONS) == {"taken", "delivered", "impact", "flag"}
    for name, ladder in LADDERS.items():
        assert len(ladder) == len(set(ladder)) >= 2, name


def test_read_names_lists_what_a_condition_reads_in_order_once():
    cond = parse("not params.names_state or attributing_ms >= 1 or (taken('D08') and attributing_ms >= 2) "
                 "or impact('IE') >= 'red' or flags.grid_down")
    assert read_names(cond) == ("params.names_state", "attributing_ms", "taken('D08')", "impact('IE')", "flags.grid_down")
