"""The exercise timeline and the injects as the audience may see them.

One row per thing a reader of an after-action report wants to see, in time
order: injects (with who received them when), severity changes, decision
points, decisions and their outcomes, clocks met or missed, TLP breaches,
channel changes, facilitator actions and evaluator notes. Message hops are
left out (they are in the event log). Injects above the audience's TLP label
are left out entirely and counted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from simulator.report.view import ReportView, observation_kind

KNOWN_KINDS = frozenset({
    "exercise.started", "exercise.ended", "inject.released", "inject.delivered", "inject.held", "inject.cancelled",
    "message.sent", "message.queued", "message.rerouted", "message.waiting", "state.changed",
    "severity.changed", "severity.reassessed", "clock.started", "clock.met", "clock.missed", "clock.pending",
    "report.filed", "channel.changed", "decision_point.opened", "decision_point.closed", "decision_point.unresolved",
    "decision.submitted", "decision.accepted", "decision.refused", "decision.effective", "decision.downgraded",
    "decision.failed", "decision.lapsed", "vote.round", "reserve.answered", "tlp.breach", "facilitator.fired",
    "facilitator.held", "facilitator.released", "facilitator.injected", "facilitator.channel", "facilitator.ignored",
    "observation.noted",
})
"""Record kinds the report reads (or leaves out on purpose, like message hops). Any other
kind -- from a newer engine, say -- is listed in the timeline by its kind, never dropped unseen."""

FACILITATOR_VERBS = {
    "facilitator.fired": "fired inject",
    "facilitator.held": "held inject",
    "facilitator.released": "released inject",
    "facilitator.channel": "set channel",
}


def injects(view: ReportView) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Injects the view may show (content, recipients, delivery times per team), and
    every delivery in the view with its time and level (for KPIs and charts), content-free
    for injects above the audience's label."""
    released: dict[str, dict[str, Any]] = {}
    deliveries: dict[str, list] = defaultdict(list)
    for r in view.journal:
        if r.kind == "inject.released":
            released.setdefault(r["inject"], {"rec": r})
        elif r.kind == "inject.delivered":
            deliveries[r["inject"]].append(r)
    out, timing = [], []
    hidden_injects = hidden_deliveries = 0
    for n, (ident, d) in enumerate(_all_injects(released, deliveries)):
        rel = d.get("rec")
        dels = deliveries.get(ident, [])
        tlp = rel["tlp"] if rel is not None else (dels[0]["tlp"] if dels else "TLP:AMBER")
        mine = [x for x in dels if view.received(x.get("teams"))]
        if view.team is not None and not mine:
            continue
        visible = view.allows(tlp)
        first = rel if rel is not None else dels[0]
        title = first.get("title") or (dels[0].get("title") if dels else "")
        control = view.from_control(first.get("from"))
        for x in mine:
            timing.append({"t": x.t, "actor": x["actor"], "level": view.actors.level(x["actor"]), "n": n,
                           "teams": list(x.get("teams") or []), "control": control,
                           "inject": ident if visible else "", "visible": visible,
                           "title": f"{ident}: {title}" if visible else f"an inject marked above {view.audience}"})
        if not visible:
            hidden_injects += 1
            hidden_deliveries += len(mine)
            continue
        body = next((x.get("body") for x in dels if x.get("body")), "")
        per_team: dict[str, int] = {}
        for x in mine:
            for team in x.get("teams") or []:
                per_team.setdefault(team, x.t)
        out.append({
            **view.when(first.t), "inject": ident, "title": title,
            "body": body, "tlp": tlp, "from": first.get("from"), "to": list(rel["to"]) if rel is not None else
            sorted({x["actor"] for x in dels}), "cause": rel.get("cause") if rel is not None else "report",
            "objectives": list(rel.get("objectives") or []) if rel is not None else [],
            "expects": list(rel.get("expects") or []) if rel is not None else [],
            "received": [{"team": t, "team_name": view.teams.get(t, {}).get("name", t), **view.when(tt)}
                         for t, tt in sorted(per_team.items(), key=lambda kv: (kv[1], kv[0]))],
            "deliveries": [{"actor": x["actor"], "level": view.actors.level(x["actor"]), **view.when(x.t)} for x in mine],
            "generated": rel is None,
        })
    if hidden_injects:
        view.withheld.add("injects (titles and bodies)", hidden_injects)
    if hidden_deliveries:
        view.withheld.add("inject deliveries", hidden_deliveries)
    timing.sort(key=lambda d: (d["t"], d["actor"]))
    return out, timing


def _all_injects(released, deliveries):
    """Released injects, then report notes the engine generated (only delivered)."""
    seen = set()
    for ident, d in released.items():
        seen.add(ident)
        yield ident, d
    for ident in deliveries:
        if ident not in seen:
            yield ident, {}


