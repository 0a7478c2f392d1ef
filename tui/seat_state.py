"""What a seat's screen shows, folded from the host's messages one at a time.

:class:`SeatState` is plain data: the seat's inbox and media feed, its open
decision points, its log of answers and decisions, the clock, and (for
exercise control) who is connected and what was refused. The seat app feeds
it every message from :class:`~simulator.host.client.SeatClient` and gets
back which parts moved, so widgets update only those. Nothing here touches
a widget or a socket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.timefmt import format_time
from tui.describe import describe


@dataclass
class Delivery:
    seq: int
    t: int
    sender: str
    to: str
    tlp: str
    title: str
    body: str


@dataclass
class OpenPoint:
    point: str
    prompt: str
    deadline: int
    default: str
    options: list[dict[str, Any]]
    status: str = "open"


@dataclass
class Moved:
    """Which parts of the state one message changed."""

    inbox: bool = False
    media: bool = False
    points: bool = False
    log: bool = False
    clock: bool = False
    seats: bool = False
    feed: bool = False
    welcome: bool = False
    commcheck: int = 0
    toast: str = ""
    ended: bool = False
    forecast: bool = False
    briefing: bool = False
    toasts: list[str] = field(default_factory=list)
    """A batch's toasts, in order (see :meth:`merge`)."""

    def merge(self, other: Moved) -> None:
        """Fold the moves of a later message into this one: a batch of messages is drawn once."""
        for name in ("inbox", "media", "points", "log", "clock", "seats", "feed", "welcome", "ended", "forecast",
                     "briefing"):
            setattr(self, name, getattr(self, name) or getattr(other, name))
        self.commcheck = other.commcheck or self.commcheck
        self.toasts += [other.toast] if other.toast else other.toasts


