"""CDN master data: items, extra EANs, prices, stock snapshots, warehouses, contractors, payment
forms, document definitions.

Real Optima names and types (``reference/optima-tables.md``); only the columns the console reads
or writes and those a card needs to be whole. The unique indexes that guard natural keys are kept
under Optima's own names so that a duplicate code fails the way it fails in Optima.
"""

from __future__ import annotations

from sqlalchemy import Index, Table

from .schema_base import dec, dt, int_, metadata, nvarchar, pk, small, tiny, varchar

Towary = Table(
    "Towary",
    metadata,
    pk("Twr_TwrId"),
    tiny("Twr_Typ"),  # 1 = goods, 0 = service
    small("Twr_Produkt"),
    varchar("Twr_Kod", 50),
    nvarchar("Twr_NumerKat", 40),
    varchar("Twr_SWW", 20),
    varchar("Twr_EAN", 40),
    nvarchar("Twr_Nazwa", 255),
    int_("Twr_TwGGIDNumer"),
    varchar("Twr_Kategoria", 50),
    nvarchar("Twr_Opis"),
    nvarchar("Twr_JM", 20),
    tiny("Twr_JMCalkowite"),
    int_("Twr_TwCNumer"),
    varchar("Twr_Waluta", 3),
    nvarchar("Twr_KodDostawcy", 50),
    int_("Twr_KntId", null=True, fk="Kontrahenci.Knt_KntId"),  # the default supplier (a ZD's Podmiot)
    dec("Twr_Stawka", 5, 2),
    small("Twr_Flaga"),
    dec("Twr_Zrodlowa", 5, 2),
    dec("Twr_StawkaZak", 5, 2),
    small("Twr_FlagaZak"),
    dec("Twr_ZrodlowaZak", 5, 2),
    tiny("Twr_NieAktywny"),
    tiny("Twr_ESklep", null=True),
    dec("Twr_WagaKG", 15, 4, null=True, default=0),
    nvarchar("Twr_KrajPochodzenia", 2),
    tiny("Twr_SplitPay"),
    int_("Twr_OpeZalID", null=True),
    dt("Twr_TS_Zal"),
    int_("Twr_OpeModID", null=True),
    dt("Twr_TS_Mod"),
    varchar("Twr_OpeModKod", 20),
    varchar("Twr_OpeZalKod", 20),
)
Index("TwrKod", Towary.c.Twr_Kod, unique=True)
# Optima's index name; SQLite keeps tables and indexes in one case-insensitive namespace, where
# "TwrEAN" would clash with the table TwrEan, so there the same index is named TwrEANKod.
Index("TwrEAN", Towary.c.Twr_EAN, Towary.c.Twr_TwrId, unique=True).ddl_if(dialect=("mssql", "postgresql"))
TWR_EAN_SQLITE_INDEX = Index("TwrEANKod", Towary.c.Twr_EAN, Towary.c.Twr_TwrId, unique=True).ddl_if(
    dialect="sqlite"
)
Index("TwrNieaktywne", Towary.c.Twr_NieAktywny)
Index("TwrProduktTyp", Towary.c.Twr_Produkt, Towary.c.Twr_Typ)

#: Extra EANs of an item (a box, another supplier's code). Optima lists the main EAN here too,
#: flagged ``TwE_Domyslny``; ``TwE_JM`` is the unit the code stands for.
TwrEan = Table(
    "TwrEan",
    metadata,
    pk("TwE_TwEId"),
    int_("TwE_TwrID", fk="Towary.Twr_TwrId"),
    varchar("TwE_EAN", 40),
    nvarchar("TwE_Opis", 100),
    tiny("TwE_Domyslny"),
    nvarchar("TwE_JM", 20),
)
Index("TwETowar", TwrEan.c.TwE_TwrID, TwrEan.c.TwE_EAN, unique=True)
Index("TwEEan", TwrEan.c.TwE_EAN)

Magazyny = Table(
    "Magazyny",
    metadata,
    pk("Mag_MagId"),
    small("Mag_Typ"),
    varchar("Mag_Symbol", 20),
    nvarchar("Mag_Nazwa", 50),
    nvarchar("Mag_Opis", 254),
    nvarchar("Mag_Rejestr", 5),
    tiny("Mag_NieAktywny"),
    int_("Mag_TwCNumer"),
    dt("Mag_TS_Zal"),
    dt("Mag_TS_Mod"),
    varchar("Mag_OpeModKod", 20),
    varchar("Mag_OpeZalKod", 20),
)
Index("MagSymbol", Magazyny.c.Mag_Symbol, unique=True)

