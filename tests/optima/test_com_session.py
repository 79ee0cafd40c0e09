"""The COM thread (``OptimaComSession``) and how Optima's COM failures become the project's errors.

Optima is the strict fake (``com_fake``): it knows only the names public code uses. The errors are
built as pywin32 raises them; the point of the mapping tests is which facts decide (the HRESULT,
the source) and that words of a message never make an error retry by itself.
"""

from __future__ import annotations

import importlib.util
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from linkoptima_gui.core.errors import PermanentError, RetryableError
from linkoptima_gui.core.optima.com_errors import com_failure, name_failure
from linkoptima_gui.core.optima.com_session import OptimaComSession, module_flags

from .com_fake import (
    CO_E_CLASSSTRING,
    DISP_E_UNKNOWNNAME,
    REGDB_E_CLASSNOTREG,
    RPC_E_CALL_REJECTED,
    FakeOptima,
    com_error,
)

LOGIN = [
    "pythoncom.CoInitialize()",
    "win32com.client.Dispatch('CDNBase.Application')",
    "Application.LockApp(256, 5000, None, None, None, None)",
    "Application.Login('LINKOPTIMA', 'tajne', 'Sklep Demo')",  # modules from the operator's card
    "Login.CreateSession()",
]


@pytest.fixture
def fake() -> FakeOptima:
    return FakeOptima()


@pytest.fixture
def com(fake):
    session = OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", dispatch=fake.dispatch, apartment=fake.apartment)
    yield session
    session.close()


def test_logs_in_once_runs_every_job_on_the_com_thread_and_logs_out_on_close(fake, com) -> None:
    seen = [com.run(lambda ctx: (threading.get_ident(), ctx.session)) for _ in range(2)]
    assert fake.lines() == [*LOGIN, "Login.CreateSession()"]  # one login, an AdoSession per job
    assert seen[0][1] is not seen[1][1]
    com.close()
    assert fake.lines()[-2:] == ["Application.UnlockApp()", "pythoncom.CoUninitialize()"]
    assert {ident for ident, _ in seen} == fake.threads() == {com.thread_id}
    assert com.thread_id != threading.get_ident()
    with pytest.raises(RetryableError):
        com.run(lambda ctx: None)


def test_modules_named_in_the_settings_go_as_the_18_flags(fake) -> None:
    with OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", modules=("fa", "MAG", "KB"),
                          dispatch=fake.dispatch, apartment=fake.apartment) as session:
        session.run(lambda ctx: ctx.session)
    flags = [0] * 18
    flags[4] = flags[5] = flags[14] = 1  # FA, MAG, KB in the order of Comarch's sample
    assert fake.lines()[3] == f"Application.Login('LINKOPTIMA', 'tajne', 'Sklep Demo', {', '.join(map(str, flags))})"
    with pytest.raises(ValueError, match="HANDEL"):
        module_flags(["FA", "HANDEL"])


def test_jobs_from_many_threads_run_one_at_a_time_in_order(com) -> None:
    done: list[int] = []
    running = [0]
    overlap = []

    def job(n: int):
        def run(ctx) -> int:
            running[0] += 1
            overlap.append(running[0])
            done.append(n)
            running[0] -= 1
            return threading.get_ident()

        return run

    futures = [com.submit(job(n)) for n in range(20)]
    with ThreadPoolExecutor(4) as pool:
        idents = set(pool.map(lambda n: com.run(job(100 + n)), range(8)))
    assert done[:20] == list(range(20)) and len(done) == 28
    assert max(overlap) == 1
    assert {future.result() for future in futures} | idents == {com.thread_id}


def test_a_job_that_outlives_its_wait_still_finishes_before_the_next_one(com) -> None:
    gate = threading.Event()
    finished: list[str] = []
    with pytest.raises(RetryableError) as caught:
        com.run(lambda ctx: (gate.wait(5), finished.append("first")), timeout=0.05)
    assert caught.value.code == "optima_unavailable"
    gate.set()
    assert com.run(lambda ctx: list(finished)) == ["first"]  # a retry's look-up sees its outcome


def test_the_configuration_database_can_be_named(fake) -> None:
    target = "NET:CDN_KNF_Konfiguracja,SQL01\\OPTIMA,NT=0"
    with OptimaComSession("LINKOPTIMA", "tajne", "Sklep Demo", config_connection=target, dispatch=fake.dispatch,
                          apartment=fake.apartment) as session:
        session.run(lambda ctx: ctx.session)
    assert fake.lines()[1:4] == [LOGIN[1], f"Application.KonfigConnectStr = {target!r}", LOGIN[2]]


def test_a_wrong_password_is_a_configuration_error_and_the_lock_is_released(fake, com) -> None:
    fake.fail("Application.Login", com_error("Nieprawidłowe hasło operatora LINKOPTIMA"))
    with pytest.raises(PermanentError) as caught:
        com.run(lambda ctx: ctx.session)
    assert caught.value.code == "optima_config" and "hasło" in caught.value.reason
    assert fake.lines()[-1] == "Application.UnlockApp()"


def test_optima_not_registered_for_this_python_is_a_configuration_error(fake, com) -> None:
    fake.fail("win32com.Dispatch", com_error(hresult=REGDB_E_CLASSNOTREG))
    with pytest.raises(PermanentError) as caught:
        com.run(lambda ctx: ctx.session)
    assert caught.value.code == "optima_config" and "32/64" in caught.value.reason


