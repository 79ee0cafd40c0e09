"""CDN cash and bank: registers, reports, payments due, payments (KP) and settlements.

How the pieces relate in Optima (``reference/optima.md`` 1.11): an invoice creates a payment due
in ``BnkZdarzenia`` (DokumentTyp 1 = a TraNag document); money received is a record in
``BnkZapisy`` (Kierunek +1 = KP) inside a report (``BnkRaporty``) of a register
(``BnkRachunki``); a settlement is a ``BnkRozKwoty`` row pairing the due (type 1) with the record
(type 2), and both sides carry their settled amount and state (Rozliczono 1 = open, 2 = settled).
"""

from __future__ import annotations

from sqlalchemy import Index, Table

from .schema_base import dec, dt, int_, metadata, numer_pelny, nvarchar, pk, small, tiny, varchar

BnkRachunki = Table(
    "BnkRachunki",
    metadata,
    pk("BRa_BRaID"),
    varchar("BRa_Akronim", 20),  # the register's name in settings (PAYU, P24, PAYPAL, BANK...)
    varchar("BRa_Symbol", 5),
    int_("BRa_DDfID", null=True, fk="DokDefinicje.DDf_DDfID"),
    nvarchar("BRa_Nazwa", 50),
    nvarchar("BRa_RachunekNr", 51),
    small("BRa_IBAN"),
    varchar("BRa_Waluta", 3),
    int_("BRa_KursNumer"),
    dec("BRa_KursL", 15, 4),
    dec("BRa_KursM", 5, 0),
    dec("BRa_SaldoBO", 15, 2),
    dec("BRa_SaldoBOSys", 15, 2),
    small("BRa_BRpOkres"),
    int_("BRa_Typ"),
    small("BRa_Nieaktywny"),
    varchar("BRa_ImportRowId", 36, null=True),
    dt("BRa_TS_Zal"),
    dt("BRa_TS_Mod"),
    varchar("BRa_OpeModKod", 20),
    varchar("BRa_OpeZalKod", 20),
)
Index("BRaAkronim", BnkRachunki.c.BRa_Akronim, unique=True)
Index("BRaSymbol", BnkRachunki.c.BRa_Symbol, unique=True)
Index("BRaGUID", BnkRachunki.c.BRa_ImportRowId, unique=True)

BnkRaporty = Table(
    "BnkRaporty",
    metadata,
    pk("BRp_BRpID"),
    int_("BRp_BRaID", null=True, fk="BnkRachunki.BRa_BRaID"),
    int_("BRp_DDfID", null=True, fk="DokDefinicje.DDf_DDfID"),
    int_("BRp_NumerNr"),
    varchar("BRp_NumerString", 31),
    numer_pelny("BRp_NumerPelny", "BRp_NumerNr", "BRp_NumerString"),
    nvarchar("BRp_NumerObcy", 256),
    dt("BRp_DataDok"),  # first day of the report
    dt("BRp_DataZam", null=True),  # last day
    tiny("BRp_Zamkniety"),
    dec("BRp_SaldoBO", 15, 2),
    dec("BRp_Przychody", 15, 2),
    dec("BRp_Rozchody", 15, 2),
    dec("BRp_SaldoBOSys", 15, 2),
    dec("BRp_PrzychodySys", 15, 2),
    dec("BRp_RozchodySys", 15, 2),
    varchar("BRp_ImportRowId", 36, null=True),
    dt("BRp_TS_Zal"),
    dt("BRp_TS_Mod"),
    varchar("BRp_OpeModKod", 20),
    varchar("BRp_OpeZalKod", 20),
)
Index("BRpRaport", BnkRaporty.c.BRp_BRaID, BnkRaporty.c.BRp_DataDok, unique=True)
Index("BRpGUID", BnkRaporty.c.BRp_ImportRowId, unique=True)
Index("BRpNumeracja", BnkRaporty.c.BRp_NumerString, BnkRaporty.c.BRp_NumerNr)

