"""A sweep's folder: ``runs.csv``, ``sweep.json`` (what was run) and ``sweep.html``.

``sweep.json`` holds what the rows alone do not say (the scenario, the varied
paths, the players, the command) so that ``cyclesim report --sweep DIR`` and
the page can read a sweep folder later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.sweep.execute import SweepResult, run_sweep
from simulator.sweep.page import write_page
from simulator.sweep.plan import SweepPlan
from simulator.sweep.progress import progress
from simulator.sweep.table import read_runs

META = "sweep.json"


def finish(plan: SweepPlan, out: Path, meta: dict[str, Any], *, workers: int, scheduler: Any = None,
           show_progress: bool | None = None, replay=None) -> SweepResult:
    """Run the sweep with a progress bar, then write its metadata and page (also when interrupted)."""
    with progress(plan.size, f"{meta.get('kind', 'sweep')} {meta.get('scenario', '')}", show_progress) as advance:
        result = run_sweep(plan, out, workers=workers, scheduler=scheduler, on_progress=advance)
    meta = {**meta, "runs": len(result.rows), "interrupted": result.interrupted, "backend": result.backend}
    (out / META).write_text(json.dumps(meta, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    write_page(out, meta, result.columns, result.rows, replay or plan.replay_command)
    return result


def read_sweep(folder: str | Path) -> tuple[dict[str, Any], list[str], list[dict[str, Any]]]:
    """The metadata, columns and rows of a sweep folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"--sweep {folder}: not a folder (give the --out folder of 'cyclesim sweep')")
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--sweep {folder}: no {META}; not a folder written by 'cyclesim sweep'") from None
    except (OSError, ValueError) as e:
        raise InputError(f"--sweep {folder / META}: cannot read it ({e})") from None
    if not isinstance(meta, dict):
        raise InputError(f"--sweep {folder / META}: not a sweep description")
    columns, rows = read_runs(folder / "runs.csv")
    return meta, columns, rows
