"""cyclesim serve: host one session for many seats (teams, facilitator, evaluator) over WebSockets.

The host is the session's only writer: it owns the engine and the store, as
``cyclesim play`` does, so ``cyclesim resume --check`` verifies a served
session and ``cyclesim serve --resume`` continues it after a crash.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.commands.common import decide_on_option, load_plan
from simulator.commands.frontend import frontend
from simulator.errors import InputError

if TYPE_CHECKING:  # asyncio and ssl are imported where used: 'cyclesim --help' builds this parser without them
    import ssl

NAME = "serve"
HELP = "host a session for several rooms: teams, facilitator and evaluator join over WebSockets"
EPILOG = """examples:
  cyclesim serve tutorial --session ~/ex/day1               tokens in ~/ex/day1/tokens.json (mode 0600)
  cyclesim serve vital-signs --listen 0.0.0.0:8765 --cert host.pem --key host.key
  cyclesim serve tutorial --speed max --autostart --linger 5  unattended run (bots, tests)
  cyclesim serve --resume ~/ex/day1                         continue a served session after a crash
  cyclesim serve tutorial --web 127.0.0.1:8000              also serve the seat UI to browsers
Seats join with 'cyclesim join ws://HOST:PORT --team ie --token TOKEN' (or --team facilitator / evaluator).
The host listens on 127.0.0.1 unless told otherwise; over a network use TLS (--cert/--key) or an SSH tunnel.
Before STARTEX the facilitator sends a comm check; the clock starts when every team acknowledged it
(or when the facilitator forces the start). Protocol reference: docs/multi-seat.md."""

DEFAULT_LISTEN = "127.0.0.1:8765"


def add_arguments(p) -> None:
    p.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: the tutorial)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--session", metavar="PATH", help="new session folder (must not exist yet; default: your data folder)")
    p.add_argument("--resume", metavar="SESSION", help="continue a served session (rebuilt and checked record for record)")
    decide_on_option(p)
    p.add_argument("--stored", action="store_true", help="with --resume: play the scenario copy kept in the session")
    p.add_argument("--listen", metavar="HOST:PORT", default=DEFAULT_LISTEN,
                   help=f"where to listen (default {DEFAULT_LISTEN}; port 0 picks a free one)")
    p.add_argument("--tokens", metavar="FILE", help="join tokens file, written with mode 0600 (default: SESSION/tokens.json); "
                   "a resumed host reuses it")
    p.add_argument("--speed", default="1", metavar="N",
                   help="simulated minutes per wall second (default 1, real time x60), or 'max'")
    p.add_argument("--autostart", action="store_true", help="start the clock at once, without the comm check")
    p.add_argument("--cert", metavar="FILE", help="TLS certificate (PEM): serve wss://")
    p.add_argument("--key", metavar="FILE", help="TLS private key (PEM) for --cert")
    p.add_argument("--web", metavar="HOST:PORT", help="also serve the seat UI to browsers (needs textual-serve: pip install 'cyclesim[web]')")
    p.add_argument("--linger", type=float, metavar="SECONDS",
                   help="stop this long after the exercise ends (default: serve until interrupted)")


def parse_listen(text: str, what: str = "--listen") -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdecimal() or len(port) > 5 or not 0 <= int(port) <= 65535:
        raise InputError(f"{what} {text!r}: expected HOST:PORT, e.g. 127.0.0.1:8765")
    return host.strip("[]"), int(port)


def parse_speed(text: str) -> float | str:
    if text == "max":
        return "max"
    try:
        speed = float(text)
    except ValueError:
        speed = -1.0
    if not 0 < speed <= 100_000:
        raise InputError(f"--speed {text!r}: expected simulated minutes per second, above 0 and at most 100000, or 'max'")
    return speed


def server_ssl(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if not cert and not key:
        return None
    if not (cert and key):
        raise InputError("TLS needs both --cert and --key")
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        ctx.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as e:
        raise InputError(f"cannot use the certificate {cert} with key {key}: {e}") from None
    return ctx


def run(args) -> int:
    # the engine, the store and websockets are imported only when the command runs (cyclesim --help stays light)
    from simulator.engine.exercise import Exercise
    from simulator.host.seats import seats_of
    from simulator.host.server import Host
    from simulator.host.tokens import load_or_create
    from simulator.session.session import Session

    host_name, port = parse_listen(args.listen)
    speed = parse_speed(args.speed)
    tls = server_ssl(args.cert, args.key)
    web = parse_listen(args.web, "--web") if args.web else None
    if args.resume:
        if args.scenario or args.session:
            raise InputError("--resume continues a session: give no scenario and no --session with it")
        session, resumed = Session.resume(args.resume, use_stored=args.stored)
        exercise, reuse = resumed.exercise, True
        print(f"cyclesim serve: resumed {session.path}: {resumed.stored} records rebuilt identically"
              + (f", {resumed.completed} completed from an interrupted step" if resumed.completed else ""), file=sys.stderr)
    else:
        loaded, plan = load_plan(args.scenario)
        if args.session and Path(args.session).exists():
            raise InputError(f"{args.session} already exists: a session is never overwritten; choose a new --session, "
                             f"or continue that one with 'cyclesim serve --resume {args.session}'")
        seats_of(plan)  # a scenario whose team ids collide with role seats is refused before anything is written
        session = Session.create(loaded, args.seed, Path(args.session) if args.session else None)
        exercise, reuse = Exercise(plan, seed=args.seed, journal=session.journal, decide_on=args.decide_on), False
    try:
        tokens_path = Path(args.tokens) if args.tokens else session.path / "tokens.json"
        tokens = load_or_create(tokens_path, list(seats_of(exercise.plan)), reuse=reuse)
        host = Host(exercise, tokens, session=session, host=host_name, port=port, ssl=tls, speed=speed,
                    autostart=args.autostart, events_path=session.path / "host-events.jsonl", linger=args.linger)
        host.cafile = args.cert  # browser seats (--web) trust the host's own certificate
        if exercise.ended:
            print("cyclesim serve: the exercise has ended; seats may still join to read it", file=sys.stderr)
        import asyncio

        return asyncio.run(_serve(host, session.path, tokens_path, web, _same_rooms(args)))
    finally:
        session.close()


def _same_rooms(args) -> list[str]:
    """The options a resume needs to serve the seats as before: the same address, tokens and certificate."""
    out: list[str] = []
    if args.listen != DEFAULT_LISTEN:
        out += ["--listen", args.listen]
    if args.tokens:
        out += ["--tokens", args.tokens]  # without it a resume writes new tokens, and the seats' stop working
    if args.cert:
        out += ["--cert", args.cert, "--key", args.key]
    if args.web:
        out += ["--web", args.web]
    return out


async def _serve(host, folder: Path, tokens_path: Path, web: tuple[str, int] | None, same: list[str]) -> int:
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, host.stop)
        except (NotImplementedError, RuntimeError):  # not the main thread (in-process tests)
            pass
    web_runner = None

    async def start_web(url: str, web: tuple[str, int]) -> None:
        nonlocal web_runner
        serve_web = frontend("web")  # browser seats are a UI (tui/web.py), found by entry point
        try:
            web_runner = await serve_web(url, web, lambda page: print(
                f"cyclesim serve: seats in a browser at {page} (each tab asks for its seat and token)",
                file=sys.stderr, flush=True), cafile=host.cafile)
        except (OSError, InputError) as e:
            print(f"cyclesim serve: --web failed: {e}", file=sys.stderr, flush=True)
            host.stop()

    def ready(url: str) -> None:
        (folder / "host.json").write_text(json.dumps({"url": url, "pid": os.getpid()}) + "\n", encoding="utf-8")
        if host.host not in ("127.0.0.1", "localhost", "::1") and host.ssl is None:
            print("cyclesim serve: warning: listening beyond this machine without TLS; tokens and injects travel "
                  "in clear (use --cert/--key or an SSH tunnel)", file=sys.stderr)
        print(f"cyclesim serve: {host.plan.scenario.id} on {url}; session {folder}; tokens in {tokens_path}",
              file=sys.stderr, flush=True)
        if web is not None:
            asyncio.ensure_future(start_web(url, web))
    try:
        await host.serve(ready)
    finally:
        if web_runner is not None:
            await web_runner.cleanup()
    print(stopped_line(host.ex, folder, same), file=sys.stderr, flush=True)
    return 0


def stopped_line(ex, folder: Path, same: Sequence[str] = ()) -> str:
    """What the host says when it stops: where the session is, and what can be done with it next.

    ``same``: the options that serve the seats as before (address, tokens, certificate), for the resume.
    """
    import shlex

    from simulator.timefmt import format_time

    where = shlex.quote(str(folder))
    if ex.ended:
        return f"cyclesim serve: stopped; the exercise ended; session in {where}; report: cyclesim report {where}"
    again = " ".join(shlex.quote(a) for a in ["--resume", str(folder), *same])
    return (f"cyclesim serve: stopped at {format_time(ex.now)}; session saved in {where}; "
            f"go on with: cyclesim serve {again}")