BnkZdarzenia = Table(
    "BnkZdarzenia",
    metadata,
    pk("BZd_BZdID"),
    int_("BZd_BRaID", null=True, fk="BnkRachunki.BRa_BRaID"),
    int_("BZd_DDfID", null=True, fk="DokDefinicje.DDf_DDfID"),
    small("BZd_DokumentTyp", null=True),  # 1 = TraNag, 2 = VatNag
    int_("BZd_DokumentID", null=True),
    nvarchar("BZd_NumerPelny", 256),
    nvarchar("BZd_NumerObcy", 256),
    small("BZd_PodmiotTyp"),
    int_("BZd_PodmiotID"),
    int_("BZd_PodmiotRachunekLp"),
    nvarchar("BZd_RachunekNr", 51),
    small("BZd_IBAN"),
    int_("BZd_FPlId", null=True, fk="FormyPlatnosci.FPl_FPlId"),
    dt("BZd_DataDok"),
    dt("BZd_Termin"),
    dt("BZd_DataReal"),
    dec("BZd_KwotaSys", 15, 2),
    dec("BZd_KwotaRozSys", 15, 2),
    dec("BZd_Kwota", 15, 2),
    dec("BZd_KwotaRoz", 15, 2),
    varchar("BZd_Waluta", 3),
    varchar("BZd_WalutaDok", 3),
    int_("BZd_KursNumer"),
    dec("BZd_KursL", 15, 4),
    dec("BZd_KursM", 5, 0),
    dt("BZd_DataRoz", null=True),
    small("BZd_Kierunek"),  # 1 = receivable, -1 = payable
    dt("BZd_DataKur"),
    small("BZd_Zwloka"),
    small("BZd_Priorytet"),
    small("BZd_Rozliczono"),  # 1 = open, 2 = settled
    small("BZd_Rozliczono2"),
    small("BZd_Stan"),
    nvarchar("BZd_Opis", 254),
    tiny("BZd_SplitPay"),
    varchar("BZd_ImportRowId", 36, null=True),
    dt("BZd_TS_Zal"),
    dt("BZd_TS_Mod"),
    varchar("BZd_OpeModKod", 20),
    varchar("BZd_OpeZalKod", 20),
)
Index("BZdGUID", BnkZdarzenia.c.BZd_ImportRowId, unique=True)
Index("BZdZrodlo", BnkZdarzenia.c.BZd_DokumentID, BnkZdarzenia.c.BZd_DokumentTyp)
Index("BZdFormaPl", BnkZdarzenia.c.BZd_FPlId)
Index("BZdRozDokStan", BnkZdarzenia.c.BZd_Rozliczono, BnkZdarzenia.c.BZd_DokumentTyp, BnkZdarzenia.c.BZd_Stan)

BnkZapisy = Table(
    "BnkZapisy",
    metadata,
    pk("BZp_BZpID"),
    int_("BZp_BRpID", null=True, fk="BnkRaporty.BRp_BRpID"),
    int_("BZp_BRpLP"),
    int_("BZp_BRaID", null=True, fk="BnkRachunki.BRa_BRaID"),
    small("BZp_Typ"),
    int_("BZp_DDfID", null=True, fk="DokDefinicje.DDf_DDfID"),
    int_("BZp_NumerNr"),
    varchar("BZp_NumerString", 31),
    numer_pelny("BZp_NumerPelny", "BZp_NumerNr", "BZp_NumerString"),
    nvarchar("BZp_NumerObcy", 256),  # gateway transaction id (or the order number)
    small("BZp_PodmiotTyp", null=True),
    int_("BZp_PodmiotID", null=True),
    nvarchar("BZp_RachunekNr", 51),
    nvarchar("BZp_Nazwa1", 50),
    nvarchar("BZp_Nazwa2", 50),
    nvarchar("BZp_Nazwa3", 250),
    nvarchar("BZp_Kraj", 40),
    nvarchar("BZp_Ulica", 40),
    nvarchar("BZp_NrDomu", 10),
    nvarchar("BZp_NrLokalu", 10),
    nvarchar("BZp_Miasto", 40),
    varchar("BZp_KodPocztowy", 10),
    dt("BZp_DataDok"),
    dec("BZp_KwotaSys", 15, 2),
    dec("BZp_KwotaRozSys", 15, 2),
    dt("BZp_DataRoz", null=True),
    dec("BZp_Kwota", 15, 2),
    dec("BZp_KwotaRoz", 15, 2),
    varchar("BZp_Waluta", 3),
    varchar("BZp_WalutaDok", 3),
    int_("BZp_KursNumer"),
    dec("BZp_KursL", 15, 4),
    dec("BZp_KursM", 5, 0),
    small("BZp_Kierunek"),  # +1 = money in (KP), -1 = out (KW)
    small("BZp_Rozliczono"),
    small("BZp_Rozliczono2"),
    dt("BZp_DataKur"),
    nvarchar("BZp_Opis", 1024),
    small("BZp_ZapisAutomatyczny"),
    tiny("BZp_SplitPay"),
    varchar("BZp_ImportRowId", 36, null=True),
    dt("BZp_TS_Zal"),
    dt("BZp_TS_Mod"),
    varchar("BZp_OpeModKod", 20),
    varchar("BZp_OpeZalKod", 20),
)
Index("BZpNumerPelny", BnkZapisy.c.BZp_NumerPelny, unique=True)
Index("BZpNumeracja", BnkZapisy.c.BZp_NumerString, BnkZapisy.c.BZp_NumerNr, unique=True)
Index("BZpGUID", BnkZapisy.c.BZp_ImportRowId, unique=True)
Index("BZpRachunek", BnkZapisy.c.BZp_BRaID, BnkZapisy.c.BZp_DataDok, BnkZapisy.c.BZp_BZpID, unique=True)

