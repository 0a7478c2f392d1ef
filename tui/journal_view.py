"""What the screens show, computed from the journal one record at a time.

:class:`JournalView` is fed the records appended since the last tick
(``journal.since(view.next_seq)``) and keeps plain Python state: each team's
inbox, the MSEL statuses, severity and per-MS impact, escalation, clocks,
decision points, decision logs, observations and a feed for the facilitator.
:meth:`JournalView.feed` returns a :class:`Changes` saying which parts moved,
so widgets update only what changed. Nothing here touches widgets or the
engine's internals; the engine is asked only through its public API
(``plan``, ``inject_status``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.engine.severity import COLOURS, NAMES
from simulator.engine.state import WorldState
from simulator.journal.journal import Record
from simulator.text import printable
from tui.describe import describe

if TYPE_CHECKING:
    from simulator.scenario.plan import Plan

COLOUR_ORDER = ("white", "green", "yellow", "red")
ESCALATION_KEYS = ("cyclone", "ipcr", "art222", "art427", "reserve_requested")
"""World-state fields that make up the escalation status line."""
FEED_LINES = 400
"""Lines of the facilitator's live feed kept in memory."""


@dataclass
class InboxItem:
    """One inject as a team received it (several of its actors may get a copy)."""

    seq: int
    t: int
    inject: str
    title: str
    body: str
    tlp: str
    sender: str
    actors: list[str]


@dataclass
class MselRow:
    """An inject of the master scenario events list, with what happened to it."""

    inject: str
    title: str
    planned: str
    planned_t: int | None
    to: list[str]
    tlp: str
    released_t: int | None = None
    deliveries: int = 0
    held_due: bool = False
    cancelled: bool = False
    adhoc: bool = False


@dataclass
class PointInfo:
    point: str
    team: str
    prompt: str
    opened: int
    deadline: int
    default: str
    options: list[dict[str, Any]]
    status: str = "open"
    outcome: str = ""


@dataclass
class ClockInfo:
    clock: str
    label: str
    owner: str
    basis: str
    started: int
    deadline: int
    status: str = "running"
    ended: int | None = None


@dataclass
class LogEntry:
    """One line of a team's decision log."""

    seq: int
    t: int
    kind: str
    what: str
    outcome: str
    rationale: str


@dataclass
class DecisionTrack:
    """What became of one team's submissions of one catalogue decision."""

    under_way: int = 0
    """Accepted, and not yet in effect, lapsed, failed or downgraded to another decision."""
    effective: int | None = None
    """When it first took effect (None: not yet)."""


@dataclass
class Changes:
    """Which parts of the view one batch of records moved."""

    records: int = 0
    inbox: set[str] = field(default_factory=set)
    log: set[str] = field(default_factory=set)
    msel: set[str] = field(default_factory=set)
    msel_added: bool = False
    severity: bool = False
    state: bool = False
    clocks: bool = False
    points: bool = False
    observations: bool = False
    decisions: bool = False
    ended: bool = False
    feed: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)
    """(message, severity) pairs worth a toast: new decision points, ECCS changes, missed clocks."""


