"""One readable line per journal record, for the facilitator's live feed.

Plain text only (no markup), so a line reads the same with NO_COLOR and
cannot be broken by brackets in scenario text. Records that only add noise
in a live feed (each hop of a message) return None.
"""

from __future__ import annotations

from simulator.journal.journal import Record
from simulator.text import printable
from simulator.timefmt import format_time

QUIET_KINDS = frozenset({"message.sent", "exercise.started"})
"""Kinds left out of the feed: every message hop would drown the rest."""


def _what(r: Record) -> str:
    what = r.get("decision") or ""
    if r.get("point"):
        what = f"{r['point']}:{r.get('option')}" + (f" ({what})" if what else "")
    return what


def _state(d: dict) -> str:
    parts = [f"{key} {v[0]}→{v[1]}" for key, v in d["changes"].items() if not isinstance(v[1], (list, dict))]
    lists = [key for key, v in d["changes"].items() if isinstance(v[1], (list, dict))]
    if lists:
        parts.append("updated " + ", ".join(lists))
    return "state: " + "; ".join(parts)


_TEXT = {
    "incident.started": lambda r, d: f"incident model {d['model']}: {d['entities']} entities exposed",
    "incident.compromised": lambda r, d: f"{d['entity']} ({d['ms']}, {d['sector']}) hit: {d['cause']}",
    "incident.detected": lambda r, d: f"{d['entity']} detects the compromise",
    "incident.contained": lambda r, d: f"{d['entity']} contained ({d['cause']})",
    "incident.recovered": lambda r, d: f"{d['entity']} recovered after {d['hours']} h",
    "incident.service": lambda r, d: f"{d['entity']} service loss {d['loss']} ({d['cause']})",
    "incident.protected": lambda r, d: f"spread in {d['ms']} x{d['factor']} ({d['cause']})",
    "incident.share": lambda r, d: f"{d['decision']} indicators at {d['tlp']} to {', '.join(d['to']) or 'nobody'}",
    "incident.patched": lambda r, d: f"{d['decision']}: {d['count']} exposed entities patched",
    "incident.tempo": lambda r, d: f"adversary tempo {d['from']}→{d['to']} ({d['cause']})",
    "public.line": lambda r, d: f"{d['decision']}: public line {d['effect']}",
    "adversary.reacted": lambda r, d: f"adversary reacts ({d['reaction']}): {d['description'] or d['cause']}",
    "assistance.requested": lambda r, d: f"{d['ms']} asks {d['pool']} ({d['cause']})",
    "assistance.assigned": lambda r, d: f"{d['pool']} team assigned to {d['ms']}, on site in {d['arrives_in'] // 60} h",
    "assistance.arrived": lambda r, d: f"{d['pool']} team on site in {d['ms']}",
    "assistance.released": lambda r, d: f"{d['pool']} team leaves {d['ms']}",
    "assistance.refused": lambda r, d: f"{d['ms']}'s request to {d['pool']} refused: {d['reason']}",
    "inject.released": lambda r, d: f"{d['inject']} released by {d['from']}: {d['title']}",
    "inject.delivered": lambda r, d: f"{d['inject']} delivered to {d['actor']}"
                                     + (f" (team {', '.join(d['teams'])})" if d.get("teams") else ""),
    "inject.held": lambda r, d: f"{d['inject']} is due but held",
    "inject.cancelled": lambda r, d: f"{d['inject']} cancelled ({d['cause']})",
    "message.queued": lambda r, d: f"{d['actor']} overloaded: {d['inject']} waits in queue ({d['queue']})",
    "message.rerouted": lambda r, d: f"{d['inject']} rerouted ({d['blocked']} unusable)",
    "message.waiting": lambda r, d: f"{d['inject']} to {d['to']} waits: {d['reason']}",
    "state.changed": lambda r, d: _state(d),
    "severity.changed": lambda r, d: f"ECCS {d['from']} → {d['to']} {d['name']}: {d['reason']}",
    "clock.started": lambda r, d: f"clock started: {d['label']} for {d['owner']}, due {format_time(d['deadline'])}",
    "clock.met": lambda r, d: f"clock met: {d['label']} ({d['owner']})",
    "clock.missed": lambda r, d: f"CLOCK MISSED: {d['label']} ({d['owner']})",
    "clock.pending": lambda r, d: f"clock still running at the end: {d['label']} ({d['owner']})",
    "report.filed": lambda r, d: f"{d['owner']} filed {d['report']}" + (" (late)" if d.get("late") else ""),
    "channel.changed": lambda r, d: f"channel {d['channel']}: {d['from']} → {d['to']}",
    "decision_point.opened": lambda r, d: f"decision point {d['point']} open for {d['team']} until "
                                          f"{format_time(d['deadline'])}",
    "decision_point.closed": lambda r, d: f"decision point {d['point']} closed: {d['option']} ({d['how']})",
    "decision_point.unresolved": lambda r, d: f"decision point {d['point']} unresolved at the end",
    "decision.submitted": lambda r, d: f"{d['team']} submits {_what(r)}: “{d.get('rationale', '')}”",
    "decision.refused": lambda r, d: f"{d['team']}: {_what(r)} refused: {d.get('reason', '')}",
    "decision.accepted": lambda r, d: f"{d['team']}: {_what(r)} accepted",
    "decision.effective": lambda r, d: f"{d['decision']} in effect ({d['name']})",
    "decision.downgraded": lambda r, d: f"{d['decision']} downgraded to {d['to']}: {d['reason']}",
    "decision.failed": lambda r, d: f"{d['decision']} failed: {d['reason']}",
    "decision.lapsed": lambda r, d: f"{d['decision']} lapsed: {d['reason']}",
    "severity.reassessed": lambda r, d: f"ECCS {d['level']} reassessed: {d['reason']}",
    "vote.round": lambda r, d: f"vote on {d['decision']} round {d['round']}/{d['of']}: {d['result']}"
                               + (f" (blocked by {', '.join(d['blockers'])})" if d.get("blockers") else ""),
    "reserve.answered": lambda r, d: "Commission answers the Reserve request"
                                     + (f" of {d['ms']}" if d.get("ms") else "") + ": "
                                     + (d.get("answer") or ("approved" if d.get("approved") else "refused")),
    "reserve.deployed": lambda r, d: f"Reserve responders on site in {d.get('ms', '')} ({d.get('answer', '')})",
    "tlp.breach": lambda r, d: f"TLP BREACH by {d['team']}: {d['reason']}",
    "facilitator.fired": lambda r, d: f"facilitator fires {d['inject']}",
    "facilitator.ignored": lambda r, d: f"facilitator action ignored: {d['reason']}",
    "facilitator.held": lambda r, d: f"facilitator holds {d['inject']}",
    "facilitator.released": lambda r, d: f"facilitator releases {d['inject']}",
    "facilitator.injected": lambda r, d: f"facilitator adds {d['inject']['id']}: {d['inject']['title']}",
    "facilitator.channel": lambda r, d: f"facilitator sets channel {d['channel']} {d['status']}",
    "observation.noted": lambda r, d: f"observation ({d.get('category', d.get('kind', 'note'))}"
                                      + (f" {d['rating']}" if d.get("rating") else "")
                                      + (f", {d['objective']}" if d.get("objective") else "") + f"): {d['text']}",
    "exercise.ended": lambda r, d: f"exercise ended: {d.get('summary', '')}",
}
"""Record kind -> its one-line text; unknown kinds show their kind."""


def describe(r: Record) -> str | None:
    """A one-line summary of a record, or None for kinds the feed leaves out."""
    if r.kind in QUIET_KINDS:
        return None
    text = _TEXT.get(r.kind)
    body = text(r, r.data) if text is not None else r.kind
    return f"{format_time(r.t)}  {printable(body, one_line=True)}"
