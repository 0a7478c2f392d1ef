"""Small pure parts of the report: Markdown escaping, HSEEP rating rule, audience
labels, actor levels without a scenario, and chart helpers."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from simulator.errors import InputError
from simulator.report import charts, markdown
from simulator.report.actors import ActorDirectory
from simulator.report.ratings import rate
from simulator.report.view import parse_audience, tlp_rank


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a | b", "a \\| b"),
    ("R&D *bold* _it_ [link](x) `code`", "R&amp;D \\*bold\\* \\_it\\_ \\[link\\](x) \\`code\\`"),
    ("line one\nline two\n\n  three", "line one line two three"),
    ("# not a heading", "\\# not a heading"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    ("2) nor this", "2\\) nor this"),
    ("13.0 h", "13.0 h"),
    ("> not a quote", "&gt; not a quote"),
    (None, ""),
    (42, "42"),
])
def test_markdown_escape(text, expected):
    assert markdown.escape(text) == expected


def test_markdown_finalize_leaves_report_built_markdown_alone():
    assert markdown.finalize(markdown.code("OBJ-1")) == "`OBJ-1`"
    assert markdown.code("a`b|c") == "`ab\\|c`"
    assert markdown.finalize(Markup("<b>x</b>")) == "&lt;b&gt;x&lt;/b&gt;"  # HTML markup is still text in Markdown
    assert markdown.when({"time": "T+01:00", "calendar": "Mon 2 Mar 09:00"}) == "T+01:00 (Mon 2 Mar 09:00)"
    assert markdown.when(None) == "—"


@pytest.mark.parametrize("statuses, rating", [
    ([], None),
    (["ok", "ok"], "P"),
    (["ok", "challenged"], "S"),
    (["challenged"], "S"),
    (["ok", "failed"], "M"),
    (["challenged", "failed"], "M"),
    (["failed", "failed"], "U"),
])
def test_hseep_rating_rule(statuses, rating):
    assert rate(statuses) == rating


def test_audience_labels():
    assert parse_audience("amber+strict") == "TLP:AMBER+STRICT"
    assert parse_audience(" TLP:red ") == "TLP:RED"
    assert parse_audience("white") == "TLP:CLEAR"
    assert parse_audience(None) is None
    with pytest.raises(InputError):
        parse_audience("secret")
    assert tlp_rank("TLP:CLEAR") < tlp_rank("TLP:GREEN") < tlp_rank("TLP:AMBER") < tlp_rank("TLP:AMBER+STRICT") < tlp_rank("TLP:RED")
    assert tlp_rank("TLP:BOGUS") == tlp_rank("TLP:RED")  # unknown counts as most restrictive


def test_actor_levels_without_a_scenario():
    d = ActorDirectory()
    assert (d.level("CSIRT-IE"), d.ms("CSIRT-IE")) == ("technical", "IE")
    assert d.level("CYCLONE") == "operational" and d.level("PRESIDENCY") == "political"
    assert (d.level("HOSP-BE-2"), d.ms("HOSP-BE-2")) == ("entity", "BE")
    assert d.get("HOSP-BE-2").source == "id" and d.get("CSIRT-IE").source == "eu-default"


def test_zoom_window_only_for_long_runs_with_early_activity():
    assert charts.zoom_window([60, 120, 600], 30 * 60) is None  # a short run needs no detail
    assert charts.zoom_window([60, 120, 600, 2000, 90000], 120 * 24 * 60) == 48 * 60
    assert charts.zoom_window([60, 50000, 60000, 70000], 60 * 24 * 60) is None  # activity is spread out


def test_labels_never_overlap_on_a_row():
    items = [(100.0, "D04"), (105.0, "D05"), (110.0, "VS-DECRYPTOR-TEST"), (400.0, "D06")]
    rows = charts._place_labels(items, rows=2)
    assert rows == [0, 1, None, 0]


def test_charts_escape_their_text_and_are_deterministic():
    clocks = [{"clock": "c", "label": "<b>clock</b>", "owner": "X", "started_t": 0, "deadline_t": 100, "filed_t": None,
               "ended_t": None, "status": "pending", "outcome": "still running", "margin_text": ""}]
    a = charts.clock_bars(clocks, 60)
    assert "<b>" not in a and "&lt;b&gt;clock&lt;/b&gt;" in a
    assert a == charts.clock_bars(clocks, 60)
    sev = charts.severity([{"t": 30, "time": "T+00:30", "from": 0, "to": 2, "reason": "<i>r</i>"}],
                          [{"t": 40, "label": "D<1>", "kind": "decision", "title": "<t>"}], 120)
    assert "<i>" not in sev and "D&lt;1&gt;" in sev and sev.startswith("<svg")
