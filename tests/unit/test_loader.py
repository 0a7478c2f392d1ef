"""simulator.scenario.loader: scenario files in, a validated Scenario or positioned problems out.

Covers what sits between the hardened YAML reader and the cross-reference
checks: inject library references (``use:`` / ``with:``), the folders a
scenario may take templates from, the content hash, the top-level shape, and
the YAML 1.1 traps as a scenario author meets them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

if importlib.util.find_spec("simulator") is None:  # pytest run without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

from simulator.errors import ScenarioError
from simulator.scenario.loader import load, load_scenario

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")


def edited(old: str, new: str, text: str = TUTORIAL) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def write(folder: Path, text: str | bytes, name: str = "scenario.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, **kwargs) -> list[tuple[int, int, str]]:
    with pytest.raises(ScenarioError) as info:
        load(path, **kwargs)
    return [(p.line, p.col, p.message) for p in info.value.problems]


def inject(scenario, ident: str):
    return next(i for i in scenario.injects if i.id == ident)


# ------------------------------------------------------------ library references

def test_a_reference_is_expanded_from_its_template():
    s = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    first = inject(s, "TUT-01")
    assert first.template == "ransomware-detected"
    assert first.from_ == "HOSP-IE-1" and first.to == ["CSIRT-IE"]
    # ${systems} took the template's default
    assert first.title == "St. Brigid's University Hospital: ransomware on clinical and laboratory systems"
    # fields given next to use: replace the template's
    assert dict(first.effects.impact) == {"IE/health": "yellow"}
    assert first.objectives == ["OBJ-1", "OBJ-3"]
    assert inject(s, "TUT-04").template is None


def test_a_whole_string_placeholder_keeps_the_value_type():
    media = inject(load_scenario(ROOT / "scenarios" / "tutorial.yaml"), "TUT-02")
    assert media.effects.public_trust == -0.05  # "${trust_change}" with the default -0.05


def test_substitution_is_plain_text_once_never_code(tmp_path):
    text = edited('with: {picture: "IE yellow, BE yellow (health), same actor", outlook: worsening}',
                  "with: {picture: \"${outlook}\", outlook: \"{{7*7}} ${picture} __import__('os')\"}")
    call = inject(load_scenario(write(tmp_path, text)), "TUT-05")
    assert call.title == "CyCLONe officers' call: ${outlook}"
    assert call.body.endswith("Outlook: {{7*7}} ${picture} __import__('os').")


def test_an_override_typo_is_reported_at_its_key(tmp_path):
    text = edited("    objectives: [OBJ-1, OBJ-3]", "    objectivs: [OBJ-1, OBJ-3]")
    assert problems(write(tmp_path, text)) == [
        (77, 5, "inject \"TUT-01\": unknown key 'objectivs'; did you mean 'objectives'?")]


def test_a_parameter_must_be_a_plain_value(tmp_path):
    text = edited('with: {picture: "IE yellow, BE yellow (health), same actor", outlook: worsening}',
                  "with: {picture: [IE], outlook: worsening}")
    assert problems(write(tmp_path, text)) == [
        (113, 21, "parameter 'picture' must be a plain value (text or number)")]


def test_with_must_be_a_mapping(tmp_path):
    text = edited('with: {group: GRAVE LOTUS, victims: "patients of St. Brigid\'s and Saint-Lambert"}',
                  "with: [GRAVE LOTUS]")
    assert problems(write(tmp_path, text)) == [(121, 11, "'with' must be a mapping of parameter: value")]


def test_reference_problems_do_not_hide_the_others(tmp_path):
    """A broken reference and a broken inline inject are reported together."""
    text = edited("use: leak-site-post", "use: leak-site")
    text = edited("    tlp: TLP:AMBER\n    body", "    tlp: TLP:PURPLE\n    body", text)
    found = problems(write(tmp_path, text))
    assert [(line, col) for line, col, _ in found] == [(103, 10), (118, 10)]
    assert found[1][2].startswith("unknown inject template 'leak-site'; did you mean")


# ------------------------------------------------------------ library folders

TEMPLATE = """\
templates:
  - id: local-call
    title: A call from the local library
    params:
      who: {description: "recipient actor id"}
    inject:
      from: EXCON
      to: ["${who}"]
      title: "Call for ${who}"
