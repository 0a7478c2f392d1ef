"""A browser seat: cyclesim serve --web, headless Chromium (Debian's package) through Playwright.

The host serves two-rooms on 127.0.0.1 and plays it to the end at once; a
browser tab opens the seat UI, logs in as team ie with its token, and the
terminal output the page receives shows ie's inbox (its TLP:RED inject
included) and never eu's. Skipped when Chromium or Playwright is missing
(.ci/run installs the chromium package). A screenshot is left in the test's
temporary folder for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SCENARIO = ROOT / "tests" / "data" / "host" / "two-rooms.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")


def _lines_until(proc, marker: str, deadline: float) -> str:
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if marker in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"host never said {marker!r}")


def test_browser_tab_joins_as_a_team_and_shows_its_inbox(tmp_path):
    # imported here, not at collection: every worker collects this file, one runs it (Playwright: 0.16 s)
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'cyclesim[web]')")
    folder = tmp_path / "s"
    host = subprocess.Popen([sys.executable, "-m", "simulator", "serve", str(SCENARIO), "--session", str(folder),
                             "--listen", "127.0.0.1:0", "--web", "127.0.0.1:0", "--autostart", "--speed", "max"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        _lines_until(host, " on ws://", deadline)
        page_url = _lines_until(host, "seats in a browser at", deadline).split(" at ", 1)[1].split()[0]
        token = json.loads((folder / "tokens.json").read_text())["ie"]
        received: list[str] = []
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 800})

                def on_ws(ws):
                    ws.on("framereceived", lambda payload: received.append(
                        payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload))
                page.on("websocket", on_ws)
                page.goto(page_url, timeout=15000)

                def seen(text: str, timeout: float) -> bool:
                    end = time.monotonic() + timeout
                    while time.monotonic() < end:
                        if text in "".join(received):
                            return True
                        page.wait_for_timeout(100)
                    return False

                def settled(quiet: float = 0.5, most: float = 20) -> None:
                    """Wait until the app has drawn everything it had to draw (no frame for ``quiet`` seconds).

                    Keys typed while the app is still starting up can land before the login form
                    has the focus, and a key typed right after Tab lands in the field Tab leaves (the
                    focus moves a message later: the host once refused seat 'ieU'); so the test waits."""
                    end = time.monotonic() + most
                    count = len(received)
                    still_since = time.monotonic()
                    while time.monotonic() < end:
                        page.wait_for_timeout(100)
                        if len(received) != count:
                            count, still_since = len(received), time.monotonic()
                        elif time.monotonic() - still_since >= quiet:
                            return

                assert seen("Join a cyclesim session", 15), "the login screen never arrived"
                page.wait_for_selector("body.-first-byte", timeout=15000)
                settled()  # the terminal fits itself to the page and the app redraws
                # the keyboard to the terminal, without a click (a click is a mouse event for the app too)
                page.focus(".xterm-helper-textarea")
                page.keyboard.type("ie")  # into the seat field, focused when the form opened
                settled()
                page.keyboard.press("Tab")  # the focus moves a message later: keys typed at once would still land here
                settled()
                page.keyboard.type(token)
                page.keyboard.press("Enter")
                if not seen("Ireland national team", 20):
                    page.screenshot(path=str(tmp_path / "not-joined.png"))
                    import re

                    tail = re.sub(r"\\u001b\[[0-9;?]*[A-Za-z]|\x1b\[[0-9;?]*[A-Za-z]", "", "".join(received))[-3000:]
                    raise AssertionError(f"the seat never joined (screenshot: {tmp_path / 'not-joined.png'}); "
                                         f"last of the terminal: {tail!r}")
                assert seen("Source-protected: the intruder", 10), "ie's inbox (its TLP:RED inject) never showed"
                settled()
                page.screenshot(path=str(tmp_path / "web-seat.png"))
            finally:
                browser.close()
        text = "".join(received)
        assert "Hospitals report the same ransom note" in text
        assert token not in text  # the token field is a password field
    finally:
        host.terminate()
        host.wait(10)
        host.stderr.close()
    events = (folder / "host-events.jsonl").read_text()
    assert '"seat": "ie"' in events and "seat.joined" in events
