"""The seat protocol, version 1: JSON text frames over one WebSocket per seat.

Every frame is one JSON object with a ``type``. The first frame a client
sends is ``hello`` (seat, token, protocol version, and ``since``: the last
journal sequence number it has already received, -1 for none); the host
answers ``welcome`` and replays every record for that seat after ``since``,
then streams new ones as they are journalled. Records carry the journal's
``seq`` (gaps are what the seat may not see); clients drop any ``seq`` they
already hold, so a reconnect loses and duplicates nothing.

This module only parses and bounds client frames (:func:`parse_client`) and
encodes host frames (:func:`encode`); it knows nothing of sockets or the
engine. Every malformed frame raises :class:`ProtocolError` with a reason
the client is sent back. The reference is docs/multi-seat.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from simulator.errors import InputError

VERSION = 1
MAX_FRAME = 64 * 1024
"""Largest client frame in bytes; the socket layer closes the connection on a bigger one."""
MAX_TEXT = 8000
"""Longest rationale, observation or inject body, in characters."""
MAX_SHORT = 200
"""Longest identifier, title or reference."""
MAX_PARAMS = 20
MAX_RECIPIENTS = 100

ROLES = ("team", "facilitator", "evaluator")
FACILITATOR = "facilitator"
EVALUATOR = "evaluator"

CLIENT_TYPES: dict[str, set[str]] = {
    # type: the roles that may send it
    "hello": {"team", "facilitator", "evaluator"},
    "ping": {"team", "facilitator", "evaluator"},
    "decide": {"team"},
    "ack": {"team", "facilitator", "evaluator"},
    "observe": {"evaluator", "facilitator"},
    "clock": {"facilitator"},
    "start": {"facilitator"},
    "commcheck": {"facilitator"},
    "fire": {"facilitator"},
    "hold": {"facilitator"},
    "release": {"facilitator"},
    "inject": {"facilitator"},
    "channel": {"facilitator"},
    "seats": {"facilitator"},
    "forecast": {"facilitator"},
}


class ProtocolError(InputError):
    """A client frame that is not valid protocol; the reason goes back to the client."""


@dataclass(frozen=True)
class Frame:
    """One parsed client frame: its type, an optional client reference, and checked fields."""

    type: str
    ref: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


def encode(msg: dict[str, Any]) -> str:
    """A host frame as compact JSON (keys sorted, so frames are easy to diff in logs)."""
    return json.dumps(msg, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse_client(text: str | bytes) -> Frame:
    """Parse and bound one client frame; raise ProtocolError naming what is wrong."""
    if isinstance(text, bytes):
        raise ProtocolError("binary frames are not part of the protocol: send JSON text")
    if len(text) > MAX_FRAME:
        raise ProtocolError(f"frame of {len(text)} characters is over the limit of {MAX_FRAME}")
    try:
        obj = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as e:
        raise ProtocolError(f"frame is not JSON: {e}") from None
    if not isinstance(obj, dict):
        raise ProtocolError("a frame must be a JSON object with a 'type'")
    kind = obj.get("type")
    if not isinstance(kind, str) or kind not in CLIENT_TYPES:
        raise ProtocolError(f"unknown frame type {str(kind)[:40]!r}; expected one of {', '.join(sorted(CLIENT_TYPES))}")
    ref = obj.get("ref", "")
    if isinstance(ref, int) and not isinstance(ref, bool):
        ref = str(ref)
    ref = _text(ref, "ref", MAX_SHORT, default="")
    fields = _PARSERS[kind](obj)
    return Frame(kind, ref, fields)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _text(value: Any, name: str, limit: int, *, default: str | None = None) -> str:
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise ProtocolError(f"'{name}' must be a string")
    if len(value) > limit:
        raise ProtocolError(f"'{name}' is {len(value)} characters, over the limit of {limit}")
    return value


def _opt_text(obj: dict, name: str, limit: int = MAX_SHORT) -> str | None:
    value = obj.get(name)
    return None if value is None else _text(value, name, limit)


def _int(value: Any, name: str, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ProtocolError(f"'{name}' must be a whole number from {lo} to {hi}")
    return value


def _hello(obj: dict) -> dict:
    version = obj.get("v")
    if version != VERSION:
        raise ProtocolError(f"protocol version {str(version)[:20]} is not served here; this host speaks version {VERSION}")
    return {"seat": _text(obj.get("seat"), "seat", MAX_SHORT), "token": _text(obj.get("token"), "token", MAX_SHORT),
            "since": _int(obj.get("since", -1), "since", -1, 2**53)}


def _decide(obj: dict) -> dict:
    point, option, decision = _opt_text(obj, "point"), _opt_text(obj, "option"), _opt_text(obj, "decision")
    if (point is None) == (decision is None):
        raise ProtocolError("a decision names either a 'point' (with an 'option') or a catalogue 'decision'")
    if point is not None and option is None:
        raise ProtocolError(f"an answer to point {point!r} needs an 'option'")
    params = obj.get("params", {})
    if not isinstance(params, dict) or len(params) > MAX_PARAMS:
        raise ProtocolError(f"'params' must be an object of at most {MAX_PARAMS} entries")
    clean: dict[str, Any] = {}
    for k, v in params.items():
        _text(k, "params key", MAX_SHORT)
        if isinstance(v, str):
            _text(v, f"params.{k}", MAX_TEXT)
        elif isinstance(v, bool) or v is None:
            pass
        elif isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                raise ProtocolError(f"params.{k} must be a finite number")
        else:
            raise ProtocolError(f"params.{k} must be a string, number, true/false or null")
        clean[k] = v
    return {"point": point, "option": option, "decision": decision, "params": clean,
            "rationale": _text(obj.get("rationale", ""), "rationale", MAX_TEXT),
            "team": _opt_text(obj, "team")}


def _ack(obj: dict) -> dict:
    return {"id": _int(obj.get("id"), "id", 0, 2**31)}


def _observe(obj: dict) -> dict:
    rating = _opt_text(obj, "rating", 1)
    return {"text": _text(obj.get("text"), "text", MAX_TEXT), "category": _text(obj.get("category", "note"), "category", 20),
            "objective": _opt_text(obj, "objective"), "team": _opt_text(obj, "team"), "rating": rating}


def _clock(obj: dict) -> dict:
    action = obj.get("action")
    if action not in ("run", "pause", "speed", "advance"):
        raise ProtocolError("clock 'action' must be run, pause, speed or advance")
    out: dict[str, Any] = {"action": action}
    if action == "speed":
        speed = obj.get("speed")
        if speed != "max" and (not isinstance(speed, (int, float)) or isinstance(speed, bool)
                               or not (0 < speed <= 100_000)):
            raise ProtocolError("clock speed must be a number of simulated minutes per second from 0 to 100000, or 'max'")
        out["speed"] = speed
    if action == "advance":
        out["to"] = _int(obj.get("to"), "to", 0, 10**9)
    return out


def _inject_id(obj: dict) -> dict:
    return {"inject": _text(obj.get("inject"), "inject", MAX_SHORT)}


def _adhoc(obj: dict) -> dict:
    to = obj.get("to")
    if not isinstance(to, list) or not to or len(to) > MAX_RECIPIENTS:
        raise ProtocolError(f"'to' must be a list of 1 to {MAX_RECIPIENTS} recipients")
    return {"sender": _text(obj.get("from"), "from", MAX_SHORT), "to": [_text(r, "to", MAX_SHORT) for r in to],
            "title": _text(obj.get("title"), "title", MAX_SHORT), "body": _text(obj.get("body", ""), "body", MAX_TEXT),
            "tlp": _text(obj.get("tlp", "TLP:AMBER"), "tlp", 20), "channel": _opt_text(obj, "channel")}


def _channel(obj: dict) -> dict:
    status = obj.get("status")
    if status not in ("up", "degraded", "cut"):
        raise ProtocolError("channel 'status' must be up, degraded or cut")
    return {"channel": _text(obj.get("channel"), "channel", MAX_SHORT), "status": status}


def _start(obj: dict) -> dict:
    force = obj.get("force", False)
    if not isinstance(force, bool):
        raise ProtocolError("'force' must be true or false")
    return {"force": force}


def _nothing(obj: dict) -> dict:
    return {}


FORECAST_RUNS = (1, 2000)
FORECAST_POLICIES = ("doctrine", "passive")


def _forecast(obj: dict) -> dict:
    policy = obj.get("policy", "doctrine")
    if policy not in FORECAST_POLICIES:
        raise ProtocolError(f"forecast 'policy' must be one of {', '.join(FORECAST_POLICIES)}")
    return {"runs": _int(obj.get("runs", 100), "runs", *FORECAST_RUNS),
            "horizon": _int(obj.get("horizon", 48 * 60), "horizon", 60, 30 * 24 * 60), "policy": policy}


_PARSERS = {
    "hello": _hello, "ping": _nothing, "decide": _decide, "ack": _ack, "observe": _observe, "clock": _clock,
    "start": _start, "commcheck": _nothing, "fire": _inject_id, "hold": _inject_id, "release": _inject_id,
    "inject": _adhoc, "channel": _channel, "seats": _nothing, "forecast": _forecast,
}
