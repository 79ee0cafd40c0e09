"""What a correction of an FA may do, and its figures: the rules both writers keep.

A correction works on the FA as it stands after every earlier correction (reference/corrections.md
§3.4: Comarch documents the model for Altum, and Optima's BI computes "quantity after" as the FA's
quantity plus the corrections' quantities, §3.2). Earlier corrections still in the buffer count
too: confirming them later must not take a line below zero. Refused before anything is written,
with codes the exceptions screen groups by:

- ``invoice_not_correctable``: the FA is in the buffer, cancelled, or is itself a correction;
- ``correction_unknown_line``: a position the FA does not have, or another item on it;
- ``correction_too_large``: a line would go below 0 quantity or value (edge case E);
- ``invalid_correction``: a request that is not a reduction of its kind (no lines, a positive
  change, a quantity on a value correction).

The figures are Optima's: a returned quantity is valued at the FA's unit price (``TrE_CenaT``)
and a line returned whole goes to exactly zero; the VAT of a correction is, per rate, the VAT of
the lines after it minus the VAT before it, each computed from the summed values as
``domain/vat.py`` does, so the FA plus all its corrections always add up to the VAT table of
what is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...domain.correction import CorrectionKind, CorrectionRequest
from ...domain.money import ZERO, round_grosz
from ...domain.vat import VatRate, VatRow, vat_table
from ...errors import PermanentError
from .. import queries as q
from .. import queries_corrections as qc
from ..port import DocumentRef
from ..schema import TraNag


@dataclass(frozen=True)
class LineState:
    """One FA line as it stands after the earlier corrections."""

    row: Mapping[str, Any]  # the FA's TraElem row
    quantity: Decimal
    net: Decimal
    gross: Decimal

    @property
    def position(self) -> int:
        return int(self.row["TrE_Lp"])

    @property
    def rate(self) -> VatRate:
        return VatRate.from_optima(self.row["TrE_Stawka"], self.row["TrE_Flaga"])


@dataclass(frozen=True)
class LineChange:
    """What the correction changes on one FA line (negative for a reduction)."""

    state: LineState
    quantity: Decimal
    net: Decimal
    gross: Decimal


def _refuse(code: str, reason: str, /, **details: Any) -> PermanentError:
    return PermanentError(reason, code=code, details={k: str(v) for k, v in details.items()})


def existing_correction(conn: Connection, reference: str) -> DocumentRef | None:
    """The correction already booked for this refund (confirmed or in the buffer)."""
    row = conn.execute(qc.correction_by_reference_query(reference)).first()
    return DocumentRef(id=int(row[0]), number=str(row[1])) if row else None


def invoice_to_correct(conn: Connection, invoice: DocumentRef) -> Mapping[str, Any]:
    """The FA's header; an FA in the buffer, cancelled or not an FA at all is refused."""
    row = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == invoice.id)).mappings().first()
    if row is None or row["TrN_TypDokumentu"] != q.FA_TYPE:
        raise _refuse("invoice_not_found", f"Nie ma w Optimie faktury {invoice.number} (id {invoice.id})",
                      invoice_id=invoice.id, number=invoice.number)
    number = row["TrN_NumerPelny"]
    if row["TrN_Korekta"]:
        why = "jest sama korektą (koryguje się zawsze fakturę pierwotną)"
    elif row["TrN_Anulowany"]:
        why = "została anulowana w Optimie"
    elif row["TrN_Bufor"] != 0:
        why = "jest w buforze (niezatwierdzona)"
    else:
        return row
    raise _refuse("invoice_not_correctable", f"Nie można skorygować faktury {number}: {why}",
                  invoice_id=invoice.id, number=number)


def line_states(conn: Connection, invoice_id: int) -> dict[int, LineState]:
    """The FA's lines by ``TrE_Lp``, each with what its corrections have changed so far."""
    lines = conn.execute(q.document_lines_query(invoice_id)).mappings().all()
    by_id = {row["TrE_TrEID"]: row for row in lines}
    changed: dict[int, list[Decimal]] = {line_id: [ZERO, ZERO, ZERO] for line_id in by_id}
    for row in conn.execute(qc.corrected_lines_query(invoice_id)).mappings():
        sums = changed.get(row["TrE_ZwrId"])
        if sums is not None:
            sums[0] += Decimal(row["TrE_Ilosc"])
            sums[1] += Decimal(row["TrE_WartoscNetto"])
            sums[2] += Decimal(row["TrE_WartoscBrutto"])
    return {
        int(row["TrE_Lp"]): LineState(
            row,
            Decimal(row["TrE_Ilosc"]) + changed[line_id][0],
            Decimal(row["TrE_WartoscNetto"]) + changed[line_id][1],
            Decimal(row["TrE_WartoscBrutto"]) + changed[line_id][2],
        )
        for line_id, row in by_id.items()
    }