class JournalView:
    """Incremental, journal-derived state of one exercise for the screens."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.next_seq = 0
        self.started: dict[str, Any] = {}
        self.inbox: dict[str, list[InboxItem]] = {t: [] for t in plan.teams}
        self._inbox_at: dict[tuple[str, str], InboxItem] = {}
        self.msel: dict[str, MselRow] = {}
        for inj in plan.scenario.injects:
            self.msel[inj.id] = MselRow(inj.id, inj.title, _planned(inj), inj.at, plan.recipients(inj.to), inj.tlp)
        defaults = WorldState()
        self.values: dict[str, Any] = {k: getattr(defaults, k) for k in ESCALATION_KEYS}
        self.values.update(outlook=defaults.outlook, attribution=defaults.attribution)
        self.impact: dict[tuple[str, str], str] = {}
        self.severity: dict[str, Any] = {"level": 0, "name": NAMES[0], "colour": COLOURS[0], "reason": "no confirmed impact",
                         "summary": "", "t": 0}
        self.clocks: dict[str, ClockInfo] = {}
        self.points: dict[str, PointInfo] = {}
        self.log: dict[str, list[LogEntry]] = {t: [] for t in plan.teams}
        self.tracks: dict[tuple[str, str], DecisionTrack] = {}
        """(team, decision) -> what became of the team's submissions of it (a repeatable one may be under way
        while the desk allows it again: the Decide list says so)."""
        self._voting: dict[str, str] = {}
        """Decision put to a Council vote -> the team that asked for it (vote rounds name no team)."""
        self.observations: list[Record] = []
        self.feed: deque[str] = deque(maxlen=FEED_LINES)
        self.ended = False
        self.now = 0

    # ------------------------------------------------------------ feeding
    def feed_records(self, records: Iterable[Record]) -> Changes:
        """Fold new records into the view; say what changed."""
        ch = Changes()
        for r in records:
            ch.records += 1
            self.next_seq = r.seq + 1
            self.now = max(self.now, r.t)
            handler = _HANDLERS.get(r.kind)
            if handler is not None:
                handler(self, r, ch)
            if r.kind.startswith("decision") or r.kind == "vote.round":
                self._log(r, ch)
            line = describe(r)
            if line is not None:
                self.feed.append(line)
                ch.feed.append(line)
        return ch

    def _started(self, r: Record, ch: Changes) -> None:
        if not self.started:
            self.started = dict(r.data)

    def _released(self, r: Record, ch: Changes) -> None:
        row = self.msel.get(r["inject"])
        if row is None:
            return  # reports filed by entities are not MSEL injects
        row.released_t, row.held_due = r.t, False
        ch.msel.add(row.inject)

    def _delivered(self, r: Record, ch: Changes) -> None:
        row = self.msel.get(r["inject"])
        if row is not None:
            row.deliveries += 1
            ch.msel.add(row.inject)
        for team in r.get("teams") or ():
            key = (team, r["inject"])
            item = self._inbox_at.get(key)
            if item is None:
                item = InboxItem(r.seq, r.t, r["inject"], printable(r["title"], one_line=True),
                                 printable(r.get("body", "")), r.get("tlp", ""),
                                 r.get("from", ""), [r["actor"]])
                self._inbox_at[key] = item
                self.inbox.setdefault(team, []).append(item)
            elif r["actor"] not in item.actors:
                item.actors.append(r["actor"])
            ch.inbox.add(team)

    def _held(self, r: Record, ch: Changes) -> None:
        row = self.msel.get(r["inject"])
        if row is not None:
            if r.kind == "inject.held":
                row.held_due = True
                ch.alerts.append((f"{row.inject} is due but held: release it with h, or fire it with f", "warning"))
            ch.msel.add(row.inject)

    def _cancelled(self, r: Record, ch: Changes) -> None:
        row = self.msel.get(r["inject"])
        if row is not None:
            row.cancelled = True
            ch.msel.add(row.inject)

    def _adhoc(self, r: Record, ch: Changes) -> None:
        spec = r["inject"]
        self.msel[spec["id"]] = MselRow(spec["id"], spec["title"], "ad hoc", r.t, self.plan.recipients(spec["to"]),
                                        spec.get("tlp", "TLP:AMBER"), adhoc=True)
        ch.msel_added = True

    def _state(self, r: Record, ch: Changes) -> None:
        for key, (_old, new) in r["changes"].items():
            if key.startswith("impact."):
                ms, _, sector = key[len("impact."):].partition("/")
                self.impact[(ms, sector)] = new
            else:
                self.values[key] = new
        ch.state = ch.decisions = True

    def _severity(self, r: Record, ch: Changes) -> None:
        self.severity = {"level": r["to"], "name": r["name"], "colour": r["colour"], "reason": r["reason"],
                         "summary": r.get("summary", ""), "t": r.t}
        ch.severity = ch.decisions = True
        ch.alerts.append((f"ECCS {r['from']} → {r['to']} ({r['name']}): {r['reason']}", "warning"))

    def _clock(self, r: Record, ch: Changes) -> None:
        if r.kind == "clock.started":
            self.clocks[r["clock"]] = ClockInfo(r["clock"], r["label"], r["owner"], r.get("basis", ""), r.t, r["deadline"])
        else:
            info = self.clocks.get(r["clock"])
            if info is not None:
                info.status = r.kind.split(".")[1]
                info.ended = r.t
            if r.kind == "clock.missed":
                ch.alerts.append((f"missed: {r['label']} ({r['owner']})", "error"))
        ch.clocks = True

    def _point(self, r: Record, ch: Changes) -> None:
        if r.kind == "decision_point.opened":
            self.points[r["point"]] = PointInfo(r["point"], r["team"], printable(r["prompt"]), r.t, r["deadline"],
                                                r["default"], list(r["options"]))
            ch.alerts.append((f"team {r['team']}: decision point {r['point']} is open", "information"))
        else:
            info = self.points.get(r["point"])
            if info is not None:
                info.status = "closed" if r.kind == "decision_point.closed" else "unresolved"
                if r.kind == "decision_point.closed":
                    info.outcome = f"{r['option']} ({r['how']})"
        ch.points = ch.decisions = True

    def _decision(self, r: Record, ch: Changes) -> None:
        """A catalogue decision accepted, in effect, or ended otherwise: every team's Decide list may read it."""
        ch.decisions = True
        team, decision = r.get("team"), r.get("decision")
        if team is None or decision is None:
            return
        track = self.tracks.setdefault((team, decision), DecisionTrack())
        if r.kind == "decision.accepted":
            track.under_way += 1
        elif r.kind != "decision.downgraded" or r.get("to") != decision:  # a downgrade to itself goes on
            track.under_way = max(0, track.under_way - 1)
            if r.kind == "decision.effective" and track.effective is None:
                track.effective = r.t

    def _observation(self, r: Record, ch: Changes) -> None:
        self.observations.append(r)
        ch.observations = True

    def _ended(self, r: Record, ch: Changes) -> None:
        self.ended = ch.ended = True

    def _log(self, r: Record, ch: Changes) -> None:
        if r.kind == "decision.accepted" and r.get("voting") not in (None, "none"):
            self._voting[r["decision"]] = r["team"]
        team = r.get("team") if r.kind != "vote.round" else self._voting.get(r.get("decision", ""))
        if team is None or team not in self.log:
            return
        what = r.get("decision") or ""
        if r.get("point"):
            what = f"{r['point']}:{r.get('option')}" + (f" → {what}" if what else "")
        rationale = r.get("rationale", "")
        outcome = {
            "decision.submitted": "submitted",
            "decision.accepted": "accepted",
            "decision.refused": f"refused: {r.get('reason', '')}",
            "decision.effective": "in effect",
            "decision.downgraded": f"downgraded to {r.get('to')}: {r.get('reason', '')}",
            "decision.failed": f"failed: {r.get('reason', '')}",
            "decision.lapsed": f"lapsed: {r.get('reason', '')}",
            "decision_point.closed": f"closed ({r.get('how')})",
            "vote.round": _vote(r),
        }.get(r.kind)
        if outcome is None:
            if not r.kind.startswith("decision."):
                return  # decision_point.opened / unresolved: the Decide tab shows points
            # a kind this view does not know (a newer engine): shown by its kind, never dropped
            outcome = r.kind.split(".", 1)[1] + (f": {r['reason']}" if r.get("reason") else "")
        if r.kind == "vote.round" and r.get("blockers"):
            ch.alerts.append((f"team {team}: {r['decision']} {outcome}", "warning"))
        if r.kind == "decision_point.closed":
            what = f"{r['point']}:{r['option']}"
            if r.get("how") != "default":
                return  # the submission already shows a decided point
        self.log[team].append(LogEntry(r.seq, r.t, r.kind, what, printable(outcome), printable(rationale)))
        ch.log.add(team)

    # ------------------------------------------------------------ reading
    def msel_status(self, row: MselRow, engine_status: str) -> str:
        """A word for the MSEL status column, from the records and the engine's status."""
        if row.cancelled or engine_status == "cancelled":
            return "cancelled"
        if row.released_t is not None:
            return "delivered" if row.deliveries else "in transit"
        if engine_status == "held":
            return "held (due)" if row.held_due else "held"
        if engine_status == "dormant":
            return "on decision"
        return "upcoming"

    def ms_colours(self, scope: set[str] | None = None) -> dict[str, str]:
        """Worst colour per Member State (all of them, or those in scope)."""
        out: dict[str, str] = {}
        for (ms, _sector), colour in sorted(self.impact.items()):
            if scope is not None and ms not in scope:
                continue
            if COLOUR_ORDER.index(colour) >= COLOUR_ORDER.index(out.get(ms, "white")):
                out[ms] = colour
        return out

    def team_scope(self, team: str) -> tuple[set[str] | None, set[str]]:
        """What a team is entitled to see: (Member States or None for all, actors it plays).

        A team that plays an EU-level actor (no Member State) sees the whole
        EU picture; a national team sees its own Member State(s). The
        facilitator sees everything.
        """
        t = self.plan.teams[team]
        actors = self.plan.network.actors
        plays = set(t.plays)
        if t.facilitator:
            return None, plays
        states = {ms for a in t.plays if a in actors and (ms := actors[a].ms)}
        eu_level = any(a in actors and not actors[a].ms for a in t.plays)
        return (None if eu_level else states), plays

    def team_clocks(self, team: str) -> list[ClockInfo]:
        """Clocks a team follows: its own actors', and its Member States' entities'."""
        states, plays = self.team_scope(team)
        actors = self.plan.network.actors
        if self.plan.teams[team].facilitator:
            return list(self.clocks.values())
        out = []
        for c in self.clocks.values():
            owner = actors.get(c.owner)
            if c.owner in plays or (states is not None and owner is not None and owner.ms in states):
                out.append(c)
        return out

    def open_points(self, team: str | None = None) -> list[PointInfo]:
        return [p for p in self.points.values() if p.status == "open" and (team is None or p.team == team)]


