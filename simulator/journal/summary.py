"""A short summary of a run, computed from its journal alone."""

from __future__ import annotations

from collections import Counter
from typing import Any

from simulator.journal.journal import Journal
from simulator.journal.outcome import outcome
from simulator.timefmt import format_time


def summarize(journal: Journal) -> dict[str, Any]:
    """Injects, peak severity, escalation, Toolbox measures, clocks and the outcome measures of one run."""
    started = journal[0].data if len(journal) else {}
    delivered = {r["inject"] for r in journal.of_kind("inject.delivered") if not str(r["inject"]).startswith(("report:", "ioc:"))}
    peak, peak_t, peak_reason = 0, 0, "no confirmed impact"
    levels = []
    for r in journal.of_kind("severity.changed"):
        levels.append({"t": r.t, "time": format_time(r.t), "to": r["to"], "reason": r["reason"]})
        if r["to"] > peak:
            peak, peak_t, peak_reason = r["to"], r.t, r["reason"]
    effective = [
        {"t": r.t, "time": format_time(r.t), "decision": r["decision"], "name": r["name"], "team": r["team"], "ladder": r["ladder"]}
        for r in journal.of_kind("decision.effective")
    ]
    clocks = Counter(r.kind.split(".")[1] for r in journal.of_kind("clock.met", "clock.missed", "clock.pending"))
    missed = [{"clock": r["clock"], "label": r["label"], "time": format_time(r.t)} for r in journal.of_kind("clock.missed")]
    defaults = [{"point": r["point"], "option": r["option"], "time": format_time(r.t)}
                for r in journal.of_kind("decision_point.closed") if r["how"] == "default"]
    return {
        "scenario": started.get("scenario"),
        "seed": started.get("seed"),
        "records": len(journal),
        "end": format_time(journal[-1].t) if len(journal) else "T+00:00",
        "injects_delivered": len(delivered),
        "peak_eccs": peak,
        "peak_at": format_time(peak_t),
        "peak_reason": peak_reason,
        "severity": levels,
        "escalation": [e for e in effective if e["ladder"] in ("escalation", "technical")],
        "toolbox": [e for e in effective if e["ladder"] == "toolbox"],
        "national": [e for e in effective if e["ladder"] == "national"],
        "custom": [e for e in effective if e["ladder"] == "custom"],
        "refused": len(journal.of_kind("decision.refused")),
        "defaults_applied": defaults,
        "clocks": {"met": clocks.get("met", 0), "missed": clocks.get("missed", 0), "pending": clocks.get("pending", 0)},
        "clocks_missed": missed,
        "tlp_breaches": len(journal.of_kind("tlp.breach")),
        "outcome": outcome(journal),
    }


def render_text(s: dict[str, Any], sha: str) -> str:
    lines = [
        f"scenario {s['scenario']} · seed {s['seed']} · {s['records']} records · ended {s['end']}",
        f"injects delivered: {s['injects_delivered']}",
        f"peak ECCS {s['peak_eccs']} at {s['peak_at']}: {s['peak_reason']}",
    ]
    for lv in s["severity"]:
        lines.append(f"  {lv['time']}  ECCS -> {lv['to']}: {lv['reason']}")
    for title, key in (("escalation", "escalation"), ("Toolbox measures", "toolbox"), ("national decisions", "national"),
                       ("scenario decisions", "custom")):
        items = s[key]
        lines.append(f"{title}: " + (", ".join(f"{e['decision']} {e['time']}" for e in items) if items else "none"))
    c = s["clocks"]
    lines.append(f"clocks: {c['met']} met, {c['missed']} missed, {c['pending']} still running at the end")
    for m in s["clocks_missed"]:
        lines.append(f"  missed {m['time']}  {m['label']} ({m['clock']})")
    if s["defaults_applied"]:
        lines.append("defaults applied: " + ", ".join(f"{d['point']}={d['option']} {d['time']}" for d in s["defaults_applied"]))
    if s["refused"]:
        lines.append(f"refused decisions: {s['refused']}")
    if s["tlp_breaches"]:
        lines.append(f"TLP breaches: {s['tlp_breaches']}")
    if "outcome" in s:
        lines.append("outcome: " + ", ".join(f"{k} {'-' if v is None else v}" for k, v in s["outcome"].items()))
    lines.append(f"sha256 {sha}")
    return "\n".join(lines)
