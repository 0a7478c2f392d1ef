"""Wall time of the command line from a shell: ``cyclesim --help`` and a replay with its report.

    python bench/cli.py                # 7 runs of each, median and best
    python bench/cli.py --runs 15

Figures printed, each for fresh interpreter processes started as a shell
starts them (the ``cyclesim`` console script next to this interpreter):

- ``python_s``: ``python -c pass``, the interpreter's own start (the baseline);
- ``help_s``: ``cyclesim --help`` (target under 0.3 s);
- ``replay_s``: ``cyclesim replay vital-signs --out D``, the event log and the
  HTML and Markdown reports written (target under 1.0 s);
- each with its ratio to the baseline of the same run, and the load average
  before and after, since the machine may be shared: wall time under load
  says little, the ratio and the CPU time (``cpu_s``, user + system of the
  child) say more.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _time(cmd: list[str], runs: int) -> tuple[float, float, float]:
    """(median wall, best wall, median child CPU) over ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), min(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    exe = Path(sys.executable).with_name("cyclesim")
    if not exe.exists():
        print(f"no cyclesim script next to {sys.executable}: pip install -e . first", file=sys.stderr)
        return 2
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        base = _time([sys.executable, "-c", "pass"], args.runs)
        cases = {
            "help": [str(exe), "--help"],
            "replay": [str(exe), "replay", "vital-signs", "--out", str(Path(tmp) / "vs")],
        }
        print(f"python_s: median {base[0]:.3f} best {base[1]:.3f} cpu {base[2]:.3f}")
        for name, cmd in cases.items():
            med, best, cpu = _time(cmd, args.runs)
            print(f"{name}_s: median {med:.3f} best {best:.3f} cpu {cpu:.3f}  "
                  f"(x{med / base[0]:.1f} the interpreter start)  [{' '.join(cmd[1:]).replace(tmp, 'D')}]")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
