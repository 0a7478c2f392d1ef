"""TLS: with --cert/--key the host serves wss://; a seat that trusts the certificate joins, one that does not is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest
from host_support import ROOT, TWO_ROOMS

from simulator.cli import main

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")


def test_wss_with_a_self_signed_certificate(tmp_path, capsys):
    cert, key = tmp_path / "host.pem", tmp_path / "host.key"
    # an EC P-256 key: made in milliseconds, where finding RSA primes took up to seconds
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=30)
    folder = tmp_path / "s"
    host = subprocess.Popen([sys.executable, "-m", "simulator", "serve", str(TWO_ROOMS), "--session", str(folder),
                             "--listen", "127.0.0.1:0", "--cert", str(cert), "--key", str(key), "--autostart",
                             "--speed", "max"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        end, url = time.monotonic() + 20, ""
        while time.monotonic() < end and not url:
            line = host.stderr.readline()
            if " on wss://" in line:
                url = line.split(" on ", 1)[1].split(";")[0]
            elif not line:
                break
        assert url.startswith("wss://127.0.0.1:")
        import json
        token = json.loads((folder / "tokens.json").read_text())["eu"]
        assert main(["join", url, "--team", "eu", "--token", token, "--jsonl", "--cafile", str(cert),
                     "--exit-on-end", "--wait", "10"]) == 0
        lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        # the end record, then perhaps a frame that was already on its way (a clock tick): no "kind" of its own
        kinds = [m.get("kind") for m in lines if m.get("type") == "record"]
        assert lines[0]["type"] == "welcome" and kinds[-1] == "exercise.ended", lines[-3:]
        # untrusted certificate: the handshake fails; --wait 0 gives up after the first try instead of retrying for 2 s
        assert main(["join", url, "--team", "eu", "--token", token, "--jsonl", "--wait", "0"]) == 1
        err = capsys.readouterr().err
        assert "no cyclesim host answered" in err and "CERTIFICATE_VERIFY_FAILED" in err, err
    finally:
        host.terminate()
        host.wait(10)
        host.stderr.close()


def test_half_a_tls_setup_is_refused(capsys):
    assert main(["serve", str(TWO_ROOMS), "--cert", "x.pem", "--listen", "127.0.0.1:0"]) == 2
    assert "TLS needs both --cert and --key" in capsys.readouterr().err
    assert main(["serve", str(TWO_ROOMS), "--listen", "nowhere"]) == 2
    assert "expected HOST:PORT" in capsys.readouterr().err
    assert main(["serve", str(TWO_ROOMS), "--speed", "fast"]) == 2
    assert "--speed 'fast'" in capsys.readouterr().err
    assert main(["join", "http://127.0.0.1:1", "--team", "ie", "--token", "x", "--jsonl"]) == 2
    assert "not a host URL" in capsys.readouterr().err


def test_the_seat_ui_is_found_by_its_entry_point():
    from simulator.commands.frontend import frontend
    from tui.seat_app import run_seat

    assert frontend("seat") is run_seat