def test_a_busy_optima_is_retried_after_a_new_login(fake, com) -> None:
    fake.fail("Session.Save", com_error(hresult=RPC_E_CALL_REJECTED))
    with pytest.raises(RetryableError) as caught:
        com.run(lambda ctx: ctx.session.Save())
    assert caught.value.code == "optima_unavailable"
    assert fake.lines()[-1] == "Application.UnlockApp()"  # the next job logs in afresh
    com.run(lambda ctx: ctx.session.Save())
    assert fake.lines().count(LOGIN[3]) == 2


def test_a_name_optima_lacks_is_a_permanent_error_naming_it(fake, com) -> None:
    def misspelt(ctx) -> None:
        ctx.create("CDN.DokumentyHaMag").AddNew(None).Uwgai = "x"

    with pytest.raises(PermanentError) as caught:
        com.run(misspelt)
    assert caught.value.code == "optima_com_name" and "Uwgai" in caught.value.reason
    assert caught.value.details["hresult"] == "0x80020006"
    assert "Application.UnlockApp()" not in fake.lines()  # not a reason to log in again


@pytest.mark.skipif(importlib.util.find_spec("pythoncom") is not None, reason="pywin32 is installed")
def test_without_pywin32_every_job_fails_with_a_clear_reason(fake) -> None:
    with OptimaComSession("LINKOPTIMA", "", "Sklep Demo", dispatch=fake.dispatch) as session:
        for _ in range(2):
            with pytest.raises(PermanentError) as caught:
                session.run(lambda ctx: ctx.session)
            assert caught.value.code == "optima_config" and "pywin32" in caught.value.reason
    assert fake.lines() == []


# --- which facts decide --------------------------------------------------------------------------------

#: (the failure, our code, retried by itself)
BY_HRESULT = [
    (com_error(hresult=RPC_E_CALL_REJECTED), "optima_unavailable", True),
    (com_error("Serwer RPC jest niedostępny.", scode=-2147023174), "optima_unavailable", True),  # 0x800706BA
    (com_error(hresult=REGDB_E_CLASSNOTREG), "optima_config", False),
    (com_error(hresult=CO_E_CLASSSTRING), "optima_config", False),
    (com_error(hresult=DISP_E_UNKNOWNNAME), "optima_com_name", False),
    (com_error("Type mismatch", scode=-2147352571), "optima_com_name", False),  # DISP_E_TYPEMISMATCH
    (com_error("Timeout expired", source="ADODB.Recordset"), "optima_database", False),
]


@pytest.mark.parametrize(("error", "code", "retried"), BY_HRESULT)
def test_the_hresult_and_the_source_decide(error, code, retried) -> None:
    failure = com_failure(error)
    assert (failure.code, failure.retryable) == (code, retried)
    assert failure.details["hresult"].startswith("0x8")


#: Optima's texts are not published: words only pick a label, never a retry
BY_WORDS = [
    ("Rekord jest zablokowany przez innego użytkownika", "optima_busy"),
    ("Brak wolnych licencji dla modułu Handel", "optima_busy"),
    ("Nie można wstawić wiersza zduplikowanego klucza o unikatowym indeksie KntKod", "optima_conflict"),
    ("Nie znaleziono towaru o kodzie KUB-999", "unknown_sku"),
    ("Niewystarczająca ilość towaru KUB-001 w magazynie MAGAZYN", "insufficient_stock"),
    ("Raport RKB/3/2026/PAYU jest zamknięty", "report_closed"),
    ("Kontrahent o podanym identyfikatorze nie istnieje", "contractor_not_found"),
    ("Operator nie ma uprawnień do zatwierdzania dokumentów", "optima_config"),
]


@pytest.mark.parametrize(("text", "code"), BY_WORDS)
def test_words_of_the_message_only_label_a_permanent_error(text, code) -> None:
    failure = com_failure(com_error(text))
    assert failure.code == code and not failure.retryable
    assert text in failure.reason and failure.details["optima"] == text


def test_an_unknown_error_goes_to_a_person_with_everything_it_said() -> None:
    text = "Błąd 4711: coś zupełnie innego; wiersz 3 dokumentu FA/7/2026, pole X"
    failure = com_failure(com_error(text, source="CDNHlmn.DokumentHaMag", scode=-2147467259))
    assert failure.code == "optima_rejected" and not failure.retryable
    assert text in failure.reason
    assert failure.details == {"hresult": "0x80020009", "scode": "0x80004005", "optima": text,
                               "source": "CDNHlmn.DokumentHaMag"}


def test_pywin32s_unknown_name_errors_are_recognised_and_python_bugs_are_not() -> None:
    assert name_failure(AttributeError("Property '<unknown>.Uwgai' can not be set.")).code == "optima_com_name"
    assert name_failure(AttributeError("CDNBase.Application.Logn")).details["name"] == "CDNBase.Application.Logn"
    assert name_failure(AttributeError("'NoneType' object has no attribute 'Save'")) is None
    assert com_failure(ValueError("x")) is None
    assert com_failure(OSError(2, "No such file")) is None