"""
USE_LOCAL = """\
  - use: local-call
    id: TUT-07
    at: "T+11:00"
    with: {who: CSIRT-IE}

decision_points:
"""


def scenario_using_local_template(folder: Path, extra: str = "") -> Path:
    text = edited("\ndecision_points:\n", "\n" + USE_LOCAL)
    if extra:
        text = edited("member_states: [IE, BE]", extra + "\nmember_states: [IE, BE]", text)
    return write(folder, text)


def test_templates_next_to_the_scenario_are_used(tmp_path):
    write(tmp_path / "injects", TEMPLATE, "local.yaml")
    call = inject(load_scenario(scenario_using_local_template(tmp_path)), "TUT-07")
    assert (call.title, call.template) == ("Call for CSIRT-IE", "local-call")


def test_a_library_folder_inside_the_scenario_folder_is_used(tmp_path):
    write(tmp_path / "lib" / "more", TEMPLATE, "local.yaml")
    path = scenario_using_local_template(tmp_path, 'libraries: ["lib/more"]')
    assert inject(load_scenario(path), "TUT-07").template == "local-call"


def test_without_the_library_the_template_is_unknown(tmp_path):
    found = problems(scenario_using_local_template(tmp_path))
    assert found == [(123, 10, "unknown inject template 'local-call'; did you mean 'cyclone-call'?")]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('"../"', "library folder '../' is outside the scenario's folder; only folders inside it may be used"),
        ('"../../"', "library folder '../../' is outside the scenario's folder"),
        ('"lib/../../elsewhere"', "library folder 'lib/../../elsewhere' is outside the scenario's folder"),
        ('"/tmp"', "library folder '/tmp' is outside the scenario's folder"),
        ('"missing"', "library folder 'missing' does not exist"),
        ('"."', "library folder '.' is the scenario's own folder; put templates in a subfolder such as 'injects'"),
        ('"lib/.."', "library folder 'lib/..' is the scenario's own folder"),
    ],
)
def test_library_folders_may_not_escape_the_scenario_folder(tmp_path, entry, message):
    (tmp_path / "lib").mkdir()
    write(tmp_path.parent, TEMPLATE, f"{tmp_path.name}-outside.yaml")  # would be found by "../"
    path = write(tmp_path, edited("member_states: [IE, BE]", f"libraries: [{entry}]\nmember_states: [IE, BE]"))
    [(line, col, text)] = problems(path)
    assert (line, col) == (48, 13) and message in text


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    write(outside, TEMPLATE, "local.yaml")
    inside = tmp_path / "exercise"
    inside.mkdir()
    try:
        (inside / "lib").symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("cannot create symlinks")
    path = scenario_using_local_template(inside, 'libraries: ["lib"]')
    found = problems(path)
    assert (48, 13, "library folder 'lib' is outside the scenario's folder; only folders inside it may be used") in found


def test_library_file_problems_are_reported_in_the_library_file(tmp_path):
    write(tmp_path / "injects", edited('title: "Call for ${who}"', 'title: "Call for ${whom}"', TEMPLATE), "local.yaml")
    with pytest.raises(ScenarioError) as info:
        load(scenario_using_local_template(tmp_path))
    lib_problems = [p for p in info.value.problems if p.path.endswith("local.yaml")]
    assert [(p.line, p.col, p.message) for p in lib_problems] == [
        (7, 7, "template 'local-call' uses ${whom} but declares no parameter 'whom'")]


def test_a_library_file_that_is_not_yaml_is_reported(tmp_path):
    write(tmp_path / "injects", "templates:\n  - id: [unclosed\n", "broken.yaml")
    with pytest.raises(ScenarioError) as info:
        load(write(tmp_path, TUTORIAL))
    assert [p.path.endswith("broken.yaml") for p in info.value.problems] == [True]


def test_a_duplicate_template_id_is_reported(tmp_path):
    write(tmp_path / "injects", TEMPLATE.replace("local-call", "media-report"), "local.yaml")
    with pytest.raises(ScenarioError) as info:
        load(write(tmp_path, TUTORIAL))
    assert [(p.line, p.col) for p in info.value.problems] == [(2, 9)]
    assert info.value.problems[0].message.startswith("duplicate inject template id 'media-report' (also in ")


# ---------------------------------------------------------------- the file itself

@pytest.mark.parametrize(
    ("text", "line", "col", "kind"),
    [
        ("# comment\n- a\n- b\n", 2, 1, "a list"),
        ("\n\n   just text\n", 3, 4, "a single text value"),
        ("42\n", 1, 1, "a number"),
        ("true\n", 1, 1, "true/false"),
        ("~\n", 1, 1, "nothing"),
    ],
)
def test_the_top_level_must_be_a_mapping(tmp_path, text, line, col, kind):
    assert problems(write(tmp_path, text)) == [
        (line, col, f"a scenario must be a mapping of key: value at the top level, not {kind}")]


def test_a_missing_file(tmp_path):
    found = problems(tmp_path / "nothing.yaml")
    assert found[0][:2] == (1, 1) and found[0][2].startswith("no such scenario file")


def test_a_utf8_bom_is_accepted_and_does_not_shift_positions(tmp_path):
    assert load_scenario(write(tmp_path, b"\xef\xbb\xbf" + TUTORIAL.encode("utf-8"))).id == "tutorial"
    broken = edited("default: wait", "default: waiting").encode("utf-8")
    assert problems(write(tmp_path, b"\xef\xbb\xbf" + broken)) == problems(write(tmp_path, broken, "plain.yaml"))


def test_yaml_11_traps_stay_text(tmp_path):
    """What YAML 1.1 would turn into a date, a boolean, a number or an octal stays as written."""
    text = edited('title: "Tutorial — LOCKED WARD"', "title: 2026-03-02")
    text = edited("summary: Ransomware hits", "summary: no\ndescription_: Ransomware hits", text)
    text = text.replace("description_: Ransomware hits hospitals in Ireland and Belgium through a shared vendor; "
                        "two teams, six injects.\n", "")
    text = edited("kind: Cross-community tabletop (tutorial)", "kind: 1:30", text)
    text = edited("id: tutorial", "id: 0700", text)
    s = load_scenario(write(tmp_path, text))
    assert (s.title, s.summary, s.kind, s.id) == ("2026-03-02", "no", "1:30", "0700")


def test_an_unquoted_sexagesimal_time_gets_a_clear_message(tmp_path):
    text = edited('at: "T+04:00"', "at: 1:30")
    assert problems(write(tmp_path, text)) == [
        (91, 9, "inject \"TUT-03\": at: cannot read '1:30' as a time; write a time as 'T+26:00', 'T+3d4h' or 'T+90m'")]


# ------------------------------------------------------------------ content hash

def test_the_content_hash_follows_meaning_not_formatting(tmp_path):
    base = load(ROOT / "scenarios" / "tutorial.yaml")
    assert len(base.content_hash) == 64
    reformatted = TUTORIAL.replace("# The tutorial exercise", "# Another comment about the tutorial exercise")
    reformatted = reformatted.replace('at: "T+02:00"', "at: 'T+2h'")
    assert load(write(tmp_path, reformatted)).content_hash == base.content_hash
    changed = edited('at: "T+02:00"', 'at: "T+02:01"')
    assert load(write(tmp_path, changed, "changed.yaml")).content_hash != base.content_hash
    assert load(ROOT / "scenarios" / "tutorial.yaml").content_hash == base.content_hash
