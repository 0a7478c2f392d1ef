"""Objectives rated P / S / M / U (HSEEP) from the journal, with evaluator overrides.

Evidence for an objective comes from three places:

* expected actions (``expects`` of the injects that test it): a catalogue
  decision or a decision-point option, by a team, within a time of the inject's
  delivery to that team. Taken in time by that team is *ok*; taken late, by
  another team, or only after refused attempts is *challenged*; never taken
  is *failed*;
* decision points tagged with the objective: answered by the team is *ok*,
  closed by a default that is the option an inject expects is *challenged*,
  closed by the default at the deadline or still open at the end is *failed*
  (still open in a session that has not ended is not counted);
* regulatory clocks started by an inject that tests the objective: met is
  *ok*, missed is *failed*, still running at the end is not counted.

All ok gives P; nothing failed gives S; some failed gives M; all failed gives
U; no evidence leaves the objective unrated. An ``observation.noted`` record
of kind ``rating`` for the objective overrides the computed rating (the last
one wins), and the report shows both.
"""

from __future__ import annotations

from typing import Any

from simulator.report.view import ReportView, observation_kind

RATINGS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
"""HSEEP objective ratings."""


def rate(statuses: list[str]) -> str | None:
    """The HSEEP rating of a list of evidence statuses (ok / challenged / failed)."""
    if not statuses:
        return None
    if all(s == "ok" for s in statuses):
        return "P"
    failed = sum(s == "failed" for s in statuses)
    if failed == 0:
        return "S"
    return "U" if failed == len(statuses) else "M"