def build(view: ReportView, inject_rows: list[dict[str, Any]], decisions: dict[str, list]) -> list[dict[str, Any]]:
    """Timeline rows sorted by time, then journal order."""
    rows: list[tuple[int, int, dict[str, Any]]] = []

    def add(t: int, order: int, what: str, text: str, team: str | None = None, detail: str = "", tlp: str = "") -> None:
        rows.append((t, order, {**view.when(t), "what": what, "text": text, "team": team or "", "detail": detail, "tlp": tlp}))

    for inj in inject_rows:
        if view.team is not None and inj["received"]:
            t = inj["received"][0]["t"]
        else:
            t = inj["t"]
        recv = "; ".join(f"{x['team']} {x['time']}" for x in inj["received"]) or "no team (simulated actors only)"
        add(t, 0, "inject", f"{inj['inject']}: {inj['title']}", detail=f"from {inj['from']}; received: {recv}", tlp=inj["tlp"])
    for d in decisions["decisions"]:
        label = d["decision"] or ""
        if d["point"]:
            what = "default applied" if d["default"] else "decision"
            text = f"{d['point']} → {d['option']}" + (f" ({d['option_label']})" if d["option_label"] else "")
            if d["decision"]:
                text += f": {label} {d['name'] or ''}".rstrip()
        else:
            what, text = "decision", f"{label} {d['name'] or ''}".rstrip()
        add(d["t"], 2, what, text, team=d["team"], detail=d["rationale"] or "")
        out = d["outcome"]
        if out["status"] in ("effective", "downgraded", "failed", "lapsed") and out.get("t") is not None:
            add(out["t"], 3, f"decision {out['status']}", f"{label} {d['name'] or ''}".rstrip(), team=d["team"], detail=out["detail"])
        for v in d["votes"]:
            if v["result"] != "agreed":
                who = ", ".join(b["ms"] for b in v["blockers"])
                add(v["t"], 3, "vote blocked", f"{label} round {v['round']} of {v['of']}", team=d["team"], detail=f"blocked by {who}")
    for f in decisions["refused"]:
        add(f["t"], 2, "refused", f"{f['decision'] or f['point'] or ''} {f['option'] or ''}".strip(), team=f["team"], detail=f["reason"])
    for p in decisions["points"]:
        prompt = p["prompt"] or ""
        add(p["opened"]["t"], 1, "decision point", f"{p['point']} opened (deadline {p['deadline']['time']})", team=p["team"], detail=prompt)
    for r in view.journal:
        k = r.kind
        if k == "severity.changed":
            add(r.t, 1, "severity", f"ECCS {r['from']} → {r['to']} ({r.get('name', '')})", detail=r.get("reason", ""))
        elif k in ("clock.met", "clock.missed") and _clock_visible(view, r["owner"]):
            add(r.t, 4, k.replace(".", " "), f"{r.get('label', r['clock'])}: {r['owner']}")
        elif k == "tlp.breach" and view.for_team(r.get("team")):
            add(r.t, 4, "TLP breach", f"{r.get('decision', '')} shared as {r.get('shared_as', '')}", team=r.get("team"), detail=r.get("reason", ""))
        elif k == "channel.changed" and view.team is None:
            add(r.t, 4, "channel", f"{r['channel']}: {r['from']} → {r['to']}", detail=f"cause: {r.get('cause', '')}")
        elif k in FACILITATOR_VERBS and view.team is None:
            target = r.get("inject") or f"{r.get('channel')} {r.get('status')}"
            if r.get("inject") and not view.allows(view.inject_tlp(r["inject"])):
                continue
            add(r.t, 4, "facilitator", f"{FACILITATOR_VERBS[k]} {target}")
        elif k == "reserve.answered" and view.team is None:
            add(r.t, 4, "reserve", "EU Cybersecurity Reserve request answered"
                + (f" for {r['ms']}" if r.get("ms") else "") + (f" ({r['answer']})" if r.get("answer")
                                                                  else " (approved)" if r.get("approved") else ""))
        elif k == "reserve.deployed" and view.team is None:
            add(r.t, 4, "reserve", f"EU Cybersecurity Reserve responders on site in {r.get('ms', '')}")
        elif k == "observation.noted" and observation_kind(r) == "note" and (r.get("team") is None or view.for_team(r.get("team"))):
            note = view.text(r.get("text"), "observations")
            if note:
                add(r.t, 5, "note", note, team=r.get("team"), detail=f"by {r.get('author', 'evaluator')}")
        elif k == "exercise.ended":
            add(r.t, 9, "end", "exercise ended", detail=r.get("summary", ""))
        elif k not in KNOWN_KINDS and view.team is None:
            # its content has no TLP label the report can trust: only its kind and time are shown
            add(r.t, 8, "other record", k, detail="a record kind this report does not read; see the event log")
    rows.sort(key=lambda x: (x[0], x[1]))
    return [row for _, _, row in rows]


def _clock_visible(view: ReportView, owner: str) -> bool:
    if view.team is None:
        return True
    if owner in view.team_actors():
        return True
    ms = view.actors.ms(owner)
    return ms is not None and ms in view.team_ms()
