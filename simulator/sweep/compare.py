"""Where a played outcome falls in a sweep's distributions (``cyclesim report --sweep``).

For each outcome measure, the played value is placed among the sweep's runs
of each reference player: the share of runs that came out lower, equal and
higher, and its percentile (lower share plus half the equal share). Every
measure is one where lower is better (less downtime, fewer clocks missed), so
"80 % of passive runs higher" reads as: the team did better than inaction in
four runs out of five. Doctrine and passive are the references when the sweep
has them; otherwise every player of the sweep is.
"""

from __future__ import annotations

from typing import Any

from simulator.errors import InputError
from simulator.journal.outcome import outcome
from simulator.sweep.stats import distribution, fmt, group_label, measure_columns, percentile_of

REFERENCES = ("doctrine", "passive")


def placement(journal, folder: str, meta: dict[str, Any], columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Plain data for the report's section on the sweep."""
    started = journal[0].data if len(journal) else {}
    if meta.get("scenario") and started.get("scenario") and meta["scenario"] != started["scenario"]:
        raise InputError(f"--sweep {folder}: a sweep of scenario {meta['scenario']!r}, "
                         f"but the report is of {started['scenario']!r}")
    if not rows:
        raise InputError(f"--sweep {folder}: the sweep has no finished runs")
    vary = list(meta.get("vary") or [])
    played = outcome(journal)
    measures = [m for m in measure_columns(columns, vary) if m in played]
    players = [p for p in REFERENCES if any(r["player"] == p for r in rows)] or sorted({str(r["player"]) for r in rows})
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if str(r["player"]) in players:
            groups.setdefault(group_label(r, vary), []).append(r)
    out = []
    for m in measures:
        value = played[m]
        entries = []
        for g, grows in groups.items():
            d = distribution(grows, m)
            if value is None or not d.values:
                entries.append({"group": g, "n": len(d.values), "median": fmt(d.percentiles[50]), "percentile": "–",
                                "lower": "–", "equal": "–", "higher": "–", "missing": d.missing})
                continue
            x = float(value)
            n = len(d.values)
            lower = sum(v < x for v in d.values)
            equal = sum(v == x for v in d.values)
            entries.append({"group": g, "n": n, "median": fmt(d.percentiles[50]),
                            "percentile": fmt(round(percentile_of(d.values, x), 1)),
                            "lower": f"{100 * lower / n:.0f} %", "equal": f"{100 * equal / n:.0f} %",
                            "higher": f"{100 * (n - lower - equal) / n:.0f} %", "missing": d.missing})
        out.append({"measure": m, "played": fmt(value) if value is not None else "none", "groups": entries})
    same = meta.get("content_hash") == started.get("content_hash")
    return {"folder": folder, "runs": len(rows), "command": meta.get("command", ""), "seeds": meta.get("seeds", ""),
            "players": players, "vary": vary, "measures": out, "same_scenario": same}
