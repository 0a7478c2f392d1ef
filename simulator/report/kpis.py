"""Key performance indicators of a run (domain.md §10.7), from the journal alone.

Time to notify per regime, time to escalate per hop against the reference
delays of domain.md §10.2, decision latency, unanimity rounds, TLP breaches
and when information first reached each Blueprint level.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from simulator.report.actors import LEVELS
from simulator.report.view import ReportView


@dataclass(frozen=True)
class Hop:
    """One step of the escalation chain and its reference delay (hours: min, mode, max)."""

    label: str
    start: tuple[str, Any]
    """('level', 'technical'): first delivery at that level; ('eccs', 3): ECCS first at least 3;
    ('accepted' | 'effective', 'D07'): that decision; ('record', kind): first record of that kind."""
    end: tuple[str, Any]
    ref: tuple[float, float, float]
    anchor: str


HOPS: tuple[Hop, ...] = (
    Hop("National CSIRT → CSIRTs Network post (D04)", ("level", "technical"), ("effective", "D04"), (0.5, 3, 12),
        "§10.2 National CSIRT → CSIRTs Network post [E]"),
    Hop("Escalation to CyCLONe, officers informed (D06)", ("eccs", 3), ("effective", "D06"), (2, 8, 24),
        "§10.2 Escalation to CyCLONe (officers convened) [E]"),
    Hop("CyCLONe executives convened (D07)", ("eccs", 4), ("effective", "D07"), (6, 24, 72),
        "§10.2 CyCLONe executives' meeting [E]"),
    Hop("CyCLONe impact & severity assessment (D08)", ("effective", "D07"), ("effective", "D08"), (12, 24, 72),
        "§10.2 CyCLONe impact & severity assessment issued [E]"),
    Hop("IPCR information-sharing activated after request (D11)", ("accepted", "D11"), ("effective", "D11"), (4, 24, 120),
        "§10.2 IPCR information-sharing activation after request [E]"),
    Hop("IPCR information-sharing → full activation (D12)", ("effective", "D11"), ("effective", "D12"), (24, 168, 800),
        "§10.2 Information-sharing → full activation [O]"),
    Hop("Reserve request → Commission response", ("effective", "D09"), ("record", "reserve.answered"), (1, 24, 48),
        "§10.2 Reserve request → Commission response [L]"),
    Hop("CSIRTs Network → joint technical advisory (D28)", ("effective", "D04"), ("effective", "D28"), (24, 96, 240),
        "§10.2 CSIRTs Network → joint public advisory/statement [O]"),
    Hop("HR declaration on behalf of the EU (D20)", ("accepted", "D20"), ("effective", "D20"), (24, 240, 2000),
        "§10.2 HR declaration on behalf of the EU (unanimity) [O]"),
)
"""The escalation hops a report times, with the §10.2 reference delays."""

NOTIFY_REFERENCE: dict[str, tuple[float, float, float]] = {
    "early_warning": (1, 6, 24),
    "notification": (24, 60, 72),
    "dora_initial": (0.5, 2, 4),
    "reserve_answer": (1, 24, 48),
}
"""§10.2 reference delays for filing, hours (legal maximum last)."""


def _hours(minutes: float | None) -> str:
    if minutes is None:
        return ""
    h = minutes / 60
    return f"{h:.1f} h"


def verdict(minutes: float, ref: tuple[float, float, float]) -> str:
    """Where an observed delay falls against a triangular reference."""
    h = minutes / 60
    if h <= ref[1]:
        return "at or faster than the usual delay"
    if h <= ref[2]:
        return "slower than usual, within the range"
    return "slower than the reference maximum"


def notify(view: ReportView, clocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Time to notify per regime and report: filed in time, late, missed, pending."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in clocks:
        groups.setdefault((c["regime"], c["report"]), []).append(c)
    out = []
    for (regime, report), cs in sorted(groups.items()):
        times = [c["filed_t"] - c["started_t"] for c in cs if c["filed_t"] is not None]
        met = sum(c["status"] == "met" for c in cs)
        missed = sum(c["status"] == "missed" for c in cs)
        decided = met + missed
        ref = NOTIFY_REFERENCE.get(report)
        out.append({
            "regime": regime, "report": report, "label": cs[0]["label"], "clocks": len(cs), "met": met,
            "missed": missed, "pending": sum(c["status"] in ("pending", "running") for c in cs),
            "compliance": f"{round(100 * met / decided)} %" if decided else "n/a",
            "median": _hours(median(times)) if times else "", "worst": _hours(max(times)) if times else "",
            "reference": f"{ref[1]:g} h (legal max {ref[2]:g} h)" if ref else "",
        })
    return out


def _firsts(view: ReportView, timing: list[dict[str, Any]]) -> dict[tuple[str, Any], int]:
    """Time of the first occurrence of every event a hop can start or end on."""
    first: dict[tuple[str, Any], int] = {}

    def seen(key, t):
        if key not in first or t < first[key]:
            first[key] = t

    for d in timing:
        if not d.get("control"):  # a STARTEX briefing is not the first news of the incident
            seen(("level", d["level"]), d["t"])
    for r in view.journal:
        if r.kind == "severity.changed":
            for lvl in range(0, int(r["to"]) + 1):
                seen(("eccs", lvl), r.t)
        elif r.kind in ("decision.accepted", "decision.effective"):
            seen((r.kind.split(".")[1], r["decision"]), r.t)
        seen(("record", r.kind), r.t)
    return first


def escalation(view: ReportView, timing: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each hop whose starting event happened: how long it took against §10.2.

    ``timing`` is every delivery in the view, including injects whose content
    the audience may not see: times are not content, and hiding them would
    change the figures with the audience."""
    first = _firsts(view, timing)
    by_team: dict[str, str] = {}
    for d in decisions:
        if d["decision"] and d["outcome"]["status"] == "effective":
            by_team.setdefault(d["decision"], d["team"])
    out = []
    for hop in HOPS:
        start = first.get(hop.start)
        if start is None:
            continue
        end = first.get(hop.end)
        if view.team is not None and hop.end[0] in ("effective", "accepted") and by_team.get(hop.end[1]) != view.team:
            continue
        row: dict[str, Any] = {"hop": hop.label, "anchor": hop.anchor, "from": view.when(start),
               "reference": f"{hop.ref[1]:g} h ({hop.ref[0]:g}–{hop.ref[2]:g} h)"}
        if end is not None and end >= start:
            took = end - start
            row.update(to=view.when(end), took=_hours(took), verdict=verdict(took, hop.ref), reached=True)
        else:
            elapsed = view.end_t - start
            late = elapsed / 60 > hop.ref[2]
            row.update(to=None, took="", reached=False,
                       verdict=f"not reached ({_hours(elapsed)} elapsed" + (", beyond the reference maximum)" if late else ")"))
        out.append(row)
    return out


