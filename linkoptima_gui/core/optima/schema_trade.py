"""CDN trade documents: ``TraNag`` (header), ``TraElem`` (lines), ``TraVat`` (VAT table).

TraNag has 264 columns in Optima; these are the ones the console reads or the simulated Optima
writes, plus what makes a document whole (numbering, dates, buyer and recipient snapshot, totals,
currency, warehouse, payment, operators and timestamps, KSeF state). The numbering indexes are
Optima's: two documents with the same number cannot both exist, in Optima or here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, Table

from .schema_base import dec, dt, int_, metadata, numer_pelny, nvarchar, pk, small, tiny, varchar


def _address(prefix: str) -> list[Column[Any]]:
    """The name/address/NIP snapshot block Optima repeats for buyer (Pod) and recipient (Odb)."""
    return [
        nvarchar(f"TrN_{prefix}Nazwa1", 50),
        nvarchar(f"TrN_{prefix}Nazwa2", 50),
        nvarchar(f"TrN_{prefix}Nazwa3", 250),
        nvarchar(f"TrN_{prefix}Kraj", 40),
        nvarchar(f"TrN_{prefix}Wojewodztwo", 40),
        nvarchar(f"TrN_{prefix}Powiat", 40),
        nvarchar(f"TrN_{prefix}Gmina", 40),
        nvarchar(f"TrN_{prefix}Ulica", 40),
        nvarchar(f"TrN_{prefix}NrDomu", 10),
        nvarchar(f"TrN_{prefix}NrLokalu", 10),
        nvarchar(f"TrN_{prefix}Miasto", 40),
        varchar(f"TrN_{prefix}KodPocztowy", 10),
        nvarchar(f"TrN_{prefix}Poczta", 40),
        nvarchar(f"TrN_{prefix}Adres2", 40),
        varchar(f"TrN_{prefix}NipKraj", 2),
        nvarchar(f"TrN_{prefix}NipE", 20),
    ]


TraNag = Table(
    "TraNag",
    metadata,
    pk("TrN_TrNID"),
    int_("TrN_RelTrNId", null=True),
    int_("TrN_DDfId", null=True, fk="DokDefinicje.DDf_DDfID"),
    int_("TrN_TypDokumentu"),  # 302 FA, 306 WZ, ...
    int_("TrN_ZwrId", null=True),
    int_("TrN_FaId", null=True),  # on a WZ: the FA it was issued for
    int_("TrN_NumerNr"),
    varchar("TrN_NumerString", 31),
    numer_pelny("TrN_NumerPelny", "TrN_NumerNr", "TrN_NumerString"),
    small("TrN_Bufor"),  # 0 = confirmed, 1 = buffer (draft)
    int_("TrN_Anulowany"),
    dt("TrN_DataDok"),
    dt("TrN_DataWys"),
    dt("TrN_DataOpe"),
    varchar("TrN_NumerObcy", 256),  # the shop order number
    dt("TrN_DataKur"),
    tiny("TrN_Korekta"),
    tiny("TrN_Fiskalna"),
    int_("TrN_StatusInt"),
    tiny("TrN_Detal"),
    int_("TrN_Rodzaj"),  # 302000, 306000, ...
    small("TrN_PodmiotTyp", null=True),  # 1 = contractor
    int_("TrN_PodID", null=True),
    *_address("Pod"),
    tiny("TrN_Finalny"),
    tiny("TrN_PodatekVat"),
    tiny("TrN_Export"),
    small("TrN_OdbiorcaTyp", null=True),
    int_("TrN_OdbID", null=True),
    *_address("Odb"),
    varchar("TrN_OdbTelefon", 20, null=True),
    nvarchar("TrN_OdbEmail", 127, null=True),
    small("TrN_PlatnikTyp", null=True),
    int_("TrN_PlatnikID", null=True),
    nvarchar("TrN_NrListuPrzewozowego", 150),
    int_("TrN_NrListuPrzewozowegoTypKuriera"),
    int_("TrN_KatID", null=True),
    varchar("TrN_Kategoria", 50),
    int_("TrN_FPlId", null=True, fk="FormyPlatnosci.FPl_FPlId"),
    dt("TrN_Termin"),
    dec("TrN_RazemNetto", 15, 2),
    dec("TrN_RazemVAT", 15, 2),
    dec("TrN_RazemBrutto", 15, 2),
    dec("TrN_RazemNettoWal", 15, 2),
    dec("TrN_RazemVATWal", 15, 2),
    dec("TrN_RazemBruttoWal", 15, 2),
    varchar("TrN_Waluta", 3),
    int_("TrN_KursNumer"),
    dec("TrN_KursL", 15, 4),
    dec("TrN_KursM", 5, 0),
    int_("TrN_MagZrdId", null=True, fk="Magazyny.Mag_MagId"),
    int_("TrN_MagDocId", null=True, fk="Magazyny.Mag_MagId"),
    tiny("TrN_TypNB"),  # 1 = from net, 2 = from gross
    dec("TrN_Rabat", 5, 2),
    dec("TrN_RabatWartosc", 15, 2),
    nvarchar("TrN_Opis", 1024),
    nvarchar("TrN_KorektaZTytulu", 1024, default=""),  # a correction's printed reason
    tiny("TrN_PlatnoscNaWZ"),
    tiny("TrN_SplitPay"),
    varchar("TrN_ImportAppId", 5, null=True),
    varchar("TrN_ImportRowId", 36, null=True),
    int_("TrN_OpeZalID", null=True),
    dt("TrN_TS_Zal"),
    int_("TrN_OpeModID", null=True),
    dt("TrN_TS_Mod"),
    varchar("TrN_OpeModKod", 20),
    varchar("TrN_OpeZalKod", 20),
    int_("TrN_OpeZatwID", null=True),
    dt("TrN_TS_Zatw", null=True),
    varchar("TrN_OpeZatwKod", 20),
    int_("TrN_eSklepID", null=True),
    nvarchar("TrN_NrKSeF", 128),
    tiny("TrN_NieWysylajDokumentuDoKSeF"),
    small("TrN_KSeFStatusId"),
    nvarchar("TrN_KSeFStatus", 1000),
    nvarchar("TrN_KSeFReferenceNumber", 50, null=True),
    dt("TrN_KSeFDataWyslania", null=True),
    dt("TrN_KSeFDataPrzyjecia", null=True),
    dt("TrN_KSeFDataOdebraniaUpo", null=True),
    int_("TrN_KSeFFPLId", null=True),
    tiny("TrN_KSeFTrybAwaryjny", null=True),
    small("TrN_KSeFTypSrodowiska", default=-1),
)
Index("TrNNumer", TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, TraNag.c.TrN_Anulowany, unique=True)
Index("TrNNumerPelny", TraNag.c.TrN_NumerPelny, TraNag.c.TrN_Anulowany, unique=True)
Index(
    "TrNTypNUmer",
    TraNag.c.TrN_TypDokumentu,
    TraNag.c.TrN_NumerString,
    TraNag.c.TrN_NumerNr,
    TraNag.c.TrN_Anulowany,
    unique=True,
)
Index("TrNGUID", TraNag.c.TrN_ImportRowId, unique=True)
Index(
    "TrNDataDok",
    TraNag.c.TrN_TypDokumentu,
    TraNag.c.TrN_DataDok,
    TraNag.c.TrN_NumerString,
    TraNag.c.TrN_NumerNr,
    TraNag.c.TrN_Anulowany,
    TraNag.c.TrN_Bufor,
    TraNag.c.TrN_TrNID,
    unique=True,
)
Index("TrNFaktura", TraNag.c.TrN_FaId, TraNag.c.TrN_RelTrNId)
Index("TrNDokDef", TraNag.c.TrN_DDfId)
Index("TrNPlatnosc", TraNag.c.TrN_FPlId)
Index("TrNMagazynZrd", TraNag.c.TrN_MagZrdId)
Index("TrN_Bufor", TraNag.c.TrN_Bufor)
Index("TraNagTypDokumentu", TraNag.c.TrN_TypDokumentu)
Index("TraNagTypDokumentuAnulowany", TraNag.c.TrN_TypDokumentu, TraNag.c.TrN_Anulowany)

TraElem = Table(
    "TraElem",
    metadata,
    pk("TrE_TrEID"),
    int_("TrE_TrNId", fk="TraNag.TrN_TrNID"),
    int_("TrE_ZwrId", null=True),
    int_("TrE_Lp"),
    int_("TrE_LpPow"),
    int_("TrE_TypDokumentu"),
    tiny("TrE_Aktywny"),
    dt("TrE_DataDok"),
    dt("TrE_DataOpe"),
    small("TrE_PodmiotTyp", null=True),
    int_("TrE_PodID", null=True),
    int_("TrE_TwrId", null=True, fk="Towary.Twr_TwrId"),
    int_("TrE_MagId", null=True),
    nvarchar("TrE_TwrNazwa", 255),
    varchar("TrE_TwrEAN", 40),
    nvarchar("TrE_TwrNumerKat", 40),
    varchar("TrE_TwrKod", 50),
    nvarchar("TrE_TwrKodDostawcy", 50),
    nvarchar("TrE_TwrOpis", 1024),
    varchar("TrE_TwrSWW", 20),
    tiny("TrE_TwrTyp"),
    dec("TrE_Stawka", 5, 2),
    small("TrE_Flaga"),
    dec("TrE_Zrodlowa", 5, 2),
    int_("TrE_TwCNumer"),
    tiny("TrE_TypNB"),
    dec("TrE_Cena0", 17, 4),
    dec("TrE_Rabat", 5, 2),
    dec("TrE_CenaW", 17, 4),
    varchar("TrE_Waluta", 3),
    int_("TrE_KursNumer"),
    dec("TrE_KursL", 15, 4),
    dec("TrE_KursM", 5, 0),
    dec("TrE_CenaT", 17, 4),
    dec("TrE_Ilosc", 15, 4),
    nvarchar("TrE_Jm", 20),
    tiny("TrE_JmCalkowite"),
    dec("TrE_JMPrzelicznikL", 15, 2, default=1),
    dec("TrE_JMPrzelicznikM", 7, 0, default=1),
    dec("TrE_IloscJM", 15, 4),
    dec("TrE_WartoscNetto", 15, 2),
    dec("TrE_WartoscBrutto", 15, 2),
    dec("TrE_Cena0WD", 17, 4),
    dec("TrE_CenaWWD", 17, 4),
    dec("TrE_WartoscNettoWal", 15, 2),
    dec("TrE_WartoscBruttoWal", 15, 2),
    int_("TrE_UslugaZlozonaId"),
    tiny("TrE_SplitPay"),
    tiny("TrE_StawkaOSS"),
)
Index("TrETraNag", TraElem.c.TrE_TrNId, TraElem.c.TrE_Lp, TraElem.c.TrE_TrEID, unique=True)
Index("TrETwrKod", TraElem.c.TrE_TrNId, TraElem.c.TrE_TwrKod)
Index("TrETowar", TraElem.c.TrE_TwrId, TraElem.c.TrE_DataOpe, TraElem.c.TrE_TrEID, unique=True)

TraVat = Table(
    "TraVat",
    metadata,
    pk("TrV_TrVID"),
    int_("TrV_TrNID", fk="TraNag.TrN_TrNID"),
    int_("TrV_TrNidFinalna", null=True),
    dec("TrV_Stawka", 5, 2),
    small("TrV_Flaga"),
    dec("TrV_Zrodlowa", 5, 2),
    dec("TrV_Netto", 15, 2),
    dec("TrV_VAT", 15, 2),
    dec("TrV_NettoWal", 15, 2),
    dec("TrV_VATWal", 15, 2),
    tiny("TrV_Typ"),
)
Index("VaTTraNag", TraVat.c.TrV_TrNID)
