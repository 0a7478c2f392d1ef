"""The session host: one engine and one store served to many seats over WebSockets.

``cyclesim serve`` runs a :class:`~simulator.host.server.Host`; seats join
with ``cyclesim join`` (the Textual UI, or ``--jsonl`` for bots) through
:class:`~simulator.host.client.SeatClient`. The protocol is in
:mod:`simulator.host.protocol` and docs/multi-seat.md; who sees what is
decided in :mod:`simulator.host.seats`; join tokens in :mod:`simulator.host.tokens`.
"""
