"""What ``linkoptima optima-probe`` found: one JSON report for a support person, and the same in
a few Polish sentences for the installer at the keyboard (and the settings screen's check).

Each step of the probe is one ``ProbeStep``: ok or not, one Polish sentence, and the data behind
it (the names Optima lacks, the ids it found, what a test booking looked like in the books). A
step that could not run because an earlier one failed is not listed: the first failure says why.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

#: step names, in the order the probe runs them
LOGIN, NAMES, BOOKS, BOOKING, LOGOUT = "login", "names", "books", "booking", "logout"


@dataclass(frozen=True)
class ProbeStep:
    name: str
    ok: bool
    message: str  # Polish, shown as it is
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProbeReport:
    """The probe's findings on one Optima company, as it met it at ``started``."""

    company: str
    operator: str
    settlement: str
    write: bool
    started: datetime
    steps: list[ProbeStep] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    def add(self, name: str, ok: bool, message: str, **details: Any) -> ProbeStep:
        step = ProbeStep(name, ok, message, details)
        self.steps.append(step)
        return step

    def step(self, name: str) -> ProbeStep | None:
        return next((step for step in self.steps if step.name == name), None)

    def to_json(self) -> str:
        """One line: the whole report, for a file or a support ticket."""
        data = asdict(self)
        data["ok"] = self.ok
        data["started"] = self.started.isoformat(timespec="seconds")
        return json.dumps(data, ensure_ascii=False, default=str)

    def summary(self) -> str:
        """The report in Polish, one line a step, and a verdict."""
        lines = [f"Optima, firma „{self.company}”, operator {self.operator}:"]
        lines += [("  ✔ " if step.ok else "  ✖ ") + step.message for step in self.steps]
        if self.ok:
            lines.append("Wynik: API COM Optimy ma wszystko, czego używa LinkOptima"
                         + (", a próbna faktura zapisała się i usunęła poprawnie." if self.write else "."))
        else:
            lines.append("Wynik: są problemy (powyżej); pełny raport JSON opisuje każdy z nich.")
        return "\n".join(lines)

    def short(self) -> str:
        """One or two sentences for the settings screen: the first problem, or that all is well."""
        failed = next((step for step in self.steps if not step.ok), None)
        if failed is not None:
            return failed.message
        return "API COM Optimy: " + "; ".join(step.message for step in self.steps if step.name in (LOGIN, NAMES))
