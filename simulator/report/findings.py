"""Strengths, areas for improvement, the improvement plan and the participants.

Strengths and areas for improvement are what evaluators noted
(``observation.noted`` of kind ``strength`` / ``improvement``). The HSEEP
improvement plan turns every area for improvement, missed clock, default
applied at a decision point, TLP breach and objective rated M or U into a
row with a capability, a proposed corrective action, a capability element
(Planning, Organization, Equipment, Training, Exercises), the responsible
organisation and its point of contact, and proposed dates: start the day
after the exercise ends, complete 90 days later (180 for objectives to be
re-tested). The dates are proposals for the after-action meeting to confirm.
"""

from __future__ import annotations

from typing import Any

from simulator.report.view import ReportView, observation_kind

PLAN_DAYS = 90
"""Proposed time to complete a corrective action."""
RETEST_DAYS = 180
"""Proposed time to re-test an objective rated M or U (the next exercise)."""


def observations(view: ReportView) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"strength": [], "improvement": [], "unclassified": []}
    for r in view.journal.of_kind("observation.noted"):
        kind = observation_kind(r)
        if kind not in out or not (r.get("team") is None or view.for_team(r.get("team"))):
            continue
        text = view.text(r.get("text"), "observations")
        if not text:
            continue
        out[kind].append({**view.when(r.t), "text": text, "team": r.get("team") or "", "objective": r.get("objective") or "",
                          "author": r.get("author") or "evaluator"})
    return out


def _org(view: ReportView, team: str | None) -> tuple[str, str]:
    t = view.teams.get(team or "")
    if t is None:
        fac = next((x for x in view.teams.values() if x.get("facilitator")), None)
        if fac is None:
            return "Exercise planning team", ""
        t = fac
    return t.get("organisation") or t.get("name") or t["id"], t.get("contact") or ""


def improvement_plan(view: ReportView, afis: list[dict[str, Any]], clocks: list[dict[str, Any]],
                     decisions: dict[str, list], objectives: list[dict[str, Any]],
                     breaches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    caps = {o["id"]: o.get("capability") or "" for o in view.started.get("objectives", [])}
    point_objs = {p["id"]: p.get("objectives") or [] for p in view.started.get("points", [])}
    tested_by = {r["inject"]: list(r.get("objectives") or []) for r in view.journal.of_kind("inject.released")}
    start = view.date(view.end_t, 1)

    def row(capability, issue, action, element, team, source, days=PLAN_DAYS, owner=None):
        org, contact = _org(view, team) if team or owner is None else (owner, "")
        return {"capability": capability or "General", "issue": issue, "action": action, "element": element,
                "organisation": org, "contact": contact, "start": start, "completion": view.date(view.end_t, 1 + days),
                "source": source}

    rows = []
    for a in afis:
        rows.append(row(caps.get(a["objective"], ""), a["text"],
                        "Agree a corrective action and an owner at the after-action meeting.", "Planning",
                        a["team"] or None, f"observation {a['time']}"))
    for c in clocks:
        if c["status"] != "missed":
            continue
        objs = tested_by.get(c["cause"] or "", [])
        filed = f"filed {c['filed']['time']}" if c["filed"] else "not filed by the end"
        rows.append(row(caps.get(objs[0], "") if objs else "Incident reporting",
                        f"{c['label']} for {c['owner_name']} missed (deadline {c['deadline']['time']}, {filed}).",
                        f"Rehearse the {c['label']} ({c['basis']}): a pre-filled template and a named person "
                        f"who files it before the deadline.", "Planning", c["played_by"], f"clock {c['clock']}",
                        owner=f"{c['owner_name']} (simulated entity)"))
    for d in decisions["decisions"]:
        if not d["default"]:
            continue
        objs = point_objs.get(d["point"], [])
        rows.append(row(caps.get(objs[0], "") if objs else "Operational coordination",
                        f"No decision at {d['point']} before its deadline ({d['time']}): default {d['option']} applied.",
                        f"Pre-agree the criteria for {d['point']} and who has the authority to decide, "
                        "so the team decides before the deadline.", "Organization", d["team"], f"decision point {d['point']}"))
    for b in breaches:
        rows.append(row("Intelligence and information sharing",
                        f"TLP breach at {b['time']}: {b['decision']} shared as {b['shared_as']} ({b['reason']}).",
                        "Brief the team on TLP 2.0 and on sanitising derived products before wider sharing.",
                        "Training", b["team"] or None, "TLP breach"))
    for o in objectives:
        if o["rating"] not in ("M", "U"):
            continue
        failed = [e for e in o["evidence"] if e["status"] != "ok"]
        team = next((e["team"] for e in failed if e.get("team")), None)
        why = "; ".join(f"{e['what']}: {e['detail']}" for e in failed) or "rated by the evaluator"
        rows.append(row(o["capability"], f"{o['id']} {o['title']} rated {o['rating']} ({o['label']}): {why}.",
                        f"Review the procedures behind {o['id']} and re-test it in the next exercise.", "Training",
                        team, f"objective {o['id']}", days=RETEST_DAYS))
    return rows


def participants(view: ReportView, timing: list[dict[str, Any]], decisions: dict[str, list]) -> list[dict[str, Any]]:
    out = []
    for t in view.teams.values():
        received = {d["n"] for d in timing if t["id"] in d["teams"]}
        out.append({
            "id": t["id"], "name": t.get("name", t["id"]), "organisation": t.get("organisation", ""),
            "contact": t.get("contact", ""), "facilitator": bool(t.get("facilitator")),
            "plays": [{"actor": a, "level": view.actors.level(a)} for a in t.get("plays", [])],
            "injects": len(received),
            "decisions": sum(d["team"] == t["id"] for d in decisions["decisions"]),
            "refused": sum(f["team"] == t["id"] for f in decisions["refused"]),
        })
    return out
