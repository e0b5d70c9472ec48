"""Roman clause numbers that the recogniser read as digits (``accord.intake.ocr_roman``).

rapidocr reads a line-leading ``I.`` as ``1.`` and ``II.`` as ``11.``, ``Il.`` or ``I1.``; found on
the 150 dpi scans of the development split (201's clauses ``I.`` to ``V.``). The numbering around a
number tells which it is; a text layer is never changed.
"""

from __future__ import annotations

from accord.intake import read_document
from accord.intake.ocr_roman import roman_clause_numbers, roman_value


def test_roman_values() -> None:
    assert [roman_value(n) for n in ("I", "II", "III", "IV", "V", "IX", "XIV", "XXXIX")] == [
        1,
        2,
        3,
        4,
        5,
        9,
        14,
        39,
    ]
    assert roman_value("IIII") is None and roman_value("VX") is None and roman_value("") is None


def test_clause_numbers_read_as_digits_next_to_roman_ones_are_roman() -> None:
    read = [
        "1. Party A supports and guarantees the project construction",
        "and development of Party B.",
        "I1. As required by Party B building PV grid-connected power station",
        "III. In the principle of win-win cooperation,",
        "IV. Party B promises that land nature will not be changed",
        "V. Party B will register a foreign-funded company",
    ]
    assert [line.split(" ")[0] for line in roman_clause_numbers(read)] == [
        "I.",
        "and",
        "II.",
        "III.",
        "IV.",
        "V.",
    ]
    # III. read as II. (a stroke lost) between II. and IV.
    assert [line[:4] for line in roman_clause_numbers(["1. A", "I1. B", "II. C", "IV. D", "V. E"])] == [
        "I. A",
        "II. ",
        "III.",
        "IV. ",
        "V. E",
    ]
    assert roman_clause_numbers(["II. INDEPENDENT CONTRACTOR", "IHI. EXPENSES", "IV. COMPENSATION"])[1] == (
        "III. EXPENSES"
    )
    # II. read as H. (its two strokes run together), but the H of a lettered list stays.
    assert (
        roman_clause_numbers(["I. SERVICES", "H. UTEK shall devote", "III. EXPENSES"])[1]
        == "II. UTEK shall devote"
    )
    lettered = ["G. Governing law", "H. Headings", "I. Interpretation", "J. Joint work"]
    assert roman_clause_numbers(lettered) == lettered
    # Roman headings with lettered lists under them (found on 217's scan): the letters are no part of
    # the Roman numbering, and a letter I read as 1 between H and J is the letter again.
    read = ["1. SERVICES", "A. To identify", "B. In conjunction", "G. MKOS will not", "H. UTEK shall devote"]
    read += [
        "1. UTEK cannot",
        "J. MKOS will",
        "II. INDEPENDENT CONTRACTOR",
        "A. MKOS shall",
        "C. Notwithstanding",
    ]
    read += ["IHI. EXPENSES", "IV. COMPENSATION", "A. In consideration"]
    assert [line.split(" ")[0] for line in roman_clause_numbers(read)] == [
        "I.",
        "A.",
        "B.",
        "G.",
        "H.",
        "I.",
        "J.",
        "II.",
        "A.",
        "C.",
        "III.",
        "IV.",
        "A.",
    ]
    # The same with II. read as 11. or Il., and headings run into their number.
    assert roman_clause_numbers(["1.SERVICES", "11. ENGAGEMENT", "III. EXPENSES"]) == [
        "I.SERVICES",
        "II. ENGAGEMENT",
        "III. EXPENSES",
    ]
    assert roman_clause_numbers(["  1. ENGAGEMENT", "Il. INDEPENDENT CONTRACTOR"])[0] == "  I. ENGAGEMENT"


def test_arabic_numbering_stays_arabic() -> None:
    # A numbered list under a Roman heading follows on from itself (1., 2.), not from the heading.
    under_roman = [
        "VIII. OTHER MATERIAL TERMS AND CONDITIONS",
        "1. UTEK shall indemnify, defend and hold harmless MKOS",
        "2. MKOS shall indemnify, defend and hold harmless UTEK",
        "IX. NOTICES. All notices shall be sent by certified mail",
    ]
    assert roman_clause_numbers(under_roman) == under_roman
    # Arabic documents: nothing surely Roman, or a misread 11. between 10. and 12.
    arabic = ["1. Definitions", "2. Term", "10. Notices", "11. Governing law", "1.1 The City will pay"]
    assert roman_clause_numbers(arabic) == arabic
    misread = ["10. Notices", "I1. Governing law", "12. Counterparts", "II. Schedules"]
    assert roman_clause_numbers(misread)[:3] == misread[:3]
    # Sentences are not numbers.
    prose = ["I. Smith signed for the City.", "1 January 2024 is the date", "11 shall pay"]
    assert roman_clause_numbers(prose) == prose


def test_a_text_layer_keeps_its_numbers_as_typed() -> None:
    typed = "COOPERATION AGREEMENT\n1. Party A shall provide land.\nII. Party B shall build the station.\n"
    assert "1. Party A shall provide land." in read_document(typed.encode(), "agreement.txt").text
