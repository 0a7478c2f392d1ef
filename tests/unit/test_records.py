"""simulator.journal.records: every record kind declared once, checked at write time, read by every reader."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from simulator.engine.exercise import Exercise
from simulator.journal.finite import first_non_finite
from simulator.journal.journal import INPUT_KINDS, Journal, NonFiniteError, Record, read_jsonl
from simulator.journal.records import KINDS, OPEN_FIELDS, SPECS, RecordError, check, example, validator
from simulator.players.policies import POLICIES
from simulator.report import build, render_html, render_markdown
from simulator.report.coverage import LEFT_OUT, READ
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan
from tui.describe import _TEXT, QUIET_KINDS, describe

ALL = sorted(KINDS)
ROOT = Path(__file__).resolve().parents[2]
SHAPED = {  # kinds whose JSON-object fields readers open: give them a body of the real shape
    "facilitator.injected": {"inject": {"id": "ADHOC-1", "from": "EXCON", "to": ["CSIRT-IE"], "title": "Call from the press",
                                        "body": "", "tlp": "TLP:CLEAR", "channel": None}},
    "state.changed": {"changes": {"outlook": ["stable", "worsening"]}},
    "decision_point.opened": {"options": [{"id": "A", "label": "Share now", "decision": None}]},
    "decision_point.closed": {"option": "A"},
    "inject.released": {"expects": [{"decision": "D04", "team": "ie", "within": 240}]},
}


def sample(kind: str) -> dict:
    return {**example(kind), **SHAPED.get(kind, {})}


def test_the_journal_refuses_an_undeclared_kind():
    with pytest.raises(RecordError, match="unknown record kind 'decision.vanished'"):
        Journal().append(0, "decision.vanished", {})


def test_the_journal_refuses_a_missing_or_undeclared_field():
    data = example("inject.held")
    del data["reason"]
    with pytest.raises(RecordError, match="missing field"):
        Journal().append(0, "inject.held", data)
    with pytest.raises(RecordError, match="undeclared field"):
        Journal().append(0, "inject.held", {**example("inject.held"), "colour": "red"})


@pytest.mark.parametrize("kind,field,value", [
    ("severity.changed", "to", "4"),          # a number as text
    ("report.filed", "late", 1),              # an int is not a bool
    ("clock.met", "margin", True),            # a bool is not an int
    ("vote.round", "evidence", float("nan")),  # non-finite numbers never enter
    ("inject.released", "to", ["CSIRT-IE", 3]),
    ("decision.submitted", "point", 7),
])
def test_the_journal_refuses_a_value_of_the_wrong_type(kind, field, value):
    with pytest.raises(RecordError, match=f"field '{field}'"):
        check(kind, {**example(kind), field: value})


@pytest.mark.parametrize("kind,field,value", [
    ("severity.changed", "to", "4"),          # a number as text
    ("report.filed", "late", 1),              # an int is not a bool
    ("clock.met", "margin", True),            # a bool is not an int
    ("vote.round", "evidence", float("inf")),  # nor a non-finite float
    ("inject.released", "to", ["CSIRT-IE", 3]),
    ("decision.submitted", "point", 7),
    ("message.sent", "route", [["ch", "A", 1]]),
])
def test_the_journal_refuses_a_value_of_the_wrong_type_and_writes_nothing(kind, field, value):
    """Through Journal.append, whose compiled check (validator) sends a bad record to check() for its message."""
    journal = Journal()
    with pytest.raises(RecordError, match=f"field '{field}'"):
        journal.append(0, kind, {**sample(kind), field: value})
    assert len(journal) == 0


def _variants(kind: str):
    """Bodies of ``kind``: the sample, each field left out, each field with a value of every other shape, one extra."""
    base = sample(kind)
    yield base
    values = [None, True, 0, 1, 2.5, float("nan"), float("-inf"), "x", [], ["x"], [1], [1.5], [float("nan")], [["x"]],
              [{"x": 1}], [{"x": float("inf")}], {}, {"x": 1}, {"x": [float("nan")]}, ("x",), 10**30]
    for key in base:
        yield {k: v for k, v in base.items() if k != key}
        for value in values:
            yield {**base, key: value}
    yield {**base, "undeclared": 1}


@pytest.mark.parametrize("kind", ALL)
def test_the_compiled_check_agrees_with_check_and_the_non_finite_search(kind):
    """validator(kind) (the journal's fast path) says yes exactly when check() passes and no NaN or infinity is inside."""
    valid = validator(kind)
    assert valid is not None
    for data in _variants(kind):
        try:
            check(kind, data)
            expected = first_non_finite(data) is None
        except RecordError:
            expected = False
        assert valid(data) is expected, data
        journal = Journal()
        with contextlib.suppress(RecordError, NonFiniteError):
            journal.append(0, kind, data)
        assert len(journal) == expected, data


NON_FINITE = [float("nan"), float("inf"), float("-inf"), [1.0, float("nan")], {"x": float("inf")},
              [{"x": [float("nan")]}], [["a", float("nan")]]]


@pytest.mark.parametrize("kind", ALL)
def test_no_field_of_any_kind_lets_a_non_finite_number_into_the_journal(kind):
    """The check refuses it in every field it looks inside; the journal searches only the others (OPEN_FIELDS)."""
    for key in SPECS[kind]:
        for bad in NON_FINITE:
            journal = Journal()
            with pytest.raises((RecordError, NonFiniteError)):
                journal.append(0, kind, {**sample(kind), key: bad})
            assert len(journal) == 0
            if key not in OPEN_FIELDS[kind]:
                with pytest.raises(RecordError):
                    check(kind, {**sample(kind), key: bad})


def test_optional_fields_may_be_left_out_and_none_where_declared():
    data = example("clock.met")
    data.pop("filed_before")
    check("clock.met", data)
    check("decision.submitted", {**example("decision.submitted"), "decision": None, "point": None})


def test_inputs_are_the_declared_input_kinds():
    assert INPUT_KINDS == {"decision.submitted", "facilitator.fired", "facilitator.held", "facilitator.released",
                           "facilitator.injected", "facilitator.channel", "observation.noted"}


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_survives_the_canonical_export(kind, tmp_path):
    journal = Journal()
    journal.append(5, kind, sample(kind))
    journal.export_jsonl(tmp_path / "events.jsonl")
    (back,) = list(read_jsonl(tmp_path / "events.jsonl"))
    assert (back.kind, back.t, back.data) == (kind, 5, sample(kind))


@pytest.mark.parametrize("kind", ALL)
def test_the_tui_feed_has_a_line_for_every_kind_or_leaves_it_out_on_purpose(kind):
    assert kind in _TEXT or kind in QUIET_KINDS
    line = describe(Record(0, 61, kind, sample(kind)))
    if kind in QUIET_KINDS:
        assert line is None
    else:
        assert line is not None and line.startswith("T+01:01") and kind not in line


def test_the_report_reads_every_kind_or_says_why_not():
    assert set(READ).isdisjoint(LEFT_OUT)
    assert set(READ) | set(LEFT_OUT) == set(KINDS)
    assert all(reason.strip() for reason in LEFT_OUT.values())


def test_a_report_renders_a_played_journal_with_one_more_record_of_every_kind():
    played = Exercise(Plan.of(load(ROOT / "scenarios" / "tutorial.yaml").scenario), seed=1,
                      sources=[POLICIES["doctrine"]()])
    played.run()
    records = list(played.journal)
    journal = Journal(records[:-1])
    end = records[-1].t
    for kind in ALL:
        if kind not in ("exercise.started", "exercise.ended"):
            journal.append(end, kind, sample(kind))
    journal.append(end, "exercise.ended", records[-1].data)
    data = build(journal)
    html, md = render_html(data), render_markdown(data)
    assert "decision-1" in html and "decision-1" in md  # the added decision records are shown, lapsed among them
