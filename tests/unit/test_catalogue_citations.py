"""The catalogue's citations: every entry names domain.md sections, and every legal basis is a known instrument.

shared/domain.md lies outside the repository, so CI cannot read it. CI checks
what it can: each entry's ``source`` names at least one section, each section
cited anywhere in the catalogue is one of domain.md's headings (the snapshot
below), and each legal citation matches simulator/scenario/instruments.py.
Where domain.md is at hand (beside the repository, or at $CYCLESIM_DOMAIN_MD),
two more tests compare the snapshot with its headings and the delays an entry
says it takes from a §10.2 row with that row.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from simulator.scenario.catalogue import bundled
from simulator.scenario.instruments import BY_NUMBER, INSTRUMENTS, citation_problems
from simulator.scenario.model import CatalogueDecision

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_MD = Path(os.environ.get("CYCLESIM_DOMAIN_MD") or ROOT.parent / "shared" / "domain.md")

DOMAIN_SECTIONS = frozenset(
    "0 1 1.1 1.2 1.3 1.4 1.5 1.6 1.7 2 2.1 2.2 2.3 2.4 3 3.1 3.2 3.3 4 4.1 4.2 4.3 5 5.1 5.2 5.3 5.4 5.5 5.6 5.7 5.8 "
    "6 7 7.1 7.2 7.3 7.4 7.5 7.6 8 9 9.1 9.2 9.3 9.4 9.5 9.6 10 10.1 10.2 10.3 10.4 10.5 10.6 10.7 10.8 11 12 13 14 "
    "14.1 14.2".split())
"""The numbered headings of domain.md (## and ###), as of the catalogue's last check against it."""

SECTION = re.compile(r"(?<!S0 )§\s?(\d+(?:\.\d+)?)")
"""A domain.md section; ``S0 §12`` is a paragraph of the seed document, not a section."""


def texts(d: CatalogueDecision) -> list[tuple[str, str]]:
    """Every text field of an entry a reader sees, with where it sits."""
    out = [("name", d.name), ("description", d.description), ("source", d.source)]
    out += [(f"requires[{i}].because", r.because) for i, r in enumerate(d.requires)]
    out += [(f"consequences[{i}].rationale", c.rationale) for i, c in enumerate(d.consequences)]
    out += [(f"params.{name}.description", p.description) for name, p in d.params.items()]
    return [(field, text) for field, text in out if text]


@pytest.mark.parametrize("d", bundled(), ids=lambda d: d.id)
def test_every_entry_has_a_source_naming_a_domain_md_section(d):
    assert d.source.startswith("domain.md §"), d.source
    assert SECTION.findall(d.source), d.source


@pytest.mark.parametrize("d", bundled(), ids=lambda d: d.id)
def test_every_entry_says_where_its_delay_comes_from(d):
    assert "delay:" in d.source, f"{d.id}: say 'delay: §10.2 ...' or 'delay: project estimate'"
    if "delay: project estimate" in d.source:
        assert "delay: §10.2" not in d.source


def test_every_section_the_catalogue_cites_is_a_domain_md_heading():
    unknown = [(d.id, field, s) for d in bundled() for field, text in texts(d)
               for s in SECTION.findall(text) if s not in DOMAIN_SECTIONS]
    assert unknown == []


def test_every_legal_citation_in_the_catalogue_is_a_known_instrument():
    problems = [(d.id, field, p) for d in bundled() for field, text in texts(d) for p in citation_problems(text)]
    assert problems == []


@pytest.mark.parametrize("text,expected", [
    ("Regulation (EU) 2025/83", "2025/83 is no known instrument"),
    ("the Reserve (2025/83)", "2025/83 is no known instrument"),
    ("Directive (EU) 2025/38", "is a Regulation, not a Directive"),
    ("Council Regulation (EU) 2022/2554", "an act of the European Parliament and of the Council"),
    ("Commission Recommendation C/2025/3445", "the Council's, not the Commission's"),
    ("Decision (EU) 2019/797", "cited with (CFSP)"),
    ("Decision 2014/415/CFSP", "no /CFSP suffix"),
    ("Cyber Solidarity Act, Regulation (EU) 2019/881", "'Cyber Solidarity Act' is 2025/38, not 2019/881"),
    ("implementing guidelines 13007/18", "'13007/18' is no known Council document"),
    ("§3.2 Art. 15(3)(c)", "names no instrument"),
    ("NIS2 Art. 61", "NIS2 Art. 61 is not an article domain.md names"),
    ("Art. 42(7) TFEU", "TFEU Art. 42 is not an article"),
    ("Regulation (EU) 2025/38, Arts 14–17", "CSA Art. 17 is not an article"),
    ("NIS2 Art. 15(3)(g): coordinated response", "marks its wording [GK-unverified]"),
    ("significant-effect factors, Council Decision (CFSP) 2019/797 Art. 3; listing", "[GK-unverified]"),
])
def test_a_wrong_citation_is_reported(text, expected):
    problems = citation_problems(text)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("text", [
    "Cyber Solidarity Act, Regulation (EU) 2025/38, Arts 14–16",
    "NIS2, Directive (EU) 2022/2555, Art. 23",
    "NIS2 Art. 15(3)(g) coordinated response [GK-unverified wording]; NIS2 Art. 16(6)",
    "Art. 222 TFEU; Council Decision 2014/415/EU; Art. 42(7) TEU; Art. 31 TEU",
    "IPCR, Council Implementing Decision (EU) 2018/1993",
    "Council Decision (CFSP) 2019/797 and Council Regulation (EU) 2019/796",
    "Regulation (EU, Euratom) 2023/2841; Reg. 2023/2841; Commission Recommendation (EU) 2017/1584",
    "implementing guidelines 13007/17 and 10289/23; Council Recommendation C/2025/3445",
    "§10.2 'Art. 222 invoked → IPCR full' (a label quoted from domain.md)",
    "decryption key 72/150/720 h; sanctions 336/2000/10000 h",
])
def test_a_right_citation_passes(text):
    assert citation_problems(text) == []


def test_every_instrument_has_a_full_title_and_the_domain_md_sections_that_name_it():
    for inst in INSTRUMENTS:
        assert inst.title and inst.domain and inst.title_from in ("OJ", "domain.md"), inst.key
        assert inst.number in inst.title, inst.key  # the title cites the number it is known by
    assert len(BY_NUMBER) == len([i for i in INSTRUMENTS if i.number])  # no number twice


def test_the_instruments_the_brief_names_are_listed():
    """NIS2, DORA, 2023/2841, the Treaties, the CDT guidelines, 2014/415, both Blueprints, the CSA (issue 14)."""
    for number in ("2022/2555", "2022/2554", "2023/2841", "13007/17", "10289/23", "2014/415", "2017/1584",
                   "C/2025/3445", "2025/38", "2018/1993", "2019/797", "2019/796", "2024/2642"):
        assert number in BY_NUMBER, number
    assert {"TFEU", "TEU"} <= {i.key for i in INSTRUMENTS}


# ------------------------------------------------------------ where domain.md is at hand
needs_domain = pytest.mark.skipif(not DOMAIN_MD.is_file(), reason=f"{DOMAIN_MD} is not here (outside the repository)")


@needs_domain
def test_section_snapshot_is_domain_md_headings():
    text = DOMAIN_MD.read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", text, re.M))
    assert headings == DOMAIN_SECTIONS


@needs_domain
def test_delays_taken_from_a_10_2_row_are_that_row():
    text = DOMAIN_MD.read_text(encoding="utf-8")
    table = text.split("### 10.2", 1)[1].split("### 10.3", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and re.match(r"[\d.]+", cells[1].strip("*")):
            rows[cells[0].lower()] = tuple(float(re.match(r"[\d.]+", c.strip("*")).group()) for c in cells[1:4])
    checked = 0
    for d in bundled():
        m = re.search(r"delay: §10\.2 '([^']*)'", d.source)
        if m is None:
            continue
        label = m.group(1).lower()
        row = next((v for k, v in rows.items() if k.startswith(label)), None)
        assert row is not None, f"{d.id}: no §10.2 row '{m.group(1)}'"
        assert (d.delay.min, d.delay.mode, d.delay.max) == row, f"{d.id}: delay differs from §10.2 '{m.group(1)}'"
        checked += 1
    assert checked, "no entry takes its delay from a §10.2 row: the table was not read"
