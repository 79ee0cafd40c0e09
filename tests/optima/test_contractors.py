"""Finding or creating the buyer's card: companies by NIP, people by e-mail."""

from __future__ import annotations

import uuid

import pytest

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.schema import Kontrahenci

from . import factories as f
from .conftest import count, rows


def test_a_company_is_found_by_its_nip_however_it_was_typed(writer, engine) -> None:
    before = count(engine, Kontrahenci)
    ref = writer.ensure_contractor(f.company_buyer(nip="9876543210"))  # seeded as 987-654-32-10
    assert ref.code == "HURT-ORZEL"
    assert count(engine, Kontrahenci) == before


def test_a_new_company_gets_a_card_coded_by_its_nip(writer, engine) -> None:
    buyer = f.company_buyer(nip="555-444-33-34", name="Nowa Firma Ślęża sp. z o.o.")
    ref = writer.ensure_contractor(buyer)
    assert ref.code == "5554443334"
    (card,) = rows(engine, Kontrahenci, Kontrahenci.c.Knt_KntId == ref.id)
    assert card["Knt_Nip"] == "5554443334" and card["Knt_PodatekVat"] == 1 and card["Knt_Finalny"] == 0
    assert card["Knt_Nazwa1"] == "Nowa Firma Ślęża sp. z o.o." and card["Knt_Miasto"] == "Poznań"
    assert (card["Knt_Ulica"], card["Knt_NrDomu"], card["Knt_NrLokalu"]) == ("ul. Składowa", "4", "2")
    assert writer.ensure_contractor(buyer) == ref


def test_an_invalid_nip_is_refused(writer, engine) -> None:
    before = count(engine, Kontrahenci)
    with pytest.raises(PermanentError) as caught:
        writer.ensure_contractor(f.company_buyer(nip="1234567890"))
    assert caught.value.code == "invalid_nip" and caught.value.details["nip"] == "1234567890"
    assert count(engine, Kontrahenci) == before


def test_a_person_is_found_by_email_and_never_matched_to_a_company(writer, engine) -> None:
    seeded = writer.ensure_contractor(
        f.person_buyer(email="JAN.Kowalski@example.com", first="Jan", last="Kowalski")
    )
    assert seeded.code == "JAN.KOWALSKI"
    company_email = writer.ensure_contractor(f.person_buyer(email="biuro@hurtownia-orzel.example"))
    assert company_email.code != "HURT-ORZEL"


def test_a_new_person_gets_an_ascii_code_unique_among_cards(writer, engine) -> None:
    first = writer.ensure_contractor(f.person_buyer(email="zofia.żółć@example.com"))
    assert first.code == "ZOFIA.ZOLC" and first.code.isascii()
    second = writer.ensure_contractor(f.person_buyer(email="zofia.zolc@example.org"))
    assert second.code == "ZOFIA.ZOLC~2"
    (card,) = rows(engine, Kontrahenci, Kontrahenci.c.Knt_KntId == first.id)
    assert card["Knt_Finalny"] == 1 and card["Knt_Nip"] == "" and card["Knt_Nazwa1"] == "Zofia Żółć"
    assert writer.ensure_contractor(f.person_buyer(email="ZOFIA.ŻÓŁĆ@example.com")) == first


def test_a_nip_on_two_active_cards_stops_the_order_with_both_named(writer, engine) -> None:
    first = writer.ensure_contractor(f.company_buyer(nip="555-444-33-34", name="Firma A"))
    with engine.begin() as conn:  # an operator copied the card by hand in Optima
        card = dict(conn.execute(Kontrahenci.select().where(Kontrahenci.c.Knt_KntId == first.id)).mappings().one())
        del card["Knt_KntId"]
        card.update(Knt_Kod="FIRMA-A-KOPIA", Knt_Nip="555-444-33-34", Knt_ImportRowId=str(uuid.uuid4()).upper())
        conn.execute(Kontrahenci.insert().values(card))
    before = count(engine, Kontrahenci)

    with pytest.raises(PermanentError) as caught:
        writer.ensure_contractor(f.company_buyer(nip="5554443334"))

    assert caught.value.code == "ambiguous_contractor"
    assert caught.value.details["cards"] == ["5554443334", "FIRMA-A-KOPIA"]
    assert "FIRMA-A-KOPIA" in caught.value.reason and count(engine, Kontrahenci) == before
    with engine.begin() as conn:  # the operator deactivates the copy: the order goes on
        conn.execute(Kontrahenci.update().where(Kontrahenci.c.Knt_Kod == "FIRMA-A-KOPIA").values(Knt_Nieaktywny=1))
    assert writer.ensure_contractor(f.company_buyer(nip="5554443334")) == first
