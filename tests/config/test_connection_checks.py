"""The "Testuj połączenie" checks against the real systems of the demo world: the shop emulator
over HTTP, the SMTP sink, the demo Optima company, the ShipX emulator, loopback sockets as
printers. Each answers ok or not with a Polish sentence, never an exception, within its timeout."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkoptima_gui.core.config.app_settings import InPostAccount
from linkoptima_gui.core.config.connection_checks import (
    CheckResult,
    OptimaLogin,
    check_carrier,
    check_optima,
    check_printer,
    check_shop,
    check_smtp,
    com_check_possible,
    run_with_deadline,
)
from linkoptima_gui.core.documents.mailer import SmtpSettings
from linkoptima_gui.core.optima.connect import OptimaConnection
from linkoptima_gui.core.optima.settings import OptimaSettings
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.optima_seed import create_demo_optima
from linkoptima_gui.demo.shipx import ShipXEmulator
from linkoptima_gui.demo.shop import ShopEmulator
from linkoptima_gui.demo.smtp_sink import SmtpSink
from tests.optima.com_fake import FakeOptima
from tests.silent_server import SilentServer


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SmtpSink]:
    with SmtpSink(tmp_path / "mail") as server:
        yield server


@pytest.fixture(scope="module")
def optima_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("optima") / "optima.sqlite"
    create_demo_optima(path).dispose()
    return path


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A loopback port that accepts connections, like a label printer that is on."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


def keys(shop: ShopEmulator, **changes: str) -> ShopSettings:
    values = {"url": shop.url, "consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret, **changes}
    return ShopSettings(**values)


# -- the shop -------------------------------------------------------------------------------------


def test_shop_check_reads_the_shop(shop: ShopEmulator) -> None:
    result = check_shop(keys(shop))
    assert result.ok and result.message.startswith("Połączono ze sklepem WooCommerce: 0 zamówień")


def test_shop_check_names_a_wrong_key_in_polish(shop: ShopEmulator) -> None:
    result = check_shop(keys(shop, consumer_secret="cs_zly"))
    assert not result.ok
    assert result.message.startswith("Sklep odrzucił podpis żądania (401): zły klucz tajny (consumer secret)")
    result = check_shop(keys(shop, consumer_key="ck_nieznany"))
    assert not result.ok and result.message.startswith("Sklep nie zna tego klucza klienta (consumer key, 401)")


def test_shop_check_explains_a_wrong_address(shop: ShopEmulator) -> None:
    result = check_shop(keys(shop, url=f"{shop.url}/sklep"))
    assert not result.ok and "nie ma API WooCommerce (404)" in result.message
    gone = check_shop(keys(shop, url=f"http://127.0.0.1:{closed_port()}"))
    assert not gone.ok and "odmówił połączenia: sprawdź adres i port" in gone.message
    assert check_shop(ShopSettings(url="sklep.pl")).message == "Podaj adres sklepu, np. https://sklep.pl."
    assert "consumer secret" in check_shop(ShopSettings(url=shop.url, consumer_key="ck")).message


def test_a_shop_that_hangs_is_given_up_after_the_timeout() -> None:
    with SilentServer() as server:
        started = time.monotonic()
        result = check_shop(ShopSettings(url=f"http://127.0.0.1:{server.port}", consumer_key="ck",
                                         consumer_secret="cs"), timeout=0.5)
        assert time.monotonic() - started < 3
    assert not result.ok and "Sklep nie odpowiedział w ciągu 0.5 s" in result.message


# -- the mail server ------------------------------------------------------------------------------


def test_smtp_check_logs_in_without_sending(sink: SmtpSink) -> None:
    result = check_smtp(SmtpSettings(host=sink.host, port=sink.port, security="none", username="sklep",
                                     password="tajne"))
    assert result == CheckResult(True, f"Połączono z serwerem poczty {sink.host}:{sink.port} "
                                       "(bez szyfrowania, zalogowano jako sklep).")
    assert sink.messages() == []


def test_smtp_check_failures_say_what_to_change(sink: SmtpSink) -> None:
    starttls = check_smtp(SmtpSettings(host=sink.host, port=sink.port, security="starttls"))
    assert not starttls.ok and "nie obsługuje STARTTLS" in starttls.message
    port = closed_port()
    refused = check_smtp(SmtpSettings(host="127.0.0.1", port=port, security="none"))
    assert not refused.ok
    assert refused.message.startswith(f"Serwer poczty 127.0.0.1:{port} jest nieosiągalny")
    assert refused.message.endswith("sprawdź adres, port i zaporę sieciową.")
    assert check_smtp(SmtpSettings(host=" ")).message.startswith("Podaj adres serwera poczty")


def test_a_mail_server_that_never_greets_times_out() -> None:
    with SilentServer() as server:
        started = time.monotonic()
        result = check_smtp(SmtpSettings(host="127.0.0.1", port=server.port, security="none"), timeout=0.5)
        assert time.monotonic() - started < 3
    assert not result.ok and "nieosiągalny" in result.message


# -- Optima ---------------------------------------------------------------------------------------


def test_optima_check_finds_the_warehouse_and_definitions(optima_file: Path) -> None:
    result = check_optima(OptimaConnection(url=f"sqlite:///{optima_file}"), OptimaSettings())
    assert result.ok, result.message
    assert result.message.startswith("Połączono z bazą Optimy: magazyn MAGAZYN")
    assert "FA, WZ, KP" in result.message


def test_optima_check_names_what_is_missing(optima_file: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{optima_file}"
    wrong = check_optima(OptimaConnection(url=url), OptimaSettings(warehouse="SKLEP"))
    assert not wrong.ok and "nie ma w niej magazynu „SKLEP” (są: MAGAZYN" in wrong.message
    no_kp = check_optima(OptimaConnection(url=url), OptimaSettings(kp_definition="KPX"))
    assert not no_kp.ok and "brakuje definicji dokumentów: KPX (KP)" in no_kp.message
    missing = check_optima(OptimaConnection(url=f"sqlite:///{tmp_path / 'brak.sqlite'}"), OptimaSettings())
    assert missing == CheckResult(False, f"Nie ma pliku bazy Optimy {tmp_path / 'brak.sqlite'}.")
    assert not (tmp_path / "brak.sqlite").exists()  # a check never creates a database
    other = tmp_path / "inna.sqlite"
    other.write_bytes(b"")
    not_optima = check_optima(OptimaConnection(url=f"sqlite:///{other}"), OptimaSettings())
    assert not not_optima.ok and "to nie jest baza firmy Optimy" in not_optima.message
    nothing = check_optima(OptimaConnection(), OptimaSettings())
    assert not nothing.ok and nothing.message.startswith("Nie wskazano bazy Optimy")


def test_optima_check_on_the_com_pc_also_runs_the_read_only_probe(optima_file: Path) -> None:
    fake = FakeOptima()
    login = OptimaLogin("tajne", "Sklep Demo", ("payustandard",), {"dispatch": fake.dispatch,
                                                                    "apartment": fake.apartment})
    connection = OptimaConnection(url=f"sqlite:///{optima_file}")
    result = check_optima(connection, OptimaSettings(), login=login)
    assert result.ok, result.message
    assert result.message.startswith("Połączono z bazą Optimy: magazyn MAGAZYN")
    assert "API COM Optimy: Zalogowano do firmy „Sklep Demo” jako LINKOPTIMA" in result.message
    assert not any(call.is_set or call.name == "Save" for call in fake.calls)  # read-only
    assert fake.lines()[-2] == "Application.UnlockApp()"

    del fake.types["Kontrahent"]["KrajISO"]
    lacking = check_optima(connection, OptimaSettings(), login=login)
    assert not lacking.ok and "Kontrahent.KrajISO" in lacking.message
    nobody = check_optima(connection, OptimaSettings(), login=OptimaLogin("", " ", ()))
    assert not nobody.ok and nobody.message.endswith("Podaj firmę Optimy, do której loguje się zapis COM.")


def test_the_com_part_runs_only_on_windows_for_the_com_writer() -> None:
    assert com_check_possible("com") is (sys.platform == "win32")
    assert not com_check_possible("simulated")


# -- the carrier ----------------------------------------------------------------------------------


def test_carrier_check_builtin_and_inpost(tmp_path: Path) -> None:
    assert check_carrier("builtin", InPostAccount(), "").ok
    with ShipXEmulator(tmp_path / "shipx") as shipx:
        account = InPostAccount(base_url=shipx.url, organization_id=str(shipx.organization_id))
        result = check_carrier("inpost", account, shipx.token)
        assert result.ok and result.message.startswith("Połączono z InPost ShipX: organizacja")
        refused = check_carrier("inpost", account, "zly-token")
    assert not refused.ok and "InPost odrzucił dane dostępowe" in refused.message
    assert not check_carrier("inpost", InPostAccount(organization_id="1"), "").ok


# -- printers -------------------------------------------------------------------------------------


def test_printer_check_opens_the_port_without_printing(listening_port: int) -> None:
    result = check_printer(f"zpl://127.0.0.1:{listening_port}")
    assert result == CheckResult(True, f"Drukarka 127.0.0.1:{listening_port} odpowiada.")
    assert check_printer(f"escpos://127.0.0.1:{listening_port}").ok


def test_printer_check_reports_a_printer_that_is_off() -> None:
    port = closed_port()
    started = time.monotonic()
    result = check_printer(f"zpl://127.0.0.1:{port}")
    assert time.monotonic() - started < 3
    assert result == CheckResult(False, f"Drukarka 127.0.0.1:{port} nie odpowiada (połączenie odrzucone). "
                                        "Sprawdź, czy jest włączona i podłączona do sieci.")


def test_printer_check_of_bad_addresses_and_folders(tmp_path: Path) -> None:
    assert not check_printer("").ok
    bad = check_printer("lpt://drukarka")
    assert not bad.ok and "Nieobsługiwany rodzaj drukarki 'lpt'" in bad.message
    assert check_printer(tmp_path.as_uri()) == CheckResult(True, f"Etykiety będą zapisywane w folderze {tmp_path}.")
    later = check_printer((tmp_path / "etykiety").as_uri())
    assert later.ok and "zostanie utworzony" in later.message and not (tmp_path / "etykiety").exists()
    (tmp_path / "plik").write_text("x")
    assert not check_printer((tmp_path / "plik").as_uri()).ok
    serial = check_printer(f"escpos+serial://{tmp_path / 'ttyBRAK'}")
    assert not serial.ok and "Nie znaleziono drukarki" in serial.message


# -- the deadline ---------------------------------------------------------------------------------


def test_a_check_that_overruns_is_abandoned() -> None:
    release = threading.Event()
    started = time.monotonic()
    result = run_with_deadline(lambda: CheckResult(release.wait(10), "za późno"), 0.2, "Serwer", grace=0)
    assert time.monotonic() - started < 2
    release.set()
    assert result == CheckResult(False, "Serwer nie odpowiada w ciągu 0.2 s: sprawdź adres i połączenie z siecią.")


def test_an_unexpected_error_is_an_answer_not_a_traceback() -> None:
    def broken() -> CheckResult:
        raise RuntimeError("coś poszło nie tak")

    result = run_with_deadline(broken, 1, "Test")
    assert result == CheckResult(False, "Nieoczekiwany błąd (RuntimeError): coś poszło nie tak")