def _after(state: LineState, base_after: Decimal, from_gross: bool) -> tuple[Decimal, Decimal]:
    """(net, gross) of a line whose value under the document's method becomes ``base_after``."""
    if from_gross:
        return base_after - state.rate.vat_from_gross(base_after), base_after
    return base_after, base_after + state.rate.vat_from_net(base_after)


def plan_correction(
    states: Mapping[int, LineState], request: CorrectionRequest, invoice: Mapping[str, Any]
) -> list[LineChange]:
    """The change to each line the request names, refused as a whole when one line cannot take it."""
    number = invoice["TrN_NumerPelny"]
    if not request.lines:
        raise _refuse("invalid_correction", f"Korekta {request.reference} faktury {number} nie ma pozycji",
                      reference=request.reference)
    from_gross = int(invoice["TrN_TypNB"]) == 2
    changes: list[LineChange] = []
    seen: set[int] = set()
    for line in request.lines:
        state = states.get(line.position)
        if state is None or line.position in seen or (line.code and line.code != state.row["TrE_TwrKod"]):
            raise _refuse(
                "correction_unknown_line",
                f"Faktura {number} nie ma pozycji {line.position} z towarem „{line.code}” (albo korekta podaje ją "
                "dwa razy)", invoice=number, position=line.position, code=line.code)
        seen.add(line.position)
        base = state.gross if from_gross else state.net
        if request.kind is CorrectionKind.QUANTITY:
            if line.quantity >= 0 or line.gross != 0:
                raise _refuse("invalid_correction", f"Korekta ilościowa pozycji {line.position} faktury {number} "
                              "musi zmniejszać ilość (ilość ujemna, bez kwoty)", position=line.position)
            quantity_after = state.quantity + line.quantity
            base_after = ZERO if quantity_after == 0 else base + round_grosz(
                Decimal(state.row["TrE_CenaT"]) * line.quantity)
        else:
            if line.gross >= 0 or line.quantity != 0:
                raise _refuse("invalid_correction", f"Korekta wartościowa pozycji {line.position} faktury {number} "
                              "musi zmniejszać wartość brutto (kwota ujemna, bez ilości)", position=line.position)
            quantity_after = state.quantity
            gross_after = state.gross + line.gross
            base_after = gross_after if from_gross else round_grosz(
                gross_after * 100 / (100 + state.rate.percent))
        if quantity_after < 0 or base_after < 0:
            raise _refuse(
                "correction_too_large",
                f"Korekta {request.reference} zmniejszyłaby pozycję {line.position} faktury {number} "
                f"(„{state.row['TrE_TwrKod']}”) poniżej zera: zostało {_text(state.quantity)} szt. za "
                f"{state.gross} zł brutto po wcześniejszych korektach",
                invoice=number, position=line.position, quantity_left=_text(state.quantity),
                gross_left=state.gross)
        net_after, gross_after = (ZERO, ZERO) if base_after == 0 else _after(state, base_after, from_gross)
        changes.append(LineChange(state, quantity_after - state.quantity, net_after - state.net,
                                  gross_after - state.gross))
    return changes


def correction_vat(
    states: Mapping[int, LineState], changes: Sequence[LineChange], from_gross: bool
) -> list[VatRow]:
    """The correction's VAT table: per rate it touches, the table after minus the table before."""
    touched = {change.state.rate for change in changes}
    changed = {change.state.position: change for change in changes}

    def value(state: LineState, after: bool) -> Decimal:
        change = changed.get(state.position) if after else None
        if from_gross:
            return state.gross + (change.gross if change else ZERO)
        return state.net + (change.net if change else ZERO)

    def table(after: bool) -> dict[VatRate, VatRow]:
        values = [(s.rate, value(s, after)) for s in states.values() if s.rate in touched]
        return {row.rate: row for row in vat_table(values, from_gross=from_gross)}

    before, after = table(False), table(True)
    return [VatRow(rate, after[rate].net - before[rate].net, after[rate].vat - before[rate].vat)
            for rate in VatRate if rate in touched]


def _text(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")
