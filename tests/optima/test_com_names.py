"""Every COM name LinkOptima uses is one public code uses, or one of the few listed as unverified.

Three lists meet here: ``core/optima/com_names.py`` (what the writer and the probe use, which the
probe asks the installed Optima for), ``com_reference.py`` (what public code uses, from the
team's note) and ``com_unverified.py`` (the rest, each with its reason and source, printed in
docs/optima-setup.md). The writer is held to the first list by running it against the strict
fake, and the fake is shown to catch a misspelt name in the writer's own source.
"""

from __future__ import annotations

import inspect
import re
import types
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from linkoptima_gui.core.domain.correction import (
    CorrectionKind,
    CorrectionLine,
    CorrectionRequest,
    PayoutKind,
)
from linkoptima_gui.core.errors import AmbiguousOutcomeError, PermanentError
from linkoptima_gui.core.optima import com_errors, com_names, com_writer
from linkoptima_gui.core.optima.com_session import OptimaComSession
from linkoptima_gui.core.optima.settings import SETTLE_BY_COM_KP
from linkoptima_gui.demo.catalogue import SHIPPING_SERVICE_CODE

from . import com_reference as ref
from . import factories as f
from .com_fake import FakeOptima
from .com_unverified import UNVERIFIED, unverified
from .conftest import clock, saved_kp
from .test_supplier_order import zd_request

DAY = date(2026, 3, 16)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "optima-setup.md"


def _in_reference(name: com_names.ComName) -> bool:
    if name.kind == com_names.PROGID:
        return name.name.upper() in ref.all_progids()
    if name.kind == com_names.FILTER:
        return name.name.lower() in ref.FILTER_COLUMNS
    member = ref.member(name.owner, name.name)
    return member is not None and name.kind in member.kinds


def test_every_name_used_is_seen_in_public_code_or_listed_as_unverified() -> None:
    strays = [f"{n.owner}.{n.name} ({n.kind})" for n in com_names.NAMES
              if not _in_reference(n) and unverified(n.owner, n.name) is None]
    assert strays == []


def test_the_unverified_list_holds_only_names_in_use_that_public_code_lacks() -> None:
    used = {(n.owner, n.name.lower()) for n in com_names.NAMES}
    used |= {("HRESULT", com_errors.hresult_text(code).lower()) for code in _hresults_mapped()}
    for entry in UNVERIFIED:
        assert (entry.owner, entry.name.lower()) in used, entry
        assert entry.reason and entry.source, entry
        if entry.kind == "hresult":
            assert int(entry.name, 16) not in ref.HRESULTS, entry
        else:
            assert not _in_reference(com_names.ComName(entry.owner, entry.name, entry.kind)), entry


def _hresults_mapped() -> set[int]:
    return set(com_errors.UNAVAILABLE | com_errors.NOT_REGISTERED | com_errors.NAME_UNKNOWN) | {
        com_errors.DISP_E_TYPEMISMATCH}


def test_every_hresult_the_errors_are_mapped_by_is_seen_or_listed() -> None:
    for code in _hresults_mapped():
        text = com_errors.hresult_text(code)
        assert (code & 0xFFFFFFFF) in ref.HRESULTS or unverified("HRESULT", text) is not None, text