@dataclass
class SeatState:
    """Everything the seat has been told, in the order it was told."""

    seat: str = ""
    role: str = ""
    team: str | None = None
    label: str = ""
    title: str = ""
    briefing: dict[str, Any] = field(default_factory=dict)
    inbox: list[Delivery] = field(default_factory=list)
    media: list[Delivery] = field(default_factory=list)
    points: dict[str, OpenPoint] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    feed: list[str] = field(default_factory=list)
    """Lines for the feed tab (the widget keeps only the last few hundred)."""
    alerts: list[str] = field(default_factory=list)
    seats: list[dict[str, Any]] = field(default_factory=list)
    clock: dict[str, Any] = field(default_factory=dict)
    commcheck: int = 0
    acked: int = 0
    connection: str = "connecting"
    ended: bool = False
    forecast: dict[str, Any] | None = None
    """The last ``forecast`` frame (facilitator seats): its table lines and annex, or why it failed."""

    def feed_messages(self, msgs: list[dict[str, Any]]) -> Moved:
        """Fold a batch of messages in order; say what any of them moved."""
        moved = Moved()
        for msg in msgs:
            moved.merge(self.feed_message(msg))
        return moved

    def feed_message(self, msg: dict[str, Any]) -> Moved:
        kind = msg.get("type")
        moved = Moved()
        if kind == "welcome":
            self.seat, self.role, self.team = msg.get("seat", ""), msg.get("role", ""), msg.get("team")
            self.label = msg.get("label", "")
            self.title = (msg.get("scenario") or {}).get("title", "")
            self.clock = msg.get("clock") or {}
            self.connection = "connected"
            moved.welcome = moved.clock = True
        elif kind == "record":
            self._record(msg, moved)
        elif kind == "clock":
            self.clock = msg
            moved.clock = True
        elif kind == "seats":
            self.seats = list(msg.get("seats", []))
            self.commcheck = msg.get("commcheck", self.commcheck)
            moved.seats = True
        elif kind == "commcheck":
            self.commcheck = int(msg.get("id", 0))
            moved.commcheck = self.commcheck
            moved.toast = msg.get("text", "Comm check: acknowledge.")
        elif kind == "answer":
            verdict = "accepted" if msg.get("accepted") else "refused"
            reasons = "; ".join(msg.get("reasons") or [])
            line = f"{msg.get('for', 'input')} {msg.get('ref', '')} {verdict}" + (f": {reasons}" if reasons else "")
            self.log.append(line)
            if msg.get("for") == "ack" and msg.get("accepted"):
                self.acked = self.commcheck
            moved.log, moved.toast = True, line
        elif kind == "alert":
            self.alerts.append(f"{msg.get('event')}: seat {msg.get('seat') or '-'} from {msg.get('peer')}: {msg.get('reason')}")
            moved.feed = True
        elif kind == "forecast":
            self.forecast = msg
            line = (f"forecast {msg.get('id')}: {msg.get('runs')} futures from {msg.get('fork_at')} to {msg.get('until')}"
                    if msg.get("ok") else f"forecast {msg.get('id')} failed: {msg.get('reason', '')}")
            self.log.append(line)
            moved.log, moved.forecast, moved.toast = True, bool(msg.get("ok")), line
        elif kind in ("error", "bye"):
            self.log.append(f"host: {msg.get('reason', '')}")
            moved.log, moved.toast = True, f"host: {msg.get('reason', '')}"
        return moved

    def _record(self, r: dict[str, Any], moved: Moved) -> None:
        kind = r.get("kind")
        if kind == "exercise.started":
            self.briefing = r
            moved.briefing = True
        elif kind == "exercise.ended":
            self.ended = moved.ended = True
        if self.role == "team":
            self._team_record(kind, r, moved)
            if "at" not in r:
                moved.toast = ""  # catching up on the past: the tables show it, no toast for each
        line = describe_line(r)
        if line:
            self.feed.append(line)
            moved.feed = True

    def _team_record(self, kind: str | None, r: dict[str, Any], moved: Moved) -> None:
        if kind == "inject.delivered":
            item = Delivery(r["seq"], r.get("t", 0), r.get("from") or "", r.get("to") or "", r.get("tlp") or "",
                            r.get("title") or "", r.get("body") or "")
            if r.get("feed") == "media":
                self.media.append(item)
                moved.media = True
            else:
                self.inbox.append(item)
                moved.inbox = True
                moved.toast = f"New message ({item.tlp}): {item.title}"
        elif kind == "decision_point.opened":
            self.points[r["point"]] = OpenPoint(r["point"], r.get("prompt", ""), r.get("deadline", 0),
                                                r.get("default", ""), list(r.get("options", [])))
            moved.points, moved.toast = True, f"Decision point {r['point']} is open: {r.get('prompt', '')}"
        elif kind in ("decision_point.closed", "decision_point.unresolved"):
            point = self.points.get(str(r.get("point")))
            if point is not None:
                point.status = f"closed: {r.get('option', '')} ({r.get('how', 'unresolved')})"
                moved.points = True
        elif kind is not None and kind.startswith("decision."):
            what = r.get("decision") or f"{r.get('point')}:{r.get('option')}"
            self.log.append(f"{format_time(r.get('t', 0))} {kind.split('.', 1)[1]} {what} {r.get('reason', '')}".rstrip())
            moved.log = True

    def open_points(self) -> list[OpenPoint]:
        return [p for p in self.points.values() if p.status == "open"]


def describe_line(r: dict[str, Any]) -> str:
    """One line for a record in a feed, as the in-process UI words it."""
    from simulator.journal.journal import Record

    data = {k: v for k, v in r.items() if k not in ("seq", "t", "kind", "type", "at")}
    if r.get("kind") == "inject.delivered" and "actor" not in data:  # a team's copy names its recipient 'to'
        data["actor"] = data.get("to")
    try:
        return describe(Record(int(r.get("seq", 0)), int(r.get("t", 0)), str(r.get("kind", "")), data)) or ""
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # a shape the describer does not know
        return f"{format_time(r.get('t', 0))}  {r.get('kind', '')}"
