"""The correction invoice PDF, read back with pypdf: what art. 106j asks for, before / after /
difference per line and per VAT rate checked against the test's own arithmetic, several
corrections of one FA, many lines over pages, Polish letters and hostile text."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from linkoptima_gui.core.documents.correction_pdf import render_correction_pdf, settlement_line
from linkoptima_gui.core.domain.money import format_pln
from linkoptima_gui.core.domain.order import Address
from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.errors import PermanentError

from .conftest import BUYER, make_invoice
from .correction_factory import make_correction
from .test_invoice_pdf import rasterise

FA_KSEF = "5260250274-20261112-0A1B2C3D4E5F-7C"
OWN_KSEF = "7251234560-20261120-1F2E3D4C5B6A-3D"
KSEF_URL = "https://qr-demo.ksef.mf.gov.pl/invoice/7251234560/20-11-2026/Xq3vR8_kLm2-Tn9pYw4sZa7Bc1Df5Gh6Jk0Ee8Uo3Ii"


def page_texts(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return [page.extract_text().replace("\u00a0", " ") for page in reader.pages]


def cells(text: str) -> str:
    """The page as " | "-separated cells (pypdf gives every table cell a line of its own)."""
    return " | ".join(line.strip() for line in text.splitlines() if line.strip())


def money(value: Decimal) -> str:
    return format_pln(value, "").replace("\u00a0", " ")


def rate_row(label: str, before: tuple[Decimal, Decimal], after: tuple[Decimal, Decimal]) -> str:
    """One summary row: (net, VAT) before, after and their difference, each with its gross."""
    states = [before, after, (after[0] - before[0], after[1] - before[1])]
    return " | ".join([label, *(f"{money(net)} | {money(vat)} | {money(net + vat)}" for net, vat in states)])


def rate_block(rate: VatRate, before_gross: Decimal, after_gross: Decimal) -> str:
    """The summary row of one rate, computed here from gross sums (VAT from gross, as the FA)."""
    before_vat, after_vat = rate.vat_from_gross(before_gross), rate.vat_from_gross(after_gross)
    return rate_row(rate.label, (before_gross - before_vat, before_vat), (after_gross - after_vat, after_vat))


def test_what_art_106j_asks_for_and_the_figures_per_rate() -> None:
    fa = make_invoice(ksef_number=FA_KSEF)
    # the sample FA: 1x Kubek 29,99 (23%), 2x Książka 39,90 (5%), 3x Sowa 19,90 (8%), 1x dostawa 14,99 (23%)
    doc = make_correction(fa, returns={1: 1, 4: 1})  # the mug and the shipping come back
    text = page_texts(render_correction_pdf(doc))
    assert len(text) == 1
    page = cells(text[0])
    for expected in ("Faktura korygująca nr FAKI/3/2026", "Data wystawienia: | 2026-11-20",
                     "Faktura korygowana: | FA/17/2026", "Data wystawienia faktury korygowanej: | 2026-11-12",
                     f"Numer KSeF faktury korygowanej: | {FA_KSEF}", "Zamówienie nr: | 10452",
                     "Przyczyna korekty: | Zwrot towaru: odstąpienie od umowy (art. 27)",
                     "Korekta ilościowa (zwrot towaru)", "NIP: 7251234560", "NIP: 5260250274",
                     "Pracownia Żółwia Sp. z o.o.", "Zażółć Gęślą Jaźń Sp. j.", "Strona 1 z 1"):
        assert expected in page, expected
    assert "Wcześniejsze korekty" not in page
    mug = Decimal("29.99")
    mug_vat = VatRate.R23.vat_from_gross(mug)
    assert (f"1 | Kubek ceramiczny Żółw | KUB-ZOLW | szt. | przed korektą | 1 | 23% | {money(mug - mug_vat)} | "
            f"{money(mug_vat)} | 29,99 | po korekcie | 0 | 23% | 0,00 | 0,00 | 0,00 | różnica | -1 | 23% | "
            f"{money(mug_vat - mug)} | {money(-mug_vat)} | -29,99") in page
    assert "Książka" not in page, "only the corrected lines are listed"
    assert rate_block(VatRate.R23, mug + Decimal("14.99"), Decimal(0)) in page
    assert rate_block(VatRate.R5, Decimal("79.80"), Decimal("79.80")) in page, "an untouched rate keeps its figures"
    assert rate_block(VatRate.R8, Decimal("59.70"), Decimal("59.70")) in page
    assert "Do zwrotu: 44,98 zł" in page and "Słownie: czterdzieści cztery złote 98/100" in page
    assert f"Wartość faktury po korekcie: {money(fa.gross_total - Decimal('44.98'))} zł" in page
    returned_vat = VatRate.R23.vat_from_gross(Decimal("44.98"))
    assert rate_row("Razem", (fa.net_total, fa.vat_total),
                    (fa.net_total - Decimal("44.98") + returned_vat, fa.vat_total - returned_vat)) in page
    assert "Stawka | VAT | Przed korektą | Po korekcie | Różnica | netto | VAT | brutto | netto" in page


def test_a_second_correction_starts_from_the_first() -> None:
    fa = make_invoice()
    first = make_correction(fa, returns={2: 1}, number="FAKI/1/2026")  # one of the two books
    second = make_correction(fa, returns={2: 1}, earlier=[first], number="FAKI/2/2026")  # the other one
    book = "Książka „Łoś i jeż” | KS-LOS | szt."
    one = cells(page_texts(render_correction_pdf(first))[0])
    assert f"{book} | przed korektą | 2 | 5% |" in one and "po korekcie | 1 | 5% |" in one
    assert rate_block(VatRate.R5, Decimal("79.80"), Decimal("39.90")) in one
    two = cells(page_texts(render_correction_pdf(second, [first]))[0])
    assert f"{book} | przed korektą | 1 | 5% |" in two and "po korekcie | 0 | 5% |" in two
    assert rate_block(VatRate.R5, Decimal("39.90"), Decimal(0)) in two
    assert "Wcześniejsze korekty tej faktury: | FAKI/1/2026 z dnia 2026-11-20" in two
    assert "Faktura korygowana: | FA/17/2026" in two, "every correction names the original invoice"
    assert "Do zwrotu: 39,90 zł" in two
    assert render_correction_pdf(second, [first, second]) and \
        "przed korektą | 1 | 5%" in cells(page_texts(render_correction_pdf(second, [second, first]))[0]), \
        "the correction itself among the earlier ones is skipped"
    other = make_correction(make_invoice(number="FA/99/2026"), returns={1: 1}, number="FAKI/9/2026")
    with pytest.raises(ValueError, match="FA/99/2026"):
        render_correction_pdf(second, [other])


def test_a_value_correction_and_the_settlement_wording() -> None:
    fa = make_invoice()
    discount = make_correction(fa, values={3: "-5.00"}, number="FAKW/1/2026", reason="Uszkodzony egzemplarz")
    page = cells(page_texts(render_correction_pdf(discount))[0])
    assert "Korekta wartościowa" in page and "Przyczyna korekty: | Uszkodzony egzemplarz" in page
    assert "po korekcie | 3 | 8% |" in page and "różnica | 0 | 8% |" in page, "a value correction keeps the quantity"
    assert rate_block(VatRate.R8, Decimal("59.70"), Decimal("54.70")) in page
    assert "Do zwrotu: 5,00 zł" in page
    assert settlement_line(replace(discount, original=replace(fa, paid=False))) == "Zmniejszenie należności: 5,00 zł"
    assert settlement_line(replace(discount, gross_total=Decimal("2.50"))) == "Do zapłaty: 2,50 zł"
    assert settlement_line(replace(discount, gross_total=Decimal(0))) == "Kwota korekty: 0,00 zł"


def test_sixty_lines_split_pages_with_the_header_repeated_and_no_line_torn() -> None:
    fa = make_invoice(60)
    doc = make_correction(fa, returns={line.position: 1 for line in fa.lines})
    texts = page_texts(render_correction_pdf(doc))
    pages = len(texts)
    assert pages >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Strona {number} z {pages}" in text
        if number > 1:
            assert "Faktura korygująca nr FAKI/3/2026 (ciąg dalszy)" in text
        if "przed korektą" in text:
            assert "Lp." in text and "Stan" in text and "Wartość" in text, f"table header missing on page {number}"
        rows = [line.strip() for line in text.splitlines()]
        counts = {label: rows.count(label) for label in ("przed korektą", "po korekcie", "różnica")}
        assert len(set(counts.values())) == 1, f"a line's three rows torn apart on page {number}: {counts}"
    everything = cells("\n".join(texts))
    for position in range(1, 61):
        assert f"| {position} | " in everything
    returned = sum((line.unit_gross for line in fa.lines), Decimal(0))
    assert f"Do zwrotu: {money(returned)} zł" in texts[-1]


def test_polish_letters_long_names_and_hostile_text() -> None:
    long_name = "Przedsiębiorstwo Handlowo-Usługowe „Źdźbło” " * 8
    buyer = replace(BUYER, name=long_name + "😀", address=Address(street="ul. Żółkiewskiego 7", city="Gdańsk <b>&amp;\x00",
                                                                   postcode="80-180"))
    fa = make_invoice(4, buyer=buyer)
    fa = replace(fa, lines=(replace(fa.lines[0], name="Żółw " * 1500), *fa.lines[1:]))
    doc = make_correction(fa, returns={1: 1, 2: 1}, reason="Klient odesłał: „zły rozmiar” <script>",
                          notes=("Zwrot przyjęty w punkcie Łódź-Bałuty",))
    text = "\n".join(page_texts(render_correction_pdf(doc)))
    assert "Przedsiębiorstwo Handlowo-Usługowe „Źdźbło”" in text
    assert text.count("Żółw") >= 1500, "a very long name is wrapped and continued, never cut"
    assert "\ufffd" in text, "an emoji the font lacks becomes a visible replacement"
    assert "Gdańsk <b>&amp;" in text and "„zły rozmiar” <script>" in text, "markup in data is printed as text"
    assert "Zwrot przyjęty w punkcie Łódź-Bałuty" in text and "ąęśćźżółń" not in text  # sanity: no stray sample
    for letters in ("ą", "ę", "ś", "ć", "ź", "ż", "ó", "ł", "ń", "Ż", "Ł", "Ś"):
        assert letters in text, letters


def test_an_unreadable_logo_is_a_permanent_error(tmp_path: Path) -> None:
    with pytest.raises(PermanentError) as err:
        render_correction_pdf(make_correction(make_invoice(), returns={1: 1}), logo=tmp_path / "missing.png")
    assert err.value.code == "invoice_logo"


def test_own_ksef_number_qr_code_logo_and_metadata(tmp_path: Path) -> None:
    fa = make_invoice(ksef_number=FA_KSEF)
    doc = make_correction(fa, returns={1: 1}, ksef_number=OWN_KSEF)
    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (400, 100), (30, 90, 160)).save(logo)
    pdf = render_correction_pdf(doc, logo=logo, ksef_url=KSEF_URL)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "Faktura korygująca nr FAKI/3/2026"
    images = [name for page in reader.pages for name in page["/Resources"].get("/XObject", {})]
    assert images, "the logo is embedded"
    text = page_texts(pdf)[0]
    assert f"Numer KSeF: {OWN_KSEF}" in text
    assert text.count(OWN_KSEF) == 2, "the header line and the label under the QR code"
    assert page_texts(render_correction_pdf(doc))[0].count(OWN_KSEF) == 1, "no link, no code and no label"
    zxingcpp = pytest.importorskip("zxingcpp")
    (page,) = rasterise(pdf, tmp_path)
    found = [(code.format, code.text) for code in zxingcpp.read_barcodes(PILImage.open(page))]
    assert found == [(zxingcpp.BarcodeFormat.QRCode, KSEF_URL)]


def test_only_embedded_dejavu_fonts() -> None:
    reader = PdfReader(io.BytesIO(render_correction_pdf(make_correction(make_invoice(), returns={1: 1}))))
    names = {str(ref.get_object()["/BaseFont"]).split("+", 1)[-1]
             for page in reader.pages for ref in page["/Resources"]["/Font"].values()}
    assert names == {"DejaVuSans", "DejaVuSans-Bold"}


def test_huge_amounts_stay_unbroken_in_both_tables() -> None:
    fa = make_invoice(4)
    fa = replace(fa, lines=tuple(replace(line, unit_gross=Decimal("9999999.99")) for line in fa.lines))
    doc = make_correction(fa, returns={1: 1, 3: 2})
    page = cells("\n".join(page_texts(render_correction_pdf(doc))))
    assert "-9 999 999,99" in page and "Do zwrotu: 29 999 999,97 zł" in page
    for row in doc.vat_rows:
        assert f"| {money(row.net)} | {money(row.vat)} | {money(row.gross)}" in page, row.rate