def latency(view: ReportView, decisions: dict[str, list]) -> dict[str, Any]:
    """Decision latency at decision points and the fate of direct decisions."""
    pts = decisions["points"]
    closed = [p for p in pts if p["latency"] is not None]
    decided = [p for p in closed if p["how"] == "decided"]
    lat = [p["latency"] for p in decided]
    to_effect = [d["outcome"]["t"] - d["t"] for d in decisions["decisions"]
                 if d["outcome"]["status"] == "effective" and d["outcome"].get("t") is not None]
    rounds = [v for d in decisions["decisions"] for v in d["votes"]]
    blockers: dict[str, int] = {}
    for v in rounds:
        for b in v["blockers"]:
            blockers[b["ms"]] = blockers.get(b["ms"], 0) + 1
    return {
        "points": len(pts), "decided": len(decided),
        "defaults": sum(p["how"] == "default" for p in closed),
        "unresolved": sum(p["how"] in ("unresolved", "open") for p in pts),
        "median": view.duration(int(median(lat))) if lat else "", "worst": view.duration(max(lat)) if lat else "",
        "to_effect_median": _hours(median(to_effect)) if to_effect else "",
        "refused": len(decisions["refused"]),
        "vote_rounds": len(rounds), "blocked_rounds": sum(v["result"] != "agreed" for v in rounds),
        "blockers": [{"ms": ms, "rounds": n} for ms, n in sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def breaches(view: ReportView) -> list[dict[str, Any]]:
    return [{**view.when(r.t), "team": r.get("team", ""), "decision": r.get("decision", ""),
             "shared_as": r.get("shared_as", ""), "reason": r.get("reason", "")}
            for r in view.journal.of_kind("tlp.breach") if view.for_team(r.get("team"))]


def levels(view: ReportView, timing: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """When information first reached each Blueprint level, and how much reached it."""
    out = []
    for level in LEVELS:
        dels = [d for d in timing if d["level"] == level and not d.get("control")]  # incident news, not briefings
        acts = sorted((d["outcome"]["t"], d["decision"]) for d in decisions
                      if d["level"] == level and d["outcome"]["status"] == "effective")
        out.append({
            "level": level,
            "first": view.when(dels[0]["t"]) if dels else None,
            "first_inject": dels[0]["inject"] if dels else "", "first_withheld": bool(dels) and not dels[0]["visible"],
            "deliveries": len(dels), "injects": len({d["n"] for d in dels}),
            "first_action": view.when(acts[0][0]) if acts else None, "first_action_decision": acts[0][1] if acts else "",
            "actions": len(acts),
        })
    return out
