"""Regulatory clocks: NIS2 Art. 23, DORA, the Union-entity regime and the Reserve.

A clock starts on the event that starts it in law (awareness of a significant
incident, classification as major, a Reserve request), runs to its legal
deadline, and ends met (the report was filed) or missed. Both outcomes are
journal records and AAR findings (domain.md §4, §10.5).
"""

from __future__ import annotations

from dataclasses import dataclass

MONTH = 30 * 24 * 60

@dataclass(frozen=True)
class ClockRule:
    report: str
    regime: str
    minutes: int
    label: str
    basis: str
    then: str | None = None
    """The report whose clock starts when this one is filed."""


RULES: dict[str, ClockRule] = {
    "early_warning": ClockRule("early_warning", "NIS2", 24 * 60, "NIS2 early warning (24 h)", "NIS2 Art. 23(4)(a)"),
    "notification": ClockRule("notification", "NIS2", 72 * 60, "NIS2 incident notification (72 h)", "NIS2 Art. 23(4)(b)", then="final_report"),
    "final_report": ClockRule("final_report", "NIS2", MONTH, "NIS2 final report (1 month)", "NIS2 Art. 23(4)(d)"),
    "dora_initial": ClockRule("dora_initial", "DORA", 4 * 60, "DORA initial notification (4 h)", "RTS 2025/301 Art. 5", then="dora_intermediate"),
    "dora_intermediate": ClockRule("dora_intermediate", "DORA", 72 * 60, "DORA intermediate report (72 h)", "RTS 2025/301", then="dora_final"),
    "dora_final": ClockRule("dora_final", "DORA", MONTH, "DORA final report (1 month)", "RTS 2025/301"),
    "reserve_answer": ClockRule("reserve_answer", "Reserve", 48 * 60, "Reserve answer (48 h)", "Regulation (EU) 2025/38"),
}
"""Every clock the engine runs, with its legal basis (domain.md §4.1, §4.2, §1.6)."""

AWARENESS_STARTS = ("early_warning", "notification")
"""NIS2 clocks that start together at awareness of a significant incident."""

AUTO_FILING_HOURS = {
    "early_warning": (1, 6, 24),
    "notification": (24, 60, 72),
    "final_report": (168, 480, 720),
    "dora_initial": (0.5, 2, 4),
    "dora_intermediate": (24, 48, 72),
    "dora_final": (168, 480, 720),
}
"""How long a simulated entity takes to file each report, hours (domain.md §10.2)."""


@dataclass
class Clock:
    id: str
    rule: ClockRule
    owner: str
    started: int
    deadline: int
    status: str = "running"  # running | met | missed
    ended: int | None = None