TwrIlosci = Table(
    "TwrIlosci",
    metadata,
    pk("TwI_TwIId"),
    int_("TwI_TwrId", fk="Towary.Twr_TwrId"),
    int_("TwI_MagId", null=True, fk="Magazyny.Mag_MagId"),  # NULL = total over all warehouses
    dt("TwI_Data", null=True),
    dec("TwI_Ilosc", 15, 4),
    dec("TwI_Wartosc", 15, 2),
    dec("TwI_Braki", 15, 4),
    dec("TwI_Rezerwacje", 15, 4),
    dec("TwI_Zamowienia", 15, 4),
    dec("TwI_RezerwacjeZlecenia", 15, 4),
)
Index("TwITowar", TwrIlosci.c.TwI_TwrId, TwrIlosci.c.TwI_MagId, TwrIlosci.c.TwI_Data.desc(), unique=True)
Index("TwIMagazynData", TwrIlosci.c.TwI_MagId, TwrIlosci.c.TwI_Data)
Index("TwITowarData", TwrIlosci.c.TwI_TwrId, TwrIlosci.c.TwI_Data)

DokDefinicje = Table(
    "DokDefinicje",
    metadata,
    pk("DDf_DDfID"),
    int_("DDf_Klasa"),  # = TrN_TypDokumentu for trade documents; 202 = KP
    varchar("DDf_Symbol", 5),
    nvarchar("DDf_Nazwa", 256),
    tiny("DDf_Nieaktywna"),
    nvarchar("DDf_Numeracja", 50),  # template: @symbol/@numerS/@rok_kal
    tiny("DDf_SeriaOperatora"),
    varchar("DDf_ImportRowId", 36, null=True),
    dt("DDf_TS_Zal"),
    dt("DDf_TS_Mod"),
    varchar("DDf_OpeModKod", 20),
    varchar("DDf_OpeZalKod", 20),
)
Index("DDfGUID", DokDefinicje.c.DDf_ImportRowId, unique=True)
Index("DDfKlasa", DokDefinicje.c.DDf_Klasa, DokDefinicje.c.DDf_Symbol)
Index("DDfSymbol", DokDefinicje.c.DDf_Symbol)

FormyPlatnosci = Table(
    "FormyPlatnosci",
    metadata,
    pk("FPl_FPlId"),
    nvarchar("FPl_Nazwa", 20),
    small("FPl_Typ"),
    int_("FPl_BRaId", null=True, fk="BnkRachunki.BRa_BRaID"),
    small("FPl_Termin"),  # days to the payment due
    small("FPl_NieAktywny"),
    varchar("FPl_ImportRowId", 36, null=True),
    dec("FPl_Rabat", 5, 2),
    small("FPl_TerminalPlatniczy"),
    int_("FPl_KSeFId"),
    tiny("FPl_Domyslna", null=True),
)
Index("FPlGUID", FormyPlatnosci.c.FPl_ImportRowId, unique=True)
Index("FPlNazwa", FormyPlatnosci.c.FPl_Nazwa, unique=True)
Index("FplRachunek", FormyPlatnosci.c.FPl_BRaId)