def _taken(view: ReportView, *, by_default: bool = False) -> dict[str, list[tuple[int, str]]]:
    """decision or option id -> [(time, team)] of every time a team took it
    (``by_default``: every time the deadline of a decision point applied it instead)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for r in view.journal:
        default = bool(r.get("default")) if r.kind == "decision.accepted" else r.get("how") == "default"
        if default != by_default:
            continue
        if r.kind == "decision.accepted":
            out.setdefault(r["decision"], []).append((r.t, r["team"]))
        elif r.kind == "decision_point.closed" and r.get("how") in ("decided", "default"):
            out.setdefault(r["option"], []).append((r.t, r["team"]))
    return out


def expected_options(view: ReportView) -> set[str]:
    """Decision and option ids some released inject expects a team to take."""
    return {e["decision"] for rel in view.journal.of_kind("inject.released") for e in rel.get("expects") or []}


def _refused(view: ReportView) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in view.journal.of_kind("decision.refused"):
        key = (r.get("decision") or r.get("option") or "", r["team"])
        out[key] = out.get(key, 0) + 1
    return out


def _delivered_to(view: ReportView) -> dict[tuple[str, str | None], int]:
    """(inject, team) -> first delivery time; (inject, None) -> first delivery to anyone."""
    out: dict[tuple[str, str | None], int] = {}
    for r in view.journal.of_kind("inject.delivered"):
        out.setdefault((r["inject"], None), r.t)
        for team in r.get("teams") or []:
            out.setdefault((r["inject"], team), r.t)
    return out


def expectation_items(view: ReportView) -> list[dict[str, Any]]:
    """One evidence item per expected action of every released inject."""
    taken, refused, delivered = _taken(view), _refused(view), _delivered_to(view)
    defaults = _taken(view, by_default=True)
    items = []
    for rel in view.journal.of_kind("inject.released"):
        visible = view.allows(rel["tlp"])
        for e in rel.get("expects") or []:
            team = e.get("team")
            start = delivered.get((rel["inject"], team), delivered.get((rel["inject"], None), rel.t))
            within = e.get("within")
            deadline = start + within if within is not None else None
            by = taken.get(e["decision"], [])
            mine = [(t, tm) for t, tm in by if team is None or tm == team]
            if mine:
                t, tm = mine[0]
                in_time = [x for x in mine if deadline is None or x[0] <= deadline]
                if in_time:
                    t, tm = in_time[0]
                    status, detail = "ok", f"taken by {tm} at {view.when(t)['time']}"
                    n = refused.get((e["decision"], tm), 0)
                    if n:
                        status, detail = "challenged", detail + f" after {n} refused attempt{'s' if n > 1 else ''}"
                else:  # nothing in time, so there is a deadline
                    assert deadline is not None
                    status = "challenged"
                    detail = f"taken by {tm} at {view.when(t)['time']}, {view.duration(t - deadline)} after the expected time"
            elif by:
                t, tm = by[0]
                status = "challenged"
                detail = f"taken by {tm} (not {team}) at {view.when(t)['time']}"
                if deadline is not None and t > deadline:
                    detail += ", late"
            elif defaults.get(e["decision"]):
                # the right step, but the deadline of a decision point took it, not the team
                t, tm = defaults[e["decision"]][0]
                status, detail = "challenged", f"applied by default for {tm} at {view.when(t)['time']} (no decision in time)"
            elif not view.finished and (deadline is None or deadline > view.end_t):
                continue  # the session has not ended and the time allowed has not run out: neither met nor missed
            else:
                status, detail = "failed", "not taken"
            what = f"{e['decision']}" + (f" by {team}" if team else "") + (f" within {view.duration(within)}" if within is not None else "")
            desc = e.get("description", "") if visible else ""
            objectives = [e["objective"]] if e.get("objective") else list(rel.get("objectives") or [])
            items.append({"kind": "expected action", "what": what, "description": desc, "status": status,
                          "detail": detail, "team": team, "objectives": objectives,
                          "withheld": bool(e.get("description")) and not visible,
                          "inject": rel["inject"] if visible else "", "deadline": view.when(deadline) if deadline is not None else None})
    return items


def objectives(view: ReportView, decisions: dict[str, list], clocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Every objective with its evidence, computed rating and any evaluator override."""
    items = expectation_items(view)
    expected = expected_options(view)
    point_objs = {p["id"]: p.get("objectives") or [] for p in view.started.get("points", [])}
    for p in decisions["points"]:
        if p["how"] == "open":
            continue  # the session has not ended: an open point is neither answered nor missed
        status = {"decided": "ok"}.get(p["how"], "failed")
        detail = {"decided": f"answered {p['option']} after {p['latency_text']}",
                  "default": f"deadline passed: default {p['option']} applied",
                  "unresolved": "still open when the exercise ended"}.get(p["how"], p["how"])
        if p["how"] == "default" and p["option"] in expected:
            # a correct default: the outcome is what the scenario expects, only the team did not decide in time
            status, detail = "challenged", detail + " (the option the scenario expects)"
        items.append({"kind": "decision point", "what": p["point"], "description": p["prompt"] or "", "status": status,
                      "detail": detail, "team": p["team"], "objectives": point_objs.get(p["point"], []), "inject": ""})
    tested_by: dict[str, list[str]] = {}
    for rel in view.journal.of_kind("inject.released"):
        tested_by[rel["inject"]] = list(rel.get("objectives") or [])
    for c in clocks:
        objs = tested_by.get(c["cause"] or "", [])
        if not objs or c["status"] in ("pending", "running"):
            continue
        status = "ok" if c["status"] == "met" else "failed"
        items.append({"kind": "clock", "what": f"{c['label']}: {c['owner']}", "description": "", "status": status,
                      "detail": c["margin_text"], "team": c["played_by"], "objectives": objs, "inject": ""})
    overrides: dict[str, dict[str, Any]] = {}
    for r in view.journal.of_kind("observation.noted"):
        if observation_kind(r) == "rating" and r.get("objective") and r.get("rating") in RATINGS:
            if view.team is None or r.get("team") in (None, view.team):
                overrides[r["objective"]] = {"rating": r["rating"], "author": r.get("author", "evaluator"),
                                             "text": view.text(r.get("text"), "observations") or "", **view.when(r.t)}
    shown: set[int] = set()
    out, other_teams = [], 0
    for o in view.started.get("objectives", []):
        mine = [i for i in items if o["id"] in i["objectives"] and (view.team is None or i["team"] in (None, view.team))]
        if view.team is not None and not mine and o["id"] not in overrides:
            other_teams += 1
            continue
        shown.update(id(i) for i in mine)
        computed = rate([i["status"] for i in mine])
        override = overrides.get(o["id"])
        final: str | None = override["rating"] if override else computed
        out.append({
            "id": o["id"], "title": o.get("title", ""), "description": o.get("description", ""),
            "capability": o.get("capability", ""), "computed": computed, "rating": final,
            "label": RATINGS.get(final or "", "Not rated: no evidence in the journal"),
            "override": override, "evidence": [{k: v for k, v in i.items() if k not in ("objectives", "withheld")} for i in mine],
        })
    hidden = sum(1 for i in items if id(i) in shown and i.get("withheld"))
    if hidden:
        view.withheld.add("expected-action descriptions", hidden)
    return {"objectives": out, "other_teams": other_teams}
