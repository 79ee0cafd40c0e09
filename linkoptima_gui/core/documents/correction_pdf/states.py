"""Before / after / difference of a correction, as sums of booked figures only.

Optima stores a correction as differences against the original FA (``TrN_ZwrId`` always names
the FA, never a previous correction), while art. 106j lets the printout show the state before
and after. With several corrections of one FA the "before" of the second is the state after the
first (reference/corrections.md §2.4), so it is the FA's figure plus every earlier correction's
difference for the same line (``position`` = the FA's Lp) or VAT rate; "after" adds this
correction's difference. Nothing is priced, rounded or taxed here: the VAT of each state is the
sum of VAT amounts Optima booked, so the printout cannot disagree with the books.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...domain.correction import CorrectionDocument
from ...domain.invoice import InvoiceLine
from ...domain.vat import VatRate

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Figures:
    """Quantity and values of one line or one VAT rate in one state (quantity 0 for a rate)."""

    quantity: Decimal = _ZERO
    net: Decimal = _ZERO
    vat: Decimal = _ZERO
    gross: Decimal = _ZERO

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.quantity + other.quantity, self.net + other.net, self.vat + other.vat,
                       self.gross + other.gross)

    @classmethod
    def of_line(cls, line: InvoiceLine) -> Figures:
        return cls(line.quantity, line.net, line.vat, line.gross)


@dataclass(frozen=True)
class CorrectedLine:
    """One corrected FA line: what it names, and its figures before, after and the difference."""

    position: int
    code: str
    name: str
    unit: str
    rate_before: VatRate
    rate_after: VatRate
    before: Figures
    change: Figures

    @property
    def after(self) -> Figures:
        return self.before + self.change


@dataclass(frozen=True)
class RateState:
    """One VAT rate of the summary (or the total, ``rate`` None): before, difference, after."""

    rate: VatRate | None
    before: Figures
    change: Figures

    @property
    def after(self) -> Figures:
        return self.before + self.change


def earlier_of(doc: CorrectionDocument, earlier: Iterable[CorrectionDocument]) -> list[CorrectionDocument]:
    """The earlier corrections that count for ``doc``'s "before": those of the same FA, not
    ``doc`` itself (a caller may pass every correction of the FA).

    A correction of another FA is a caller's mistake that would print a wrong "before", so it
    is refused rather than skipped.
    """
    kept = []
    for other in earlier:
        if other.original.number != doc.original.number:
            raise ValueError(f"correction {other.number} corrects {other.original.number}, "
                             f"not {doc.original.number}")
        if other.number != doc.number:
            kept.append(other)
    return kept


def _sum_lines(lines: Iterable[InvoiceLine]) -> dict[int, Figures]:
    sums: dict[int, Figures] = {}
    for line in lines:
        sums[line.position] = sums.get(line.position, Figures()) + Figures.of_line(line)
    return sums


def corrected_lines(doc: CorrectionDocument, earlier: Sequence[CorrectionDocument] = ()) -> list[CorrectedLine]:
    """Every line of ``doc`` with its state before and after, in the FA's order (by Lp.).

    Several lines of ``doc`` for one position (Optima may split a line) are shown as one, their
    differences summed. A position the FA does not have starts from zero.
    """
    fa = {line.position: line for line in doc.original.lines}
    before = _sum_lines(doc.original.lines)
    for other in earlier_of(doc, earlier):
        for position, change in _sum_lines(other.lines).items():
            before[position] = before.get(position, Figures()) + change
    changes = _sum_lines(doc.lines)
    result: list[CorrectedLine] = []
    seen: set[int] = set()
    for line in sorted(doc.lines, key=lambda item: item.position):
        if line.position in seen:
            continue
        seen.add(line.position)
        named = fa.get(line.position, line)
        result.append(CorrectedLine(
            position=line.position, code=named.code, name=named.name, unit=named.unit,
            rate_before=named.rate, rate_after=line.rate,
            before=before.get(line.position, Figures()), change=changes[line.position]))
    return result


def rate_states(doc: CorrectionDocument, earlier: Sequence[CorrectionDocument] = ()) -> list[RateState]:
    """The VAT summary per rate, every rate of the FA or of a correction, in VatRate order."""
    others = earlier_of(doc, earlier)
    before: dict[VatRate, Figures] = {}
    for rows in [doc.original.vat_rows, *(other.vat_rows for other in others)]:
        for row in rows:
            before[row.rate] = before.get(row.rate, Figures()) + Figures(_ZERO, row.net, row.vat, row.gross)
    change: dict[VatRate, Figures] = {}
    for row in doc.vat_rows:
        change[row.rate] = change.get(row.rate, Figures()) + Figures(_ZERO, row.net, row.vat, row.gross)
    return [RateState(rate, before.get(rate, Figures()), change.get(rate, Figures()))
            for rate in VatRate if rate in before or rate in change]


def total_state(doc: CorrectionDocument, earlier: Sequence[CorrectionDocument] = ()) -> RateState:
    """The document totals: the FA's plus the earlier corrections' (before) and this one's."""
    before = Figures(_ZERO, doc.original.net_total, doc.original.vat_total, doc.original.gross_total)
    for other in earlier_of(doc, earlier):
        before = before + Figures(_ZERO, other.net_total, other.vat_total, other.gross_total)
    return RateState(None, before, Figures(_ZERO, doc.net_total, doc.vat_total, doc.gross_total))
