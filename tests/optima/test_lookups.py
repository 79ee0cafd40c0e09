"""Look-ups on the seeded demo company, on SQLite and (with LINKOPTIMA_TEST_PG_URL) PostgreSQL.

One company per backend is seeded and given its story once (extra EANs, an inactive item, a
contractor card typed twice, four invoices: settled, cash on delivery, half paid, booked after
the KSeF run); the tests only read it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text, update

from linkoptima_gui.core.optima.lookup_types import DueStatus
from linkoptima_gui.core.optima.lookups import OptimaLookups
from linkoptima_gui.core.optima.port import DocumentRef
from linkoptima_gui.core.optima.schema import Kontrahenci, Towary, TwrEan, optima_engine
from linkoptima_gui.core.optima.settings import OptimaSettings
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.core.optima.simulated.ksef import ACCEPTED, SimulatedKsef
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.optima_seed import create_demo_optima, seed_demo_optima

from . import factories as f
from .conftest import KP_THROUGH_COM, NOW, clock, without_own_settlement

PG_URL = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
ITEMS = {item.code: item for item in CATALOGUE}
BOX_EAN = "5909990000011"  # an extra EAN of KUB-001 for a box of 6
SHARED_EAN = "5909990000028"  # carelessly given to two items


@dataclass
class Company:
    lookups: OptimaLookups
    settled: DocumentRef  # 1001: company, PayU, settled, with a WZ
    cod: DocumentRef  # 1002: person, cash on delivery, open
    partial: DocumentRef  # 1003: company, half of it paid
    late: DocumentRef  # 1004: company, booked after KSeF sending ran
    wz: DocumentRef
    kp_numbers: tuple[str, ...]
    ksef_numbers: tuple[str, ...]


def _story(engine: Engine, ksef_folder: Path) -> Company:
    ids = _item_ids(engine)
    with engine.begin() as conn:
        conn.execute(
            TwrEan.insert(),
            [
                {"TwE_TwrID": ids[code], "TwE_EAN": ean, "TwE_Opis": note, "TwE_Domyslny": default, "TwE_JM": unit}
                for code, ean, note, default, unit in (
                    # Optima lists the main EAN among the extra ones too, flagged as the default
                    ("KUB-001", ITEMS["KUB-001"].ean, "", 1, "szt."),
                    ("KUB-001", BOX_EAN, "karton 6 szt.", 0, "karton"),
                    ("KS-001", SHARED_EAN, "", 0, "szt."),
                    ("KS-002", SHARED_EAN, "", 0, "szt."),
                )
            ],
        )
        conn.execute(update(Towary).where(Towary.c.Twr_Kod == "NOT-003").values(Twr_NieAktywny=1))
        conn.execute(  # the cafe's NIP typed again on a newer, inactive card, with a PL prefix
            Kontrahenci.insert().values(
                Knt_Kod="ZUBR-STARY", Knt_Nazwa1="Kawiarnia Żubr (stara karta)", Knt_Nip="PL 111 222 33 32",
                Knt_Email="Kawiarnia@Zubr.example", Knt_Nieaktywny=1, Knt_PodatekVat=1,
                Knt_TS_Zal=NOW, Knt_TS_Mod=NOW,
            )
        )
    without_own_settlement(engine)  # the half-paid invoice needs a KP of the console's
    settings = replace(KP_THROUGH_COM, ksef_xml_folder=str(ksef_folder))
    writer = SimulatedOptimaWriter(engine, settings, clock=clock)

    def book(order):
        return writer.create_invoice(order, writer.ensure_contractor(order.buyer))

    first, second, third = f.order("1001"), f.order("1002", method="cod", buyer=f.person_buyer()), f.order("1003")
    settled, cod, partial = book(first), book(second), book(third)
    wz = writer.create_wz_from_invoice(settled)
    kp1 = writer.settle_payment(settled, first)
    kp3 = writer.settle_payment(partial, replace(third, total=Decimal("50.00")))
    sent = SimulatedKsef(engine, settings, ksef_folder, delay_seconds=0, clock=clock).send_due()
    late = book(f.order("1004"))
    return Company(OptimaLookups(engine, settings), settled, cod, partial, late, wz,
                   (kp1.number, kp3.number), tuple(sent))


def _item_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(Towary.select().with_only_columns(Towary.c.Twr_Kod, Towary.c.Twr_TwrId)).all())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def company(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Company]:
    folder = tmp_path_factory.mktemp(f"lookups-{request.param}")
    if request.param == "sqlite":
        engine = create_demo_optima(folder, now=NOW)
    else:
        if not PG_URL:
            pytest.skip("set LINKOPTIMA_TEST_PG_URL to run on PostgreSQL")
        engine = optima_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text('DROP SCHEMA IF EXISTS "CDN" CASCADE'))
        assert seed_demo_optima(engine, now=NOW)
    yield _story(engine, folder / "ksef")
    engine.dispose()


# --- items -----------------------------------------------------------------------------------------


def test_an_item_by_its_main_ean_is_found_once(company: Company) -> None:
    (card,) = company.lookups.items_by_ean(f" {ITEMS['KUB-001'].ean} ")
    assert (card.code, card.name, card.unit, card.ean_unit) == ("KUB-001", "Kubek ceramiczny Żółw", "szt.", "szt.")
    assert card.ean == ITEMS["KUB-001"].ean and not card.via_extra_ean
    assert card.active and not card.is_service


def test_an_extra_ean_finds_its_item_with_the_unit_it_counts(company: Company) -> None:
    (card,) = company.lookups.items_by_ean(BOX_EAN)
    assert card.code == "KUB-001" and card.via_extra_ean
    assert (card.unit, card.ean_unit) == ("szt.", "karton")


def test_a_shared_ean_returns_every_item_it_may_mean(company: Company) -> None:
    assert [c.code for c in company.lookups.items_by_ean(SHARED_EAN)] == ["KS-001", "KS-002"]


def test_unknown_and_blank_eans_find_nothing(company: Company) -> None:
    assert company.lookups.items_by_ean("5900000000000") == ()
    # the services carry an empty Twr_EAN: a blank scan must not match them
    assert company.lookups.items_by_ean("  ") == ()


def test_inactive_items_and_services(company: Company) -> None:
    inactive = company.lookups.inactive_items()
    assert [(c.code, c.active) for c in inactive] == [("NOT-003", False)]
    services = company.lookups.services()
    assert [c.code for c in services] == ["USL-OPLATA", "USL-TRANSPORT"]
    assert all(c.is_service and c.active for c in services)


# --- contractors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9876543210", "987-654-32-10", "PL 987 654 32 10", "pl9876543210"])
def test_a_contractor_by_nip_however_it_is_typed(company: Company, typed: str) -> None:
    (card,) = company.lookups.contractors_by_nip(typed)
    assert (card.code, card.nip, card.city) == ("HURT-ORZEL", "9876543210", "Poznań")
    assert card.vat_payer and card.active


def test_a_nip_on_two_cards_returns_both_active_first(company: Company) -> None:
    cards = company.lookups.contractors_by_nip("1112223332")
    assert [(c.code, c.active) for c in cards] == [("KAWIARNIA-ZUBR", True), ("ZUBR-STARY", False)]
    assert {c.nip for c in cards} == {"1112223332"}
    assert company.lookups.contractors_by_nip("5260250274") == ()
    assert company.lookups.contractors_by_nip("") == ()


def test_contractors_by_email_ignore_case_and_spaces(company: Company) -> None:
    (jan,) = company.lookups.contractors_by_email(" Jan.Kowalski@EXAMPLE.com")
    assert (jan.code, jan.name, jan.nip, jan.vat_payer) == ("JAN.KOWALSKI", "Jan Kowalski", "", False)
    assert [c.code for c in company.lookups.contractors_by_email("kawiarnia@zubr.example")] == [
        "KAWIARNIA-ZUBR",
        "ZUBR-STARY",
    ]
    assert company.lookups.contractors_by_email("nikt@example.com") == ()
    assert company.lookups.contractors_by_email("") == ()


def test_a_contractor_by_code(company: Company) -> None:
    card = company.lookups.contractor_by_code("KSIEGARNIA-SOWA")
    assert card is not None and card.name == "Księgarnia Sowa s.c." and card.nip == "8945123670"
    assert company.lookups.contractor_by_code("NIE-MA") is None


# --- payment forms, registers, definitions -------------------------------------------------------


def test_payment_forms_by_name_with_their_register(company: Company) -> None:
    payu = company.lookups.payment_form("PayU")
    assert payu is not None and (payu.register, payu.days, payu.kind, payu.active) == ("PAYU", 0, 2, True)
    cod = company.lookups.payment_form_for("cod")
    assert cod is not None and (cod.name, cod.register, cod.days) == ("pobranie", "", 14)
    assert company.lookups.payment_form("Bitcoin") is None


def test_registers_by_acronym_or_symbol(company: Company) -> None:
    bank = company.lookups.register("BANK")
    assert bank is not None and (bank.kind, bank.currency, bank.active) == (2, "PLN", True)
    assert bank.account == "PL61 1090 1014 0000 0712 1981 2874"
    paypal = company.lookups.register("PPAL")  # its symbol; the acronym is PAYPAL
    assert paypal is not None and (paypal.acronym, paypal.symbol) == ("PAYPAL", "PPAL")
    assert company.lookups.register("NIE-MA") is None


def test_every_default_payment_route_exists_in_the_demo_company(company: Company) -> None:
    settings = OptimaSettings()
    for method, route in settings.payment_routes.items():
        form = company.lookups.payment_form_for(method)
        assert form is not None and form.name == route.form, method
        if route.register is not None:
            register = company.lookups.register(route.register)
            assert register is not None and register.active, method


def test_definitions_and_their_series(company: Company) -> None:
    fa = company.lookups.definition("FA", 302)
    assert fa is not None and fa.name == "Faktura sprzedaży" and fa.numbering == "@symbol/@numerS/@rok_kal"
    assert company.lookups.definition("FA", 306) is None  # the symbol exists, not in that class
    assert [d.klasa for d in company.lookups.definitions("KP")] == [202]
    assert company.lookups.definitions("XX") == ()
    (fa_series,) = company.lookups.series(fa.id)
    assert (fa_series.template, fa_series.documents) == ("FA/@numerS/2026", 4)
    assert fa_series.last_full_number == company.late.number == "FA/4/2026"
    kp = company.lookups.definition("KP", 202)
    assert kp is not None
    (kp_series,) = company.lookups.series(kp.id)  # KP numbers live in BnkZapisy, not TraNag
    assert kp_series.documents == 2 and kp_series.last_full_number == company.kp_numbers[-1]
    wz = company.lookups.definition("WZ", 306)
    assert wz is not None and [s.last_full_number for s in company.lookups.series(wz.id)] == [company.wz.number]
    kw = company.lookups.definition("KW", 201)
    assert kw is not None and company.lookups.series(kw.id) == ()


# --- an invoice's KSeF state and its payment due -------------------------------------------------


def test_ksef_state_of_invoices(company: Company) -> None:
    accepted = company.lookups.ksef_state(company.settled.id)
    assert accepted is not None and accepted.accepted and accepted.number == company.settled.number
    assert accepted.ksef_number in company.ksef_numbers and len(company.ksef_numbers) == 2
    assert (accepted.status, accepted.sent_at, accepted.accepted_at, accepted.upo_at) == (ACCEPTED, NOW, NOW, NOW)
    person = company.lookups.ksef_state(company.cod.id)  # B2C is not sent
    assert person is not None and not person.accepted and person.status == "" and person.sent_at is None
    late = company.lookups.ksef_state(company.late.id)
    assert late is not None and (late.ksef_number, late.not_sent_by_choice) == ("", False)
    assert company.lookups.ksef_state(company.wz.id) is None  # not an FA
    assert company.lookups.ksef_state(424242) is None


def test_settlement_state_of_the_payment_due(company: Company) -> None:
    gross = f.order("1001").total
    paid = company.lookups.due_state(company.settled.id)
    assert (paid.status, paid.dues, paid.amount, paid.settled, paid.left) == (
        DueStatus.SETTLED, 1, gross, gross, Decimal("0.00"),
    )
    assert paid.settled_on == NOW.date()
    cod = company.lookups.due_state(company.cod.id)
    assert (cod.status, cod.settled, cod.left, cod.settled_on) == (DueStatus.OPEN, 0, cod.amount, None)
    assert cod.amount == f.order("1002").total
    half = company.lookups.due_state(company.partial.id)
    assert (half.status, half.settled, half.left) == (DueStatus.PARTIAL, Decimal("50.00"), gross - Decimal("50.00"))
    none = company.lookups.due_state(company.wz.id)  # a WZ creates no receivable
    assert (none.status, none.dues, none.amount, none.left) == (DueStatus.NO_DUE, 0, 0, 0)
