"""Polish amount in words, as printed under "Do zapłaty" ("słownie: ...").

Polish nouns after numerals take one of three forms (1 złoty, 2-4 złote, 5+ złotych), and the
choice depends on the last two digits (12 złotych, 22 złote, 101 złotych); the same rule picks
"tysiąc / tysiące / tysięcy" for each group of thousands. Getting that wrong is the first thing a
Polish reader notices on an invoice, so it lives here, tested against a table of amounts.
"""

from __future__ import annotations

from decimal import Decimal

from ..domain.money import round_grosz

_UNITS = ("", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć")
_TEENS = (
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
)
_TENS = (
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
)
_HUNDREDS = (
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
)
# (one, few, many) for each power of 1000 above the units group.
_SCALES = (
    ("tysiąc", "tysiące", "tysięcy"),
    ("milion", "miliony", "milionów"),
    ("miliard", "miliardy", "miliardów"),
    ("bilion", "biliony", "bilionów"),
)
ZLOTY_FORMS = ("złoty", "złote", "złotych")
GROSZ_FORMS = ("grosz", "grosze", "groszy")

#: The largest whole amount we spell; invoices of a shop never get near it.
MAX_AMOUNT = Decimal(1000) ** (len(_SCALES) + 1) - 1


def plural_form(n: int, forms: tuple[str, str, str]) -> str:
    """Pick the Polish noun form for ``n`` items: ``forms`` is (one, few, many).

    1 takes the singular; numbers ending in 2-4 take "few" unless they end in 12-14; all the
    rest (0, 5-21, 25-31, 101...) take "many".
    """
    n = abs(n)
    if n == 1:
        return forms[0]
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return forms[1]
    return forms[2]


def _group_words(n: int) -> list[str]:
    """Words for 1..999 (an empty list for 0)."""
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(_HUNDREDS[hundreds])
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
    else:
        tens, units = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens])
        if units:
            words.append(_UNITS[units])
    return words


def number_in_words(n: int) -> str:
    """A whole number in Polish words: 1234 -> "tysiąc dwieście trzydzieści cztery".

    A lone 1 in front of a scale word is left out ("tysiąc", "milion"), as Poles say it.
    """
    if n < 0:
        return "minus " + number_in_words(-n)
    if n == 0:
        return "zero"
    if n > MAX_AMOUNT:
        raise ValueError(f"number too large to spell: {n}")
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for power in range(len(groups) - 1, -1, -1):
        group = groups[power]
        if not group:
            continue
        if power == 0:
            words.extend(_group_words(group))
            continue
        if group != 1:
            words.extend(_group_words(group))
        words.append(plural_form(group, _SCALES[power - 1]))
    return " ".join(words)


def amount_in_words(amount: Decimal, *, grosze_in_words: bool = False) -> str:
    """The amount as printed on a Polish invoice.

    Default: ``"sto dwadzieścia trzy złote 45/100"`` (grosze as a fraction, the usual form on
    invoices); with ``grosze_in_words`` the grosze are spelled too:
    ``"sto dwadzieścia trzy złote czterdzieści pięć groszy"``. The amount is rounded half-up
    to the grosz first, like every figure on the invoice.
    """
    value = round_grosz(Decimal(amount))
    sign = "minus " if value < 0 else ""
    cents_total = int(abs(value) * 100)
    zloty, grosze = divmod(cents_total, 100)
    text = f"{sign}{number_in_words(zloty)} {plural_form(zloty, ZLOTY_FORMS)}"
    if grosze_in_words:
        return f"{text} {number_in_words(grosze)} {plural_form(grosze, GROSZ_FORMS)}"
    return f"{text} {grosze:02d}/100"
