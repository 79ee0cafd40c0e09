"""``optima-probe`` against the strict fake: what it asks, what it reports, what it never does.

The read-only probe may log in, create objects and look them up, but must never set a property
or save. With ``write`` it books one FA into the buffer, reads it back and deletes it: for that
the test plays Optima's side of the two saves itself (``BookingOptima``: the draft's rows appear
on the first save, as the test sets them up, and go on the second), because the fake writes none.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from linkoptima_gui.commands.optima_probe import optima_probe
from linkoptima_gui.core.config.app_settings import AppSettings
from linkoptima_gui.core.config.secrets import MemoryKeyring, SecretStore
from linkoptima_gui.core.config.settings_file import SettingsFile
from linkoptima_gui.core.optima import com_names
from linkoptima_gui.core.optima.com_session import OptimaComSession
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.optima.probe import run_probe
from linkoptima_gui.core.optima.probe.booking import REMARK, TEST_PREFIX
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import TraElem, TraNag
from linkoptima_gui.core.optima.settings import OptimaSettings

from .com_fake import FakeOptima, com_error
from .conftest import KP_THROUGH_COM, NOW, clock, without_own_settlement

ONLINE = ("payustandard", "przelewy24", "ppcp-gateway", "tpaypbl", "stripe")


def _probe(fake: FakeOptima, engine, settings: OptimaSettings | None = None, *, write: bool = False):
    settings = settings or OptimaSettings()
    session = OptimaComSession.from_settings(settings, password="tajne", company="Sklep Demo",
                                             dispatch=fake.dispatch, apartment=fake.apartment)
    return run_probe(session, SqlOptimaReader(engine, settings, clock=clock), settings, company="Sklep Demo",
                     online_methods=ONLINE, write=write, clock=clock)


def test_the_read_only_probe_asks_everything_and_changes_nothing(own_route_engine) -> None:
    fake = FakeOptima(books=own_route_engine)
    report = _probe(fake, own_route_engine)
    assert report.ok, report.summary()
    assert [step.name for step in report.steps] == ["login", "names", "books", "logout"]
    assert not any(call.is_set for call in fake.calls)  # not one property set...
    assert not any(call.name in ("Save", "Delete") for call in fake.calls)  # ...nothing saved or deleted
    assert fake.lines()[-2:] == ["Application.UnlockApp()", "pythoncom.CoUninitialize()"]
    names = report.step("names")
    assert names.details["asked"] == len([n for n in com_names.names_for([com_names.WRITER])
                                          if n.kind != com_names.FILTER])
    books = report.step("books")
    assert books.details["forms"]["PayU"]["settles_itself"] and books.details["definitions"].keys() == {"FA", "WZ", "KP"}
    assert "forma płatności w Optimie" in books.message


def test_a_name_the_installed_optima_lacks_is_reported_by_name(own_route_engine) -> None:
    fake = FakeOptima(books=own_route_engine)
    del fake.types["DokumentHaMag"]["Uwagi"]  # an Optima without the remark the writer sets
    report = _probe(fake, own_route_engine)
    names = report.step("names")
    assert not names.ok and not report.ok
    assert names.details["problems"] == [
        {"owner": "DokumentHaMag", "name": "Uwagi", "missing": True,
         "why": "Optima nie zna tej nazwy (DISP_E_UNKNOWNNAME)"}]
    assert "DokumentHaMag.Uwagi" in names.message and report.step("logout").ok


def test_the_kp_route_also_asks_for_its_unverified_objects(engine) -> None:
    fake = FakeOptima(books=engine)
    del fake.collections["CDN.ROZLICZENIA"]  # what an Optima without that ProgID would say
    report = _probe(fake, engine, KP_THROUGH_COM)
    problems = report.step("names").details["problems"]
    assert problems[0]["name"] == "CDN.Rozliczenia" and problems[0]["missing"]
    assert {p["name"] for p in problems[1:]} == {"AddNew", "LDokTyp", "LDokID", "PDokTyp", "PDokID", "Kwota", "DataDok"}
    assert not any(p["missing"] for p in problems[1:])  # not asked: their object could not be made
    assert "KP i rozliczenie przez API COM" in report.step("books").details["route"]


def test_master_data_the_settings_name_must_be_there_and_forms_must_settle(own_route_engine) -> None:
    without_own_settlement(own_route_engine)
    fake = FakeOptima(books=own_route_engine)
    report = _probe(fake, own_route_engine, OptimaSettings(invoice_definition="FV"))
    books = report.step("books")
    assert not books.ok
    assert "Brak aktywnej definicji dokumentu „FV” (klasa 302)" in books.message
    assert any("„PayU” (metoda payustandard) nie rozlicza się w Optimie sama" in p for p in books.details["problems"])
    assert not any("„przelew”" in p for p in books.details["problems"])  # a bank transfer is not settled by form


def test_a_failed_login_says_why_and_goes_no_further(own_route_engine) -> None:
    fake = FakeOptima(books=own_route_engine)
    fake.fail("Application.Login", com_error("Nieprawidłowe hasło operatora LINKOPTIMA"))
    report = _probe(fake, own_route_engine)
    assert [step.name for step in report.steps] == ["login"] and not report.ok
    assert "hasło" in report.steps[0].message and report.steps[0].details["code"] == "optima_config"
    assert fake.lines()[-2:] == ["Application.UnlockApp()", "pythoncom.CoUninitialize()"]


def test_the_report_is_one_json_line_and_a_polish_summary(own_route_engine) -> None:
    report = _probe(FakeOptima(books=own_route_engine), own_route_engine)
    data = json.loads(report.to_json())
    assert data["ok"] and data["company"] == "Sklep Demo" and data["settlement"] == "payment_form"
    assert [step["name"] for step in data["steps"]] == ["login", "names", "books", "logout"]
    assert "\n" not in report.to_json()
    assert report.summary().splitlines()[-1].startswith("Wynik: API COM Optimy ma wszystko")


# --- --write: one FA in the buffer, read back, deleted ------------------------------------------------


class BookingOptima(FakeOptima):
    """The fake, with Optima's side of the probe's two saves played by the test: the draft's rows
    (``remark`` where Optima keeps the document's remark) appear on the first save, and go on the
    next one (the delete's)."""

    def __init__(self, books, remark_column: str = "TrN_Opis") -> None:
        super().__init__(books)
        self.remark_column = remark_column
        self.saves = 0

    def _call(self, obj: Any, name: str, member: Any, args: tuple[Any, ...]) -> Any:
        result = super()._call(obj, name, member, args)
        if name == "Save":
            self.saves += 1
            (self._book if self.saves == 1 else self._delete)()
        return result

    def _set(self, name: str) -> Any:
        return next(c.args[0] for c in reversed(self.calls) if c.is_set and c.name == name)

    def _item(self, label: str) -> int:
        return int(label.split("=")[1].rstrip("]"))

    def _book(self) -> None:
        day = self._set("DataDok")
        with self.books.begin() as conn:
            document = conn.execute(TraNag.insert().values(
                TrN_TypDokumentu=302, TrN_Rodzaj=302000, TrN_Bufor=self._set("Bufor"),
                TrN_NumerObcy=self._set("NumerObcy"), **{self.remark_column: self._set("Uwagi")},
                TrN_DDfId=self._item(repr(self._set("DefinicjaDokumentu"))),
                TrN_FPlId=self._item(repr(self._set("FormaPlatnosci"))), TrN_MagZrdId=self._set("MagazynZrodlowyID"),
                TrN_PodID=self._item(repr(self._set("Podmiot"))), TrN_PodmiotTyp=1,
                TrN_NumerString="FA/@numerS/2026", TrN_NumerNr=1, TrN_DataDok=day, TrN_DataWys=day, TrN_DataOpe=day,
                TrN_DataKur=day, TrN_Termin=day, TrN_TS_Zal=NOW, TrN_TS_Mod=NOW,
            )).inserted_primary_key[0]
            conn.execute(TraElem.insert().values(
                TrE_TrNId=document, TrE_Lp=1, TrE_TwrKod=self._set("TowarKod"), TrE_Ilosc=self._set("Ilosc"),
                TrE_WartoscNetto=self._set("WartoscNetto"), TrE_DataDok=day, TrE_DataOpe=day))

    def _delete(self) -> None:
        with self.books.begin() as conn:
            conn.execute(delete(TraElem))
            conn.execute(delete(TraNag).where(TraNag.c.TrN_Bufor == 1))


def test_write_books_a_draft_reads_it_back_and_deletes_it(own_route_engine) -> None:
    fake = BookingOptima(own_route_engine)
    report = _probe(fake, own_route_engine, write=True)
    booking = report.step("booking")
    assert report.ok and booking.ok, report.summary()
    assert booking.details["marker"] == f"{TEST_PREFIX}20260316103000" and booking.details["deleted"]
    assert booking.details["seen"] == {"TrN_Opis": REMARK, "TrN_Bufor": 1, "lines": 1}
    assert "DokumentHaMag#2.Bufor = 1" in fake.lines()  # into the buffer: no number taken for good
    deleting = fake.lines()[-6:-2]
    assert deleting[0] == "Session#5.CreateObject('CDN.DokumentyHaMag', None)"
    assert deleting[1].startswith("DokumentyHaMag.Item('TrN_TrNID=")
    document = deleting[1].split("'")[1]  # TrN_TrNID=<the draft's id>
    assert deleting[2:] == [f"DokumentyHaMag.Delete(DokumentHaMag[{document}])", "Session#5.Save()"]
    with own_route_engine.connect() as conn:  # nothing left behind
        assert conn.execute(select(TraNag.c.TrN_TrNID).where(TraNag.c.TrN_NumerObcy.like(f"{TEST_PREFIX}%"))).first() is None


def test_write_shows_where_optima_did_not_put_a_value(own_route_engine) -> None:
    fake = BookingOptima(own_route_engine, remark_column="TrN_OdbEmail")  # the remark went elsewhere
    report = _probe(fake, own_route_engine, write=True)
    booking = report.step("booking")
    assert not booking.ok and booking.details["deleted"]
    assert booking.details["problems"] == [f"Uwagi: w bazie TrN_Opis = '', oczekiwano {REMARK!r}"]


def test_write_when_nothing_reaches_the_books_says_so_and_deletes_nothing(own_route_engine) -> None:
    fake = FakeOptima(books=own_route_engine)
    report = _probe(fake, own_route_engine, write=True)
    booking = report.step("booking")
    assert not booking.ok and "nie ma jej w bazie" in booking.message
    assert not any(call.name == "Delete" for call in fake.calls)


def test_the_probe_uses_no_name_outside_the_list(engine) -> None:
    fake = BookingOptima(engine)
    _probe(fake, engine, replace(KP_THROUGH_COM), write=True)
    listed = {(n.owner.lower(), n.name.lower(), n.kind) for n in com_names.NAMES}
    assert {(o.lower(), n.lower(), k) for o, n, k in fake.used()} - listed == set()


# --- the command an installer runs ---------------------------------------------------------------------


def _settings_file(tmp_path, optima_file, company: str) -> SettingsFile:
    settings = AppSettings(optima_company=company, optima_connection=OptimaConnection(url=f"sqlite:///{optima_file}"))
    file = SettingsFile(tmp_path / "settings.json")
    file.save(settings.to_document())
    return file


def test_the_command_prints_the_report_and_exits_by_it(tmp_path, optima_file, capsys) -> None:
    file = _settings_file(tmp_path, optima_file, "Sklep Demo")
    secrets = SecretStore(backend=MemoryKeyring({"optima.password": "tajne"}))
    fake = FakeOptima()
    status = optima_probe(settings_file=file.path, secrets=secrets,
                          session_options={"dispatch": fake.dispatch, "apartment": fake.apartment})
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert status == 0 and report["ok"] and report["company"] == "Sklep Demo"
    assert "Application.Login('LINKOPTIMA', 'tajne', 'Sklep Demo')" in fake.lines()
    assert err.splitlines()[0] == "Optima, firma „Sklep Demo”, operator LINKOPTIMA:"

    del fake.types["ElementHaMag"]["CenaT"]
    assert optima_probe(settings_file=file.path, secrets=secrets,
                        session_options={"dispatch": fake.dispatch, "apartment": fake.apartment}) == 1
    assert "ElementHaMag.CenaT" in capsys.readouterr().err


def test_the_command_refuses_to_start_without_a_company(tmp_path, optima_file, capsys) -> None:
    file = _settings_file(tmp_path, optima_file, "")
    assert optima_probe(settings_file=file.path, secrets=SecretStore(backend=MemoryKeyring())) == 2
    out, err = capsys.readouterr()
    assert json.loads(out) == {"ok": False, "error": "podaj firmę Optimy (Ustawienia → Połączenia → Firma, albo "
                                                     "--company)."}
    assert err.startswith("linkoptima optima-probe: podaj firmę")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a computer without pywin32")
def test_linkoptima_optima_probe_on_a_pc_without_optima_says_why_login_failed(tmp_path, optima_file, capsys,
                                                                               monkeypatch) -> None:
    """The command as an installer types it (``--company`` overriding the settings); here, with no
    pywin32, the login fails with the reason, and the exit status says a problem was found."""
    import keyring

    from linkoptima_gui import cli

    monkeypatch.setattr(keyring, "get_keyring", lambda: MemoryKeyring({"optima.password": "tajne"}))
    file = _settings_file(tmp_path, optima_file, "Sklep Demo")
    status = cli.main(["optima-probe", "--settings", str(file.path), "--company", "Firma testowa"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert status == 1 and not report["ok"] and report["company"] == "Firma testowa" and not report["write"]
    assert [step["name"] for step in report["steps"]] == ["login"]
    assert "pywin32" in report["steps"][0]["message"] and report["steps"][0]["details"]["code"] == "optima_config"
    assert err.startswith("Optima, firma „Firma testowa”, operator LINKOPTIMA:")


def test_the_com_login_settings_of_the_file_reach_the_login(tmp_path, optima_file, capsys, monkeypatch) -> None:
    """Optima's folder, the configuration database, the operator and the modules, as an installer
    writes them into the settings file, are what ``optima-probe`` logs in with."""
    folder = tmp_path / "Comarch ERP Optima"
    folder.mkdir()
    config = "NET:CDN_KNF_Konfiguracja,SQL01\\OPTIMA,NT=0"
    document = AppSettings(optima_company="Sklep Demo",
                           optima_connection=OptimaConnection(url=f"sqlite:///{optima_file}")).to_document()
    document["optima"].update(operator="MAGAZYN1", install_dir=str(folder), config_connection=config,
                              login_modules=["ST", "ODB"])
    file = SettingsFile(tmp_path / "settings.json")
    file.path.write_text(json.dumps(document), encoding="utf-8")
    fake = FakeOptima()
    monkeypatch.chdir(tmp_path)  # the login changes the working directory: put it back afterwards
    status = optima_probe(settings_file=file.path, secrets=SecretStore(backend=MemoryKeyring({"optima.password": "x1"})),
                          session_options={"dispatch": fake.dispatch, "apartment": fake.apartment})
    capsys.readouterr()
    assert status == 0
    flags = [0] * 18
    flags[3] = flags[13] = 1  # ST, ODB
    assert fake.lines()[2:5] == [f"Application.KonfigConnectStr = {config!r}",
                                 "Application.LockApp(256, 5000, None, None, None, None)",
                                 f"Application.Login('MAGAZYN1', 'x1', 'Sklep Demo', {', '.join(map(str, flags))})"]
    assert Path.cwd() == folder
