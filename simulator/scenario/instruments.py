"""The legal instruments the decision catalogue may cite, with their full titles, and a check of citations.

One list, so that a legal basis written in the catalogue's text (a decision's
name, description, ``source``, a precondition's ``because``, a consequence's
``rationale``) can be checked by a test, as shared/domain.md cannot be read in
CI. Each instrument carries its number, kind and author as the Official
Journal cites them, its full title, the short names texts use, the domain.md
sections that name it, the articles domain.md names for it and those whose
wording domain.md marks [GK-unverified].

:func:`citation_problems` reports what would mislead a reader:

- a number that is no known instrument (``Regulation (EU) 2025/83``);
- a kind, author, bracket or suffix that is not the instrument's
  (``Directive (EU) 2025/38``, ``Council Regulation (EU) 2022/2554``);
- a short name paired with another instrument's number
  (``Cyber Solidarity Act, Regulation (EU) 2019/881``);
- an article with no instrument (``Art. 15(3)(c)``), or one domain.md does
  not name for that instrument (``NIS2 Art. 61``);
- an article reference domain.md marks [GK-unverified] cited without that
  mark in the same clause (``NIS2 Art. 15(3)(g)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    """One legal act, Treaty or Council document, as domain.md names it."""

    key: str
    """Short handle used in this module and the docs."""
    number: str
    """As cited: ``2022/2555``, ``2014/415``, ``C/2025/3445``, ``13007/17``; empty for a Treaty."""
    kind: str
    """``Directive``, ``Regulation``, ``Decision``, ``Recommendation``, ``Treaty`` or ``Council document``."""
    title: str
    """The full title (``title_from`` says whose wording it is)."""
    domain: str
    """The domain.md sections that name it."""
    author: str = ""
    """``Council`` or ``Commission`` when the act is theirs alone; empty for acts of the Parliament and Council."""
    tag: str = ""
    """The bracket before the number: ``EU``, ``CFSP``, ``EU, Euratom``; empty for pre-2015 acts and the rest."""
    suffix: str = ""
    """The suffix after the number of a pre-2015 act: ``EU`` in ``2014/415/EU``."""
    names: tuple[str, ...] = ()
    """Short names texts use for it: ``NIS2``, ``TFEU``, ``Cyber Solidarity Act``."""
    articles: frozenset[str] = frozenset()
    """Article numbers domain.md names for it; an article outside them is not cited from domain.md."""
    unverified: tuple[str, ...] = ()
    """Article references whose wording domain.md marks [GK-unverified]; a citation starting with one needs the mark."""
    title_from: str = "OJ"
    """``OJ``: the official title, which domain.md does not quote; ``domain.md``: as domain.md gives it."""


_F_TO_P = tuple(f"15(3)({letter})" for letter in "fghijklmnop")

INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument(
        "NIS2", "2022/2555", "Directive", tag="EU", names=("NIS2", "NIS 2 Directive"),
        title=("Directive (EU) 2022/2555 of the European Parliament and of the Council of 14 December 2022 on measures "
               "for a high common level of cybersecurity across the Union, amending Regulation (EU) No 910/2014 and "
               "Directive (EU) 2018/1972, and repealing Directive (EU) 2016/1148 (NIS 2 Directive)"),
        domain="§1.1, §1.2, §3 (Arts 15-16), §3.3, §4.1, §11",
        articles=frozenset({"6", "8", "9", "10", "13", "14", "15", "16", "22", "23"}),
        unverified=(*_F_TO_P, "23(5)", "23(6)", "23(8)", "22")),  # §3.2 items f-p; §4.1; §14.2 Art. 22
    Instrument(
        "NIS1", "2016/1148", "Directive", tag="EU", names=("NIS1",),
        title=("Directive (EU) 2016/1148 of the European Parliament and of the Council of 6 July 2016 concerning "
               "measures for a high common level of security of network and information systems across the Union"),
        domain="§3.2", articles=frozenset({"12"})),
    Instrument(
        "DORA", "2022/2554", "Regulation", tag="EU", names=("DORA",),
        title=("Regulation (EU) 2022/2554 of the European Parliament and of the Council of 14 December 2022 on digital "
               "operational resilience for the financial sector and amending Regulations (EC) No 1060/2009, (EU) No "
               "648/2012, (EU) No 600/2014, (EU) No 909/2014 and (EU) 2016/1011"),
        domain="§4.2, §11", articles=frozenset({"18"})),
    Instrument(
        "CSA", "2025/38", "Regulation", tag="EU", names=("Cyber Solidarity Act", "CSA"),
        title=("Regulation (EU) 2025/38 of the European Parliament and of the Council of 19 December 2024 laying down "
               "measures to strengthen solidarity and capacities in the Union to detect, prepare for and respond to "
               "cyber threats and incidents and amending Regulation (EU) 2021/694 (Cyber Solidarity Act)"),
        domain="§0 item 2, §1.1, §1.6, §11", articles=frozenset({"10", "11", "14", "15", "16"})),
    Instrument(
        "Cybersecurity Act", "2019/881", "Regulation", tag="EU", names=("Cybersecurity Act",),
        title=("Regulation (EU) 2019/881 of the European Parliament and of the Council of 17 April 2019 on ENISA (the "
               "European Union Agency for Cybersecurity) and on information and communications technology "
               "cybersecurity certification and repealing Regulation (EU) No 526/2013 (Cybersecurity Act)"),
        domain="§1.4, §11 (not the Cyber Solidarity Act)", articles=frozenset({"7", "9"})),
    Instrument(
        "Union entities", "2023/2841", "Regulation", tag="EU, Euratom",
        title=("Regulation (EU, Euratom) 2023/2841 of the European Parliament and of the Council of 13 December 2023 "
               "laying down measures for a high common level of cybersecurity at the institutions, bodies, offices "
               "and agencies of the Union"),
        domain="§1.4 (IICB, CERT-EU), §11, S36"),
    Instrument(
        "Blueprint 2017", "2017/1584", "Recommendation", author="Commission", tag="EU", names=("2017 Blueprint",),
        title=("Commission Recommendation (EU) 2017/1584 of 13 September 2017 on coordinated response to large-scale "
               "cybersecurity incidents and crises"),
        domain="§1.1, §1.2, §7.1"),
    Instrument(
        "Blueprint 2025", "C/2025/3445", "Recommendation", author="Council", names=("2025 Blueprint",),
        title=("Council Recommendation of 6 June 2025 on an EU blueprint for cyber crisis management "
               "(C/2025/3445, ST 8857/2025 REV 1)"),
        domain="§0 item 1, §1.1, §1.4", title_from="domain.md"),
    Instrument(
        "IPCR", "2018/1993", "Decision", author="Council", tag="EU", names=("IPCR",),
        title=("Council Implementing Decision (EU) 2018/1993 of 11 December 2018 on the EU Integrated Political "
               "Crisis Response Arrangements"),
        domain="§2, §11", articles=frozenset({"8"})),
    Instrument(
        "Solidarity clause", "2014/415", "Decision", author="Council", suffix="EU",
        title=("Council Decision of 24 June 2014 on the arrangements for the implementation by the Union of the "
               "solidarity clause (2014/415/EU)"),
        domain="§2, §6, S21", articles=frozenset({"9"})),
    Instrument(
        "TFEU", "", "Treaty", names=("TFEU",), title="Treaty on the Functioning of the European Union",
        domain="§5.6 (Art. 215), §6 (Art. 222)", articles=frozenset({"215", "222"})),
    Instrument(
        "TEU", "", "Treaty", names=("TEU",), title="Treaty on European Union",
        domain="§5.2 (Art. 31), §6 (Art. 42(7))", articles=frozenset({"31", "42"})),
    Instrument(
        "Cyber sanctions decision", "2019/797", "Decision", author="Council", tag="CFSP",
        title=("Council Decision (CFSP) 2019/797 of 17 May 2019 concerning restrictive measures against "
               "cyber-attacks threatening the Union or its Member States"),
        domain="§5.1, §5.6", articles=frozenset({"3"}), unverified=("3",)),  # §5.6: significant-effect factors
    Instrument(
        "Cyber sanctions regulation", "2019/796", "Regulation", author="Council", tag="EU",
        title=("Council Regulation (EU) 2019/796 of 17 May 2019 concerning restrictive measures against "
               "cyber-attacks threatening the Union or its Member States"),
        domain="§5.1, §5.6"),
    Instrument(
        "Hybrid regime", "2024/2642", "Regulation", author="Council", tag="EU",
        title=("Council Regulation (EU) 2024/2642 of 8 October 2024 concerning restrictive measures in view of "
               "Russia's destabilising activities"),
        domain="§1.7, §5.8"),
    Instrument(
        "CDT framework", "10474/17", "Council document",
        title=("Council conclusions 10474/17 (Framework for a Joint EU Diplomatic Response to Malicious Cyber "
               "Activities), 19 June 2017"),
        domain="§5.1", title_from="domain.md"),
    Instrument(
        "CDT guidelines", "13007/17", "Council document",
        title="Implementing guidelines 13007/17 of the Cyber Diplomacy Toolbox, approved by the PSC on 11 October 2017",
        domain="§5.1, §5.2", title_from="domain.md"),
    Instrument(
        "CDT guidelines 2023", "10289/23", "Council document",
        title="Revised Implementing Guidelines 10289/23 of the Cyber Diplomacy Toolbox, 8 June 2023",
        domain="§5.1", title_from="domain.md"),
    Instrument(
        "Blueprint conclusions 2018", "10086/18", "Council document",
        title="Council conclusions 10086/18 on EU coordinated response to large-scale cybersecurity incidents and crises",
        domain="§1.1", title_from="domain.md"),
    Instrument(
        "Seed", "8594/3/22", "Council document",
        title=("Draft Council conclusions on the development of the European Union's cyber posture, "
               "8594/3/22 REV 3, 16 May 2022"),
        domain="heading, §12 S0", title_from="domain.md"),
)
"""Every instrument a catalogue text may cite, by number or short name."""

BY_NUMBER = {i.number: i for i in INSTRUMENTS if i.number}
BY_NAME = {name: i for i in INSTRUMENTS for name in i.names}

_ACT = re.compile(
    r"(?:(?P<author>Council|Commission)\s+)?(?:(?:Implementing|Delegated)\s+)?"
    r"(?:(?P<kind>Directive|Regulation|Reg\.|Decision|Recommendation)\s*)?(?:\((?P<tag>[^()]{1,20})\)\s*)?"
    r"(?<![\d/])(?P<number>(?:C/)?(?:19|20)\d{2}/\d+)(?:/(?P<suffix>EU|CFSP))?(?![\d/])")
"""An act by its Official Journal number, with what precedes it: ``Council Implementing Decision (EU) 2018/1993``."""
_DOCUMENT = re.compile(r"(?<![\d/])(?P<number>\d{4,5}/(?:\d{1,2}/)?\d{2})(?![\d/])")
"""A Council document number: ``13007/17``, ``8594/3/22``."""
_ARTICLE = re.compile(r"\b(?:Articles?|Arts?\.?)\s+(?P<ref>\d+(?:\(\w+\))*)(?:\s*[-–]\s*(?P<to>\d+))?")
_LABEL = re.compile(r"§[\d.]+ '[^']*'")
"""A label quoted from domain.md right after its section (``§10.2 'Art. 222 invoked → IPCR full'``): not a citation."""
_NAMES = "|".join(re.escape(n) for n in sorted(BY_NAME, key=len, reverse=True))
_NAME_BEFORE = re.compile(rf"(?:^|[^\w-])(?P<name>{_NAMES})[\s,(]*$")
_NAME_AFTER = re.compile(rf"^\s+(?P<name>{_NAMES})\b")
_KINDS = {"Reg.": "Regulation"}


def citation_problems(text: str) -> list[str]:
    """What is wrong with the legal citations in ``text``; empty when every one matches :data:`INSTRUMENTS`."""
    problems: list[str] = []
    acts = list(_ACT.finditer(text))
    for m in acts:
        problems += _act_problems(text, m)
    masked = _mask(text, [m.span("number") for m in acts])
    for m in _DOCUMENT.finditer(masked):
        if m.group("number") not in BY_NUMBER:
            problems.append(f"{m.group('number')!r} is no known Council document (simulator/scenario/instruments.py)")
    unquoted = _mask(text, [m.span() for m in _LABEL.finditer(text)])
    for m in _ARTICLE.finditer(unquoted):
        problems += _article_problems(text, m, acts)
    return problems


def cited(text: str) -> tuple[Instrument, ...]:
    """The known instruments ``text`` cites, by number or short name, in :data:`INSTRUMENTS` order."""
    keys = {BY_NUMBER[m.group("number")].key for m in _ACT.finditer(text) if m.group("number") in BY_NUMBER}
    keys |= {BY_NUMBER[m.group("number")].key for m in _DOCUMENT.finditer(text) if m.group("number") in BY_NUMBER}
    keys |= {BY_NAME[m.group("name")].key for m in re.finditer(rf"(?<![\w-])(?P<name>{_NAMES})(?![\w-])", text)}
    return tuple(i for i in INSTRUMENTS if i.key in keys)


def _act_problems(text: str, m: re.Match[str]) -> list[str]:
    number, cited = m.group("number"), m.group(0).strip()
    inst = BY_NUMBER.get(number)
    if inst is None or inst.kind in ("Treaty", "Council document"):
        return [f"{cited!r}: {number} is no known instrument (simulator/scenario/instruments.py)"]
    out = []
    kind = _KINDS.get(m.group("kind") or "", m.group("kind"))
    if kind and kind != inst.kind:
        out.append(f"{cited!r}: {number} is a {inst.kind}, not a {kind} ({inst.title})")
    if m.group("author") and m.group("author") != inst.author:
        by = f"the {inst.author}'s" if inst.author else "an act of the European Parliament and of the Council"
        out.append(f"{cited!r}: {number} is {by}, not the {m.group('author')}'s ({inst.title})")
    if m.group("tag") is not None and m.group("tag") != inst.tag:
        out.append(f"{cited!r}: {number} is cited with ({inst.tag})" if inst.tag else
                   f"{cited!r}: {number} takes no bracket ({inst.title})")
    if m.group("suffix") and m.group("suffix") != inst.suffix:
        out.append(f"{cited!r}: {number} has no /{m.group('suffix')} suffix ({inst.title})")
    before = _NAME_BEFORE.search(text[: m.start()])
    if before and BY_NAME[before.group("name")] is not inst:
        out.append(f"{before.group('name')!r} is {BY_NAME[before.group('name')].number or 'a Treaty'}, "
                   f"not {number} ({inst.title})")
    return out


def _article_problems(text: str, m: re.Match[str], acts: list[re.Match[str]]) -> list[str]:
    ref, cited = m.group("ref"), m.group(0)
    inst = _instrument_of_article(text, m, acts)
    if inst is None:
        return [f"{cited!r} names no instrument: put it next to the article, as in 'NIS2 Art. 15(3)(c)', "
                "'Art. 222 TFEU' or 'Regulation (EU) 2025/38, Arts 14-16'"]
    out = []
    numbers = [ref.split("(")[0]] + ([m.group("to")] if m.group("to") else [])
    for n in numbers:
        if n not in inst.articles:
            out.append(f"{inst.key} Art. {n} is not an article domain.md names for {inst.key} "
                       f"({', '.join(sorted(inst.articles, key=int)) or 'none'}; domain.md {inst.domain})")
    clause = re.split(r";", text[m.end():], maxsplit=1)[0]
    if any(ref.startswith(u) for u in inst.unverified) and "[GK-unverified" not in clause:
        out.append(f"{inst.key} Art. {ref}: domain.md marks its wording [GK-unverified]; say so in the same clause")
    return out


def _instrument_of_article(text: str, m: re.Match[str], acts: list[re.Match[str]]) -> Instrument | None:
    """The instrument an article reference belongs to: a name after it (``TFEU``) or just before it."""
    after = _NAME_AFTER.match(text[m.end():])
    if after:
        return BY_NAME[after.group("name")]
    head = text[: m.start()].rstrip(" ,")
    for act in acts:
        if act.end() == len(head):
            return BY_NUMBER.get(act.group("number"))
    before = _NAME_BEFORE.search(head)
    return BY_NAME[before.group("name")] if before else None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans blanked, so a number is read once."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
