"""Export and import of the MSEL for the bundled scenarios, as ratios to loading the scenario.

    python bench/msel.py                 # every bundled scenario, best of 3
    python bench/msel.py --repeats 5 vital-signs

For each scenario: ``load_ms`` (load and validate the YAML: the baseline, the
same work every command does first), and for XLSX and CSV ``export_ms``
(``write_msel``) and ``import_ms`` (``import_msel`` of that file into the same
scenario, which reads the sheet, loads the scenario, writes the new file and
loads it again to validate it), each with its ratio to ``load_ms`` measured in
the same run. Wall times on a shared machine vary; the ratios say more.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from simulator.commands.common import bundled_scenarios, scenario_path
from simulator.scenario.loader import load
from simulator.scenario.msel import import_msel, write_msel


def best(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    paths = [scenario_path(s) for s in args.scenarios] or bundled_scenarios()
    print(f"{'scenario':20} {'rows':>5} {'load_ms':>8} | {'fmt':4} {'export_ms':>9} {'ratio':>6} {'import_ms':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            loaded = load(path)
            rows = len(loaded.scenario.injects) + len(loaded.scenario.decision_points)
            base = best(lambda path=path: load(path), args.repeats)
            for fmt in ("xlsx", "csv"):
                sheet = Path(tmp) / f"m.{fmt}"
                exp = best(lambda s=loaded.scenario, sheet=sheet: write_msel(s, sheet), args.repeats)
                imp = best(lambda sheet=sheet, path=path: import_msel(sheet, path, Path(tmp) / "new.yaml"), args.repeats)
                print(f"{path.stem:20} {rows:5} {base:8.1f} | {fmt:4} {exp:9.1f} {exp / base:6.2f} {imp:9.1f} {imp / base:6.2f}")


if __name__ == "__main__":
    main()
