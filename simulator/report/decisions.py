"""Decisions as an evaluator reads them, assembled from the journal.

One row per decision a team took: a decision point answered (by the team or by
its default at the deadline) or a catalogue decision taken directly. Each row
carries the option chosen, the rationale, the state values its preconditions
read, the latency since its decision point opened, the refused attempts that
came before it, the unanimity rounds it went through (and who blocked), and
what became of it (effective, downgraded, failed, lapsed, still pending at the end).
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from simulator.report.view import ReportView


def _fmt_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt_value(x) for x in v) or "none"
    return str(v)


def _reads(reads: dict | None) -> list[dict[str, str]]:
    return [{"name": k, "value": _fmt_value(v)} for k, v in sorted((reads or {}).items())]


def _params(params: dict | None) -> list[dict[str, str]]:
    return [{"name": k, "value": _fmt_value(v)} for k, v in sorted((params or {}).items()) if v not in ("", None, False)]


def _outcome(status: str, when: dict | None = None, detail: str = "", after: str = "") -> dict[str, str]:
    """What became of a decision; always the same keys, so no template meets a missing one."""
    return {"status": status, "time": "", "calendar": "", **(when or {}), "detail": detail, "after": after}


def assemble(view: ReportView) -> dict[str, list[dict[str, Any]]]:
    """Decisions, refused attempts and decision points of the view, in time order."""
    rows: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    points: dict[str, dict[str, Any]] = {}
    pending: dict[str, deque] = defaultdict(deque)   # decision id -> rows awaiting an outcome
    last_close: dict[str, dict[str, Any]] = {}      # point -> row of its closure
    refusals_by: dict[tuple, list[str]] = defaultdict(list)
    for r in view.journal:
        k = r.kind
        if k == "decision_point.opened":
            options = {o["id"]: o for o in r.get("options", [])}
            points[r["point"]] = {
                "point": r["point"], "team": r["team"], "prompt": r.get("prompt"),
                "opened": view.when(r.t), "opened_t": r.t, "deadline": view.when(r["deadline"]),
                "default": r.get("default"), "options": options, "closed": None, "how": "open",
                "option": None, "latency": None, "tlp": r.get("tlp"),
            }
        elif k == "decision_point.closed":
            p = points.get(r["point"])
            opened_t = p["opened_t"] if p else r.t - r.get("latency", 0)
            latency = r.get("latency", r.t - opened_t)
            option = r.get("option")
            label = (p["options"].get(option) or {}).get("label") if p else None
            decision = (p["options"].get(option) or {}).get("decision") if p else None
            if p:
                p.update(closed=view.when(r.t), how=r["how"], option=option, latency=latency)
            row = _row(view, r, team=r["team"], decision=decision, point=r["point"], option=option,
                       option_label=label, how=r["how"],
                       latency=latency, rationale=r.get("rationale"), tlp=p.get("tlp") if p else None)
            row["refused_before"] = list(refusals_by.get((r["team"], r["point"]), []))
            rows.append(row)
            last_close[r["point"]] = row
        elif k == "decision_point.unresolved" and r["point"] in points:
            points[r["point"]]["how"] = "unresolved"  # still open when the exercise ended
        elif k == "decision.accepted":
            point = r.get("point")
            closed = last_close.get(point) if point else None
            if closed is not None and closed["t"] == r.t and closed["accepted"] is None and closed["option"] == r.get("option"):
                closed["accepted"] = True
            else:
                row = _row(view, r, team=r["team"], decision=r["decision"], point=None, option=None,
                           option_label=None, how="direct", latency=None, rationale=r.get("rationale"))
                row["refused_before"] = list(refusals_by.get((r["team"], r["decision"]), []))
                rows.append(row)
                row["accepted"] = True
            row.update(decision=r["decision"], name=r.get("name", r["decision"]), ladder=r.get("ladder"),
                       level=r.get("level"), voting=r.get("voting", "none"), reads=_reads(r.get("reads")),
                       params=_params(r.get("params")), default=bool(r.get("default")))
            pending[r["decision"]].append(row)
        elif k == "decision.refused":
            if not view.for_team(r["team"]):
                continue
            point_tlp = (points.get(r.get("point")) or {}).get("tlp")
            reason = view.text(r["reason"], "refusal reasons", point_tlp) or "(withheld at this TLP)"
            item = {
                **view.when(r.t), "team": r["team"], "decision": r.get("decision"), "point": r.get("point"),
                "option": r.get("option"), "reason": reason, "reads": _reads(r.get("reads")),
                "default": bool(r.get("default")),
            }
            refused.append(item)
            key = (r["team"], r.get("point") or r.get("decision"))
            refusals_by[key].append(f"{item['time']}: {reason}")
            if r.get("default") and r.get("point") in last_close:
                row = last_close[r["point"]]
                row["outcome"] = _outcome("refused", view.when(r.t), reason, view.duration(r.t - row["t"]))
        elif k == "vote.round":
            queue = pending.get(r["decision"])
            if queue:
                blockers = [{"ms": ms, "reason": (r["votes"].get(ms) or {}).get("reason", "")} for ms in r.get("blockers", [])]
                queue[0]["votes"].append({"round": r["round"], "of": r.get("of"), "result": r["result"],
                                          **view.when(r.t), "blockers": blockers})
        elif k in ("decision.effective", "decision.downgraded", "decision.failed", "decision.lapsed"):
            queue = pending.get(r["decision"])
            if queue:
                row = queue.popleft()
                status = k.split(".")[1]
                detail = r.get("reason", "")
                if k == "decision.downgraded":
                    detail = f"{detail}; {r['to']} ({r.get('name', '')}) taken instead".strip("; ")
                row["outcome"] = _outcome(status, view.when(r.t), detail, view.duration(r.t - row["t"]))
    for row in rows:
        if row["decision"] and row["name"] is None:
            row["name"] = catalogue_name(row["decision"])
        if row["decision"] and row["accepted"] is None and row["outcome"]["status"] == "pending":
            row["outcome"]["status"] = "already taken"
            row["outcome"]["detail"] = f"{row['decision']} had already been taken or was under way"
        elif row["outcome"]["status"] == "pending":
            row["outcome"]["detail"] = "not yet in effect when the exercise ended"
    rows = [row for row in rows if view.for_team(row["team"])]
    for row in rows:  # free text is filtered only for what the view keeps, so the counts are right
        # by the label of what it came from: a point's options and answers carry the point's label
        label = row.pop("tlp")
        row["rationale"] = view.text(row["rationale"], "decision rationales", label)
        row["option_label"] = view.text(row["option_label"], "option labels", label)
        row["refused_before"] = [t if view.allows(label or view.scenario_tlp) else "(withheld at this TLP)"
                                 for t in row["refused_before"]]
    for p in points.values():
        if view.for_team(p["team"]):
            p["prompt"] = view.text(p["prompt"], "decision point prompts", p.get("tlp"))
    point_rows = [
        {k: v for k, v in p.items() if k not in ("options", "opened_t")}
        | {"latency_text": view.duration(p["latency"]) if p["latency"] is not None else ""}
        for p in points.values() if view.for_team(p["team"])
    ]
    return {"decisions": rows, "refused": refused, "points": point_rows}


def catalogue_name(decision: str) -> str:
    """The bundled catalogue's name of a decision, or its id for scenario-specific ones."""
    from simulator.scenario.catalogue import bundled

    names = {d.id: d.name for d in bundled()}
    return names.get(decision, decision)


def _row(view: ReportView, r, *, team, decision, point, option, option_label, how, latency, rationale,
         tlp: str | None = None) -> dict[str, Any]:
    team_info = view.teams.get(team, {})
    return {
        **view.when(r.t), "seq": r.seq, "team": team, "team_name": team_info.get("name", team),
        "decision": decision, "name": None, "ladder": None, "level": None, "point": point, "option": option,
        "option_label": option_label, "how": how, "default": how == "default",
        "rationale": rationale,
        "latency": latency, "latency_text": view.duration(latency) if latency is not None else "",
        "reads": [], "params": [], "voting": "none", "votes": [], "accepted": None,
        "outcome": _outcome("pending" if decision else "no catalogue step"),
        "refused_before": [], "tlp": tlp,
    }
