"""Who knew what, when: the information-flow section of the after-action report.

For each key fact of the incident (first impact per Member State,
cross-border indicators, each ECCS level reached, large-scale, attribution),
when it became true in the world and when each Blueprint level first held it
in its situational picture (:mod:`simulator.engine.knowledge`), with the lag.
A lag beyond what doctrine expects (the hop delays of domain.md §10.2, summed
along the Blueprint chain of §1.5) or a level that never learned a fact it
should have is a finding. Computed from the journal alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from simulator.engine.knowledge import Fact, Knowledge
from simulator.report.charts import W, _n, _svg, _x_axis
from simulator.timefmt import format_duration, format_time

LEVELS = ("entity", "national", "CSIRTs Network", "CyCLONe", "IPCR/Presidency", "HR/EEAS")
"""The Blueprint levels the section follows, bottom up (domain.md §1.4, §1.5)."""

LEVEL_NAMES = {"entity": "Entity", "national": "National CSIRT / authority", "CSIRTs Network": "CSIRTs Network",
               "CyCLONe": "EU-CyCLONe", "IPCR/Presidency": "IPCR / Presidency", "HR/EEAS": "HR / EEAS"}

EXPECTED_HOURS = {"entity": 12, "national": 24, "CSIRTs Network": 36, "CyCLONe": 60,
                  "IPCR/Presidency": 132, "HR/EEAS": 132}
"""Longest lag doctrine expects from the fact to the level, hours: the maxima of domain.md §10.2 summed along
§1.5 (entity confirms ≤12; early warning ≤24; CSIRTs Network post ≤12; escalation to CyCLONe ≤24; CyCLONe
impact and severity assessment to the political level ≤72)."""


def level_of(actor: str, directory=None) -> str | None:
    """The Blueprint level of an actor for this section, or None (exercise control, media, ...)."""
    a = actor.upper()
    if a == "CSIRTS-NET":
        return "CSIRTs Network"
    if a == "CYCLONE":
        return "CyCLONe"
    if a in ("PRESIDENCY", "IPCR", "GSC", "COREPER", "COUNCIL"):
        return "IPCR/Presidency"
    if a in ("HR-EEAS", "HWPCI", "INTCEN", "PSC"):
        return "HR/EEAS"
    if a.startswith(("CSIRT-", "CA-", "CCMA-", "CERT-EU")):
        return "national"
    if directory is not None:
        info = directory.get(actor) if hasattr(directory, "get") else None
        if info is not None and getattr(info, "level", None) == "entity":
            return "entity"
    if a.startswith(("HOSP", "BANK", "ENT-", "OP-")):
        return "entity"
    return None


def _impact_in(ms: str) -> Callable[[Fact], bool]:
    """Does a fact state impact (worse than white) in ``ms``?"""
    return lambda f: f.name.startswith(f"impact.{ms}/") and f.value != "white"


def _eccs_at_least(level: int) -> Callable[[Fact], bool]:
    """Does a fact state an ECCS level of at least ``level``?"""
    return lambda f: f.name == "eccs" and int(f.value) >= level


def _key_facts(k: FlowKnowledge) -> list[tuple[str, str, int, Callable[[Fact], bool], tuple[str, ...]]]:
    """(id, label, true since, does a learned fact state it, levels expected to learn it)."""
    out: list[tuple[str, str, int, Callable[[Fact], bool], tuple[str, ...]]] = []
    firsts: dict[str, int] = {}
    for name, t in k.truth_first.items():
        if name.startswith("impact.") and k.truth_first_value.get(name) != "white":
            ms = name[len("impact."):].partition("/")[0]
            firsts[ms] = min(firsts.get(ms, t), t)
    for ms, t in sorted(firsts.items(), key=lambda x: (x[1], x[0])):
        out.append((f"impact:{ms}", f"First impact in {ms}", t,
                    _impact_in(ms),
                    ("national", "CSIRTs Network")))
    if "cross_border" in k.truth_first:
        out.append(("cross_border", "Cross-border indicators", k.truth_first["cross_border"],
                    lambda f: f.name == "cross_border" and f.value is True, ("CSIRTs Network", "CyCLONe")))
    for level, t in sorted(k.eccs_first.items()):
        if level < 2:
            continue
        label = f"ECCS {level} reached" + (" (large-scale)" if level == 4 else " (EU cyber crisis)" if level == 5 else "")
        expect = ("national",) if level == 2 else ("national", "CSIRTs Network", "CyCLONe") if level == 3 else \
            ("CyCLONe", "IPCR/Presidency", "HR/EEAS")
        out.append((f"eccs:{level}", label, t, _eccs_at_least(level), expect))
    att = k.truth_first.get("attribution")
    if att is not None:
        out.append(("attribution", "Attribution assessed", att,
                    lambda f: f.name == "attribution" and f.value in ("assessed", "attributed", "coordinated"),
                    ("IPCR/Presidency", "HR/EEAS")))
    return out


def build(journal, plan=None, directory=None) -> dict[str, Any]:
    """Rows (one per key fact, with when each level learned it), findings, and the span for the chart."""
    k = FlowKnowledge(journal, plan=plan)
    rows, found = [], []
    for ident, label, true_t, states, expected in _key_facts(k):
        learned: dict[str, Fact] = {}
        for f in k.learned_log:
            if f.learned < true_t or not states(f):
                continue
            lv = level_of(f.actor, directory)
            if lv is not None and lv not in learned:
                learned[lv] = f
        cells = []
        for lv in LEVELS:
            got = learned.get(lv)
            lag = None if got is None else got.learned - true_t
            late = lv in expected and (lag is None or lag > EXPECTED_HOURS[lv] * 60)
            cells.append({"level": lv, "name": LEVEL_NAMES[lv], "t": None if got is None else got.learned,
                          "time": "" if got is None else format_time(got.learned),
                          "lag": lag, "lag_text": "—" if lag is None else format_duration(lag),
                          "via": "" if got is None else got.via, "expected": lv in expected, "late": late})
            if late:
                what = "never learned it" if lag is None else f"learned it after {format_duration(lag)}"
                found.append({"fact": label, "level": LEVEL_NAMES[lv], "true": format_time(true_t),
                              "text": f"{LEVEL_NAMES[lv]} {what} (doctrine: within {EXPECTED_HOURS[lv]} h; "
                                      f"domain.md §10.2)"})
        rows.append({"id": ident, "fact": label, "true_t": true_t, "true": format_time(true_t), "levels": cells})
    return {"levels": [LEVEL_NAMES[lv] for lv in LEVELS], "rows": rows, "findings": found, "end": k.at}


class FlowKnowledge(Knowledge):
    """The knowledge fold, remembering also when each fact first became true (and each ECCS level first reached)."""

    def __init__(self, records=(), plan=None):
        self.truth_first: dict[str, int] = {}
        self.truth_first_value: dict[str, Any] = {}
        self.eccs_first: dict[int, int] = {}
        super().__init__(records, plan=plan)

    def feed(self, r) -> None:
        super().feed(r)
        if r.kind == "state.changed":
            for name, value in self.truth_facts.items():
                if name not in self.truth_first and self.truth_since.get(name) == r.t and value not in (False, "white", "none"):
                    self.truth_first[name] = r.t
                    self.truth_first_value[name] = value
        elif r.kind == "severity.changed":
            for level in range(1, int(r["to"]) + 1):
                self.eccs_first.setdefault(level, r.t)


COLOURS = {"entity": "#555555", "national": "#2b6cb0", "CSIRTs Network": "#2c7a7b", "CyCLONe": "#7b3fa0",
           "IPCR/Presidency": "#b0402b", "HR/EEAS": "#975a16"}


def chart(flow: dict[str, Any]) -> Markup:
    """One row per key fact: a black bar from when it became true; a dot where each level learned it."""
    rows = flow["rows"]
    left, right, top, row_h = 190, 30, 10, 26
    end = max([flow["end"], 1] + [c["t"] for r in rows for c in r["levels"] if c["t"] is not None])
    x0, x1 = left, W - right
    def scale(t):
        return x0 + (x1 - x0) * min(max(t, 0), end) / end
    body: list[str] = []
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(f'<text x="{x0 - 8}" y="{_n(y + 4)}" text-anchor="end" fill="#222">{escape(r["fact"])}</text>')
        xt = scale(r["true_t"])
        body.append(f'<line x1="{_n(xt)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}" stroke="#bbb"/>')
        body.append(f'<rect x="{_n(xt - 2)}" y="{_n(y - 8)}" width="4" height="16" fill="#111">'
                    f'<title>{escape(r["fact"])}: true at {escape(r["true"])}</title></rect>')
        for c in r["levels"]:
            if c["t"] is None:
                continue
            colour = COLOURS[c["level"]]
            ring = ' stroke="#d62828" stroke-width="2"' if c["late"] else ""
            body.append(f'<circle cx="{_n(scale(c["t"]))}" cy="{_n(y)}" r="5" fill="{colour}"{ring}>'
                        f'<title>{escape(c["name"])} learned it at {escape(c["time"])} (lag {escape(c["lag_text"])})</title></circle>')
    axis_y = top + len(rows) * row_h + 4
    body += _x_axis(x0, x1, axis_y, end, scale)
    ly = axis_y + 40
    x = x0
    body.append(f'<rect x="{x}" y="{ly - 12}" width="4" height="14" fill="#111"/><text x="{x + 8}" y="{ly}">became true</text>')
    x += 100
    for lv in LEVELS:
        body.append(f'<circle cx="{x}" cy="{ly - 4}" r="5" fill="{COLOURS[lv]}"/>'
                    f'<text x="{x + 8}" y="{ly}">{escape(LEVEL_NAMES[lv])}</text>')
        x += 20 + 7 * len(LEVEL_NAMES[lv])
    desc = "; ".join(f"{r['fact']} true at {r['true']}: " + ", ".join(
        f"{c['name']} {c['time'] or 'never'}" for c in r["levels"]) for r in rows) or "no key fact"
    return _svg(ly + 10, "Who knew what, when", desc, body)
