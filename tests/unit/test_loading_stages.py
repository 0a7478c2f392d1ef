"""The loading stages on their own: read -> library -> expand -> shape -> crossref, each fed the one before's result.

``simulator.scenario.loader.load`` is these calls in order (test_loader.py
covers what it reports); here each stage is run by hand, to show that its
output is the next one's whole input, that only the read stage touches the
disk, and that one sink collects every stage's problems.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from simulator.errors import ProblemSink
from simulator.scenario import crossref
from simulator.scenario.expand import expand
from simulator.scenario.library import templates
from simulator.scenario.loaded import content_hash
from simulator.scenario.loader import load
from simulator.scenario.read import BUNDLED_DIR, read
from simulator.scenario.shape import shape
from simulator.scenario.yamlio import load_yaml_text

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"

LIBRARY = """\
templates:
  - id: call
    title: A call
    params:
      who: {description: the CSIRT called}
    inject: {title: "Call for ${who}", from: EXCON, to: ["${who}"], at: "T+1h"}
"""


def _library_docs(extra: str = LIBRARY) -> list:
    """The bundled library and one more file, as documents parsed from text (no path is read by a stage)."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(BUNDLED_DIR.glob("*.yaml"))]
    return [load_yaml_text(text, name) for name, text in [*texts, ("lib.yaml", extra)]]


def _scenario_text(injects: str) -> str:
    text = TUTORIAL.read_text(encoding="utf-8")
    return text.replace("injects:\n", "injects:\n" + injects, 1)


def test_the_stages_by_hand_give_what_load_gives():
    sink = ProblemSink()
    sources = read(TUTORIAL, sink)
    assert sources.scenario.path.endswith("tutorial.yaml")
    assert any(Path(doc.path).name == "technical.yaml" for doc in sources.library)
    library = templates(sources.library, sink)
    expanded = expand(sources.scenario, library, sink)
    scenario = shape(expanded, sink)
    assert scenario is not None
    crossref.check(scenario, expanded.source, sink)
    assert sink.problems == []
    assert content_hash(scenario) == load(TUTORIAL).content_hash


def test_only_the_read_stage_touches_the_disk():
    """library, expand, shape and crossref work on documents, wherever their text came from."""
    sink = ProblemSink()
    library = templates(_library_docs(), sink)
    doc = load_yaml_text(_scenario_text("  - {use: call, with: {who: CSIRT-IE}, id: CALL-1}\n"), "s.yaml")
    expanded = expand(doc, library, sink)
    scenario = shape(expanded, sink)
    assert scenario is not None and sink.problems == []
    call = next(i for i in scenario.injects if i.id == "CALL-1")
    assert (call.title, call.to, call.template) == ("Call for CSIRT-IE", ["CSIRT-IE"], "call")


def test_one_sink_collects_every_stage_and_places_template_values_at_the_use_item():
    sink = ProblemSink()
    library = templates(_library_docs(LIBRARY.replace('${who}"]', '${who}"], tlp: purple')), sink)
    doc = load_yaml_text(_scenario_text("  - {use: call, with: {who: CSIRT-IE}, id: CALL-1}\n"
                                        "  - {use: cal, id: CALL-2}\n"), "s.yaml")
    expanded = expand(doc, library, sink)
    assert shape(expanded, sink) is None
    found = sorted((p.line, p.message) for p in sink.problems)
    use_line = doc.position(("injects", 0))[0]
    assert (use_line + 1, "unknown inject template 'cal'; did you mean 'call'?") in found
    # the bad TLP came from the template, so it is reported at the use: item that brought it in
    assert any(line == use_line and message.startswith('inject "CALL-1": tlp: ') for line, message in found)


def test_library_dirs_replace_the_folders_a_scenario_may_use(tmp_path):
    sink = ProblemSink()
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "calls.yaml").write_text(LIBRARY, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(_scenario_text(""), encoding="utf-8")
    assert [Path(d.path).name for d in read(path, sink, library_dirs=[tmp_path / "lib"]).library] == ["calls.yaml"]
    assert read(path, sink, library_dirs=[]).library == []
    bundled = {p.name for p in BUNDLED_DIR.glob("*.yaml")}
    assert {Path(d.path).name for d in read(path, sink).library} == bundled
    assert sink.problems == []