def _vote(r: Record) -> str:
    """One unanimity round as the team that asked for the vote reads it: the round, who blocked, why."""
    head = f"vote round {r.get('round')}/{r.get('of')}"
    blockers = r.get("blockers") or []
    if not blockers:
        return f"{head}: agreed"
    votes = r.get("votes") or {}
    why = ", ".join(f"{ms} ({(votes.get(ms) or {}).get('reason') or 'no reason given'})" for ms in blockers)
    return f"{head}: blocked by {why}"


def _planned(inj) -> str:
    from simulator.timefmt import format_duration, format_time

    if inj.at is not None:
        return format_time(inj.at)
    if inj.after is not None:
        return f"{inj.after.inject} +{format_duration(inj.after.delay)}"
    if inj.when is not None:
        return f"when {inj.when}"
    return "on decision"


_HANDLERS = {
    "exercise.started": JournalView._started,
    "inject.released": JournalView._released,
    "inject.delivered": JournalView._delivered,
    "inject.held": JournalView._held,
    "facilitator.held": JournalView._held,
    "facilitator.released": JournalView._held,
    "inject.cancelled": JournalView._cancelled,
    "facilitator.injected": JournalView._adhoc,
    "state.changed": JournalView._state,
    "severity.changed": JournalView._severity,
    "clock.started": JournalView._clock,
    "clock.met": JournalView._clock,
    "clock.missed": JournalView._clock,
    "clock.pending": JournalView._clock,
    "decision_point.opened": JournalView._point,
    "decision_point.closed": JournalView._point,
    "decision_point.unresolved": JournalView._point,
    "decision.accepted": JournalView._decision,
    "decision.effective": JournalView._decision,
    "decision.lapsed": JournalView._decision,
    "decision.failed": JournalView._decision,
    "decision.downgraded": JournalView._decision,
    "observation.noted": JournalView._observation,
    "exercise.ended": JournalView._ended,
}
"""Record kind -> the method that folds it into the view."""
