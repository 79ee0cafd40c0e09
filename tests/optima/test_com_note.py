"""The names LinkOptima uses, checked against the team's note itself, not only its transcription.

``com_reference.py`` is a hand copy of ``reference/optima-com.md``; a slip in copying could let a
name pass that public code never uses. Where the note is at hand (the team's machines: it lives
in ``shared/reference`` next to the repository, or ``LINKOPTIMA_COM_NOTE`` names it) this test
reads it and looks for each used name in the section about its own object, so ``Opis`` on the
invoice does not pass because ``Opis`` is seen on a cash record. A clean clone skips it.

The check is by word: it cannot tell a name the note says was seen only in commented-out code
(``Stawka`` on a line, ``NumerObcy`` on a KP) from a live one. ``com_reference.py`` keeps those
apart, and ``test_com_names.py`` holds the writer to it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from linkoptima_gui.core.optima import com_names

from .com_unverified import UNVERIFIED, unverified

NOTE = Path(os.environ.get("LINKOPTIMA_COM_NOTE")
            or Path(__file__).resolve().parents[3] / "shared" / "reference" / "optima-com.md")

pytestmark = pytest.mark.skipif(not NOTE.is_file(), reason="the team's note reference/optima-com.md is not here")

#: where the note describes each kind of object's members (its section headings' numbers)
SECTIONS: dict[str, tuple[str, ...]] = {
    "Application": ("### 1.1", "## 2."),
    "Login": ("### 1.2",),
    "Session": ("### 1.3",),
    "Recordset": ("## 4.", "## Names"),  # "Open(sql, conn, 3, 1, 1)" is in the closing table
    "DokumentHaMag": ("### 1.5",),
    "Elementy": ("### 1.5", "### 1.4"),  # the sample's Elementy["Tre_TwrKod='…'"] is Item as an indexer
    "Numerator": ("### 1.9",),
    "ElementHaMag": ("### 1.6",),
    "Kontrahent": ("### 1.8",),
    "NumerNIP": ("### 1.8",),
    "Adres": ("### 1.8",),
    "SerwisHaMag": ("### 1.12",),
    "ZapisKB": ("### 1.11",),
    "RaportKB": ("### 1.11",),
    "Filter": ("### 1.4", "### 1.11", "### 1.5"),
}
COLLECTIONS = ("### 1.4",)  # AddNew, Item and Delete of any collection


def _sections(text: str) -> dict[str, str]:
    """The note cut at its headings: the heading's first two words ("### 1.5", "## Names") -> its text."""
    parts = re.split(r"^(#{2,3} \S+)", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _mentions(text: str, name: str, *, any_case: bool = False) -> bool:
    """``name`` as a word of its own (``Opis`` is not in ``TowarOpis``)."""
    return re.search(rf"(?<!\w){re.escape(name)}\b", text, re.I if any_case else 0) is not None


def test_every_name_used_is_in_its_objects_section_of_the_note_or_listed_unverified() -> None:
    sections = _sections(NOTE.read_text(encoding="utf-8"))
    seen_part = NOTE.read_text(encoding="utf-8").split("\n## 5.")[0]
    strays = []
    for name in com_names.NAMES:
        if unverified(name.owner, name.name) is not None:
            continue
        if name.kind == com_names.PROGID:
            found = _mentions(seen_part, name.name, any_case=True)
        else:
            where = SECTIONS.get(name.owner, COLLECTIONS)
            found = any(_mentions(sections[heading], name.name, any_case=name.kind == com_names.FILTER)
                        for heading in where)
        if not found:
            strays.append(f"{name.owner}.{name.name}")
    assert strays == []


def test_the_unverified_names_are_the_ones_the_note_says_are_not_seen() -> None:
    text = NOTE.read_text(encoding="utf-8")
    not_found = text.split("\n## 5.")[1]  # §5 and the closing table of the writer's names
    rows_not_seen = "\n".join(line for line in not_found.splitlines() if "not seen" in line)
    seen_part = text.split("\n## 5.")[0]
    for entry in UNVERIFIED:
        if entry.kind == "hresult":
            assert entry.name.lower() not in text.lower(), entry  # the note shows no public client getting it
        elif entry.kind == "meaning":  # a name public code uses, for what it is not seen to mean
            assert _mentions(seen_part, entry.name), entry
        else:
            assert _mentions(not_found.split("\n## ")[0] + rows_not_seen, entry.name), entry


def test_the_check_catches_a_name_only_seen_on_another_object() -> None:
    """The control: ``Opis`` is seen on a cash record, not on the invoice, and the check tells them apart."""
    sections = _sections(NOTE.read_text(encoding="utf-8"))
    assert _mentions(sections["### 1.11"], "Opis")
    assert not any(_mentions(sections[heading], "Opis") for heading in SECTIONS["DokumentHaMag"])
    assert not _mentions(sections["### 1.6"], "WartoscBrutto")
