"""The after-action report as plain data, computed from the journal alone.

:func:`build` returns dicts, lists and strings only (JSON-serialisable), so the
same data feeds the built-in templates and, through a subprocess, a user's
sandboxed templates. Charts are added by the HTML renderer, not here.
"""

from __future__ import annotations

from typing import Any

from simulator.journal.journal import Journal
from simulator.report import clocks as clocks_mod
from simulator.report import decisions as decisions_mod
from simulator.report import findings, infoflow, kpis, ratings, timeline
from simulator.report.actors import LEVELS
from simulator.report.view import ReportView
from simulator.timefmt import format_time


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def build(journal: Journal, *, audience: str | None = None, team: str | None = None, plan=None,
          counterfactual: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report data for one audience (default: the scenario's TLP) and optionally one team.

    ``counterfactual``: :func:`simulator.report.counterfactual.compare` of this
    journal, shown as its own section (computed by the caller: it replays the scenario)."""
    view = ReportView(journal, audience=audience, team=team, plan=plan)
    s = view.started
    injects, timing = timeline.injects(view)
    dec = decisions_mod.assemble(view)
    clocks = clocks_mod.assemble(view)
    obj = ratings.objectives(view, dec, clocks)
    obs = findings.observations(view)
    breaches = kpis.breaches(view)
    severity = [{**view.when(r.t), "from": r["from"], "to": r["to"], "name": r.get("name", ""),
                 "colour": r.get("colour", ""), "reason": r.get("reason", ""), "summary": r.get("summary", "")}
                for r in journal.of_kind("severity.changed")]
    peak = max(severity, key=lambda c: (c["to"], -c["t"]), default=None)
    ended = next((r for r in reversed(journal.of_kind("exercise.ended"))), None)
    key = [d for d in dec["decisions"]
           if d["point"] or (d["ladder"] in ("escalation", "toolbox", "national") and d["outcome"]["status"] != "pending")]
    teams = [{"id": t["id"], "name": t.get("name", t["id"]), "organisation": t.get("organisation", ""),
              "contact": t.get("contact", ""), "facilitator": bool(t.get("facilitator")), "plays": list(t.get("plays", []))}
             for t in view.teams.values()]
    data: dict[str, Any] = {
        "meta": {
            "audience": view.audience, "audience_class": view.audience.split(":")[1].lower().replace("+", "-"),
            "scenario_tlp": view.scenario_tlp, "team": team, "team_name": view.teams[team]["name"] if team else "",
            "journal_sha256": journal.export_hash(), "records": len(journal),
        },
        "overview": {
            "id": s.get("scenario", ""), "title": s.get("title") or s.get("scenario", ""), "summary": s.get("summary", ""),
            "description": [p for p in (view.text(x, "storyline paragraphs") for x in _paragraphs(s.get("description"))) if p],
            "kind": s.get("exercise_kind", ""), "tlp": view.scenario_tlp, "seed": s.get("seed"),
            "start": view.when(0), "start_long": view.long_calendar(0),
            "end": view.when(view.end_t), "end_long": view.long_calendar(view.end_t),
            "duration": view.duration(s.get("duration", view.end_t)), "played": view.duration(view.end_t),
            "member_states": list(s.get("member_states") or []), "sectors": list(s.get("sectors") or []),
            "teams": teams, "objectives": [{"id": o["id"], "title": o.get("title", ""), "description": o.get("description", ""),
                                            "capability": o.get("capability", "")} for o in s.get("objectives", [])],
            "storyline": [{"time": c["time"], "calendar": c["calendar"], "text": f"ECCS {c['to']} ({c['name']}): {c['reason']}"}
                          for c in severity],
            "content_hash": s.get("content_hash", ""),
        },
        "executive": {
            "peak": peak, "final": ended.get("summary", "") if ended else "",
            "key_decisions": key,
            "clocks_missed": [c for c in clocks if c["status"] == "missed"],
            "clocks": {st: sum(c["status"] == st for c in clocks) for st in ("met", "missed", "pending")},
            "ratings": [{"id": o["id"], "title": o["title"], "rating": o["rating"], "label": o["label"]} for o in obj["objectives"]],
            "defaults": sum(1 for d in dec["decisions"] if d["default"]),
            "refused": len(dec["refused"]), "breaches": len(breaches),
            "injects": len(injects),
        },
        "severity": severity,
        "injects": injects,
        "timeline": timeline.build(view, injects, dec),
        "decisions": dec["decisions"], "refused": dec["refused"], "points": dec["points"],
        "clocks": clocks,
        "kpis": {
            "notify": kpis.notify(view, clocks),
            "escalation": kpis.escalation(view, timing, dec["decisions"]),
            "latency": kpis.latency(view, dec),
            "breaches": breaches,
            "levels": kpis.levels(view, timing, dec["decisions"]),
        },
        "objectives": obj["objectives"], "objectives_other_teams": obj["other_teams"],
        "ratings_legend": [{"rating": k, "label": v} for k, v in ratings.RATINGS.items()],
        "strengths": obs["strength"], "improvements": obs["improvement"], "other_observations": obs["unclassified"],
    }
    data["counterfactual"] = counterfactual
    data["improvement_plan"] = findings.improvement_plan(view, obs["improvement"], clocks, dec, obj["objectives"], breaches)
    data["participants"] = findings.participants(view, timing, dec)
    data["lanes"] = _lanes(timing, dec["decisions"])
    data["infoflow"] = infoflow.build(journal, plan=plan, directory=view.actors)
    data["meta"]["withheld"] = view.withheld.as_list()
    data["meta"]["withheld_total"] = view.withheld.total()
    return data


def _lanes(timing: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Swimlane data: per level, deliveries, decisions in effect, first arrival."""
    lanes = []
    for level in LEVELS:
        dels = [{"t": d["t"], "title": f"{format_time(d['t'])} to {d['actor']}: {d['title']}"}
                for d in timing if d["level"] == level]
        acts = [{"t": d["outcome"]["t"], "title": f"{d['outcome']['time']} {d['decision']} {d['name']} ({d['team']})"}
                for d in decisions if d["level"] == level and d["outcome"]["status"] == "effective"]
        first = {"t": dels[0]["t"], "time": format_time(dels[0]["t"])} if dels else None
        lanes.append({"level": level, "deliveries": dels, "actions": acts, "first": first})
    return lanes
