"""cyclesim join: take a seat in a served session, in the terminal UI or as a JSON Lines bot."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

from simulator.errors import InputError

if TYPE_CHECKING:  # imported where used: 'cyclesim --help' builds this command's parser without them
    import asyncio

NAME = "join"
HELP = "take a seat (a team, facilitator or evaluator) in a session hosted by 'cyclesim serve'"
EPILOG = """examples:
  cyclesim join ws://127.0.0.1:8765 --team ie --token TOKEN          the terminal UI for team ie
  cyclesim join wss://host.example:8765 --team facilitator --token TOKEN --cafile host.pem
  cyclesim join ws://127.0.0.1:8765 --team eu --token TOKEN --jsonl  a bot: JSON Lines in and out
The token may also come from the environment (CYCLESIM_TOKEN), which keeps it out of process lists.
With --jsonl every message from the host is printed as one JSON object per line; each stdin line is
  {"point": ID, "option": ID, "rationale": TEXT}  or  {"decision": ID, "params": {...}, "rationale": TEXT}
  {"ack": N} (a comm check), or any protocol frame {"type": ...} (docs/multi-seat.md)
and gets an answer line {"type": "answer", "ref": ..., "accepted": true|false, "reasons": [...]}.
Exit codes: 0 the host ended the session, 1 no host at the URL, 2 refused (token, seat) or bad usage."""


def add_arguments(p) -> None:
    p.add_argument("url", help="the host's URL, ws://HOST:PORT or wss://HOST:PORT")
    p.add_argument("--team", "--seat", dest="seat", metavar="SEAT",
                   help="your seat: a team id, 'facilitator' or 'evaluator' (the UI asks when omitted)")
    p.add_argument("--token", help="your seat's join token (default: $CYCLESIM_TOKEN; the UI asks when missing)")
    p.add_argument("--jsonl", action="store_true", help="headless: JSON Lines on stdout and stdin, for bots and scripts")
    p.add_argument("--since", type=int, default=-1, metavar="SEQ",
                   help="with --jsonl: the last record seq already received (a restarted bot catches up after it)")
    p.add_argument("--cafile", metavar="FILE", help="trust this certificate (the host's own) for wss://")
    p.add_argument("--wait", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for the host to answer first (default 10)")
    p.add_argument("--exit-on-end", action="store_true", help="with --jsonl: exit once the exercise has ended")


def run(args) -> int:
    if not args.url.startswith(("ws://", "wss://")):
        raise InputError(f"{args.url!r} is not a host URL: expected ws://HOST:PORT or wss://HOST:PORT")
    token = args.token or os.environ.get("CYCLESIM_TOKEN")
    ssl_ctx = None
    if args.url.startswith("wss://"):
        from simulator.host.client import client_ssl
        ssl_ctx = client_ssl(args.cafile)
    if args.jsonl:
        if not args.seat or not token:
            raise InputError("--jsonl needs --team SEAT and a token (--token or $CYCLESIM_TOKEN)")
        import asyncio

        return asyncio.run(_jsonl(args, token, ssl_ctx))
    from simulator.commands.common import need_terminal
    from simulator.commands.frontend import frontend
    if "web_driver" not in os.environ.get("TEXTUAL_DRIVER", ""):  # a browser tab (serve --web) has no terminal
        need_terminal("join")
    return frontend("seat")(args.url, seat=args.seat, token=token, ssl=ssl_ctx)


async def _jsonl(args, token: str, ssl_ctx) -> int:
    import asyncio
    import threading

    from simulator.host.client import SeatClient

    out = sys.stdout
    done = asyncio.Event()

    def emit(msg: dict) -> None:
        out.write(json.dumps(msg, sort_keys=True, ensure_ascii=False) + "\n")
        out.flush()

    def on_message(msg: dict) -> None:
        if client.raw and "\n" not in client.raw:
            out.write(client.raw + "\n")  # the host's own compact JSON: no need to encode it again
            out.flush()
        else:
            emit(msg)
        if args.exit_on_end and msg.get("type") == "record" and msg.get("kind") == "exercise.ended":
            done.set()

    client = SeatClient(args.url, args.seat, token, on_message=on_message, since=args.since, ssl=ssl_ctx, wait=args.wait)
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue = asyncio.Queue()
    threading.Thread(target=_read_stdin, args=(loop, lines), daemon=True).start()

    async def pump() -> None:
        n = 0
        while True:
            line = await lines.get()
            if line is None:
                return
            n += 1
            frame, problem = stdin_frame(line, n)
            if problem:
                emit({"type": "answer", "ref": f"L{n}", "accepted": False, "reasons": [problem]})
                continue
            if not await client.send(frame):
                emit({"type": "answer", "ref": frame.get("ref", f"L{n}"), "accepted": False,
                      "reasons": ["not connected to the host: line not sent"]})

    runner = asyncio.ensure_future(client.run())
    pumper = asyncio.ensure_future(pump())
    ender = asyncio.ensure_future(done.wait())
    try:
        await asyncio.wait({runner, ender}, return_when=asyncio.FIRST_COMPLETED)
        if runner.done():
            runner.result()  # raises JoinRefused / HostUnreachable
    finally:
        pumper.cancel()
        ender.cancel()
        if not runner.done():
            await client.close()
            runner.cancel()
    return 0


def _read_stdin(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue) -> None:
    """Read stdin lines in a thread (pipes and terminals alike), bounded to one frame each."""
    from simulator.host import protocol as P

    stream = sys.stdin.buffer
    while True:
        try:
            line = stream.readline(P.MAX_FRAME + 1)
        except (OSError, ValueError):  # stdin closed or not readable: nothing more to send
            break
        if not line:
            break
        if len(line) > P.MAX_FRAME and not line.endswith(b"\n"):
            while True:  # skip the rest of an oversized line
                rest = stream.readline(P.MAX_FRAME)
                if not rest or rest.endswith(b"\n"):
                    break
            line = b"\x00oversized"
        if not _hand_over(loop, lines, line):
            return
    _hand_over(loop, lines, None)


def _hand_over(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue, line: bytes | None) -> bool:
    try:
        loop.call_soon_threadsafe(lines.put_nowait, line)
        return True
    except RuntimeError:  # the client has finished and its loop is closed
        return False


def stdin_frame(raw: bytes, n: int) -> tuple[dict, str]:
    """One stdin line as a protocol frame, or a reason it cannot be one."""
    from simulator.host import protocol as P

    if raw == b"\x00oversized":
        return {}, f"line {n} is longer than {P.MAX_FRAME} bytes: not sent"
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return {}, f"line {n} is empty"
    try:
        obj = json.loads(text)
    except ValueError as e:
        return {}, f"line {n} is not JSON: {e}"
    if not isinstance(obj, dict):
        return {}, f"line {n} must be a JSON object"
    obj.setdefault("ref", f"L{n}")
    if "type" in obj:
        return obj, ""
    if "ack" in obj:
        return {"type": "ack", "id": obj["ack"], "ref": obj["ref"]}, ""
    if "point" in obj or "decision" in obj:
        return {"type": "decide", **obj}, ""
    return {}, f"line {n}: expected point/option, decision/params, ack, or a protocol frame with a 'type'"
