"""Report: a decision point's option labels and answers carry the point's TLP; a refused default renders."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.engine.exercise import Exercise
from simulator.report import build, render_html, render_markdown
from simulator.scenario.loader import load
from simulator.scenario.plan import Plan

ROOT = Path(__file__).resolve().parents[2]


def _journal(tmp_path: Path, *, label: str, decision: str | None, tlp: str = "TLP:AMBER"):
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    hold = '      - {id: hold, label: "Hold until the investigation is clearer"}'
    assert hold in text
    extra = f", decision: {decision}" if decision else ""
    text = text.replace(hold, f'      - {{id: hold, label: "{label}"{extra}}}')
    text = text.replace("    id: TUT-01\n", f"    id: TUT-01\n    tlp: {tlp}\n")  # DP-SHARE follows TUT-01
    f = tmp_path / "s.yaml"
    (tmp_path / "injects").mkdir(exist_ok=True)
    f.write_text(text, encoding="utf-8")
    loaded = load(f, library_dirs=None)
    ex = Exercise(Plan.of(loaded.scenario, loaded.content_hash), seed=1)
    ex.run()
    return ex.journal


def test_a_red_point_option_label_stays_out_of_green_and_amber_reports(tmp_path):
    journal = _journal(tmp_path, label="RED-ONLY hold", decision=None, tlp="TLP:RED")
    for audience in ("TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"):
        data = build(journal, audience=audience)
        assert "RED-ONLY" not in json.dumps(data, default=str), audience
        assert "RED-ONLY" not in render_markdown(data)
    assert "RED-ONLY" in json.dumps(build(journal, audience="TLP:RED"), default=str)


def test_an_amber_strict_point_label_stays_out_of_an_amber_report(tmp_path):
    journal = _journal(tmp_path, label="STRICT-ONLY hold", decision=None, tlp="TLP:AMBER+STRICT")
    assert "STRICT-ONLY" not in json.dumps(build(journal, audience="TLP:AMBER"), default=str)
    assert "STRICT-ONLY" in json.dumps(build(journal, audience="TLP:AMBER+STRICT"), default=str)


def test_a_default_whose_decision_is_refused_renders(tmp_path):
    journal = _journal(tmp_path, label="Hold and assess", decision="D14")  # D14 needs a CyCLONe assessment or IPCR first
    assert any(r.get("default") for r in journal.of_kind("decision.refused"))
    data = build(journal, audience="TLP:AMBER")
    row = next(d for d in data["decisions"] if d["point"] == "DP-SHARE")
    assert row["outcome"]["status"] == "refused" and row["outcome"]["after"] == "0m"
    assert "refused" in render_html(data) and "refused" in render_markdown(data)