def test_the_setup_guide_prints_the_unverified_list() -> None:
    section = DOCS.read_text(encoding="utf-8").split("### To check on a test company", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([^`]+)` \| (\w+) \|", section, re.M)
    expected = [(e.name if e.owner in ("ProgID", "HRESULT") else f"{e.owner}.{e.name}", e.kind) for e in UNVERIFIED]
    assert listed == expected
    for entry in UNVERIFIED:
        assert entry.source in section and entry.reason in section


# --- the writer, held to the list ------------------------------------------------------------------


def _run_every_booking(writer_class, fake: FakeOptima, reader, writer) -> None:
    """Contractor, FA priced gross and net, WZ, KP with a new report and its settlement, ZD."""
    with OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", config_connection="NET:CDN_KNF_Konfiguracja,SQL,NT=0",
                          dispatch=fake.dispatch, apartment=fake.apartment) as session:
        com = writer_class(session, reader, clock=clock)

        def attempt(call) -> None:
            with pytest.raises(AmbiguousOutcomeError):  # the fake saves nothing
                call()

        attempt(lambda: com.ensure_contractor(f.company_buyer(nip="555-444-33-34")))
        gross, net = f.order("5001"), f.order("5002", [f.net_line("KUB-001", 1, "10.00")], prices_include_tax=False)
        contractor = writer.ensure_contractor(gross.buyer)
        for order in (gross, net):
            attempt(lambda order=order: com.create_invoice(order, contractor))
        invoice = writer.create_invoice(gross, contractor)
        attempt(lambda: com.create_wz_from_invoice(invoice))
        attempt(lambda: com.settle_payment(invoice, gross))  # opens a report, books a KP
        earlier, later, orphan = f.order("5003"), f.order("5004"), f.order("5005")
        writer.settle_payment(writer.create_invoice(earlier, contractor), earlier)  # March's report in the books
        attempt(lambda: com.settle_payment(writer.create_invoice(later, contractor), later))  # into that report
        orphan_invoice = writer.create_invoice(orphan, contractor)
        saved_kp(writer.engine, orphan, orphan_invoice.number)
        attempt(lambda: com.settle_payment(orphan_invoice, orphan))  # settles the KP saved before
        attempt(lambda: com.create_supplier_order(zd_request(writer.engine)))  # the Pulpit's ZD
        _run_every_correction(com, attempt, writer, contractor, invoice, earlier)


def _run_every_correction(com, attempt, writer, contractor, invoice, paid_order) -> None:
    """A quantity and a value correction, the payable netted and paid out (KP-through-COM route)."""
    back = CorrectionRequest("ZW-5001", CorrectionKind.QUANTITY, (CorrectionLine(1, "KUB-001", Decimal(-1)),),
                             "Zwrot", DAY)
    shipping = CorrectionRequest("ZW-5002", CorrectionKind.VALUE,
                                 (CorrectionLine(3, SHIPPING_SERVICE_CODE, gross=Decimal("-5.00")),), "Rabat", DAY)
    for request in (back, shipping):
        attempt(lambda request=request: com.create_correction(invoice, request))
    paid = writer.create_invoice(paid_order, contractor)
    attempt(lambda: com.settle_correction(writer.create_correction(paid, back), paid, paid_order, PayoutKind.BANK))


def test_the_writer_uses_no_name_outside_the_list(engine, reader, writer) -> None:
    fake = FakeOptima(books=engine)
    _run_every_booking(com_writer.ComOptimaWriter, fake, reader, writer)
    listed = {(n.owner.lower(), n.name.lower(), n.kind) for n in com_names.NAMES}
    used = {(owner.lower(), name.lower(), kind) for owner, name, kind in fake.used()}
    assert used - listed == set()
    # and the run reached every part of the writer the list names (KP route included)
    assert reader.settings.settlement == SETTLE_BY_COM_KP
    writer_names = {(n.owner.lower(), n.name.lower(), n.kind) for n in com_names.NAMES
                    if n.purpose != com_names.PROBE_WRITE and n.kind != com_names.READ}
    assert writer_names - used == set()


def _misspelt(old: str, new: str) -> type:
    """``ComOptimaWriter`` from the writer's own source with ``old`` replaced by ``new``."""
    source = inspect.getsource(com_writer)
    assert source.count(old) == 1, old
    module = types.ModuleType("linkoptima_gui.core.optima.com_writer_misspelt")
    module.__package__ = "linkoptima_gui.core.optima"
    exec(compile(source.replace(old, new), com_writer.__file__, "exec"), module.__dict__)  # noqa: S102
    return module.ComOptimaWriter


@pytest.mark.parametrize(("old", "new"), [
    ("doc.Uwagi =", "doc.Opis ="),  # what the writer used before: no public code sets it
    ("element.CenaT =", "element.WartoscBrutto ="),  # the same
    ("element.TowarKod =", "element.TowarKd ="),  # a plain typo
    ("card.KrajISO =", "card.KrajIso_ ="),
])
def test_a_misspelt_name_in_the_writer_fails_against_the_fake(old, new, engine, reader, writer) -> None:
    fake = FakeOptima(books=engine)
    with pytest.raises(PermanentError) as caught:
        _run_every_booking(_misspelt(old, new), fake, reader, writer)
    assert caught.value.code == "optima_com_name" and new.split(".")[1].split()[0] in caught.value.reason


def test_the_writers_source_as_it_is_runs_against_the_fake(engine, reader, writer) -> None:
    """The control for the test above: the same loading, no change, no name error."""
    _run_every_booking(_misspelt("doc.Uwagi =", "doc.Uwagi ="), FakeOptima(books=engine), reader, writer)
