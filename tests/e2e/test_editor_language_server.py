"""The editor route of docs/editor-setup.md, with the real YAML language server, in a fresh folder.

Runs only where ``yaml-language-server`` is installed (on PATH, or named by
the environment variable CYCLESIM_YLS), since it is a Node program the
project does not depend on. A fresh folder gets ``scenarios/``, ``cyclesim
schema --install`` and the tutorial with the documented comment line; the
server must load the schema through that line, report nothing on the
tutorial, report each mistake once at its line in a library use, accept
``facilitator: yes`` and ``tlp: amber``, and show a field's description on hover.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("CYCLESIM_YLS") or shutil.which("yaml-language-server")
pytestmark = pytest.mark.skipif(not SERVER, reason="yaml-language-server is not installed")
COMMENT = "# yaml-language-server: $schema=./cyclesim.schema.json\n"


class Lsp:
    """A minimal LSP client over stdio, every wait bounded."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen([SERVER, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.buf = b""
        self.request(1, "initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                       "workspaceFolders": [{"uri": root.as_uri(), "name": "fresh"}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration",
                    {"settings": {"yaml": {"validate": True, "hover": True, "schemaStore": {"enable": False}}}})

    def send(self, msg: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **msg}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, ident: int, method: str, params: dict):
        self.send({"id": ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == ident).get("result")

    def wait(self, match, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            while b"\r\n\r\n" in self.buf:
                head, rest = self.buf.split(b"\r\n\r\n", 1)
                size = int(next(x for x in head.split(b"\r\n") if x.lower().startswith(b"content-length")).split(b":")[1])
                if len(rest) < size:
                    break
                msg, self.buf = json.loads(rest[:size]), rest[size:]
                if msg.get("method") == "workspace/configuration":
                    self.send({"id": msg["id"], "result": [{"validate": True, "hover": True}] * len(msg["params"]["items"])})
                elif match(msg):
                    return msg
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if ready:
                chunk = self.proc.stdout.read1(65536)
                if not chunk:
                    break
                self.buf += chunk
        raise AssertionError("the language server did not answer in time")

    def diagnostics(self, path: Path) -> list[tuple[int, str]]:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                               "text": path.read_text(encoding="utf-8")}})
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return [(d["range"]["start"]["line"] + 1, d["message"]) for d in msg["params"]["diagnostics"]]

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def test_the_documented_comment_line_works_from_scenarios(tmp_path, monkeypatch, capsys):
    (tmp_path / "scenarios").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "--install"]) == 0
    assert COMMENT.strip() in capsys.readouterr().out
    text = COMMENT + (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    good = tmp_path / "scenarios" / "good.yaml"
    good.write_text(text, encoding="utf-8")
    bad_text = (text.replace('    id: TUT-01\n    at: "T+00:30"',
                             '    id: TUT-01\n    at: "10:00"\n    tlp: TLP:PURPLE\n    to: CSIRT-IE\n    objectivs: [OBJ-1]', 1)
                .replace("    facilitator: true", "    facilitator: yes")
                .replace("    tlp: TLP:AMBER\n    body: |", "    tlp: amber\n    body: |"))
    bad = tmp_path / "scenarios" / "bad.yaml"
    bad.write_text(bad_text, encoding="utf-8")
    lines = bad_text.splitlines()
    at = lines.index('    at: "10:00"') + 1
    lsp = Lsp(tmp_path)
    try:
        assert lsp.diagnostics(good) == []
        found = lsp.diagnostics(bad)
        assert [line for line, _ in found] == [at, at + 1, at + 2, at + 3], found
        assert "not a scenario time" in found[0][1] and "objectivs" in found[3][1]
        body = lines.index("    body: |")
        hover = lsp.request(9, "textDocument/hover", {"textDocument": {"uri": bad.as_uri()},
                                                      "position": {"line": body, "character": 5}})
        assert "the message the recipients read" in hover["contents"]["value"]
    finally:
        lsp.close()
