"""Which record kinds the after-action report reads, and why it leaves the others out.

Every kind declared in :mod:`simulator.journal.records` is listed here, so a
new kind cannot reach the journal without someone deciding what the report
does with it (a test enforces it). A kind left out is left out on purpose,
with the reason an evaluator would accept.
"""

from __future__ import annotations

READ: dict[str, str] = {
    "exercise.started": "overview, participants, objectives",
    "exercise.ended": "overview",
    "inject.released": "timeline, appendix of injects",
    "inject.delivered": "timeline, response-time indicators",
    "state.changed": "impact chart",
    "severity.changed": "severity chart, timeline",
    "clock.started": "regulatory clocks",
    "clock.met": "regulatory clocks",
    "clock.missed": "regulatory clocks, findings",
    "clock.pending": "regulatory clocks (open at the end)",
    "report.filed": "regulatory clocks",
    "decision.refused": "decisions",
    "decision.accepted": "decisions, ratings",
    "decision.effective": "decisions",
    "decision.downgraded": "decisions",
    "decision.failed": "decisions",
    "decision.lapsed": "decisions",
    "vote.round": "decisions (unanimity rounds)",
    "decision_point.opened": "decisions, timing lanes",
    "decision_point.closed": "decisions, timing lanes",
    "decision_point.unresolved": "decisions (missed points)",
    "reserve.answered": "decisions",
    "reserve.deployed": "timeline",
    "tlp.breach": "findings",
    "observation.noted": "strengths, areas for improvement, ratings",
    "facilitator.fired": "timeline (facilitator actions)",
    "facilitator.held": "timeline (facilitator actions)",
    "facilitator.released": "timeline (facilitator actions)",
    "facilitator.channel": "timeline (facilitator actions)",
    "channel.changed": "timeline",
    "incident.started": "counterfactual (outcome measures)",
    "incident.compromised": "counterfactual (outcome measures)",
    "incident.contained": "counterfactual (outcome measures)",
    "incident.recovered": "counterfactual (outcome measures)",
    "incident.detected": "counterfactual (outcome measures: service loss)",
    "incident.service": "counterfactual (outcome measures: service loss)",
}
"""Kind -> the sections that use it."""

LEFT_OUT: dict[str, str] = {
    "decision.submitted": "what a submission became is read from accepted/refused, which follow it at once",
    "facilitator.injected": "the ad-hoc inject it adds is read from its inject.released",
    "facilitator.ignored": "an action that changed nothing",
    "inject.held": "the inject's release (or its absence) is what the timeline shows",
    "inject.cancelled": "a cancelled inject never reached anyone",
    "message.sent": "transport detail: delivery times are read from inject.delivered",
    "message.rerouted": "transport detail: its effect is in the delivery time",
    "message.waiting": "transport detail: its effect is in the delivery time",
    "message.queued": "transport detail: its effect is in the delivery time",
    "severity.reassessed": "same level, new reason: the chart shows levels",
    "incident.protected": "mechanism detail: its effect is in the entities hit",
    "incident.share": "mechanism detail: the decision (D04) and the deliveries are shown",
    "incident.patched": "mechanism detail: its effect is in the entities hit",
    "incident.tempo": "mechanism detail: its effect is in the entities hit",
    "public.line": "mechanism detail: its effect is in the disinformation peak",
    "adversary.reacted": "mechanism detail: its effects are journalled as state changes",
    "assistance.requested": "mechanism detail: its effect is in recovery (outcome measures)",
    "assistance.assigned": "mechanism detail: its effect is in recovery (outcome measures)",
    "assistance.arrived": "mechanism detail: its effect is in recovery (outcome measures)",
    "assistance.released": "mechanism detail: its effect is in recovery (outcome measures)",
    "assistance.refused": "mechanism detail: its effect is in recovery (outcome measures)",
}
"""Kind -> why the report does not show it."""
