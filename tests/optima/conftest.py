"""A seeded demo Optima per test: seeded once per session, copied for each test (fast).

The demo's gateway payment forms settle by themselves (Optima's own route, the product's
default). Most tests here are about an FA whose due stays open and a KP the console books, so
``engine`` is that company set up for the other route: the gateway forms are transfer-type
(``without_own_settlement``) and ``writer``/``reader`` book the KP as through COM
(``KP_THROUGH_COM``). ``own_route_engine`` keeps the demo's forms.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from linkoptima_gui.core.domain.order import Order
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.rules.columns import payment_description
from linkoptima_gui.core.optima.rules.settlement import CASH_FORM
from linkoptima_gui.core.optima.schema import BnkRachunki, BnkZapisy, FormyPlatnosci, TraNag, optima_engine
from linkoptima_gui.core.optima.settings import SETTLE_BY_COM_KP, OptimaSettings
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.demo.optima_seed import FILE_NAME, create_demo_optima

#: The tests' "now": every date the writer stamps and the reader compares comes from here.
NOW = datetime(2026, 3, 16, 10, 30)


def clock() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("optima-template")
    engine = create_demo_optima(folder, now=NOW)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return folder / FILE_NAME


@pytest.fixture
def optima_file(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / FILE_NAME
    shutil.copyfile(seeded_template, target)
    return target


#: The settings of an Optima whose gateway forms do not settle by themselves.
KP_THROUGH_COM = OptimaSettings(settlement=SETTLE_BY_COM_KP)


def without_own_settlement(engine: Engine) -> None:
    """Turn the demo's cash-type gateway forms into transfer-type ones: Optima then leaves their
    invoices' dues open, and the KP is the console's to book (the KP-through-COM route)."""
    with engine.begin() as conn:
        conn.execute(
            update(FormyPlatnosci)
            .where(FormyPlatnosci.c.FPl_Typ == CASH_FORM, FormyPlatnosci.c.FPl_BRaId.is_not(None),
                   FormyPlatnosci.c.FPl_Nazwa != "gotówka")
            .values(FPl_Typ=2)
        )


@pytest.fixture
def own_route_engine(optima_file: Path) -> Iterator[Engine]:
    engine = optima_engine(f"sqlite:///{optima_file}")
    yield engine
    engine.dispose()


@pytest.fixture
def engine(own_route_engine: Engine) -> Engine:
    without_own_settlement(own_route_engine)
    return own_route_engine


@pytest.fixture
def writer(engine: Engine) -> SimulatedOptimaWriter:
    return SimulatedOptimaWriter(engine, KP_THROUGH_COM, clock=clock)


@pytest.fixture
def reader(engine: Engine) -> SqlOptimaReader:
    return SqlOptimaReader(engine, KP_THROUGH_COM, clock=clock)


def count(engine: Engine, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def rows(engine: Engine, table: Any, *where: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(table).where(*where)).mappings().all())


def saved_kp(engine: Engine, order: Order, invoice_number: str, register: str = "PAYU") -> int:
    """The row of a KP the console booked through COM for ``order`` whose settlement never came
    (what an attempt that failed after the KP's save leaves): in the register, unsettled."""
    with engine.begin() as conn:
        register_id = conn.execute(select(BnkRachunki.c.BRa_BRaID).where(BnkRachunki.c.BRa_Akronim == register)
                                   ).scalar_one()
        buyer = conn.execute(select(TraNag.c.TrN_PodID).where(TraNag.c.TrN_NumerPelny == invoice_number)).scalar_one()
        day = datetime.combine(NOW.date(), datetime.min.time())
        series = "KP/@numerS/2026"
        number = conn.execute(select(func.coalesce(func.max(BnkZapisy.c.BZp_NumerNr), 0) + 1)
                              .where(BnkZapisy.c.BZp_NumerString == series)).scalar_one()
        return int(conn.execute(BnkZapisy.insert().values(
            BZp_BRaID=register_id, BZp_Kierunek=1, BZp_PodmiotTyp=1, BZp_PodmiotID=buyer, BZp_Kwota=order.total,
            BZp_NumerString=series, BZp_NumerNr=number, BZp_DataDok=day, BZp_DataKur=day,
            BZp_Opis=payment_description(invoice_number, order), BZp_TS_Zal=NOW, BZp_TS_Mod=NOW,
        )).inserted_primary_key[0])
