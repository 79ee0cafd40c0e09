"""Amounts in Polish words: the plural forms are what a Polish reader checks first."""

from __future__ import annotations

from decimal import Decimal

import pytest

from linkoptima_gui.core.documents.amount_words import amount_in_words, number_in_words, plural_form


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.01", "zero złotych 01/100"),
        ("1", "jeden złoty 00/100"),
        ("2", "dwa złote 00/100"),
        ("5", "pięć złotych 00/100"),
        ("12", "dwanaście złotych 00/100"),
        ("22", "dwadzieścia dwa złote 00/100"),
        ("101", "sto jeden złotych 00/100"),
        ("1234.56", "tysiąc dwieście trzydzieści cztery złote 56/100"),
        ("1000000", "milion złotych 00/100"),
        ("123.45", "sto dwadzieścia trzy złote 45/100"),
        ("21", "dwadzieścia jeden złotych 00/100"),
        ("14", "czternaście złotych 00/100"),
        ("112", "sto dwanaście złotych 00/100"),
        ("2000", "dwa tysiące złotych 00/100"),
        ("5000", "pięć tysięcy złotych 00/100"),
        ("12000", "dwanaście tysięcy złotych 00/100"),
        ("22000", "dwadzieścia dwa tysiące złotych 00/100"),
        ("1001001", "milion tysiąc jeden złotych 00/100"),
        ("2500000", "dwa miliony pięćset tysięcy złotych 00/100"),
        ("999.99", "dziewięćset dziewięćdziesiąt dziewięć złotych 99/100"),
        ("0", "zero złotych 00/100"),
    ],
)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.01", "zero złotych jeden grosz"),
        ("0.02", "zero złotych dwa grosze"),
        ("0.05", "zero złotych pięć groszy"),
        ("1.22", "jeden złoty dwadzieścia dwa grosze"),
        ("3.12", "trzy złote dwanaście groszy"),
        ("1234.56", "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy"),
    ],
)
def test_grosze_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount), grosze_in_words=True) == words


def test_rounds_half_up_to_the_grosz_first() -> None:
    assert amount_in_words(Decimal("0.005")) == "zero złotych 01/100"
    assert amount_in_words(Decimal("1.994")) == "jeden złoty 99/100"


def test_negative_amount_for_corrections() -> None:
    assert amount_in_words(Decimal("-2.50")) == "minus dwa złote 50/100"


def test_plural_rule() -> None:
    forms = ("a", "b", "c")
    assert [plural_form(n, forms) for n in (0, 1, 2, 4, 5, 11, 12, 13, 14, 21, 22, 24, 25, 102, 112, 1002)] == [
        "c", "a", "b", "b", "c", "c", "c", "c", "c", "c", "b", "b", "c", "b", "c", "b"]


def test_too_large_is_an_error_not_nonsense() -> None:
    assert number_in_words(10**15 - 1).startswith("dziewięćset dziewięćdziesiąt dziewięć bilionów")
    with pytest.raises(ValueError):
        number_in_words(10**15)
