"""Time and peak memory of ``cyclesim validate`` on a scenario with many injects.

    python bench/validate_large.py                 # 10,000 injects, valid and with 10,000 errors
    python bench/validate_large.py --injects 2000

Each case runs ``simulator.cli.main(["validate", FILE])`` in a fresh child
process, so ``ru_maxrss`` (peak resident set size, which also counts libyaml's
and pydantic-core's C allocations) belongs to that case alone. The baseline is
the same child validating the bundled tutorial, measured in the same run: the
figures are printed as absolute values and as ratios to it. CPU time is shown
beside wall time because the machine may be shared. The target is
under 1 s and under 100 MB for 10,000 injects (issue 13).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import io, json, resource, sys, time, contextlib
sys.argv = ["cyclesim"]
from simulator.cli import main
out, err = io.StringIO(), io.StringIO()
t0, c0 = time.perf_counter(), time.process_time()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(["validate", sys.argv_file])
elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"code": code, "seconds": elapsed, "cpu": cpu,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stderr_lines": err.getvalue().count("\n")}))
"""

HEAD = """format: cyclesim/1
id: big
title: Many injects
summary: A scenario with very many injects, for the validation benchmark.
start: "2026-03-02T08:00:00+01:00"
duration: "T+30d"
teams:
  - {id: ie, name: Ireland, plays: [CSIRT-IE]}
  - {id: excon, name: Exercise control, plays: [EXCON], facilitator: true}
member_states: [IE]
injects:
"""


def scenario(n: int, broken: bool) -> str:
    lines = [HEAD]
    for i in range(n):
        to = "NOBODY" if broken else "CSIRT-IE"
        lines.append(f'  - {{id: I-{i:05d}, title: "Inject number {i}", from: EXCON, to: [{to}], '
                     f'at: "T+{i % 700}h", tlp: TLP:AMBER, body: "Body text of inject {i} with a little detail."}}\n')
    return "".join(lines)


def measure(path: Path) -> dict:
    code = CHILD.replace("sys.argv_file", repr(str(path)))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--injects", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = measure(ROOT / "scenarios" / "tutorial.yaml")
        rows = [("tutorial (baseline)", base)]
        for broken in (False, True):
            f = tmp / f"big-{'broken' if broken else 'valid'}.yaml"
            f.write_text(scenario(args.injects, broken), encoding="utf-8")
            rows.append((f"{args.injects} injects, {'every one wrong' if broken else 'valid'} "
                         f"({f.stat().st_size // 1024} KiB)", measure(f)))
    print(f"{'case':<44} {'exit':>4} {'wall s':>7} {'cpu s':>7} {'x base':>7} {'max rss MB':>10} {'x base':>7} "
          f"{'stderr lines':>12}")
    for name, r in rows:
        print(f"{name:<44} {r['code']:>4} {r['seconds']:>7.3f} {r['cpu']:>7.3f} {r['cpu'] / base['cpu']:>7.1f} "
              f"{r['max_rss_mb']:>10.1f} {r['max_rss_mb'] / base['max_rss_mb']:>7.2f} {r['stderr_lines']:>12}")
    print("wall s: elapsed time of main(['validate', FILE]) after imports; cpu s: its CPU time (steadier on a "
          "shared machine); x base: cpu and max rss as multiples of the tutorial's in this run")


if __name__ == "__main__":
    main()