Kontrahenci = Table(
    "Kontrahenci",
    metadata,
    pk("Knt_KntId"),
    small("Knt_PodmiotTyp", null=True, default=1),
    varchar("Knt_Kod", 20),
    varchar("Knt_Grupa", 20),
    nvarchar("Knt_Nazwa1", 50),
    nvarchar("Knt_Nazwa2", 50),
    nvarchar("Knt_Nazwa3", 250),
    nvarchar("Knt_Kraj", 40),
    nvarchar("Knt_Wojewodztwo", 40),
    nvarchar("Knt_Powiat", 40),
    nvarchar("Knt_Gmina", 40),
    nvarchar("Knt_Ulica", 40),
    nvarchar("Knt_NrDomu", 10),
    nvarchar("Knt_NrLokalu", 10),
    nvarchar("Knt_Miasto", 40),
    varchar("Knt_KodPocztowy", 10),
    nvarchar("Knt_Poczta", 40),
    nvarchar("Knt_Adres2", 40),
    varchar("Knt_NipKraj", 2),
    nvarchar("Knt_NipE", 20),
    nvarchar("Knt_Nip", 20),
    varchar("Knt_Regon", 20),
    nvarchar("Knt_Pesel", 11),
    varchar("Knt_Telefon1", 20),
    varchar("Knt_Telefon2", 20),
    nvarchar("Knt_Email", 127),
    varchar("Knt_URL", 254),
    nvarchar("Knt_KrajISO", 9),
    nvarchar("Knt_RachunekNr", 51),
    small("Knt_Ceny"),
    int_("Knt_FplID", null=True, fk="FormyPlatnosci.FPl_FPlId"),
    tiny("Knt_TerminPlat"),
    small("Knt_Termin"),
    tiny("Knt_PodatekVat"),  # VAT payer (a company)
    tiny("Knt_Finalny"),  # final consumer (a private person)
    tiny("Knt_Export"),  # 0 = domestic
    tiny("Knt_Rodzaj"),
    tiny("Knt_Rodzaj_Dostawca"),
    tiny("Knt_Rodzaj_Odbiorca"),
    tiny("Knt_Nieaktywny"),
    nvarchar("Knt_Opis"),
    tiny("Knt_ZgodaNaEFaktury"),
    tiny("Knt_SplitPay"),
    tiny("Knt_NieWysylajDokumentuDoKSeF"),
    varchar("Knt_ImportRowId", 36, null=True),
    int_("Knt_OpeZalID", null=True),
    dt("Knt_TS_Zal"),
    int_("Knt_OpeModID", null=True),
    dt("Knt_TS_Mod"),
    varchar("Knt_OpeModKod", 20),
    varchar("Knt_OpeZalKod", 20),
)
Index("KntKod", Kontrahenci.c.Knt_Kod, unique=True)
Index("KntNIP", Kontrahenci.c.Knt_Nip, Kontrahenci.c.Knt_KntId, unique=True)
Index("KntGUID", Kontrahenci.c.Knt_ImportRowId, unique=True)
Index("KntNieaktywny", Kontrahenci.c.Knt_Nieaktywny)
Index("KntFormaPlatnosci", Kontrahenci.c.Knt_FplID)

#: Price list definitions: ``DfC_Lp`` is the price number ``TwC_TwCNumer`` refers to (1 is the
#: purchase price; the sales price lists that follow are install-specific, reference/optima.md §1.7).
DefCeny = Table(
    "DefCeny",
    metadata,
    pk("DfC_DfCId"),
    int_("DfC_Lp"),
    nvarchar("DfC_Nazwa", 20),
    tiny("DfC_Aktualizacja"),
    dec("DfC_Marza", 5, 2),
    dec("DfC_Zaokraglenie", 7, 4),
    dec("DfC_Offset", 7, 4),
    varchar("DfC_Waluta", 3),
    tiny("DfC_Typ"),  # 1 = net, 2 = gross (reference/optima.md §1.7, inferred)
    small("DfC_Nieaktywna", null=True),
    int_("DfC_XL_Lp", null=True),
)
Index("DfCLp", DefCeny.c.DfC_Lp, unique=True)

#: An item's price in one price list: net or gross as ``TwC_Typ`` says (1 = net, 2 = gross).
#: No time stamp column: Optima does not date a price change.
TwrCeny = Table(
    "TwrCeny",
    metadata,
    pk("TwC_TwCID"),
    int_("TwC_TwrID", fk="Towary.Twr_TwrId"),
    int_("TwC_TwCNumer"),
    tiny("TwC_Typ"),
    dec("TwC_Wartosc", 17, 4),
    varchar("TwC_Waluta", 3),
    tiny("TwC_Aktualizacja"),
    dec("TwC_Zaokraglenie", 7, 4),
    dec("TwC_Marza", 7, 2),
    dec("TwC_MarzaWStu", 7, 2),
    dec("TwC_Offset", 7, 4),
    small("TwC_TwrTyp", null=True),
    int_("TwC_TwrFirma", null=True),
    int_("TwC_TwrNumer", null=True),
    small("TwC_TwrLp", null=True),
    int_("TwC_DokID"),
    dec("TwC_WartoscZakOld", 17, 4),
    int_("TwC_Punkty"),
)
Index("TwCTowar", TwrCeny.c.TwC_TwrID, TwrCeny.c.TwC_TwCNumer, unique=True)
Index("TwrCenyTwCNumer", TwrCeny.c.TwC_TwCNumer)
Index("TwrCenyWaluta", TwrCeny.c.TwC_Waluta)
