"""A served session survives SIGKILL of its host: every record is kept, and seats reconnect and catch up.

The host runs as a real subprocess on a fixed 127.0.0.1 port. After the
facilitator started the exercise and ie decided, the host is killed with
SIGKILL; ``cyclesim resume --check`` rebuilds every stored record
identically; ``cyclesim serve --resume`` serves it again on the same port,
and the two --jsonl seats, never restarted, reconnect by themselves and end
with exactly what the filter lets through, in order, once each.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

from host_support import DEADLINE, ROOT, TWO_ROOMS, Seat

from simulator.cli import main
from simulator.host.seats import SeatFilter, seats_of
from simulator.journal.store import Store
from simulator.session.session import Session


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "simulator", "serve", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_listening(proc: subprocess.Popen) -> str:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if " on ws://" in line:
            return line.split(" on ", 1)[1].split(";")[0]
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"host did not start: {proc.poll()}")


def test_sigkill_then_resume_restores_every_record_and_seats_catch_up(tmp_path, capsys):
    folder, port = tmp_path / "served", _free_port()
    host = _serve(str(TWO_ROOMS), "--session", str(folder), "--listen", f"127.0.0.1:{port}", "--speed", "0.001")
    seats: list[Seat] = []
    try:
        url = _wait_listening(host)
        tokens = json.loads((folder / "tokens.json").read_text())
        assert os.stat(folder / "tokens.json").st_mode & 0o777 == 0o600
        fac, ie = Seat(url, "facilitator", tokens["facilitator"]), Seat(url, "ie", tokens["ie"])
        seats += [fac, ie]
        ie.wait_for(lambda m: m.get("type") == "welcome")
        assert fac.answer(fac.send({"type": "start", "force": True}))["accepted"]
        assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 90}))["accepted"]
        ie.record("decision_point.opened", point="DP-IE")
        assert ie.answer(ie.send({"point": "DP-IE", "option": "hold", "rationale": "wait for CSIRT-BE"}))["accepted"]
        seen = ie.record("decision_point.closed", point="DP-IE")["seq"]
        fac.wait_for(lambda m: m.get("seq") == seen)

        host.send_signal(signal.SIGKILL)
        host.wait(DEADLINE)
        stored = Store.open(folder).records()
        assert len(stored) > seen  # everything the seats saw was committed first

        assert main(["resume", str(folder), "--check", "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["stored"] == len(stored) and report["records"] >= len(stored)

        host = _serve("--resume", str(folder), "--listen", f"127.0.0.1:{port}", "--speed", "0.001")
        _wait_listening(host)
        assert json.loads((folder / "tokens.json").read_text()) == tokens  # the same tokens: seats just rejoin
        fac.wait_for(lambda m: m.get("type") == "welcome" and fac.lines.index(m) > 0 and m is not fac.lines[0])
        ie.wait_for(lambda m: m.get("type") == "welcome" and m is not ie.lines[0])
        assert fac.answer(fac.send({"type": "clock", "action": "advance", "to": 721, "ref": "end"}))["accepted"]
        ie.record("exercise.ended")
        fac.record("exercise.ended")
    finally:
        for s in seats:
            s.stop()
        if host.poll() is None:
            host.terminate()
            host.wait(DEADLINE)
        host.stderr.close()

    final = Store.open(folder).records()
    assert [r.line() for r in final[:len(stored)]] == [r.line() for r in stored]  # the resumed host kept every record
    session = Session.open(folder)
    try:
        plan = session.scenario_to_play(use_stored=True)[0]
    finally:
        session.close()
    from simulator.scenario.plan import Plan
    p = Plan.of(plan.scenario, plan.content_hash)
    filt, seat = SeatFilter(p), seats_of(p)["ie"]
    expected = []
    for r in final:
        filt.learn(r)
        if filt.view(seat, r) is not None:
            expected.append(r.seq)
    assert ie.seqs() == expected
    assert fac.seqs() == [r.seq for r in final]
    assert any(r.kind == "decision_point.closed" and r["team"] == "ie" and r["how"] == "decided" for r in final)