BnkRozKwoty = Table(
    "BnkRozKwoty",
    metadata,
    pk("BRK_BRKID"),
    dec("BRK_Kwota", 15, 2),
    dec("BRK_KwotaSysL", 15, 2),
    dec("BRK_KwotaSysP", 15, 2),
    dec("BRK_RoznicaKursowaSys", 15, 2),
    int_("BRK_DDfId", fk="DokDefinicje.DDf_DDfID"),
    varchar("BRK_NumerString", 31),
    int_("BRK_NumerNr"),
    numer_pelny("BRK_NumerPelny", "BRK_NumerNr", "BRK_NumerString"),
    dt("BRK_DataDok"),
    int_("BRK_Zwloka"),
    small("BRK_LDokTyp", null=True),  # 1 = payment due (BnkZdarzenia)
    int_("BRK_LDokID", null=True),
    small("BRK_PDokTyp", null=True),  # 2 = payment record (BnkZapisy)
    int_("BRK_PDokID", null=True),
    int_("BRK_LPodTyp", null=True),
    int_("BRK_LPodID", null=True),
    int_("BRK_PPodTyp", null=True),
    int_("BRK_PPodID", null=True),
    int_("BRK_LBRaID", null=True),
    int_("BRK_PBRaID", null=True),
    tiny("BRK_RozliczenieAutomatyczne", null=True),
    small("BRK_ZapisAutomatyczny", null=True),
    varchar("BRK_Waluta", 3, null=True),
    nvarchar("BRK_LNumer", 256, null=True),
    nvarchar("BRK_PNumer", 256, null=True),
    dec("BRK_LKwota", 15, 2, null=True),
    dec("BRK_PKwota", 15, 2, null=True),
    tiny("BRK_KolumnaKPR"),
    tiny("BRK_KolumnaRyc"),
    varchar("BRK_KontoWn1", 50),
    varchar("BRK_KontoMa1", 50),
    varchar("BRK_KontoWn2", 50),
    varchar("BRK_KontoMa2", 50),
    small("BRK_AutoOffLine"),
    varchar("BRK_ImportRowId", 36),
    dt("BRK_TS_Zal"),
    dt("BRK_TS_Mod"),
    varchar("BRK_OpeModKod", 20),
    varchar("BRK_OpeZalKod", 20),
    tiny("BRK_Zaliczka"),
)
Index("BRKGUID", BnkRozKwoty.c.BRK_ImportRowId, unique=True)
Index("BRKChrono", BnkRozKwoty.c.BRK_DataDok, BnkRozKwoty.c.BRK_BRKID, unique=True)
Index("BRKDokL", BnkRozKwoty.c.BRK_LDokTyp, BnkRozKwoty.c.BRK_LDokID)
Index("BRKDokDataP", BnkRozKwoty.c.BRK_PDokTyp, BnkRozKwoty.c.BRK_PDokID, BnkRozKwoty.c.BRK_DataDok)
Index("BRKNumerPelny", BnkRozKwoty.c.BRK_NumerPelny, BnkRozKwoty.c.BRK_BRKID, unique=True)
