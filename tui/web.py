"""Browsers as seats: the seat UI served over HTTP by textual-serve, beside the host.

Each browser tab gets its own ``cyclesim join HOST_URL`` process (textual-serve
starts one per WebSocket), which asks for the seat and token on its first
screen and is then an ordinary client of the host: the host filters for it
exactly as for a terminal seat. textual-serve is an optional dependency
(``pip install 'cyclesim[web]'``); it serves plain HTTP, so beyond this
machine put it behind a TLS proxy or an SSH tunnel (docs/multi-seat.md).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable

from simulator.errors import InputError


def join_command(host_url: str, cafile: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab."""
    parts = [sys.executable, "-m", "simulator", "join", host_url]
    if cafile:
        parts += ["--cafile", cafile]
    return " ".join(shlex.quote(p) for p in parts)


async def serve_web(host_url: str, listen: tuple[str, int], on_ready: Callable[[str], None] | None = None,
                    cafile: str | None = None):
    """Start serving the seat UI on ``listen``; returns the aiohttp runner (call ``cleanup()`` to stop)."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise InputError("--web needs textual-serve: pip install 'cyclesim[web]'") from None
    host, port = listen
    server = Server(join_command(host_url, cafile), host=host, port=port, title="cyclesim seat")
    # textual-serve 1.1.3 has no public call that returns its aiohttp app
    # without also taking over signals and stdout (Server.serve), so the app
    # is built with its private _make_app and run on our own runner.
    app = await server._make_app()
    app.on_startup.clear()  # its banner would print on our stderr; the host prints its own line
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    # aiohttp 3.x keeps the listening server private; its sockets give the port bound for port 0
    sockets = getattr(site._server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    url = f"http://{host}:{bound}"
    server.public_url = url
    if on_ready is not None:
        on_ready(url)
    return runner
